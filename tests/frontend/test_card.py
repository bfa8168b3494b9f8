"""The rep-coach-card rendered by headless Chromium with a realistic fake ``hass``.

The card's words and thresholds are what the integration's ``rep_coach/card_config`` command
answers, built here by the integration's own code from its English translations.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant.helpers.translation import recursive_flatten

from custom_components.rep_coach.const import DOMAIN
from custom_components.rep_coach.engine.feedback import LOWERING_FAST_RATIO
from custom_components.rep_coach.frontend import CARD_FILENAME, WWW_DIR, card_config

from .conftest import Render, Screenshot

NOW = datetime(2026, 11, 24, 9, 0, 0, tzinfo=UTC)
DEVICE_ID = "4f1b0c9e2d7a4e3c8b6a5d4c3b2a1f0e"
OTHER_DEVICE_ID = "0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7"
VERSION = "9.8.7"
TRANSLATIONS: dict[str, Any] = json.loads(
    (WWW_DIR.parent / "translations" / "en.json").read_text(encoding="utf-8")
)
# The entity of each translation key; reps_this_set was renamed by the user on purpose.
ENTITY_IDS = {
    "reps_this_set": "sensor.bench_count",
    "total_reps": "sensor.hip_thrust_bench_total_reps",
    "left_reps": "sensor.hip_thrust_bench_left_reps",
    "right_reps": "sensor.hip_thrust_bench_right_reps",
    "left_set_mean_hold": "sensor.hip_thrust_bench_left_set_mean_hold",
    "right_set_mean_hold": "sensor.hip_thrust_bench_right_set_mean_hold",
    "left_set_mean_lowering": "sensor.hip_thrust_bench_left_set_mean_lowering",
    "right_set_mean_lowering": "sensor.hip_thrust_bench_right_set_mean_lowering",
    "left_sets": "sensor.hip_thrust_bench_left_sets",
    "right_sets": "sensor.hip_thrust_bench_right_sets",
    "last_hold_time": "sensor.hip_thrust_bench_last_hold_time",
    "last_lowering_time": "sensor.hip_thrust_bench_last_lowering_time",
    "phase": "sensor.hip_thrust_bench_phase",
    "current_side": "sensor.hip_thrust_bench_current_side",
    "set_number": "sensor.hip_thrust_bench_set_number",
    "rest_ends_at": "sensor.hip_thrust_bench_rest_ends_at",
    "last_form_feedback": "sensor.hip_thrust_bench_last_form_feedback",
    "imbalance": "sensor.hip_thrust_bench_imbalance",
    "holding": "binary_sensor.hip_thrust_bench_holding",
    "in_set": "binary_sensor.hip_thrust_bench_in_set",
    "resting": "binary_sensor.hip_thrust_bench_resting",
    "sensor_problem": "binary_sensor.hip_thrust_bench_sensor_problem",
    "target_reps": "number.hip_thrust_bench_target_reps",
    "target_sets": "number.hip_thrust_bench_target_sets",
    "hold_target": "number.hip_thrust_bench_hold_target",
    "lowering_target": "number.hip_thrust_bench_lowering_target",
    "rest_duration": "number.hip_thrust_bench_rest_duration",
    "rep": "event.hip_thrust_bench_rep",
    "set": "event.hip_thrust_bench_set",
    "rest": "event.hip_thrust_bench_rest",
}
# Mid-session: second left set in progress, 7 of 10 reps, one set done on each side.
DEFAULT_STATES = {
    "reps_this_set": "7",
    "total_reps": "27",
    "left_reps": "17",
    "right_reps": "10",
    "left_set_mean_hold": "1.7",
    "right_set_mean_hold": "1.8",
    "left_set_mean_lowering": "2.3",
    "right_set_mean_lowering": "2.5",
    "left_sets": "1",
    "right_sets": "1",
    "last_hold_time": "1.6",
    "last_lowering_time": "2.4",
    "phase": "lifting",
    "current_side": "left",
    "set_number": "2",
    "rest_ends_at": "unknown",
    "last_form_feedback": "none",
    "imbalance": "unknown",
    "holding": "off",
    "in_set": "on",
    "resting": "off",
    "sensor_problem": "off",
    "target_reps": "10",
    "target_sets": "3",
    "hold_target": "2.0",
    "lowering_target": "2.0",
    "rest_duration": "60",
}

type StateValue = str | tuple[str, float]
type EventValue = tuple[float, dict[str, Any]]


def rep_event(
    number: int, *, hold_s: float = 1.7, eccentric_s: float = 2.4, **extra: Any
) -> dict[str, Any]:
    """The Rep event entity's attributes after a counted rep."""
    return {
        "event_type": "completed",
        "complete": True,
        "side": "left",
        "set": 2,
        "rep": number,
        "hold_s": hold_s,
        "eccentric_s": eccentric_s,
        "warnings": [],
        **extra,
    }


