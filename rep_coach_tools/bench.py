"""``rep-coach bench``: accuracy, latency, throughput and memory on a generated corpus.

Prints figures; asserts nothing. ``--load`` runs the Home Assistant load benchmark instead.
"""

from __future__ import annotations

import argparse
import importlib
import json
from typing import Any

from .benchmark import run
from .simulator import corpus

ROWS = (
    ("exact_sets_pct", "sets counted exactly (%)"),
    ("rep_count_mae", "rep count error per set (mean |error|)"),
    ("false_reps_outside_sets", "false reps outside sets"),
    ("hold_mae_s", "hold time MAE (s)"),
    ("eccentric_mae_s", "lowering time MAE (s)"),
    ("rep_engine_delay_p50_s", "rep event delay in the engine p50 (s)"),
    ("rep_engine_delay_p95_s", "rep event delay in the engine p95 (s)"),
    ("rep_latency_p50_s", "rep event latency p50 (s)"),
    ("rep_latency_p95_s", "rep event latency p95 (s)"),
    ("hold_engine_delay_p50_s", "hold-reached delay in the engine p50 (s)"),
    ("hold_engine_delay_p95_s", "hold-reached delay in the engine p95 (s)"),
    ("hold_latency_p50_s", "hold-reached latency p50 (s)"),
    ("hold_latency_p95_s", "hold-reached latency p95 (s)"),
    ("partial_recall_pct", "partial reps recognised (%)"),
)


def table(result: dict[str, Any]) -> str:
    """The human-readable report."""
    corpus_info = result["corpus"]
    lines = [
        f"corpus: {corpus_info['sessions']} sessions, {corpus_info['hours']} h, "
        f"{corpus_info['samples']} samples, rates {corpus_info['rates_hz']} Hz",
        f"timing definition: {result['definition']}",
        "",
        f"{'metric':<42} {'Rep Coach':>12} {'baseline':>12}",
        f"{'-' * 42} {'-' * 12} {'-' * 12}",
    ]
    for key, label in ROWS:
        engine, baseline = result["engine"].get(key), result["baseline"].get(key)
        lines.append(f"{label:<42} {_fmt(engine):>12} {_fmt(baseline):>12}")
    lines += [
        "",
        "by stream (firmware JSON batches carry device time; ESPHome plain payloads do not):",
        f"{'format':<7} {'Hz':>5} {'exact %':>8} {'hold MAE':>9} {'lower MAE':>10} "
        f"{'rep p95':>8} {'hold p95':>9} {'target':>7}",
    ]
    for row in result["by_stream"]:
        target = 1.0 / row["rate_hz"] + 0.1
        lines.append(
            f"{row['format']:<7} {row['rate_hz']:>5g} {_fmt(row['exact_sets_pct']):>8} "
            f"{_fmt(row['hold_mae_s']):>9} {_fmt(row['eccentric_mae_s']):>10} "
            f"{_fmt(row['rep_engine_delay_p95_s']):>8} {_fmt(row['hold_engine_delay_p95_s']):>9} "
            f"{target:>7.3f}"
        )
    lines += [
        "(rep p95 / hold p95: delay in the engine; target: one sample period + 0.1 s for hold)",
        "",
        f"throughput, engine core:    {result['throughput']['core_samples_per_s']:>10,} samples/s",
        f"throughput, payload path:   {result['throughput']['payload_samples_per_s']:>10,} samples/s",
        f"memory: {result['memory']['kib_after_1']} KiB after 1 session, "
        f"{result['memory']['kib_after_half']} KiB after {result['memory']['laps'] // 2}, "
        f"{result['memory']['kib_after_last']} KiB after {result['memory']['laps']} "
        f"(each {result['memory']['session_minutes']} min; the last 50 sets are kept in detail)",
        "latency: from the true end of the rep (or the moment the hold target is met) to the",
        "  arrival of the payload that produced the event (includes batching and Wi-Fi jitter);",
        "  delay in the engine: the same, to the timestamp of the sample that produced it.",
        "baseline: two-threshold hysteresis (70 %/30 %) on the true calibrated min/max, raw readings",
    ]
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    return "n/a" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _run(args: argparse.Namespace) -> int:
    if args.load:
        load = importlib.import_module("rep_coach_tools.loadbench")
        return int(load.main(args))
    result = run(corpus(seed=args.seed, count=args.sessions))
    print(table(result))
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "sessions"}))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bench`` command."""
    parser = subparsers.add_parser(
        "bench", help="accuracy and speed benchmark on a generated corpus"
    )
    parser.add_argument("--sessions", type=int, default=48, help="corpus size (default 48)")
    parser.add_argument("--seed", type=int, default=2026, help="corpus seed (default 2026)")
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
