"""The rep-coach-card rendered by headless Chromium with a realistic fake ``hass``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from custom_components.rep_coach.const import DOMAIN

from .conftest import Render, Screenshot

NOW = datetime(2026, 11, 24, 9, 0, 0, tzinfo=UTC)
DEVICE_ID = "4f1b0c9e2d7a4e3c8b6a5d4c3b2a1f0e"
OTHER_DEVICE_ID = "0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7"
# The entity of each translation key; reps_this_set was renamed by the user on purpose.
ENTITY_IDS = {
    "reps_this_set": "sensor.bench_count",
    "left_sets": "sensor.hip_thrust_bench_left_sets",
    "right_sets": "sensor.hip_thrust_bench_right_sets",
    "last_hold_time": "sensor.hip_thrust_bench_last_hold_time",
    "last_lowering_time": "sensor.hip_thrust_bench_last_lowering_time",
    "phase": "sensor.hip_thrust_bench_phase",
    "current_side": "sensor.hip_thrust_bench_current_side",
    "set_number": "sensor.hip_thrust_bench_set_number",
    "rest_ends_at": "sensor.hip_thrust_bench_rest_ends_at",
    "last_form_feedback": "sensor.hip_thrust_bench_last_form_feedback",
    "holding": "binary_sensor.hip_thrust_bench_holding",
    "in_set": "binary_sensor.hip_thrust_bench_in_set",
    "resting": "binary_sensor.hip_thrust_bench_resting",
    "sensor_problem": "binary_sensor.hip_thrust_bench_sensor_problem",
    "target_reps": "number.hip_thrust_bench_target_reps",
    "target_sets": "number.hip_thrust_bench_target_sets",
    "hold_target": "number.hip_thrust_bench_hold_target",
    "lowering_target": "number.hip_thrust_bench_lowering_target",
    "rest_duration": "number.hip_thrust_bench_rest_duration",
}
# Mid-session: second left set in progress, 7 of 10 reps, one set done on each side.
DEFAULT_STATES = {
    "reps_this_set": "7",
    "left_sets": "1",
    "right_sets": "1",
    "last_hold_time": "1.6",
    "last_lowering_time": "2.4",
    "phase": "lifting",
    "current_side": "left",
    "set_number": "2",
    "rest_ends_at": "unknown",
    "last_form_feedback": "none",
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

type StateValue = str | tuple[str, float]


def fake_hass(**overrides: StateValue) -> dict[str, Any]:
    """The parts of ``hass`` the card reads; a value may be ``(state, seconds_since_change)``."""
    states: dict[str, Any] = {}
    entities: dict[str, Any] = {}
    for key, entity_id in ENTITY_IDS.items():
        value = overrides.get(key, DEFAULT_STATES[key])
        state, age_s = value if isinstance(value, tuple) else (value, 600.0)
        changed = (NOW - timedelta(seconds=age_s)).isoformat()
        states[entity_id] = {
            "entity_id": entity_id,
            "state": state,
            "attributes": {},
            "last_changed": changed,
            "last_updated": changed,
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
        "devices": {DEVICE_ID: {"id": DEVICE_ID, "name": "Hip thrust bench", "name_by_user": None}},
        "language": "en",
    }


def scenario(
    *steps: dict[str, Any],
    config: dict[str, Any] | None = None,
    theme: dict[str, str] | None = None,
    translate: bool = False,
) -> dict[str, Any]:
    """A test page scenario: hass updates and clock advances applied in order.

    ``translate`` gives the fake ``hass`` a ``formatEntityState`` like Home Assistant's.
    """
    return {
        "now": int(NOW.timestamp() * 1000),
        "theme": theme or LIGHT_THEME,
        "translate": translate,
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


def test_reps_sets_and_tempo(render: Render) -> None:
    """The big rep count, where we are, the sets grid per side and the last rep's tempo."""
    step = only_step(render(scenario({"hass": fake_hass()})))

    assert text(step, "title") == "Hip thrust bench"
    assert text(step, "phase") == "Lifting"
    assert text(step, "reps") == "7"
    assert text(step, "target-reps") == "/ 10"
    assert text(step, "where") == "Left leg · set 2 of 3"
    assert step["counts"] == {"left": "1/3", "right": "1/3"}
    assert step["cells"] == {"left": ["done", "current", "todo"], "right": ["done", "todo", "todo"]}
    assert text(step, "hold-label") == "Last hold"
    assert text(step, "hold-value") == "1.6 s / 2.0 s"
    assert step["elements"]["hold-fill"]["width"] == "80%"
    assert text(step, "lowering-value") == "2.4 s / 2.0 s"
    assert "ok" in step["elements"]["lowering-value"]["classes"]
    assert step["elements"]["rest"]["hidden"] is True
    assert step["elements"]["problem"]["hidden"] is True
    assert step["warnings"] == ["No warnings"]