# Event entities: (seconds before NOW it fired, attributes).
DEFAULT_EVENTS: dict[str, EventValue] = {
    "rep": (4.0, rep_event(7)),
    "set": (
        300.0,
        {"event_type": "completed", "side": "right", "set": 1, "reps": 10, "target_reps": 10},
    ),
    "rest": (240.0, {"event_type": "finished", "next_side": "left", "next_set": 2}),
}
DARK_THEME = {
    "--primary-background-color": "#111111",
    "--card-background-color": "#1c1c1c",
    "--primary-text-color": "#e1e1e1",
    "--secondary-text-color": "#9b9b9b",
    "--secondary-background-color": "#282828",
    "--divider-color": "rgba(225, 225, 225, 0.12)",
    "--primary-color": "#03a9f4",
}
LIGHT_THEME = {"--primary-background-color": "#fafafa", "--primary-color": "#03a9f4"}


def at(seconds_before_now: float) -> str:
    """An ISO timestamp relative to the scenario's start (negative: later)."""
    return (NOW - timedelta(seconds=seconds_before_now)).isoformat()


def fake_hass(
    events: dict[str, EventValue | None] | None = None, **overrides: StateValue
) -> dict[str, Any]:
    """The parts of ``hass`` the card reads; a value may be ``(state, seconds_since_change)``,
    an event ``(seconds since it fired, attributes)`` or None (never fired)."""
    states: dict[str, Any] = {}
    entities: dict[str, Any] = {}
    all_events = {**DEFAULT_EVENTS, **(events or {})}
    for key, entity_id in ENTITY_IDS.items():
        attributes: dict[str, Any] = {}
        if key in all_events:
            event = all_events[key]
            if event is None:
                state, age_s = "unknown", 600.0
            else:
                age_s, attributes = event
                state = at(age_s)
        else:
            value = overrides.get(key, DEFAULT_STATES[key])
            state, age_s = value if isinstance(value, tuple) else (value, 600.0)
        states[entity_id] = {
            "entity_id": entity_id,
            "state": state,
            "attributes": attributes,
            "last_changed": at(age_s),
            "last_updated": at(age_s),
        }
        entities[entity_id] = {
            "entity_id": entity_id,
            "device_id": DEVICE_ID,
            "platform": DOMAIN,
            "translation_key": key,
        }
    # Another bench with the same translation keys: the card must not mix them up.
    decoy = "sensor.garage_bench_reps_this_set"
    states[decoy] = {**states["sensor.bench_count"], "entity_id": decoy, "state": "99"}
    entities[decoy] = {**entities["sensor.bench_count"], "entity_id": decoy}
    entities[decoy]["device_id"] = OTHER_DEVICE_ID
    return {
        "states": states,
        "entities": entities,
        "devices": {
            DEVICE_ID: {"id": DEVICE_ID, "name": "Hip thrust bench", "name_by_user": None},
            OTHER_DEVICE_ID: {"id": OTHER_DEVICE_ID, "name": "Garage bench", "name_by_user": None},
        },
        "language": "en",
    }


