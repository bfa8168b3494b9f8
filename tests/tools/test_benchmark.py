"""``rep-coach bench``: what it runs, how it groups, what it prints (no accuracy asserted)."""

from __future__ import annotations

import argparse
import json
from typing import Any

import pytest

from rep_coach_tools import bench, bench_suite
from rep_coach_tools.bench_report import markdown, table
from rep_coach_tools.bench_suite import (
    Config,
    Task,
    execute,
    jitter_check,
    mirror_check,
    plan_tasks,
    run,
)
from rep_coach_tools.field import FIELD_FAMILIES, FieldFamily
from rep_coach_tools.sim.model import Mount
from rep_coach_tools.sim.scenario import BROAD_FAMILIES, Family
from rep_coach_tools.simulator import Options, simulate_session

from .conftest import run_command


def test_default_run_covers_every_corpus_family_and_mount() -> None:
    tasks = plan_tasks(Config())
    kinds = [t.kind for t in tasks]
    assert kinds.count("main") == 48
    assert kinds.count("holdout") == 24
    assert kinds.count("classic") == 16
    assert kinds.count("b2b") == 6 + 3  # and three streams with firmware updates
    assert kinds.count("pairs") == 12
    assert kinds.count("jitter") == 6
    assert kinds.count("mirror") == 4
    main = [t for t in tasks if t.kind == "main"]
    for family in BROAD_FAMILIES:
        mine = [t for t in main if t.family == family]
        assert {t.mount for t in mine} == {"above", "below"}
    assert {t.variant for t in tasks if t.kind == "b2b"} == {
        "same-orientation",
        "reclamped",
        "firmware",
    }
    assert {t.variant for t in tasks if t.kind == "jitter"} >= {"10", "12.5", "50"}
    assert plan_tasks(Config()) == tasks


def test_corpus_family_and_mount_can_be_narrowed() -> None:
    config = Config(corpora=("main",), checks=(), families=(Family.LIFTER,), mounts=(Mount.BELOW,))
    tasks = plan_tasks(config)
    assert len(tasks) == 8
    assert {(t.kind, t.family, t.mount) for t in tasks} == {("main", "lifter", "below")}


@pytest.fixture
def chosen(monkeypatch: pytest.MonkeyPatch) -> list[Config]:
    """The configs ``rep-coach bench`` would run (nothing runs, nothing is printed)."""
    captured: list[Config] = []

    def fake_run(config: Config) -> dict[str, object]:
        captured.append(config)
        return {}

    monkeypatch.setattr(bench, "run", fake_run)
    monkeypatch.setattr(bench, "table", lambda result: "")
    return captured


def test_options_choose_the_run(chosen: list[Config]) -> None:
    argv = ["bench", "--quick", "--corpus", "main,b2b", "--checks", "none"]
    argv += ["--family", "seat,partials", "--mount", "above", "--workers", "1"]
    run_command(bench.register, argv)
    config = chosen[0]
    assert config.sessions == 12
    assert config.corpora == ("main", "b2b")
    assert config.checks == ()
    assert config.families == (Family.SEAT, Family.PARTIALS)
    assert config.mounts == (Mount.ABOVE,)
    assert config.workers == 1


def test_several_seeds_pool_their_corpora(chosen: list[Config]) -> None:
    run_command(bench.register, ["bench", "--seed", "13,17", "--corpus", "holdout"])
    assert chosen[0].seeds == (13, 17)
    one = {seed: plan_tasks(Config(seeds=(seed,), corpora=("holdout",))) for seed in (13, 17)}
    assert plan_tasks(chosen[0]) == one[13] + one[17]
    assert set(one[13]).isdisjoint(one[17])


@pytest.mark.parametrize("value", ["13,x", "13,13", ","])
def test_a_bad_seed_list_is_refused(value: str) -> None:
    with pytest.raises(SystemExit):
        run_command(bench.register, ["bench", "--seed", value])


def test_unknown_corpus_is_refused() -> None:
    with pytest.raises(SystemExit, match="unknown nope"):
        run_command(bench.register, ["bench", "--corpus", "nope"])


@pytest.fixture(scope="module")
def small_result() -> dict[str, Any]:
    config = Config(
        sessions=12, corpora=("main",), checks=(), families=(Family.GEOMETRY,), workers=1
    )
    return run(config)


