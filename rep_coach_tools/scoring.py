"""Scoring engine events against a session's truth, and the figures the benchmark reports.

Definitions (the README's accuracy section states the same):

- a **set** is exact when the counted reps (``rep`` events with ``complete``) whose time falls in
  the true set's window (first rep's start - 1 s ... last rep's end + 2 s) number exactly the
  true reps and all carry one engine set (same side and set number: reps past the target that
  open a new set are not exact);
- a rep whose **top no reading saw** (a dropout covered its squeeze, 0.1 s either side) may be
  counted or not: the set is exact either way; such reps are left out of every other figure
  and counted apart;
- **reps outside sets**: counted reps in no set window (sitting down, fidgeting, getting up);
- a true rep is **matched** to the nearest unused ``rep`` event within 1 s of its end; hold and
  lowering errors are taken on complete reps matched to counted ones; a true **partial** rep is
  recognised when its match is a ``rep`` event with ``complete: false``;
- **hold cue**: a ``hold_reached`` event belongs to the true rep whose start-end (+-0.2 s) holds
  it. A rep whose squeeze lasted at least the hold target + 0.15 s is *eligible*: no cue is a
  **miss**. A rep whose squeeze fell short by more than 0.15 s, and every partial rep, is
  *ineligible*: a cue is **false**; cues outside every rep are counted apart. Squeezes within
  0.15 s of the target are too close to call and not scored (counted as ``borderline``);
- delays are from the true moment (end of the lowering; squeeze start + target) to the
  timestamp of the reading that produced the event; latency is to the arrival of its payload;
- **empty-bench alerts**: ``sensor`` events to ``invalid`` or ``stale`` while nobody is there.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import mean
from typing import Any

from custom_components.rep_coach.engine.events import (
    EngineEvent,
    HoldReachedEvent,
    RepEvent,
    SensorEvent,
    SensorState,
    SetEndEvent,
)

SET_WINDOW_BEFORE_S = 1.0
SET_WINDOW_AFTER_S = 2.0
SET_RECORD_AFTER_S = 15.0
MATCH_S = 1.0
TOP_SLACK_S = 0.1
CUE_SLACK_S = 0.2
CUE_MARGIN_S = 0.15
ALERT_STATES = frozenset({SensorState.INVALID, SensorState.STALE})


@dataclass(slots=True)
class Emitted:
    """An engine event and when the subscriber had it (arrival time of its payload)."""

    at: float
    event: EngineEvent


class Cue(StrEnum):
    """Whether a rep should get the hold-reached cue."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    BORDERLINE = "borderline"
    UNSEEN = "unseen"  # no reading saw the top: nothing to score


@dataclass(frozen=True, slots=True)
class SetOutcome:
    """One true set against what the engine counted in its window."""

    true_reps: int
    counted: int
    one_set: bool
    recorded: bool  # a set_end with the true count closed it
    unseen: int = 0  # full reps whose top no reading saw: counting them or not is both right
    merged: bool = False  # the engine set it was counted in also holds the next or last set

    @property
    def exact(self) -> bool:
        """Counted exactly (give or take reps nobody saw the top of), in one engine set of
        its own."""
        return (
            self.true_reps - self.unseen <= self.counted <= self.true_reps
            and self.one_set
            and not self.merged
        )


@dataclass(frozen=True, slots=True)
class RepOutcome:
    """One true rep (or partial rep) against the engine's events."""

    complete: bool
    found: bool
    hold_error: float | None = None
    eccentric_error: float | None = None
    delay: float | None = None
    latency: float | None = None
    cue: Cue = Cue.BORDERLINE
    cue_given: bool = False
    cue_delay: float | None = None
    cue_latency: float | None = None
    unseen: bool = False


@dataclass(slots=True)
class SessionScore:
    """Everything scored in one session (or one back-to-back stream)."""

    name: str
    tags: dict[str, str]
    sets: list[SetOutcome] = field(default_factory=list)
    reps: list[RepOutcome] = field(default_factory=list)
    false_reps: int = 0
    stray_cues: int = 0
    stray_partials: int = 0
    empty_alerts: int = 0
    hours: float = 0.0
    readings: int = 0