def english_card_config(**thresholds: float) -> dict[str, Any]:
    """``rep_coach/card_config``'s answer in English, built by the integration's own code."""
    flat: dict[str, str] = {}
    for category in ("selector", "entity"):
        flat |= recursive_flatten(f"component.{DOMAIN}.{category}.", TRANSLATIONS[category])
    config = card_config(VERSION, flat)
    config["thresholds"] |= thresholds
    return config


def scenario(
    *steps: dict[str, Any],
    config: dict[str, Any] | None = None,
    theme: dict[str, str] | None = None,
    translate: bool = False,
    editor: bool = False,
    wide: bool = False,
    card_config_answer: dict[str, Any] | None = None,
    card_helpers: str = "statistics",
) -> dict[str, Any]:
    """A test page scenario: hass updates and clock advances applied in order.

    ``translate`` gives the fake ``hass`` a ``formatEntityState`` like Home Assistant's;
    ``card_helpers`` is what ``window.loadCardHelpers`` gives (see ``card_page.html``).
    """
    return {
        "now": int(NOW.timestamp() * 1000),
        "theme": theme or LIGHT_THEME,
        "version": VERSION,
        "card_config": card_config_answer or english_card_config(),
        "translate": translate,
        "editor": editor,
        "wide": wide,
        "card_helpers": card_helpers,
        "config": {"type": "custom:rep-coach-card", "device_id": DEVICE_ID}
        if config is None
        else config,
        "steps": list(steps),
    }


def only_step(report: dict[str, Any]) -> dict[str, Any]:
    """The single snapshot of a one-step scenario."""
    assert report["error"] is None
    assert len(report["steps"]) == 1
    step: dict[str, Any] = report["steps"][0]
    return step


def text(step: dict[str, Any], element: str) -> str:
    """Visible text of one of the card's elements."""
    value: str = step["elements"][element]["text"]
    return value


def classes(step: dict[str, Any], element: str) -> list[str]:
    """CSS classes of one of the card's elements."""
    value: list[str] = step["elements"][element]["classes"]
    return value


def test_a_set_past_the_planned_ones_says_extra(render: Render) -> None:
    """A fourth left set with 3 planned reads "Set 4, extra (3 planned)", not "Set 4 of 3";
    the grid grows a cell for it."""
    hass = fake_hass(set_number="4", left_sets="3", reps_this_set="2")
    step = only_step(render(scenario({"hass": hass})))

    assert text(step, "where") == "Left leg · Set 4, extra (3 planned)"
    assert step["counts"]["left"] == "3/3"
    assert step["cells"]["left"] == ["done", "done", "done", "current"]


def test_reps_sets_and_tempo(render: Render) -> None:
    """The big rep count, where we are, the sets grid per side and the last rep's tempo."""
    report = render(scenario({"hass": fake_hass()}))
    step = only_step(report)

    assert text(step, "title") == "Hip thrust bench"
    assert text(step, "phase") == "lifting"
    assert text(step, "reps") == "7"
    assert text(step, "target-reps") == "/ 10"
    assert step["elements"]["status"]["hidden"] is True
    assert text(step, "where") == "Left leg · Set 2 of 3"
    assert step["counts"] == {"left": "1/3", "right": "1/3"}
    assert step["cells"] == {"left": ["done", "current", "todo"], "right": ["done", "todo", "todo"]}
    assert text(step, "hold-label") == "Squeeze, rep 7"
    assert text(step, "hold-value") == "1.7 s / 2.0 s"
    assert step["elements"]["hold-fill"]["width"] == "85%"
    assert text(step, "lowering-label") == "Lowering, rep 7"
    assert text(step, "lowering-value") == "2.4 s / 2.0 s"
    assert "ok" in classes(step, "lowering-value")
    assert text(step, "form-label") == "Form, rep 7"
    assert step["warnings"] == ["Good form"]
    assert step["elements"]["rest"]["hidden"] is True
    assert step["elements"]["problem"]["hidden"] is True
    assert step["elements"]["imbalance"]["hidden"] is True
    assert report["calls"] == [{"type": "rep_coach/card_config", "language": "en"}]