def test_a_run_reports_every_figure_per_mount(small_result: dict[str, Any]) -> None:
    main = small_result["corpora"]["main"]
    assert set(main["by_mount"]) == {"above", "below"}
    for key in (
        "sets_exact_pct",
        "rep_count_mae",
        "reps_outside_sets",
        "hold_mae_s",
        "lowering_mae_s",
        "cue_missed_pct",
        "cue_false_pct",
        "rep_delay_p95_s",
    ):
        assert key in main["all"]
    assert main["all"]["sessions"] == 2
    assert set(main["by_family"]) == {"geometry"}
    assert "baseline" in small_result


def test_table_markdown_and_json_carry_the_figures(small_result: dict[str, Any]) -> None:
    text = table(small_result)
    assert "main" in text
    assert "target" in text
    assert ">=99.5" in text
    md = markdown(small_result).splitlines()
    assert md[2].startswith("| target |")
    assert any(line.startswith("| **main** | 2 |") for line in md)
    assert any(line.startswith("| geometry | above |") for line in md)
    assert json.loads(json.dumps(small_result)) == small_result
    assert text.startswith("Rep Coach accuracy benchmark: seed 2026,")


def test_a_pooled_run_names_its_seeds() -> None:
    config = Config(sessions=2, seeds=(3, 4), corpora=("classic",), checks=(), baseline=False)
    result = run(config)
    assert result["config"]["seeds"] == [3, 4]
    assert result["corpora"]["classic"]["all"]["sessions"] == 2
    assert table(result).startswith("Rep Coach accuracy benchmark: seeds 3, 4 (corpora pooled),")


def test_pairs_corpus_reports_like_b2b() -> None:
    result = run(Config(sessions=8, corpora=("pairs",), checks=(), workers=1, baseline=False))
    pairs = result["corpora"]["pairs"]
    assert pairs["all"]["sessions"] == 2
    assert set(pairs["by_variant"]) == {"same-orientation", "reclamped"}
    for key in ("sets_exact_pct", "reps_outside_sets", "partials_recognised_pct", "hold_mae_s"):
        assert key in pairs["all"]
    assert "inexact_sets" in pairs
    md = markdown(result).splitlines()
    assert any(line.startswith("| **pairs** | 2 |") for line in md)
    assert any(line.startswith("| pairs, reclamped | 1 |") for line in md)
    assert "pairs" in table(result)
    assert json.loads(json.dumps(result)) == result


def test_results_do_not_depend_on_the_number_of_workers() -> None:
    tasks = [Task("classic", seed) for seed in (3, 4)]
    one = execute(tasks, 1)
    two = execute(tasks, 2)
    assert [r.scores for r in one] == [r.scores for r in two]


def test_invariance_checks_compare_the_engine_with_itself() -> None:
    session = simulate_session(41, family=Family.GEOMETRY, options=Options(plain=False))
    jitter = jitter_check(session, 41)
    assert len(jitter) == 4
    assert all(c.sets == len(session.truth["sets"]) for c in jitter)
    mirror = mirror_check(session)
    assert [c.check for c in mirror] == ["mirrored", "shifted +150 mm", "shifted +400 mm"]


def test_the_field_corpus_has_every_family_on_both_mounts() -> None:
    tasks = [t for t in plan_tasks(Config()) if t.kind == "field"]
    assert len(tasks) == 24
    for family in FIELD_FAMILIES:
        mine = [t for t in tasks if t.family == family]
        assert len(mine) == 4
        assert {t.mount for t in mine} == {"above", "below"}
    assert len([t for t in plan_tasks(Config(sessions=12)) if t.kind == "field"]) == 6
    assert not [t for t in plan_tasks(Config(corpora=("main",))) if t.kind == "field"]


def test_field_corpus_is_chosen_reported_per_family_and_in_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bench_suite, "FIELD_FAMILIES", (FieldFamily.SLIP, FieldFamily.NETWORK))
    argv = ["bench", "--corpus", "field", "--checks", "none", "--sessions", "4"]
    run_command(bench.register, [*argv, "--workers", "1", "--markdown", "--json"])
    lines = capsys.readouterr().out.splitlines()
    result = json.loads(lines[-1])
    assert list(result["corpora"]) == ["field"]
    field = result["corpora"]["field"]
    assert field["all"]["sessions"] == 2
    assert set(field["by_family"]) == {"slip", "network"}
    assert set(field["by_mount"]) == {"above", "below"}
    assert any(line.startswith("| **field** | 2 |") for line in lines)
    assert any(line.startswith("| field family | mount |") for line in lines)
    assert any(line.startswith("| network | ") for line in lines)
    assert "field" in table(result)
    assert "field" in bench.config_from_args(_args("all")).corpora


def _args(corpus: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    bench.register(parser.add_subparsers())
    return parser.parse_args(["bench", "--corpus", corpus])