def test_lowering_too_fast_is_flagged(render: Render) -> None:
    """A lowering faster than the target is shown as a problem."""
    step = only_step(render(scenario({"hass": fake_hass(last_lowering_time="1.2")})))

    assert text(step, "lowering-value") == "1.2 s / 2.0 s"
    assert "bad" in step["elements"]["lowering-value"]["classes"]


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
    assert text(started, "hold-label") == "Hold"
    assert text(started, "hold-value") == "0.5 s / 2.0 s"
    assert started["elements"]["hold-fill"]["width"] == "25%"
    assert later["elements"]["hold-fill"]["width"] == "75%"
    assert "reached" not in later["elements"]["hold-fill"]["classes"]
    assert done["elements"]["hold-fill"]["width"] == "100%"
    assert "reached" in done["elements"]["hold-fill"]["classes"]


def test_rest_countdown(render: Render) -> None:
    """The rest countdown runs from rest_ends_at and disappears when rest is over."""
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
    assert text(start, "rest-value") == "0:42"
    assert start["elements"]["rest-fill"]["width"] == "70%"
    assert text(later, "rest-value") == "0:30"
    assert over["elements"]["rest"]["hidden"] is True


def test_recent_warnings_newest_first(render: Render) -> None:
    """Each new form warning is added on top of the last ones."""
    report = render(
        scenario(
            {"hass": fake_hass(last_form_feedback=("lowered_too_fast", 10))},
            {"hass": fake_hass(last_form_feedback=("lowered_too_fast", 10))},
            {"hass": fake_hass(last_form_feedback=("hold_too_short", 2))},
        )
    )

    assert report["error"] is None
    first, unchanged, second = report["steps"]
    assert first["warnings"] == ["Lowered too fast"]
    assert unchanged["warnings"] == ["Lowered too fast"]
    assert second["warnings"] == ["Hold too short", "Lowered too fast"]


def test_states_are_shown_as_home_assistant_formats_them(render: Render) -> None:
    """Phase and warnings use Home Assistant's (translated) state names when it offers them."""
    hass = fake_hass(last_form_feedback=("jerky", 3))
    step = only_step(render(scenario({"hass": hass}, translate=True)))

    assert text(step, "phase") == "translated lifting"
    assert step["warnings"] == ["translated jerky"]


def test_sensor_problem_banner(render: Render) -> None:
    """A sensor problem is shown above everything else."""
    step = only_step(render(scenario({"hass": fake_hass(sensor_problem="on")})))

    assert step["elements"]["problem"]["hidden"] is False


def test_unknown_device(render: Render) -> None:
    """A device without Rep Coach entities gives a clear message instead of a broken card."""
    config = {"type": "custom:rep-coach-card", "device_id": "no_such_device"}
    step = only_step(render(scenario({"hass": fake_hass()}, config=config)))

    assert step["elements"]["missing"]["hidden"] is False
    assert "no_such_device" in text(step, "missing")
    assert step["elements"]["body"]["hidden"] is True


def test_device_id_is_required(render: Render) -> None:
    """The card refuses a configuration without a device, with a message saying what to do."""
    report = render(scenario({"hass": fake_hass()}, config={"type": "custom:rep-coach-card"}))

    assert report["error"] == "Error: rep-coach-card: set device_id to your Rep Coach device"


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
        holding=("on", 1.2),
        phase="holding",
        last_form_feedback=("lowered_too_fast", 20),
    )
    screenshot(scenario({"hass": holding}, theme=DARK_THEME), path)

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
