"""Per-boundary timing errors: where the hold and lowering times go wrong.

For each full rep the bench scores (a true rep matched to a counted rep event, as
:mod:`.scoring` matches them), the true and estimated lift start, hold start, hold end and
lowering end, and their signed errors (estimate minus truth, s). The engine's event times sit
on the device clock anchored at the first payload's arrival (a constant delivery delay per
device epoch); that delay is taken off, so each boundary's error is the timing's own.

``python -m rep_coach_tools.timing_trace --seed 2026 --corpus holdout,field`` prints the signed
mean and MAE of each boundary per group (corpus, mount, stream, family, lifter style);
``--reps`` lists every rep.
"""

from __future__ import annotations

import argparse
import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean
from typing import Any

from custom_components.rep_coach.engine.events import RepEvent

from .bench import seed_list
from .bench_suite import CORPORA, Config, make_session, plan_tasks, session_tags
from .benchmark import payloads, run_engine
from .scoring import match_reps, set_windows, top_seen
from .sim.model import SimSession

BOUNDARIES = ("start", "hold_start", "hold_end", "end")


@dataclass(frozen=True, slots=True)
class RepTrace:
    """One scored full rep: true and estimated boundaries (s) and its session's tags."""

    session: str
    tags: dict[str, str]
    truth: tuple[float, float, float, float]
    estimate: tuple[float, float, float, float]

    @property
    def errors(self) -> tuple[float, ...]:
        """Signed error of each boundary (estimate - truth, s)."""
        return tuple(e - t for e, t in zip(self.estimate, self.truth, strict=True))

    @property
    def hold_error(self) -> float:
        return self.errors[2] - self.errors[1]

    @property
    def lowering_error(self) -> float:
        return self.errors[3] - self.errors[2]


def clock_offset(session: SimSession) -> list[tuple[float, float]]:
    """(true time, offset) per reading: where the engine's time line puts a reading less
    when it was taken. Device-timed readings sit late by the delivery delay of the payload
    that anchored their device epoch; plain readings are timed on arrival (and placed back
    to when they were taken), so 0."""
    out: list[tuple[float, float]] = []
    anchor: float | None = None
    last_device = -1e18
    for arrival, _, group in payloads(session):
        if session.plain:
            out.extend((r.t, 0.0) for r in group)
            continue
        newest = group[-1].device_ms / 1000.0
        oldest = group[0].device_ms / 1000.0
        if anchor is None or oldest < last_device - 1.0:
            anchor = arrival - newest
        last_device = newest
        out.extend((r.t, r.device_ms / 1000.0 + anchor - r.t) for r in group)
    return out


def trace_session(session: SimSession, corpus: str) -> list[RepTrace]:
    """Every full rep of ``session`` the bench scores, with its boundaries."""
    emitted = run_engine(session)
    events = [e.event for e in emitted if isinstance(e.event, RepEvent)]
    windows = set_windows(session.truth)
    true_reps = sorted(
        (d for _, _, s in windows for d in s["rep_details"]), key=lambda d: d["end_t"]
    )
    valid = sorted(r.t for r in session.readings if r.sees_target())
    offsets = clock_offset(session)
    times = [t for t, _ in offsets]
    tags = session_tags(session, corpus)
    lifter = session.truth.get("lifter")
    if isinstance(lifter, dict) and "sloppy" in lifter:
        tags["style"] = f"{'sloppy' if lifter['sloppy'] else 'strict'} lift {lifter['lift_s']:.1f}s"
    out = []
    for k, j in match_reps(true_reps, events).items():
        detail, ev = true_reps[k], events[j]
        if not detail["complete"] or not ev.complete or detail.get("interrupted"):
            continue
        if not top_seen(detail, valid):
            continue
        at = min(len(offsets) - 1, bisect.bisect_left(times, detail["end_t"]))
        shift = offsets[at][1] if offsets else 0.0
        # the rep event's boundaries, with the delivery delay of its device epoch taken off
        start = ev.started_t - shift
        hold_start = start + ev.concentric_s
        hold_end = hold_start + ev.hold_s
        estimate = (start, hold_start, hold_end, hold_end + ev.lowering_s)
        true_hold_end = detail["hold_start_t"] + detail["hold_s"]
        truth = (detail["start_t"], detail["hold_start_t"], true_hold_end, detail["end_t"])
        out.append(RepTrace(session.name, tags, truth, estimate))
    return out


def summary(traces: Sequence[RepTrace]) -> dict[str, Any]:
    """Signed mean and MAE of each boundary, and of the hold and lowering."""
    columns = {name: [r.errors[b] for r in traces] for b, name in enumerate(BOUNDARIES)}
    columns["hold"] = [r.hold_error for r in traces]
    columns["lowering"] = [r.lowering_error for r in traces]
    out: dict[str, Any] = {"reps": len(traces)}
    for name, values in columns.items():
        out[name] = (mean(values), mean(map(abs, values))) if values else (0.0, 0.0)
    return out


def table(traces: Sequence[RepTrace], keys: Iterable[str]) -> str:
    """Signed mean / MAE per boundary, overall and per value of each tag in ``keys``."""
    cols = (*BOUNDARIES, "hold", "lowering")
    lines = [f"{'group':42} {'reps':>5} " + " ".join(f"{c:>15}" for c in cols)]

    def row(label: str, members: Sequence[RepTrace]) -> None:
        s = summary(members)
        cells = " ".join(f"{s[c][0]:+7.3f}/{s[c][1]:6.3f}" for c in cols)
        lines.append(f"{label[:42]:42} {s['reps']:>5} {cells}")

    row("all", traces)
    for key in keys:
        for value in sorted({r.tags.get(key, "") for r in traces}):
            row(f"{key}={value}", [r for r in traces if r.tags.get(key, "") == value])
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=seed_list, default=(2026,), help="a seed or a comma list")
    parser.add_argument("--corpus", default="holdout")
    parser.add_argument("--mount", default="all")
    parser.add_argument("--family", default="")
    parser.add_argument("--sessions", type=int, default=48)
    parser.add_argument("--reps", action="store_true", help="list every rep")
    parser.add_argument("--only", default="", help="sessions whose name contains this")
    args = parser.parse_args(argv)
    corpora = tuple(c for c in args.corpus.split(",") if c in CORPORA)
    tasks = plan_tasks(Config(sessions=args.sessions, seeds=args.seed, corpora=corpora, checks=()))
    traces: list[RepTrace] = []
    for task in tasks:
        if args.mount != "all" and task.mount and task.mount != args.mount:
            continue
        if args.family and task.family != args.family:
            continue
        session = make_session(task)
        if args.only and args.only not in session.name:
            continue
        traces += trace_session(session, task.kind)
    print(table(traces, ("corpus", "mount", "stream", "family", "style", "range")))
    if args.reps:
        for r in traces:
            errs = " ".join(f"{e:+.3f}" for e in r.errors)
            print(
                f"{r.session} t={r.truth[3]:.2f} err {errs} hold {r.hold_error:+.3f} low {r.lowering_error:+.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