def set_windows(truth: dict[str, Any]) -> list[tuple[float, float, dict[str, Any]]]:
    """Each true set with the window its counted reps must fall in."""
    return [
        (s["start_t"] - SET_WINDOW_BEFORE_S, s["end_t"] + SET_WINDOW_AFTER_S, s)
        for s in truth["sets"]
    ]


def _merged(in_windows: list[list[RepEvent]], set_ends: Sequence[SetEndEvent]) -> set[int]:
    """The true sets (indices) whose reps the engine counted in the same set as the next or
    the last true set's: the same side and set number, and no end of that set between them."""
    out: set[int] = set()
    for k in range(len(in_windows) - 1):
        before, after = in_windows[k], in_windows[k + 1]
        if not before or not after:
            continue
        last, first = before[-1], after[0]
        label = (last.side, last.set)
        if (first.side, first.set) != label:
            continue
        if not any((e.side, e.set) == label and last.t <= e.t <= first.t for e in set_ends):
            out.update((k, k + 1))
    return out


def top_seen(detail: dict[str, Any], valid_times: Sequence[float]) -> bool:
    """Whether any reading saw the rep's top (its squeeze, 0.1 s either side)."""
    start = detail["hold_start_t"] - TOP_SLACK_S
    k = bisect.bisect_left(valid_times, start)
    end = detail["hold_start_t"] + detail["hold_s"] + TOP_SLACK_S
    return k < len(valid_times) and valid_times[k] <= end


def score_session(
    name: str,
    truth: dict[str, Any],
    emitted: Sequence[Emitted],
    *,
    hold_target_s: float,
    tags: dict[str, str] | None = None,
    readings: int = 0,
    valid_times: Sequence[float] | None = None,
) -> SessionScore:
    """Compare what the engine emitted with the truth (``valid_times``: sorted times of the
    readings that saw something, to tell reps whose top fell into a dropout)."""
    score = SessionScore(
        name, dict(tags or {}), hours=truth["duration_s"] / 3600.0, readings=readings
    )
    windows = set_windows(truth)
    reps = [(e.at, e.event) for e in emitted if isinstance(e.event, RepEvent)]
    set_ends = [e.event for e in emitted if isinstance(e.event, SetEndEvent)]

    def seen(detail: dict[str, Any]) -> bool:  # an interrupted rep was seen in part at most
        if detail.get("interrupted"):
            return False
        return valid_times is None or top_seen(detail, valid_times)

    in_windows = [
        [ev for _, ev in reps if ev.complete and lo <= ev.t <= hi] for lo, hi, _ in windows
    ]
    merged = _merged(in_windows, set_ends)
    for k, ((lo, hi, true_set), counted) in enumerate(zip(windows, in_windows, strict=True)):
        labels = {(ev.side, ev.set) for ev in counted}
        recorded = any(
            lo <= s.t <= hi + SET_RECORD_AFTER_S and s.reps == true_set["reps"] for s in set_ends
        )
        unseen = sum(1 for d in true_set["rep_details"] if d["complete"] and not seen(d))
        score.sets.append(
            SetOutcome(
                true_set["reps"],
                len(counted),
                len(labels) <= 1,
                recorded,
                unseen,
                merged=k in merged,
            )
        )
    score.false_reps = sum(
        1 for _, ev in reps if ev.complete and not any(lo <= ev.t <= hi for lo, hi, _ in windows)
    )
    true_reps = sorted(
        (d for _, _, s in windows for d in s["rep_details"]), key=lambda d: d["end_t"]
    )
    matches = match_reps(true_reps, [ev for _, ev in reps])
    cues = assign_cues(true_reps, emitted)
    score.stray_cues = stray_cue_count(true_reps, emitted)
    for k, detail in enumerate(true_reps):
        if not seen(detail):
            score.reps.append(
                RepOutcome(bool(detail["complete"]), False, cue=Cue.UNSEEN, unseen=True)
            )
            continue
        match = matches.get(k)
        score.reps.append(
            _rep_outcome(detail, None if match is None else reps[match], cues.get(k), hold_target_s)
        )
    matched = set(matches.values())
    score.stray_partials = sum(
        1 for k, (_, ev) in enumerate(reps) if not ev.complete and k not in matched
    )
    score.empty_alerts = sum(
        1
        for e in emitted
        if isinstance(e.event, SensorEvent)
        and e.event.state in ALERT_STATES
        and any(a <= e.event.t <= b for a, b in truth["away"])
    )
    return score


