"""``rep-coach bench``: accuracy, robustness, latency, throughput and memory on generated data.

Prints figures; asserts nothing. ``--load`` runs the Home Assistant load benchmark instead.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
from collections.abc import Iterator
from typing import Any

from .bench_suite import CHECKS, CORPORA, Config, run
from .sim.model import Mount
from .sim.scenario import BROAD_FAMILIES, Family

TARGETS = {
    "sets_exact_pct": ">=99.5",
    "reps_outside_sets": "0",
    "partials_recognised_pct": ">=95",
    "hold_mae_s": "<=0.10",
    "lowering_mae_s": "<=0.10",
    "cue_missed_pct": "<=1",
    "cue_false_pct": "<=1",
}
COLUMNS = (
    ("sessions", "sess", 5),
    ("sets", "sets", 5),
    ("sets_exact_pct", "exact%", 7),
    ("rep_count_mae", "err/set", 7),
    ("reps_outside_sets", "outside", 7),
    ("partials_recognised_pct", "partial%", 8),
    ("hold_mae_s", "hold MAE", 8),
    ("lowering_mae_s", "low MAE", 8),
    ("cue_missed_pct", "cue miss%", 9),
    ("cue_false_pct", "cue false%", 10),
    ("cues_outside_reps", "stray", 5),
    ("cue_delay", "cue p50/p95", 12),
    ("rep_delay", "rep p50/p95", 12),
    ("empty_bench_alerts", "alerts", 6),
)
LABEL_WIDTH = 34


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _cell(figs: dict[str, Any], key: str) -> str:
    if key in ("cue_delay", "rep_delay"):
        return f"{_fmt(figs[key + '_p50_s'])}/{_fmt(figs[key + '_p95_s'])}"
    return _fmt(figs[key])


def _header() -> list[str]:
    names = " ".join(f"{title:>{width}}" for _, title, width in COLUMNS)
    targets = " ".join(f"{TARGETS.get(key, ''):>{width}}" for key, _, width in COLUMNS)
    return [f"{'':<{LABEL_WIDTH}} {names}", f"{'target':<{LABEL_WIDTH}} {targets}"]


def _row(label: str, figs: dict[str, Any]) -> str:
    cells = " ".join(f"{_cell(figs, key):>{width}}" for key, _, width in COLUMNS)
    return f"{label:<{LABEL_WIDTH}} {cells}"


def _nested(prefix: str, groups: dict[str, Any]) -> Iterator[str]:
    for name, group in groups.items():
        yield _row(f"{prefix}{name}", group["all"])
        for sub, value in group.items():
            if sub != "all":
                yield _row(f"{prefix}  {sub}", value["all"])


def corpus_lines(name: str, report: dict[str, Any]) -> list[str]:
    """One corpus: overall, per mount, then its other groupings."""
    lines = [_row(name, report["all"])]
    lines += [_row(f"  {mount}", g["all"]) for mount, g in report["by_mount"].items()]
    for key, title in (
        ("by_family", "family"),
        ("by_variant", "stream"),
        ("by_seat", "seat"),
        ("by_range", "range"),
        ("by_stream", ""),
    ):
        if key in report:
            lines += list(_nested(f"  {title} " if title else "  ", report[key]))
    return lines


def check_lines(checks: dict[str, Any]) -> list[str]:
    """Jitter and mirror checks: how much the same input, delivered or mapped differently, moves."""
    lines = [
        "",
        "invariance (engine against itself; timings in s; device time is in every firmware reading):",
        f"{'check':<18} {'runs':>5} {'sets':>5} {'count changed':>14} {'reps 1 side':>12} "
        f"{'hold max/p95':>14} {'lower max/p95':>14}",
    ]
    for name, c in checks.items():
        hold = f"{_fmt(c['hold_change_max_s'])}/{_fmt(c['hold_change_p95_s'])}"
        lower = f"{_fmt(c['lowering_change_max_s'])}/{_fmt(c['lowering_change_p95_s'])}"
        lines.append(
            f"{name:<18} {c['runs']:>5} {c['sets']:>5} {c['sets_count_changed']:>14} "
            f"{c['reps_counted_in_one_only']:>12} {hold:>14} {lower:>14}"
        )
    lines.append(
        "(jitter: 0-50 ms random delivery delay vs none; mirrored: d -> C - d; shifted: d + c)"
    )
    return lines


def table(result: dict[str, Any]) -> str:
    """The human-readable report."""
    config = result["config"]
    lines = [
        f"Rep Coach accuracy benchmark: seed {config['seed']}, --sessions {config['sessions']}, "
        f"{result['workers']} worker(s)",
        f"timing definition: {result['definition']}",
        "",
        *_header(),
    ]
    for name, report in result["corpora"].items():
        info = report["all"]
        lines += [
            "",
            f"{name}: {info['sessions']} sessions, {info['hours']} h, "
            f"{info['readings']:,} readings, {info['true_reps']} reps, "
            f"{info['partials']} partial reps, cue eligible/not/borderline "
            f"{info['cue_eligible']}/{info['cue_ineligible']}/{info['cue_borderline']}",
        ]
        lines += corpus_lines(name, report)
    if "baseline" in result:
        lines += ["", "baseline (70 %/30 % hysteresis on the true calibration, main corpus):"]
        lines.append(_row("baseline", result["baseline"]["all"]))
    if "checks" in result:
        lines += check_lines(result["checks"])
    if "throughput" in result:
        speed, memory = result["throughput"], result["memory"]
        lines += [
            "",
            f"throughput, engine core:  {speed['core_samples_per_s']:>10,} readings/s "
            f"(payload path {speed['payload_samples_per_s']:,}/s; target >= 200,000 core)",
            f"memory: {memory['kib_after_1']} KiB after 1 session, {memory['kib_after_half']} "
            f"after {memory['sessions'] // 2}, {memory['kib_after_last']} after "
            f"{memory['sessions']} back to back ({memory['hours']} h, varied geometry)",
        ]
    lines += [
        "",
        "exact: counted reps in the set's window equal the truth, all in one engine set;",
        "outside: counted reps in no set window; partial%: true partial reps reported with",
        "complete false; cue miss%: of reps squeezed >= target + 0.15 s, no hold_reached;",
        "cue false%: of reps squeezed < target - 0.15 s and partial reps, a cue given; stray: cues",
        "outside every rep; cue/rep p50/p95: delay in the engine (s); alerts: sensor invalid or",
        "stale while the bench is empty.",
    ]
    return "\n".join(lines)


def details(result: dict[str, Any]) -> str:
    """Every set counted wrong, per corpus."""
    lines = []
    for name, report in result["corpora"].items():
        for item in report["inexact_sets"]:
            lines.append(
                f"{name}: {item['session']} set {item['set']}: true {item['true_reps']}, "
                f"counted {item['counted']}{'' if item['one_set'] else ' (split over sets)'}"
            )
    return "\n".join(lines) or "every set exact"


def _csv(value: str, allowed: tuple[str, ...], option: str) -> tuple[str, ...]:
    if value in ("all", ""):
        return allowed
    if value == "none":
        return ()
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise SystemExit(
            f"{option}: unknown {', '.join(unknown)} (choose from {', '.join(allowed)})"
        )
    return chosen


def config_from_args(args: argparse.Namespace) -> Config:
    """The run an argument list asks for."""
    families = _csv(args.family, tuple(str(f) for f in BROAD_FAMILIES), "--family")
    mounts = _csv(args.mount, tuple(str(m) for m in Mount), "--mount")
    return Config(
        sessions=12 if args.quick and args.sessions is None else args.sessions or 48,
        seed=args.seed,
        corpora=_csv(args.corpus, CORPORA, "--corpus"),
        checks=_csv(args.checks, CHECKS, "--checks"),
        families=tuple(Family(f) for f in families),
        mounts=tuple(Mount(m) for m in mounts),
        workers=args.workers,
        baseline=not args.no_baseline,
    )


def _run(args: argparse.Namespace) -> int:
    if args.load:
        load = importlib.import_module("rep_coach_tools.loadbench")
        return int(load.main(args))
    result = run(config_from_args(args))
    print(table(result))
    if args.details:
        print()
        print(details(result))
    if args.json:
        print(json.dumps(result))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bench`` command."""
    parser = subparsers.add_parser(
        "bench", help="accuracy, robustness and speed benchmark on generated sessions"
    )
    parser.add_argument(
        "--sessions", type=int, help="main corpus size; the others scale with it (default 48)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="corpus seed (default 2026)")
    parser.add_argument("--quick", action="store_true", help="a quarter of the sessions (12)")
    parser.add_argument(
        "--corpus", default="all", help=f"comma list of {', '.join(CORPORA)}, or all (default)"
    )
    parser.add_argument(
        "--checks", default="all", help=f"comma list of {', '.join(CHECKS)}, all or none"
    )
    parser.add_argument(
        "--family",
        default="all",
        help="main corpus families: comma list of "
        f"{', '.join(str(f) for f in BROAD_FAMILIES)}, or all",
    )
    parser.add_argument("--mount", default="all", help="above, below or all (main and holdout)")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="worker processes (default: 2, or 1 on one core)",
    )
    parser.add_argument("--details", action="store_true", help="list every set counted wrong")
    parser.add_argument("--no-baseline", action="store_true", help="skip the hand-built baseline")
    parser.add_argument(
        "--json", action="store_true", help="also print one JSON line with every figure"
    )
    parser.add_argument(
        "--load", action="store_true", help="Home Assistant load benchmark (see README)"
    )
    parser.add_argument("--benches", type=int, default=10, help="with --load: emulated benches")
    parser.add_argument(
        "--duration", type=float, default=30.0, help="with --load: seconds measured (default 30)"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=5.0,
        help="with --load: seconds before measuring (default 5)",
    )
    parser.set_defaults(func=_run)