@pytest.mark.parametrize(
    ("lowering_s", "judged"),
    [(1.9, "ok"), (1.6, "ok"), (1.4, "bad")],
)
def test_lowering_is_judged_by_the_engines_threshold(
    render: Render, lowering_s: float, judged: str
) -> None:
    """Lowering turns orange only below the engine's own limit (75 % of the target): 1.9 s and
    1.6 s of a 2.0 s target are fine, 1.4 s is too fast."""
    assert (lowering_s >= LOWERING_FAST_RATIO * 2.0) == (judged == "ok")
    hass = fake_hass(events={"rep": (4.0, rep_event(7, eccentric_s=lowering_s))})

    step = only_step(render(scenario({"hass": hass})))

    assert text(step, "lowering-value") == f"{lowering_s} s / 2.0 s"
    assert judged in classes(step, "lowering-value")


def test_thresholds_come_from_the_integration(render: Render) -> None:
    """With other thresholds in the integration's answer, the same figures are judged
    differently: the card has no numbers of its own."""
    hass = fake_hass(events={"rep": (4.0, rep_event(7, hold_s=1.6, eccentric_s=1.6))})
    strict = english_card_config(lowering_fast_ratio=0.9, hold_short_ratio=0.7)

    step = only_step(render(scenario({"hass": hass}, card_config_answer=strict)))

    assert "bad" in classes(step, "lowering-value")  # 1.6 < 0.9 x 2.0
    assert "ok" in classes(step, "hold-value")  # 1.6 >= 0.7 x 2.0


def test_hold_progress_runs_against_the_target(render: Render) -> None:
    """While holding, the bar fills from the moment holding began up to the hold target."""
    report = render(
        scenario(
            {"hass": fake_hass(holding=("on", 0.5), phase="holding")},
            {"advance_ms": 1000},
            {"advance_ms": 1000},
        )
    )

    assert report["error"] is None
    started, later, done = report["steps"]
    assert text(started, "hold-label") == "Squeeze, rep 8"
    assert text(started, "hold-value") == "0.5 s / 2.0 s"
    assert started["elements"]["hold-fill"]["width"] == "25%"
    assert later["elements"]["hold-fill"]["width"] == "75%"
    assert "reached" not in later["elements"]["hold-fill"]["classes"]
    assert done["elements"]["hold-fill"]["width"] == "100%"
    assert "reached" in done["elements"]["hold-fill"]["classes"]


def test_lowering_shows_this_reps_squeeze_until_the_rep_is_counted(render: Render) -> None:
    """After a 1.3 s squeeze the hold row keeps rep 8's 1.3 s while lowering (not rep 7's
    figures), then shows the counted rep 8 as the engine measured it."""
    squeezing = fake_hass(holding=("on", 0.0), phase="holding")
    lowering = fake_hass(holding=("off", -1.3), phase="lowering")
    counted = fake_hass(
        events={"rep": (-3.4, rep_event(8, hold_s=1.41, eccentric_s=2.05))},
        holding=("off", -1.3),
        phase="ready",
        reps_this_set="8",
    )
    report = render(
        scenario(
            {"hass": squeezing},
            {"advance_ms": 1300, "hass": lowering},
            {"advance_ms": 1000},
            {"advance_ms": 1100, "hass": counted},
        )
    )

    assert report["error"] is None
    _, lowered, still_lowering, done = report["steps"]
    for step in (lowered, still_lowering):
        assert text(step, "hold-label") == "Squeeze, rep 8"
        assert text(step, "hold-value") == "1.3 s / 2.0 s"
        assert text(step, "lowering-label") == "Lowering, rep 7"
    assert text(done, "hold-label") == "Squeeze, rep 8"
    assert text(done, "hold-value") == "1.4 s / 2.0 s"
    assert text(done, "lowering-label") == "Lowering, rep 8"


