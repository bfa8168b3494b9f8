"""The benchmark's reports: the terminal table, the README's Markdown tables, the misses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

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


def _seeds_label(seeds: list[int]) -> str:
    if len(seeds) == 1:
        return f"seed {seeds[0]}"
    return f"seeds {', '.join(str(s) for s in seeds)} (corpora pooled)"


def table(result: dict[str, Any]) -> str:
    """The human-readable report."""
    config = result["config"]
    lines = [
        f"Rep Coach accuracy benchmark: {_seeds_label(config['seeds'])}, "
        f"--sessions {config['sessions']}, "
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
            f"{info['cue_eligible']}/{info['cue_ineligible']}/{info['cue_borderline']}, "
            f"{info['reps_top_unseen']} reps whose top no reading saw "
            f"(in {info['sets_with_unseen_top']} sets)",
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
        "exact: counted reps in the set's window equal the truth, all in one engine set (a rep",
        "whose top fell into a dropout may be counted or not; it is left out of the rest);",
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
            how = "" if item["one_set"] else " (split over sets)"
            if item.get("merged"):
                how += " (in one set with the next or last)"
            lines.append(
                f"{name}: {item['session']} set {item['set']}: true {item['true_reps']}, "
                f"counted {item['counted']}{how}"
            )
    return "\n".join(lines) or "every set exact"


# --- Markdown (the README's accuracy tables) --------------------------------------------------

MD_TARGETS = {
    "exact": "≥ 99.5 %",
    "outside": "0",
    "partial": "≥ 95 %",
    "hold": "≤ 0.10 s",
    "lowering": "≤ 0.10 s",
    "missed": "≤ 1 %",
    "false": "≤ 1 %",
}


def _pct(value: Any) -> str:
    return "n/a" if value is None else f"{value:.1f} %"


def _s(value: Any) -> str:
    return "n/a" if value is None else f"{value:.3f} s"


def _pair(a: Any, b: Any) -> str:
    return "n/a" if a is None or b is None else f"{a:.2f} / {b:.2f} s"


def _md_main_row(label: str, f: dict[str, Any]) -> str:
    cells = [
        label,
        str(f["sessions"]),
        f"{_pct(f['sets_exact_pct'])} ({f['sets_exact']}/{f['sets']})",
        _fmt(f["rep_count_mae"]),
        str(f["reps_outside_sets"]),
        f"{_pct(f['partials_recognised_pct'])} of {f['partials']}",
        _s(f["hold_mae_s"]),
        _s(f["lowering_mae_s"]),
        f"{_pct(f['cue_missed_pct'])} of {f['cue_eligible']}",
        f"{_pct(f['cue_false_pct'])} of {f['cue_ineligible']}",
        str(f["cues_outside_reps"]),
        _pair(f["cue_delay_p50_s"], f["cue_delay_p95_s"]),
        _pair(f["rep_delay_p50_s"], f["rep_delay_p95_s"]),
        str(f["empty_bench_alerts"]),
    ]
    return "| " + " | ".join(cells) + " |"


def _md_corpus_rows(result: dict[str, Any]) -> Iterator[str]:
    for name, report in result["corpora"].items():
        yield _md_main_row(f"**{name}**", report["all"])
        for mount, group in report["by_mount"].items():
            yield _md_main_row(f"{name}, {mount}", group["all"])
        for variant, group in report.get("by_variant", {}).items():
            yield _md_main_row(f"{name}, {variant}", group["all"])
    if "baseline" in result:
        yield _md_main_row("baseline (main)", result["baseline"]["all"])


def _md_table(headers: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "| --- " * len(headers) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _md_grouped(report: dict[str, Any], key: str, title: str) -> list[str]:
    headers = [title, "mount", "sessions", "sets exact", "partial reps", "hold MAE"]
    headers += ["lowering MAE", "cue missed", "cue false"]
    rows = [
        [
            name,
            mount,
            str(sub["all"]["sessions"]),
            _pct(sub["all"]["sets_exact_pct"]),
            _pct(sub["all"]["partials_recognised_pct"]),
            _s(sub["all"]["hold_mae_s"]),
            _s(sub["all"]["lowering_mae_s"]),
            _pct(sub["all"]["cue_missed_pct"]),
            _pct(sub["all"]["cue_false_pct"]),
        ]
        for name, group in report.get(key, {}).items()
        for mount, sub in group.items()
        if mount != "all"
    ]
    return _md_table(headers, rows)


def _md_streams(report: dict[str, Any]) -> list[str]:
    headers = ["stream", "sessions", "sets exact", "hold MAE", "lowering MAE", "rep delay p95"]
    headers.append("cue delay p95")
    rows = [
        [
            name,
            str(f["sessions"]),
            _pct(f["sets_exact_pct"]),
            _s(f["hold_mae_s"]),
            _s(f["lowering_mae_s"]),
            _s(f["rep_delay_p95_s"]),
            _s(f["cue_delay_p95_s"]),
        ]
        for name, group in report.get("by_stream", {}).items()
        for f in (group["all"],)
    ]
    return _md_table(headers, rows)


def _md_checks(checks: dict[str, Any]) -> list[str]:
    headers = ["check", "runs", "sets whose count changed", "reps counted in one run only"]
    headers += ["hold change max / p95", "lowering change max / p95"]
    rows = [
        [
            name,
            str(c["runs"]),
            f"{c['sets_count_changed']} of {c['sets']}",
            str(c["reps_counted_in_one_only"]),
            _pair(c["hold_change_max_s"], c["hold_change_p95_s"]),
            _pair(c["lowering_change_max_s"], c["lowering_change_p95_s"]),
        ]
        for name, c in checks.items()
    ]
    return _md_table(headers, rows)


def markdown(result: dict[str, Any]) -> str:
    """The README's accuracy tables, from one run."""
    head = (
        "| corpus | sessions | sets exact | rep error / set | reps outside sets "
        "| partial reps recognised | hold MAE | lowering MAE | hold cue missed | hold cue false "
        "| stray cues | cue delay p50 / p95 | rep delay p50 / p95 | empty-bench alerts |"
    )
    targets = (
        f"| target | | {MD_TARGETS['exact']} | | {MD_TARGETS['outside']} | {MD_TARGETS['partial']} "
        f"| {MD_TARGETS['hold']} | {MD_TARGETS['lowering']} | {MD_TARGETS['missed']} "
        f"| {MD_TARGETS['false']} | | | | |"
    )
    lines = [head, "| --- " * 14 + "|", targets, *_md_corpus_rows(result)]
    unseen = ", ".join(
        f"{name} {r['all']['reps_top_unseen']} (sets: {r['all']['sets_with_unseen_top']})"
        for name, r in result["corpora"].items()
    )
    lines += ["", f"Reps whose top fell into a dropout (may be counted or not): {unseen}."]
    main = result["corpora"].get("main")
    if main is not None:
        lines += ["", *_md_grouped(main, "by_family", "main family")]
        lines += ["", *_md_grouped(main, "by_seat", "seated distance")]
        lines += ["", *_md_grouped(main, "by_range", "range")]
        lines += ["", *_md_streams(main)]
    field = result["corpora"].get("field")
    if field is not None:
        lines += ["", *_md_grouped(field, "by_family", "field family")]
    upsets = result["corpora"].get("upsets")
    if upsets is not None:
        lines += ["", *_md_grouped(upsets, "by_family", "upset")]
    if "checks" in result:
        lines += ["", *_md_checks(result["checks"])]
    if "throughput" in result:
        speed, memory = result["throughput"], result["memory"]
        lines += [
            "",
            f"Throughput: engine core {speed['core_samples_per_s']:,} readings/s, payload path "
            f"{speed['payload_samples_per_s']:,}/s (target ≥ 200,000 core). Memory after 1 / "
            f"{memory['sessions'] // 2} / {memory['sessions']} back-to-back sessions of varied "
            f"geometry: {memory['kib_after_1']} / {memory['kib_after_half']} / "
            f"{memory['kib_after_last']} KiB.",
        ]
    return "\n".join(lines)
