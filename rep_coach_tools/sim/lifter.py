"""Lifters: tempo, squeeze and quirks drawn once per session, and the moves they make.

A lifter's style is drawn once (a fast or slow lifter, a strict or sloppy one); each rep draws
around it. Quirks, when the scenario allows them: a 6-10 Hz tremor of 0.5-3 mm at the top for a
run of reps, a slow sag during the squeeze (up to 3 % of the range), a brief dip mid-squeeze
that comes back to the top, reps that end up to 12 % of the range above the seat (the next rep
starts from there), touch-and-go reps, lowering dropped or jerky. Partial reps reach 34-75 % of
the full range from where they start; fidgets stay below 20 % of it (and below 5 cm). On short
ranges every one of these stays 12 mm clear of the rules' 30 % and 80 % (:mod:`.truth`).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from custom_components.rep_coach.engine.settings import Variation

from .trajectory import Plan
from .truth import ends_above_limit, fidget_limit_mm, partial_shares

MAX_SPEED_MM_S = 1200.0  # no lifter's hips move faster (cosine peak speed)
PARTIAL_SHARE = (0.34, 0.75)  # of the full range, from where the partial starts
FULL_PEAK = (0.97, 1.03)  # of the full range, from the seat
FIDGET_MAX = 0.20  # of the full range
FIDGET_CAP_MM = 50.0
TREMOR_HZ = (6.0, 10.0)
TREMOR_MM = (0.5, 3.0)
SAG_MAX = 0.03
ENDS_ABOVE_MAX = 0.12
DIP_S = (0.20, 0.32)  # a dip out of the hold band shorter than 0.35 s is not lowering
DIP_DEPTH = (0.12, 0.30)


@dataclass(frozen=True, slots=True)
class Lifter:
    """One lifter's habits (times in s, shares 0-1)."""

    lift_s: float
    squeeze_s: float
    lower_s: float
    spread: float  # rep-to-rep variation of every time (0.1 strict ... 0.35 sloppy)
    pause_s: tuple[float, float]  # at the bottom between reps; (0, 0): touch and go
    missing_squeeze: float
    fast_drop: float
    jerky: float
    tremor_runs: float  # share of sets with a tremor at the top
    sag: float
    dip: float
    ends_above: float
    partial: float
    fidget: float  # fidget size, as a share of the full range (capped at 5 cm)
    wobble_mm: tuple[float, float]
    still_before_first_s: tuple[float, float]
    overshoot_target: float  # share of sets carried on past the rep target


def draw_lifter(
    rng: random.Random, *, quirks: bool, partials: bool, variation: Variation
) -> Lifter:
    """A lifter: tidy unless ``quirks``; partial reps frequent when ``partials``."""
    ball = variation is Variation.STABILITY_BALL
    wobble = (2.0, 5.0) if ball else (0.0, 1.5)
    if not quirks:
        return Lifter(
            lift_s=rng.uniform(0.8, 1.2),
            squeeze_s=rng.uniform(1.2, 2.2),
            lower_s=rng.uniform(2.0, 2.8),
            spread=0.2,
            pause_s=(0.2, 1.2),
            missing_squeeze=0.1,
            fast_drop=0.1,
            jerky=0.05,
            tremor_runs=0.0,
            sag=0.3,
            dip=0.0,
            ends_above=0.0,
            partial=0.2 if partials else 0.04,
            fidget=rng.uniform(0.08, FIDGET_MAX) if partials else 0.1,
            wobble_mm=wobble,
            still_before_first_s=(1.5, 5.0),
            overshoot_target=0.0,
        )
    return Lifter(
        lift_s=rng.uniform(0.5, 2.0),
        squeeze_s=rng.choice([rng.uniform(0.0, 0.6), rng.uniform(0.8, 2.5), rng.uniform(2.5, 4.0)]),
        lower_s=rng.uniform(0.8, 4.0),
        spread=rng.uniform(0.1, 0.35),
        pause_s=rng.choice([(0.0, 0.0), (0.0, 0.3), (0.2, 1.0), (0.5, 2.0)]),
        missing_squeeze=rng.uniform(0.0, 0.15),
        fast_drop=rng.uniform(0.0, 0.2),
        jerky=rng.uniform(0.0, 0.15),
        tremor_runs=rng.uniform(0.3, 0.8),
        sag=rng.uniform(0.2, 0.8),
        dip=rng.uniform(0.05, 0.3),
        ends_above=rng.uniform(0.1, 0.6),
        partial=0.2 if partials else 0.05,
        fidget=rng.uniform(0.05, FIDGET_MAX),
        wobble_mm=wobble,
        still_before_first_s=(0.3, 3.0),
        overshoot_target=0.25,
    )


@dataclass(slots=True)
class Body:
    """Where the lifter's seat is and how far the hips travel (mm, ``y`` coordinates)."""

    seat: float
    range_mm: float


def _around(rng: random.Random, centre: float, spread: float, low: float, high: float) -> float:
    return min(high, max(low, centre * (1.0 + rng.uniform(-spread, spread))))


def _move_time(rng: random.Random, centre: float, spread: float, distance: float) -> float:
    fastest = math.pi / 2.0 * abs(distance) / MAX_SPEED_MM_S
    return max(fastest, _around(rng, centre, spread, 0.3, 6.0))