def test_rest_countdown(render: Render) -> None:
    """The rest countdown runs from rest_ends_at, names what comes next, and goes when rest is
    over."""
    resting = fake_hass(
        resting="on",
        in_set="off",
        phase="resting",
        rest_ends_at=(NOW + timedelta(seconds=42)).isoformat(),
    )
    report = render(scenario({"hass": resting}, {"advance_ms": 12_000}, {"advance_ms": 31_000}))

    assert report["error"] is None
    start, later, over = report["steps"]
    assert start["elements"]["rest"]["hidden"] is False
    assert text(start, "rest-label") == "Rest, then Left leg, set 2"
    assert text(start, "rest-value") == "0:42"
    assert start["elements"]["rest-fill"]["width"] == "70%"
    assert text(later, "rest-value") == "0:30"
    assert over["elements"]["rest"]["hidden"] is True


def test_the_finished_set_stays_through_the_rest(render: Render) -> None:
    """After the last rep the card says "10 / 10, set complete" for the set just done through
    the rest, not the next set's 0; once the rest is over it shows the next set."""
    set_done = (
        1.0,
        {"event_type": "completed", "side": "left", "set": 2, "reps": 10, "target_reps": 10},
    )
    resting = fake_hass(
        events={"set": set_done, "rep": (1.5, rep_event(10))},
        reps_this_set="0",
        in_set="off",
        resting="on",
        phase="resting",
        current_side="right",
        rest_ends_at=(NOW + timedelta(seconds=59)).isoformat(),
    )
    rest_over = fake_hass(
        events={
            "set": set_done,
            "rep": (1.5, rep_event(10)),
            "rest": (-60.0, {"event_type": "finished", "next_side": "right", "next_set": 2}),
        },
        reps_this_set="0",
        in_set="off",
        resting="off",
        phase="ready",
        current_side="right",
    )
    report = render(scenario({"hass": resting}, {"advance_ms": 61_000, "hass": rest_over}))

    assert report["error"] is None
    during, after = report["steps"]
    assert text(during, "reps") == "10"
    assert text(during, "target-reps") == "/ 10"
    assert text(during, "status") == "Set complete"
    assert text(during, "where") == "Left leg · Set 2 of 3"
    assert text(during, "rest-label") == "Rest, then Right leg, set 2"
    assert text(after, "reps") == "0"
    assert after["elements"]["status"]["hidden"] is True
    assert text(after, "where") == "Right leg · Set 2 of 3"


def test_target_reached_while_the_set_goes_on(render: Render) -> None:
    """Reps past the target stay in the set: the card says the target is reached."""
    step = only_step(render(scenario({"hass": fake_hass(reps_this_set="10")})))

    assert text(step, "reps") == "10"
    assert text(step, "status") == "Target reached"


def test_form_shows_the_last_reps_warnings_labelled(render: Render) -> None:
    """The form row names the rep its warnings belong to, and a clean rep clears them."""
    warned = fake_hass(
        events={"rep": (4.0, rep_event(7, warnings=["hold_too_short", "lowered_too_fast"]))}
    )
    clean = fake_hass(events={"rep": (-2.0, rep_event(8))}, reps_this_set="8")
    partial = fake_hass(
        events={
            "rep": (
                -4.0,
                rep_event(8, event_type="partial", complete=False, warnings=["partial_range"]),
            )
        },
        reps_this_set="8",
    )
    report = render(
        scenario({"hass": warned}, {"advance_ms": 6000, "hass": clean}, {"hass": partial})
    )

    assert report["error"] is None
    first, second, third = report["steps"]
    assert text(first, "form-label") == "Form, rep 7"
    assert first["warnings"] == ["Hold too short", "Lowered too fast"]
    assert text(second, "form-label") == "Form, rep 8"
    assert second["warnings"] == ["Good form"]
    assert text(third, "form-label") == "Partial rep"
    assert third["warnings"] == ["Partial range"]


def test_no_reps_yet_after_a_reset(render: Render) -> None:
    """A reset session shows no last rep of the previous one."""
    step = only_step(render(scenario({"hass": fake_hass(total_reps="0", reps_this_set="0")})))

    assert step["warnings"] == ["No reps yet"]
    assert text(step, "lowering-value") == "—"


