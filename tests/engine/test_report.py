"""The session summary and what a restart keeps: typed sets, in snapshot format 2."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from custom_components.rep_coach.engine import EngineSettings, RepEngine, Side, SideMode
from custom_components.rep_coach.engine.report import SetSummary, SideSummary

from .helpers import Track, run

# What format 2 saves of a set and of a side's totals: changing it needs a new format version
# with a migration (engine/snapshot.py), not just a rename.
SAVED_SET_KEYS = [
    "side",
    "set",
    "reps",
    "partial_reps",
    "reason",
    "holds_s",
    "lowering_s",
    "concentric_s",
    "rom_mm",
    "mean_hold_s",
    "mean_lowering_s",
    "warnings",
    "started_at",
    "ended_at",
]
SAVED_TOTALS_KEYS = [
    "reps",
    "sets",
    "partial_reps",
    "hold_sum",
    "lowering_sum",
    "rom_sum",
    "timed_reps",
    "tut",
]


def _two_sets_and_one_rep() -> RepEngine:
    engine = RepEngine(EngineSettings(target_reps=2, side_mode=SideMode.ALTERNATE))
    track = Track().stay(3.0).rep().rep().stay(12.0).rep().rep().stay(12.0).rep()  # pauses end sets
    run(engine, track)
    return engine


def test_saved_sets_and_totals_have_the_names_of_format_2() -> None:
    saved = json.loads(json.dumps(_two_sets_and_one_rep().export_state()))
    assert saved["version"] == 2
    assert [list(entry) for entry in saved["history"]] == [SAVED_SET_KEYS, SAVED_SET_KEYS]
    assert saved["history"][0]["lowering_s"][0] > 1.0
    assert list(saved["totals"]["left"]) == SAVED_TOTALS_KEYS
    assert saved["totals"]["left"]["lowering_sum"] > 2.0


def test_a_restart_gives_back_the_same_sets() -> None:
    engine = _two_sets_and_one_rep()
    restored = RepEngine(engine.settings)
    restored.restore_state(json.loads(json.dumps(engine.export_state())))
    assert restored.restored_history == [SetSummary.of(record) for record in engine.session.history]
    assert restored.summary()["sets"][:2] == engine.summary()["sets"][:2]
    assert restored.export_state()["history"] == engine.export_state()["history"]


def test_summary_publishes_lowering_under_its_kept_names_too() -> None:
    summary = _two_sets_and_one_rep().summary()
    first = summary["sets"][0]
    assert first["lowering_s"] == first["eccentric_s"]
    assert first["mean_lowering_s"] == first["mean_eccentric_s"] > 1.0
    left = summary["sides"][str(Side.LEFT)]
    assert left["mean_lowering_s"] == left["mean_eccentric_s"] > 1.0
    imbalance = summary["imbalance_pct"]
    assert imbalance is not None
    assert imbalance["lowering"] == imbalance["eccentric"]


# What the summary and diagnostics publish, in order: the services, the CLI and Home Assistant's
# diagnostics return these keys; a renamed field appears under its kept name first.
SUMMARY_KEYS = ["side", "total_reps", "sides", "sets", "imbalance_pct"]
SIDE_KEYS = [
    "reps",
    "sets",
    "partial_reps",
    "mean_hold_s",
    "mean_eccentric_s",
    "mean_lowering_s",
    "mean_rom_mm",
    "time_under_tension_s",
]
PUBLISHED_SET_KEYS = [*SAVED_SET_KEYS[:6], "eccentric_s", *SAVED_SET_KEYS[6:10]]
PUBLISHED_SET_KEYS += ["mean_eccentric_s", *SAVED_SET_KEYS[10:]]
IMBALANCE_KEYS = ["reps", "range", "hold", "eccentric", "lowering"]
DIAGNOSTICS_KEYS = [
    "sensor_state",
    "payload_format",
    "detected_unit",
    "last_error",
    "counters",
    "device_clock_resets",
    "phase",
    "calibration",
]


def test_the_summary_is_a_frozen_typed_report_published_with_its_kept_names() -> None:
    engine = _two_sets_and_one_rep()
    report = engine.summary_report()
    assert report.side is Side.LEFT
    assert isinstance(report.sides[Side.RIGHT], SideSummary)
    assert report.imbalance_pct is not None
    with pytest.raises(ValidationError):
        report.total_reps = 0  # type: ignore[misc]
    published = engine.summary()
    assert published == report.as_dict() == json.loads(json.dumps(published))
    assert list(published) == SUMMARY_KEYS
    assert [list(side) for side in published["sides"].values()] == [SIDE_KEYS, SIDE_KEYS]
    assert [list(entry) for entry in published["sets"]] == [PUBLISHED_SET_KEYS] * 3
    assert list(published["imbalance_pct"]) == IMBALANCE_KEYS
    # The model's own dump has each field once, under its own name.
    dumped = report.model_dump(mode="json")
    assert list(dumped["sides"]["left"]) == [key for key in SIDE_KEYS if key != "mean_eccentric_s"]
    assert dumped["sets"][0]["lowering_s"] == published["sets"][0]["lowering_s"]


def test_diagnostics_are_a_frozen_typed_report_of_that_moment() -> None:
    engine = _two_sets_and_one_rep()
    engine.feed_payload(b"garbage", 1000.0)
    report = engine.diagnostics_report()
    assert report.last_error is not None
    assert report.calibration is not None
    assert report.counters.payload_errors == 1
    engine.feed_payload(b"more garbage", 1001.0)
    assert report.counters.payload_errors == 1  # a copy: the engine counts on
    published = report.as_dict()
    assert list(published) == DIAGNOSTICS_KEYS
    assert published == report.model_dump(mode="json") == json.loads(json.dumps(published))
    assert published["last_error"] == {"code": "not_a_number", "detail": "garbage"}
    assert list(published["calibration"]) == ["bottom_mm", "top_mm", "rising_farther", "automatic"]
    assert engine.diagnostics()["counters"]["payload_errors"] == 2
