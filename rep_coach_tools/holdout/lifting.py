"""The hold-out lifter: minimum-jerk keyframes, one style per lifter, its own session script."""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from typing import Any

from custom_components.rep_coach.engine.settings import Side

from ..sim.truth import ends_above_limit, fidget_limit_mm, partial_shares

TREMOR_HZ = (6.0, 10.0)


def _min_jerk(s: float) -> float:
    return s * s * s * (10.0 - 15.0 * s + 6.0 * s * s)


@dataclass(slots=True)
class Path:
    """Keyframes ``(t, y)``; between two, a minimum-jerk move (time-warped by ``warp``)."""

    ts: list[float] = field(default_factory=lambda: [0.0])
    ys: list[float] = field(default_factory=lambda: [0.0])
    warps: list[float] = field(default_factory=list)
    tremors: list[tuple[float, float, float, float]] = field(default_factory=list)

    @property
    def t(self) -> float:
        return self.ts[-1]

    @property
    def y(self) -> float:
        return self.ys[-1]

    def go(self, seconds: float, y: float, warp: float = 1.0) -> None:
        self.ts.append(self.ts[-1] + max(seconds, 1e-3))
        self.ys.append(y)
        self.warps.append(warp)

    def wait(self, seconds: float) -> None:
        self.go(seconds, self.ys[-1])

    def jump(self, y: float) -> None:
        """Nobody in view: the next movement starts at ``y`` (no truth needed here)."""
        self.go(1e-3, y)

    def at(self, t: float) -> float:
        k = bisect.bisect_right(self.ts, t)
        if k >= len(self.ts):
            return self.ys[-1]
        if k == 0:
            return self.ys[0]
        t0, t1 = self.ts[k - 1], self.ts[k]
        s = (t - t0) / (t1 - t0)
        s = s ** self.warps[k - 1]
        return self.ys[k - 1] + (self.ys[k] - self.ys[k - 1]) * _min_jerk(s)

    def seen(self, t: float) -> float:
        """What the sensor sees: the movement plus any tremor (tremors are added in order)."""
        y = self.at(t)
        k = bisect.bisect_right(self.tremors, (t, math.inf, 0.0, 0.0)) - 1
        if k >= 0:
            t0, t1, amplitude, hz = self.tremors[k]
            if t < t1:
                y += amplitude * math.sin(2.0 * math.pi * hz * (t - t0))
        return y


@dataclass(frozen=True, slots=True)
class Style:
    """A lifter, drawn once."""

    lift_s: float
    squeeze_s: float
    lower_s: float
    lower_warp: float
    pause_s: float
    sloppy: bool
    variability: float
    ends_above: float
    partial: float
    fidget: float
    tremor: float


def draw_style(rng: random.Random, hold_target_s: float) -> Style:
    """Fast, medium or slow; strict or sloppy."""
    tempo = rng.choice(["fast", "medium", "slow"])
    sloppy = rng.random() < 0.5
    lift, lower, pause = {
        "fast": ((0.5, 0.8), (0.8, 1.5), (0.0, 0.2)),
        "medium": ((0.8, 1.3), (1.5, 2.8), (0.2, 0.8)),
        "slow": ((1.3, 2.0), (2.8, 4.0), (0.5, 1.5)),
    }[tempo]
    squeeze = rng.uniform(0.0, 2.6) if sloppy else hold_target_s + rng.uniform(0.3, 1.5)
    return Style(
        lift_s=rng.uniform(*lift),
        squeeze_s=squeeze,
        lower_s=rng.uniform(*lower),
        lower_warp=rng.uniform(0.7, 1.0),
        pause_s=rng.uniform(*pause),
        sloppy=sloppy,
        variability=0.3 if sloppy else 0.1,
        ends_above=0.4 if sloppy else 0.05,
        partial=0.12 if sloppy else 0.02,
        fidget=rng.uniform(0.05, 0.2) if sloppy else 0.05,
        tremor=0.4 if sloppy else 0.1,
    )