@pytest.mark.parametrize(
    ("imbalance", "shown", "judged"),
    [
        ("-12.4", "Left leg 12 % weaker", []),
        ("18.4", "Right leg 18 % weaker", ["bad"]),
        ("0.2", "Even", []),
    ],
)
def test_imbalance_names_the_weaker_side(
    render: Render, imbalance: str, shown: str, judged: list[str]
) -> None:
    """The engine's imbalance is positive when the left side did more: the card says which
    leg is weaker, in warning colour from the engine's 15 %."""
    step = only_step(render(scenario({"hass": fake_hass(imbalance=imbalance)})))

    assert step["elements"]["imbalance"]["hidden"] is False
    assert text(step, "imbalance-label") == "Left/right"
    assert text(step, "imbalance-value") == shown
    assert classes(step, "imbalance-value") == ["value", *judged]


def test_states_are_shown_as_home_assistant_formats_them(render: Render) -> None:
    """Phase and side names use Home Assistant's (translated) state names."""
    step = only_step(render(scenario({"hass": fake_hass()}, translate=True)))

    assert text(step, "phase") == "translated lifting"
    assert step["sides"] == {"left": "translated left", "right": "translated right"}


def test_sensor_problem_banner(render: Render) -> None:
    """A sensor problem is shown above everything else."""
    step = only_step(render(scenario({"hass": fake_hass(sensor_problem="on")})))

    assert step["elements"]["problem"]["hidden"] is False
    assert text(step, "problem") == "Sensor problem: check the bench sensor"


def test_unknown_device(render: Render) -> None:
    """A device without Rep Coach entities gives a clear message instead of a broken card."""
    config = {"type": "custom:rep-coach-card", "device_id": "no_such_device"}
    step = only_step(render(scenario({"hass": fake_hass()}, config=config)))

    assert step["elements"]["missing"]["hidden"] is False
    assert text(step, "missing") == "No Rep Coach entities for device no_such_device"
    assert step["elements"]["body"]["hidden"] is True


def test_without_a_device_the_card_asks_for_one(render: Render) -> None:
    """A new card without a bench is no configuration error: it asks for the bench, which the
    visual editor offers."""
    report = render(scenario({"hass": fake_hass()}, config={"type": "custom:rep-coach-card"}))
    step = only_step(report)

    assert text(step, "missing") == "Choose a Rep Coach bench in the card's settings"


def test_a_wrong_layout_is_refused(render: Render) -> None:
    """An unknown layout is a configuration error that names the choices."""
    config = {"type": "custom:rep-coach-card", "device_id": DEVICE_ID, "layout": "huge"}
    report = render(scenario({"hass": fake_hass()}, config=config))

    assert report["error"] == "Error: rep-coach-card: layout must be one of compact, large"


def test_large_layout_fills_the_card(render: Render) -> None:
    """The large layout makes the count, side, set and rest countdown readable from the bench:
    their text grows with the card."""
    resting = fake_hass(
        resting="on",
        rest_ends_at=(NOW + timedelta(seconds=42)).isoformat(),
    )
    large = {"type": "custom:rep-coach-card", "device_id": DEVICE_ID, "layout": "large"}
    compact = only_step(render(scenario({"hass": resting}, wide=True)))
    big = only_step(render(scenario({"hass": resting}, config=large, wide=True)))

    assert big["large"] is True
    assert compact["large"] is False
    for element in ("reps", "where", "rest"):
        assert big["font_px"][element] > 2 * compact["font_px"][element], element
    assert big["font_px"]["reps"] >= 200


def test_version_comes_from_the_module_address(render: Render) -> None:
    """The integration serves the card with its version in the address; the card takes it
    from there."""
    report = render(scenario({"hass": fake_hass()}))

    assert report["version"] == VERSION
    source = (WWW_DIR / CARD_FILENAME).read_text(encoding="utf-8")
    assert "0.1.0" not in source