def match_reps(true_reps: Sequence[dict[str, Any]], events: Sequence[RepEvent]) -> dict[int, int]:
    """True rep index -> event index: in time order, the nearest unused event within 1 s."""
    used: set[int] = set()
    matches: dict[int, int] = {}
    for k, detail in enumerate(true_reps):
        best, gap = None, MATCH_S
        for j, ev in enumerate(events):
            this = abs(ev.t - detail["end_t"])
            if j not in used and this <= gap:
                best, gap = j, this
        if best is not None:
            used.add(best)
            matches[k] = best
    return matches


def assign_cues(
    true_reps: Sequence[dict[str, Any]], emitted: Sequence[Emitted]
) -> dict[int, Emitted]:
    """True rep index -> its first ``hold_reached`` event (see :func:`stray_cue_count`)."""
    out: dict[int, Emitted] = {}
    for item in emitted:
        if isinstance(item.event, HoldReachedEvent):
            owner = _cue_owner(true_reps, item.event.t)
            if owner is not None and owner not in out:
                out[owner] = item
    return out


def stray_cue_count(true_reps: Sequence[dict[str, Any]], emitted: Sequence[Emitted]) -> int:
    """``hold_reached`` events outside every true rep."""
    return sum(
        1
        for item in emitted
        if isinstance(item.event, HoldReachedEvent) and _cue_owner(true_reps, item.event.t) is None
    )


def _cue_owner(true_reps: Sequence[dict[str, Any]], t: float) -> int | None:
    return next(
        (
            k
            for k, d in enumerate(true_reps)
            if d["start_t"] - CUE_SLACK_S <= t <= d["end_t"] + CUE_SLACK_S
        ),
        None,
    )


def cue_class(detail: dict[str, Any], hold_target_s: float) -> Cue:
    """Whether the true rep should get the hold-reached cue."""
    if not detail["complete"] or detail["hold_s"] < hold_target_s - CUE_MARGIN_S:
        return Cue.INELIGIBLE
    if detail["hold_s"] >= hold_target_s + CUE_MARGIN_S:
        return Cue.ELIGIBLE
    return Cue.BORDERLINE


def _rep_outcome(
    detail: dict[str, Any],
    match: tuple[float, RepEvent] | None,
    cue: Emitted | None,
    hold_target_s: float,
) -> RepOutcome:
    cls = cue_class(detail, hold_target_s)
    cue_fields: dict[str, Any] = {"cue": cls, "cue_given": cue is not None}
    if cue is not None and cls is Cue.ELIGIBLE:
        reached = detail["hold_start_t"] + hold_target_s
        cue_fields.update(cue_delay=cue.event.t - reached, cue_latency=cue.at - reached)
    complete = bool(detail["complete"])
    if match is None or match[1].complete != complete:
        return RepOutcome(complete, found=False, **cue_fields)
    at, ev = match
    if not complete:
        return RepOutcome(complete, found=True, **cue_fields)
    return RepOutcome(
        complete,
        found=True,
        hold_error=ev.hold_s - detail["hold_s"],
        eccentric_error=ev.eccentric_s - detail["eccentric_s"],
        delay=ev.t - detail["end_t"],
        latency=at - detail["end_t"],
        **cue_fields,
    )


# --- figures ---------------------------------------------------------------------------------


def _pct(a: int, b: int) -> float | None:
    return None if b == 0 else round(100.0 * a / b, 2)


def _mae(values: list[float]) -> float | None:
    return None if not values else round(mean(abs(v) for v in values), 3)


