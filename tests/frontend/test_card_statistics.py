"""The large layout's last 4 weeks: Home Assistant's statistics-graph cards inside the card.

The test page stands in for ``window.loadCardHelpers()`` and the statistics-graph card (see
``card_page.html``): it records the configuration each graph was made with and the ``hass``
updates it gets. That the real statistics-graph card draws inside the card on a real Home
Assistant is ``tests/demo/test_card_statistics.py``'s job.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Render
from .test_card import (
    DEVICE_ID,
    OTHER_DEVICE_ID,
    TRANSLATIONS,
    fake_hass,
    only_step,
    scenario,
    text,
)

LARGE = {"type": "custom:rep-coach-card", "device_id": DEVICE_ID, "layout": "large"}
LABELS: dict[str, str] = TRANSLATIONS["selector"]["card"]["options"]
RENAMED_LEFT_REPS = "sensor.my_left_leg_reps"


def bench_hass(reps_this_set: str = "7") -> dict[str, Any]:
    """The fake ``hass``, with the left reps sensor renamed by the user and a second bench
    whose per-side sensors have the same translation keys."""
    hass = fake_hass(reps_this_set=reps_this_set)
    states, entities = hass["states"], hass["entities"]
    old = "sensor.hip_thrust_bench_left_reps"
    states[RENAMED_LEFT_REPS] = {**states.pop(old), "entity_id": RENAMED_LEFT_REPS}
    entities[RENAMED_LEFT_REPS] = {**entities.pop(old), "entity_id": RENAMED_LEFT_REPS}
    for key in ("left_reps", "right_set_mean_hold"):
        decoy = f"sensor.garage_bench_{key}"
        entities[decoy] = {
            "entity_id": decoy,
            "device_id": OTHER_DEVICE_ID,
            "platform": "rep_coach",
            "translation_key": key,
        }
        states[decoy] = {**states["sensor.bench_count"], "entity_id": decoy, "state": "99"}
    return hass


def graph(title: str, left: str, right: str, stat: str, chart: str) -> dict[str, Any]:
    """What a statistics-graph of one figure per leg over the last 4 weeks is made with."""
    return {
        "type": "statistics-graph",
        "title": title,
        "entities": [
            {"entity": left, "name": LABELS["leg_left"]},
            {"entity": right, "name": LABELS["leg_right"]},
        ],
        "period": "week",
        "days_to_show": 28,
        "stat_types": [stat],
        "chart_type": chart,
    }


EXPECTED_GRAPHS = [
    graph(
        "Reps per week", RENAMED_LEFT_REPS, "sensor.hip_thrust_bench_right_reps", "change", "bar"
    ),
    graph(
        "Sets per week",
        "sensor.hip_thrust_bench_left_sets",
        "sensor.hip_thrust_bench_right_sets",
        "change",
        "bar",
    ),
    graph(
        "Squeeze per set (weekly mean)",
        "sensor.hip_thrust_bench_left_set_mean_hold",
        "sensor.hip_thrust_bench_right_set_mean_hold",
        "mean",
        "line",
    ),
    graph(
        "Lowering per set (weekly mean)",
        "sensor.hip_thrust_bench_left_set_mean_lowering",
        "sensor.hip_thrust_bench_right_set_mean_lowering",
        "mean",
        "line",
    ),
]


def test_large_layout_shows_the_last_four_weeks_per_side(render: Render) -> None:
    """The large layout ends with the bench's own weekly statistics per leg (found by
    translation key, renamed or not, never the other bench's): reps and sets per week, mean
    squeeze and lowering per set. The graphs are made once and get every ``hass`` update."""
    report = render(
        scenario(
            {"hass": bench_hass()},
            {"advance_ms": 1000, "hass": bench_hass(reps_this_set="8")},
            {"advance_ms": 1000, "hass": bench_hass(reps_this_set="9")},
            config=LARGE,
            wide=True,
        )
    )

    assert report["error"] is None
    first, _, last = report["steps"]
    assert first["elements"]["statistics"]["hidden"] is False
    assert text(first, "statistics-label") == "Last 4 weeks"
    assert [one["tag"] for one in first["graphs"]] == ["fake-statistics-graph"] * 4
    assert [one["config"] for one in first["graphs"]] == EXPECTED_GRAPHS
    assert report["created"] == ["statistics-graph"] * 4  # not made again on updates
    assert text(last, "reps") == "9"
    assert [one["config"] for one in last["graphs"]] == EXPECTED_GRAPHS
    assert all(one["hass_current"] for one in last["graphs"])
    assert all(one["hass_sets"] >= 3 for one in last["graphs"])


def test_compact_layout_has_no_statistics(render: Render) -> None:
    """The compact layout never shows them, and makes no graph."""
    report = render(scenario({"hass": bench_hass()}))
    step = only_step(report)

    assert step["elements"]["statistics"]["hidden"] is True
    assert step["graphs"] == []
    assert report["created"] == []


def test_statistics_can_be_turned_off(render: Render) -> None:
    """``statistics: false`` leaves them out of the large layout."""
    report = render(scenario({"hass": bench_hass()}, config={**LARGE, "statistics": False}))
    step = only_step(report)

    assert step["large"] is True
    assert step["elements"]["statistics"]["hidden"] is True
    assert step["graphs"] == []
    assert report["created"] == []


@pytest.mark.parametrize("card_helpers", ["none", "error_card", "failing"])
def test_without_the_statistics_card_the_section_is_left_out(
    render: Render, card_helpers: str
) -> None:
    """A frontend without card helpers, without the statistics-graph card (an error card) or
    whose helpers fail: the card shows everything else, without the section or an error."""
    report = render(scenario({"hass": bench_hass()}, config=LARGE, card_helpers=card_helpers))
    step = only_step(report)

    assert text(step, "reps") == "7"
    assert step["elements"]["statistics"]["hidden"] is True
    assert step["graphs"] == []


def test_statistics_must_be_true_or_false(render: Render) -> None:
    """Anything else is a configuration error."""
    report = render(scenario({"hass": bench_hass()}, config={**LARGE, "statistics": "yes"}))

    assert report["error"] == "Error: rep-coach-card: statistics must be true or false"


def test_visual_editor_offers_the_statistics_with_the_large_layout(render: Render) -> None:
    """With the large layout the editor offers the last 4 weeks (on by default), labelled in
    the user's language; turning them off is ``statistics: false``, on again drops the key."""
    report = render(
        scenario(
            {"hass": bench_hass()},
            {"form_value": {**LARGE, "statistics": False}},
            {"form_value": {**LARGE, "statistics": True}},
            config=LARGE,
            editor=True,
        )
    )

    assert report["error"] is None
    form = report["steps"][0]["form"]
    assert [item["name"] for item in form["schema"]] == [
        "device_id",
        "layout",
        "statistics",
        "title",
    ]
    assert form["schema"][2]["selector"] == {"boolean": {}}
    assert form["data"] == {**LARGE, "statistics": True}
    assert form["labels"]["statistics"] == "Last 4 weeks per leg"
    assert report["config_changes"] == [{**LARGE, "statistics": False}, LARGE]
    assert report["steps"][1]["form"]["data"] == {**LARGE, "statistics": False}