def test_no_english_in_the_card() -> None:
    """Every word the card shows comes from the translations: no string in its source holds
    one of them."""
    source = (WWW_DIR / CARD_FILENAME).read_text(encoding="utf-8")
    literals = re.findall(r'"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`', source)
    words = {
        value.split("{")[0].strip()
        for value in (
            *TRANSLATIONS["selector"]["card"]["options"].values(),
            *TRANSLATIONS["entity"]["sensor"]["last_form_feedback"]["state"].values(),
        )
    } - {""}
    assert literals
    assert sorted(word for word in words if any(word in literal for literal in literals)) == []


def test_card_picker_entry_and_stub_config(render: Render) -> None:
    """The card picker lists the card with a preview and a translated description; a new card
    starts on the first Rep Coach bench by name (Garage bench before Hip thrust bench)."""
    report = render(scenario({"hass": fake_hass()}))

    assert report["picker"] == {
        "name": "Rep Coach",
        "preview": True,
        "description": TRANSLATIONS["selector"]["card"]["options"]["card_description"],
    }
    assert report["stub_config"] == {"device_id": OTHER_DEVICE_ID}


def test_stub_config_without_a_bench(render: Render) -> None:
    """Without a Rep Coach device the stub is empty and the card asks for a bench."""
    hass = fake_hass()
    hass["entities"] = {}
    report = render(scenario({"hass": hass}))

    assert report["stub_config"] == {}


def test_visual_editor(render: Render) -> None:
    """The editor is Home Assistant's form: a bench picker limited to Rep Coach devices, the
    layout and the title, labelled in the user's language; a change is a config-changed
    event with the whole configuration."""
    config = {"type": "custom:rep-coach-card", "device_id": DEVICE_ID}
    report = render(
        scenario(
            {"hass": fake_hass()},
            {"form_value": {"device_id": DEVICE_ID, "layout": "large", "title": ""}},
            config=config,
            editor=True,
        )
    )

    assert report["error"] is None
    form = report["steps"][0]["form"]
    assert form["has_hass"] is True
    assert form["data"] == {
        "type": "custom:rep-coach-card",
        "device_id": DEVICE_ID,
        "layout": "compact",
    }
    schema = {item["name"]: item for item in form["schema"]}
    assert schema["device_id"]["required"] is True
    assert schema["device_id"]["selector"] == {"device": {"filter": [{"integration": DOMAIN}]}}
    assert schema["layout"]["selector"]["select"]["options"] == [
        {"value": "compact", "label": "Compact"},
        {"value": "large", "label": "Large, readable from the bench"},
    ]
    assert form["labels"] == {"device_id": "Bench", "layout": "Layout", "title": "Title (optional)"}
    assert report["config_changes"] == [
        {"type": "custom:rep-coach-card", "device_id": DEVICE_ID, "layout": "large"}
    ]


@pytest.mark.parametrize(
    ("theme", "background", "color"),
    [
        (LIGHT_THEME, "rgb(255, 255, 255)", "rgb(0, 0, 0)"),
        (DARK_THEME, "rgb(28, 28, 28)", "rgb(225, 225, 225)"),
    ],
)
def test_follows_the_theme(
    render: Render, theme: dict[str, str], background: str, color: str
) -> None:
    """Colours come from Home Assistant's theme variables (light and dark)."""
    step = only_step(render(scenario({"hass": fake_hass()}, theme=theme)))

    assert step["background"] == background
    assert step["color"] == color


def test_screenshot(screenshot: Screenshot, tmp_path: Path) -> None:
    """Chromium paints the card (look at the PNG: pytest --basetemp=/tmp/card)."""
    path = tmp_path / "rep-coach-card.png"
    holding = fake_hass(
        events={"rep": (4.0, rep_event(7, warnings=["lowered_too_fast"], eccentric_s=1.3))},
        holding=("on", 1.2),
        phase="holding",
        imbalance="-12",
    )
    screenshot(scenario({"hass": holding}, theme=DARK_THEME), path)

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