def quantile(values: Iterable[float], p: float) -> float | None:
    """The ``p`` quantile (nearest rank), None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 3)


def figures(scores: Sequence[SessionScore]) -> dict[str, Any]:
    """Every figure over a group of sessions, JSON-ready."""
    sets = [s for score in scores for s in score.sets]
    seen = [r for score in scores for r in score.reps if not r.unseen]
    reps = seen
    full = [r for r in seen if r.complete]
    partial = [r for r in seen if not r.complete]
    eligible = [r for r in reps if r.cue is Cue.ELIGIBLE]
    ineligible = [r for r in reps if r.cue is Cue.INELIGIBLE]
    stray_cues = sum(s.stray_cues for s in scores)

    def values(get: Callable[[RepOutcome], float | None]) -> list[float]:
        return [v for r in reps if (v := get(r)) is not None]

    cue_false = sum(r.cue_given for r in ineligible)
    return {
        "sessions": len(scores),
        "hours": round(sum(s.hours for s in scores), 2),
        "readings": sum(s.readings for s in scores),
        "sets": len(sets),
        "sets_exact_pct": _pct(sum(s.exact for s in sets), len(sets)),
        "sets_exact": sum(s.exact for s in sets),
        "set_records_exact_pct": _pct(sum(s.recorded for s in sets), len(sets)),
        "rep_count_mae": _mae([float(s.counted - s.true_reps) for s in sets]),
        "true_reps": len(full),
        "reps_found_pct": _pct(sum(r.found for r in full), len(full)),
        "reps_outside_sets": sum(s.false_reps for s in scores),
        "partials": len(partial),
        "partials_recognised_pct": _pct(sum(r.found for r in partial), len(partial)),
        "partial_events_unmatched": sum(s.stray_partials for s in scores),
        "hold_mae_s": _mae(values(lambda r: r.hold_error)),
        "lowering_mae_s": _mae(values(lambda r: r.eccentric_error)),
        "hold_error_p95_s": quantile((abs(v) for v in values(lambda r: r.hold_error)), 0.95),
        "lowering_error_p95_s": quantile(
            (abs(v) for v in values(lambda r: r.eccentric_error)), 0.95
        ),
        "rep_delay_p50_s": quantile(values(lambda r: r.delay), 0.5),
        "rep_delay_p95_s": quantile(values(lambda r: r.delay), 0.95),
        "rep_latency_p50_s": quantile(values(lambda r: r.latency), 0.5),
        "rep_latency_p95_s": quantile(values(lambda r: r.latency), 0.95),
        "cue_eligible": len(eligible),
        "cue_missed": sum(not r.cue_given for r in eligible),
        "cue_missed_pct": _pct(sum(not r.cue_given for r in eligible), len(eligible)),
        "cue_ineligible": len(ineligible),
        "cue_false": cue_false,
        "cue_false_pct": _pct(cue_false, len(ineligible)),
        "cues_outside_reps": stray_cues,
        "cue_borderline": sum(r.cue is Cue.BORDERLINE for r in reps),
        "cue_delay_p50_s": quantile(values(lambda r: r.cue_delay), 0.5),
        "cue_delay_p95_s": quantile(values(lambda r: r.cue_delay), 0.95),
        "cue_latency_p50_s": quantile(values(lambda r: r.cue_latency), 0.5),
        "cue_latency_p95_s": quantile(values(lambda r: r.cue_latency), 0.95),
        "empty_bench_alerts": sum(s.empty_alerts for s in scores),
        "reps_top_unseen": sum(r.unseen for score in scores for r in score.reps),
        "sets_with_unseen_top": sum(s.unseen > 0 for s in sets),
    }


def inexact_sets(scores: Sequence[SessionScore]) -> list[dict[str, Any]]:
    """Where the engine miscounted: session, set index, truth and count (for ``--details``)."""
    return [
        {
            "session": score.name,
            "set": k + 1,
            "true_reps": s.true_reps,
            "counted": s.counted,
            "one_set": s.one_set,
            "merged": s.merged,
        }
        for score in scores
        for k, s in enumerate(score.sets)
        if not s.exact
    ]