def rep(
    plan: Plan,
    body: Body,
    lifter: Lifter,
    *,
    partial: bool,
    tremor: tuple[float, float] | None,
    last_of_set: bool,
) -> None:
    """One rep (or partial rep) from wherever the hips are, labelled on ``plan.reps``."""
    rng = plan.rng
    start_level, start_t = plan.h, plan.t
    full = body.range_mm
    if partial:
        peak = start_level + full * rng.uniform(*partial_shares(full, *PARTIAL_SHARE))
    else:
        peak = body.seat + full * rng.uniform(*FULL_PEAK)
    plan.move(_move_time(rng, lifter.lift_s, lifter.spread, peak - start_level), peak)
    squeeze = _squeeze_time(rng, lifter, partial=partial)
    if squeeze > 0.0:
        _squeeze(plan, body, lifter, squeeze, tremor)
    highest = min(ENDS_ABOVE_MAX, ends_above_limit(full, FULL_PEAK[0]))
    ends_above = not last_of_set and rng.random() < lifter.ends_above and highest > 0.03
    share = rng.uniform(0.03, highest) if ends_above else rng.uniform(0.0, 0.015)
    valley = body.seat + full * share
    _lower(plan, lifter, valley, partial=partial)
    plan.reps.append(
        {
            "start_level": start_level,
            "start_t": start_t,
            "partial": partial,
            "end_t": plan.t,
            "seat_level": body.seat,
            "full_range": full,
        }
    )
    pause = rng.uniform(*lifter.pause_s)
    if pause > 0.05:
        plan.stay(pause)


def _squeeze_time(rng: random.Random, lifter: Lifter, *, partial: bool) -> float:
    if partial:
        return rng.choice([0.0, rng.uniform(0.0, 0.5)])
    if rng.random() < lifter.missing_squeeze:
        return rng.uniform(0.0, 0.4)
    return _around(rng, lifter.squeeze_s, lifter.spread, 0.0, 4.5)


def _squeeze(
    plan: Plan, body: Body, lifter: Lifter, seconds: float, tremor: tuple[float, float] | None
) -> None:
    rng = plan.rng
    top = plan.h
    sag = -rng.uniform(0.005, SAG_MAX) * body.range_mm if rng.random() < lifter.sag else 0.0
    sway = {
        "wobble": rng.uniform(*lifter.wobble_mm),
        "wobble_hz": rng.uniform(0.4, 1.0),
        "tremor": tremor[0] if tremor else 0.0,
        "tremor_hz": tremor[1] if tremor else 0.0,
    }
    dip_s = rng.uniform(*DIP_S)
    if seconds >= dip_s + 0.6 and rng.random() < lifter.dip:
        before = rng.uniform(0.3, seconds - dip_s - 0.3)
        depth = rng.uniform(*DIP_DEPTH) * body.range_mm
        level = top + sag * before / seconds
        plan.move(before, level, **sway)
        plan.move(dip_s / 2.0, level - depth)
        plan.move(dip_s / 2.0, level)
        plan.move(seconds - before - dip_s, top + sag, **sway)
    else:
        plan.move(seconds, top + sag, **sway)


def _lower(plan: Plan, lifter: Lifter, valley: float, *, partial: bool) -> None:
    rng = plan.rng
    drop = plan.h - valley
    if partial:
        plan.move(_move_time(rng, 0.7 * lifter.lower_s, lifter.spread, drop), valley)
        return
    seconds = _move_time(rng, lifter.lower_s, lifter.spread, drop)
    if rng.random() < lifter.fast_drop:
        seconds = _move_time(rng, 0.9, 0.3, drop)
    if rng.random() < lifter.jerky and seconds > 1.2:
        top = plan.h
        plan.move(seconds * 0.45, top - 0.2 * drop)  # slow, then a drop, then slow again
        plan.move(max(0.25, math.pi / 2.0 * 0.6 * drop / MAX_SPEED_MM_S), top - 0.8 * drop)
        plan.move(seconds * 0.35, valley)
        return
    plan.move(seconds, valley)


def fidget(plan: Plan, body: Body, lifter: Lifter, duration: float) -> None:
    """Seated: small shifts below 20 % of the range (and 5 cm), never rep-sized."""
    rng = plan.rng
    end = plan.t + duration
    size = min(lifter.fidget * body.range_mm, FIDGET_CAP_MM, fidget_limit_mm(body.range_mm))
    while plan.t < end - 0.3:
        if rng.random() < 0.35:
            span = min(end - plan.t, rng.uniform(0.5, 1.5))
            plan.move(span / 2, body.seat + rng.uniform(-0.3, 1.0) * size)
            plan.move(span / 2, body.seat)
        else:
            plan.stay(min(end - plan.t, rng.uniform(0.5, 2.5)))
    if plan.t < end:
        plan.stay(end - plan.t)


def shift_seat(plan: Plan, body: Body, to: float) -> None:
    """Re-seating or shifting on the bench: the seat level moves and stays."""
    plan.move(plan.rng.uniform(0.6, 1.5), to)
    body.seat = to