@dataclass(slots=True)
class Lifting:
    """The script's state: the path, where the seat is, the labels."""

    rng: random.Random
    style: Style
    range_mm: float
    seat: float = 0.0
    path: Path = field(default_factory=Path)
    reps: list[dict[str, Any]] = field(default_factory=list)
    sets: list[dict[str, Any]] = field(default_factory=list)
    away: list[list[float]] = field(default_factory=list)
    hidden: list[tuple[float, float, str]] = field(default_factory=list)  # away / passing

    def view(self, t: float) -> str:
        """``hips``, ``away`` or ``passing`` at ``t`` (intervals are added in time order)."""
        k = bisect.bisect_right(self.hidden, (t, math.inf, "")) - 1
        if k >= 0 and self.hidden[k][0] <= t < self.hidden[k][1]:
            return self.hidden[k][2]
        return "hips"

    def vary(self, value: float) -> float:
        return value * (1.0 + self.rng.uniform(-1.0, 1.0) * self.style.variability)

    def one_rep(self, *, partial: bool, last: bool, warm_up: bool, tremor: bool) -> None:
        rng, path, style, full = self.rng, self.path, self.style, self.range_mm
        start_t, start_y = path.t, path.y
        if partial:
            top = start_y + full * rng.uniform(*partial_shares(full, 0.35, 0.72))
        else:
            top = self.seat + full * rng.uniform(0.98, 1.02)
        path.go(max(self.vary(style.lift_s), 0.4), top)
        squeeze = 0.0 if warm_up or partial else max(0.0, self.vary(style.squeeze_s))
        if squeeze > 0.05:
            if tremor:
                amplitude, hz = rng.uniform(0.5, 3.0), rng.uniform(*TREMOR_HZ)
                self.path.tremors.append((path.t, path.t + squeeze, amplitude, hz))
            path.go(squeeze, top - rng.uniform(0.0, 0.025) * full)
        highest = min(0.12, ends_above_limit(full, 0.98))
        above = not last and rng.random() < style.ends_above and highest > 0.03
        bottom = self.seat + full * (
            rng.uniform(0.03, highest) if above else rng.uniform(0.0, 0.01)
        )
        lowering = self.vary(style.lower_s) * (0.7 if warm_up or partial else 1.0)
        path.go(max(lowering, 0.5), bottom, warp=style.lower_warp)
        self.reps.append(
            {
                "start_t": start_t,
                "end_t": path.t,
                "start_level": start_y,
                "partial": partial,
                "seat_level": self.seat,
                "full_range": full,
            }
        )
        if style.pause_s > 0.02:
            path.wait(self.vary(style.pause_s))

    def fidgets(self, seconds: float) -> None:
        rng, path = self.rng, self.path
        end = path.t + seconds
        while path.t < end - 0.5:
            if rng.random() < 0.4:
                limit = fidget_limit_mm(self.range_mm)
                size = min(45.0, self.style.fidget * self.range_mm, limit)
                path.go(rng.uniform(0.3, 0.8), self.seat + rng.uniform(-0.3, 1.0) * size)
                path.go(rng.uniform(0.3, 0.8), self.seat)
            else:
                path.wait(min(end - path.t, rng.uniform(0.5, 3.0)))
        path.wait(max(0.05, end - path.t))

    def get_up(self) -> None:
        """The hips rise well past the top and out of the cone: the lifter leaves the bench."""
        rng, path = self.rng, self.path
        path.go(rng.uniform(0.9, 1.6), self.seat + self.range_mm * rng.uniform(1.6, 3.0))
        self.hidden.append((path.t, path.t + rng.uniform(0.4, 1.0), "passing"))
        path.wait(self.hidden[-1][1] - path.t)

    def leave_and_return(self, seconds: float, new_seat: float) -> None:
        path = self.path
        self.get_up()
        self.seat = new_seat
        path.jump(new_seat)
        self.gone(seconds)
        self.arrive()

    def gone(self, seconds: float) -> None:
        start = self.path.t
        self.path.wait(seconds)
        self.hidden.append((start, self.path.t, "away"))
        self.away.append([start, self.path.t])

    def arrive(self) -> None:
        rng, path = self.rng, self.path
        self.hidden.append((path.t, path.t + rng.uniform(0.4, 1.2), "passing"))
        path.wait(self.hidden[-1][1] - path.t)
        path.jump(self.seat + self.range_mm * rng.uniform(0.4, 1.0))
        path.go(rng.uniform(0.6, 1.2), self.seat)

    def work_set(self, side: Side, goal: int, outcome: str, *, warm_up: bool) -> None:
        rng = self.rng
        first, start = len(self.reps), self.path.t
        tremor_from = rng.randint(1, max(1, goal)) if rng.random() < self.style.tremor else goal + 1
        done = 0
        while done < goal:
            partial = not warm_up and done >= 3 and rng.random() < self.style.partial
            self.one_rep(
                partial=partial,
                last=done == goal - 1 and not partial,
                warm_up=warm_up,
                tremor=done >= tremor_from,
            )
            done += not partial
        self.sets.append(
            {
                "side": str(side),
                "start_t": start,
                "end_t": self.path.t,
                "reps_from": first,
                "reps_to": len(self.reps),
                "goal": goal,
                "goal_outcome": outcome,
            }
        )


def script(
    rng: random.Random,
    lifting: Lifting,
    target: int,
    sets_per_side: int,
    *,
    tail_away_s: float | None = None,
) -> None:
    already_seated = rng.random() < 0.25
    if not already_seated:
        lifting.gone(rng.uniform(2.0, 6.0))
        lifting.arrive()
    lifting.path.wait(rng.uniform(0.5, 4.0))
    plan: list[tuple[Side, bool]] = []
    if rng.random() < 0.5:
        plan += [(Side.LEFT, True), (Side.RIGHT, True)]
    sides = [Side.LEFT, Side.RIGHT] * sets_per_side
    if rng.random() < 0.3:
        sides = sorted(sides, key=lambda s: s is Side.RIGHT)  # all left sets, then all right
    plan += [(side, False) for side in sides]
    for index, (side, warm_up) in enumerate(plan):
        goal_reps, outcome = goal(rng, target, warm_up=warm_up)
        lifting.work_set(side, goal_reps, outcome, warm_up=warm_up)
        if index == len(plan) - 1:
            break
        rest = rng.uniform(20.0, 90.0)
        if rng.random() < 0.4:
            lifting.leave_and_return(rest, lifting.seat + rng.uniform(-40.0, 40.0))
        else:
            lifting.fidgets(rest)
        lifting.path.wait(rng.uniform(0.5, 3.0))
    lifting.fidgets(rng.uniform(1.0, 4.0))
    lifting.get_up()
    away = rng.uniform(2.0, 5.0)
    lifting.gone(away if tail_away_s is None else tail_away_s)


def goal(rng: random.Random, target: int, *, warm_up: bool) -> tuple[int, str]:
    if warm_up:
        return rng.randint(5, 8), "warm_up"
    if target <= 0:
        return rng.randint(8, 14), "no_target"
    roll = rng.random()
    if roll < 0.15:
        return target + rng.randint(1, 2), "exceeded"
    if roll < 0.30:
        return max(3, target - rng.randint(1, 3)), "short"
    return target, "met"
