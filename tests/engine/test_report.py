"""The session summary and what a restart keeps: typed sets, in snapshot format 2."""

from __future__ import annotations

import json

from custom_components.rep_coach.engine import EngineSettings, RepEngine, Side, SideMode
from custom_components.rep_coach.engine.report import SetSummary

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
