"""The engine's command-line tools: replay, simulate, bench."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rep_coach_tools.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures"


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]


def test_replay_csv_prints_one_json_object_per_event(capsys: pytest.CaptureFixture[str]) -> None:
    truth = json.loads((FIXTURES / "session.truth.json").read_text())
    assert (
        main(
            [
                "replay",
                str(FIXTURES / "session.csv"),
                "--target-reps",
                str(truth["settings"]["target_reps"]),
            ]
        )
        == 0
    )
    events = lines(capsys)
    reps = [e for e in events if e["event"] == "rep" and e["complete"]]
    assert len(reps) == sum(s["reps"] for s in truth["sets"])
    for key in (
        "t",
        "complete",
        "side",
        "set",
        "rep",
        "concentric_s",
        "hold_s",
        "eccentric_s",
        "lowering_s",
        "rom_mm",
        "warnings",
    ):
        assert key in reps[0]
    assert all(rep["lowering_s"] == rep["eccentric_s"] for rep in reps)
    set_ends = [e for e in events if e["event"] == "set_end"]
    assert all(end["mean_lowering_s"] == end["mean_eccentric_s"] for end in set_ends)
    assert [e["reps"] for e in events if e["event"] == "set_end"] == [
        s["reps"] for s in truth["sets"]
    ]


def test_replay_jsonl_capture_matches_csv_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(FIXTURES / "session.jsonl"), "--summary"]) == 0
    events = lines(capsys)
    summary = events[-1]
    assert summary["event"] == "summary"
    assert summary["total_reps"] == sum(1 for e in events if e["event"] == "rep" and e["complete"])


def test_replay_skips_retained_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each message of a recorded session marked retained: old values, not a movement."""
    records = [json.loads(line) for line in (FIXTURES / "session.jsonl").read_text().splitlines()]
    retained = tmp_path / "retained.jsonl"
    retained.write_text("".join(json.dumps({**r, "retain": True}) + "\n" for r in records))
    assert main(["replay", str(retained), "--summary"]) == 0
    events = lines(capsys)
    assert [e["event"] for e in events] == ["summary"]
    assert events[0]["total_reps"] == 0


def test_replay_rejects_a_file_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("time,mm\n1,2\n")
    assert main(["replay", str(bad)]) == 2
    assert "t,distance_mm" in capsys.readouterr().err


def test_replay_csv_tolerates_empty_and_invalid_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "gappy.csv"
    csv.write_text("t,distance_mm\n0.0,800\n0.04,\n0.08,nan\nx,800\n0.12,8190\n")
    assert main(["replay", str(csv)]) == 0
    assert all(e["event"] != "rep" for e in lines(capsys))


def test_simulate_writes_csv_jsonl_and_truth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["simulate", "--seed", "4", "--count", "2", "--rate", "20", "--out", str(tmp_path)])
        == 0
    )
    written = sorted(p.name for p in tmp_path.iterdir())
    assert len(written) == 6
    truth = json.loads(next(tmp_path.glob("*.truth.json")).read_text())
    assert truth["rate_hz"] == 20
    assert capsys.readouterr().out.count(str(tmp_path)) == 6


def test_bench_prints_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["bench", "--sessions", "3", "--seed", "9", "--corpus", "classic", "--checks", "none"]
    assert main([*argv, "--workers", "1", "--json"]) == 0
    out = capsys.readouterr().out
    assert "exact%" in out
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures["corpora"]["classic"]["all"]["sessions"] == 1
    assert figures["config"]["corpora"] == ["classic"]


def test_simulate_writes_a_broadened_family_or_the_holdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for family in ("lifter", "holdout"):
        argv = ["simulate", "--family", family, "--mount", "below", "--out", str(tmp_path)]
        assert main(argv) == 0
    truths = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("*.truth.json"))]
    assert sorted(t["family"] for t in truths) == ["holdout", "lifter"]
    assert {t["orientation"] for t in truths} == {"farther"}
    capsys.readouterr()
