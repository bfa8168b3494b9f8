"""The broadened families: one session script, with what each family varies switched on.

Every family draws the mount (either), the seated distance (8 cm-1.2 m), the range (8-45 cm,
smaller on a ball or with a band), the empty-bench view and the sensor and delivery from wide
ranges; each then stresses one thing:

- ``geometry``: only that (tidy lifters);
- ``seat``: the seat moves between sets (re-seating, shifting), within a set, and while the
  lifter is away the bench is moved or the sensor re-clamped (the seat jumps 3-30 cm and the
  range seen changes by 0.75-1.3x);
- ``lifter``: lifters of every tempo (lift 0.5-2 s, squeeze 0-4 s, lowering 0.8-4 s,
  touch-and-go or pausing), tremor, sag, dips, reps ending above the seat, the first rep
  0.3-3 s after sitting, sets carried on past the target;
- ``partials``: partial reps of 34-75 % of the range on short and long ranges, bigger fidgets;
- ``arrivals``: sitting down, sliding in, already seated; standing up, sliding or rolling off;
  rests seated, nearby or away; 0 or blank readings among the empty bench's no-target codes;
- ``mixed``: all of it at once.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from custom_components.rep_coach.engine.settings import PROGRAMS, Program, Side, Variation

from .geometry import Geometry
from .lifter import Body, Lifter, fidget, rep, shift_seat
from .trajectory import Plan, View

RANGES_MM = {
    Variation.STABILITY_BALL: (80.0, 220.0),
    Variation.BANDED: (80.0, 280.0),
    Variation.STANDARD: (110.0, 400.0),
    Variation.DUMBBELL: (110.0, 380.0),
    Variation.ELEVATED: (180.0, 450.0),
}
RANGE_LIMITS_MM = (80.0, 450.0)
REST_S = (15.0, 60.0)  # longer than the engine's 12 s idle end, so a short set still ends


class Family(StrEnum):
    """Scenario families, switchable one by one."""

    CLASSIC = "classic"
    GEOMETRY = "geometry"
    SEAT = "seat"
    LIFTER = "lifter"
    PARTIALS = "partials"
    ARRIVALS = "arrivals"
    MIXED = "mixed"


BROAD_FAMILIES = (
    Family.GEOMETRY,
    Family.SEAT,
    Family.LIFTER,
    Family.PARTIALS,
    Family.ARRIVALS,
    Family.MIXED,
)


@dataclass(frozen=True, slots=True)
class Scenario:
    """What a family varies beyond geometry, sensor and delivery."""

    seat_changes: bool = False
    quirks: bool = False
    partials: bool = False
    arrivals: bool = False


SCENARIOS = {
    Family.GEOMETRY: Scenario(),
    Family.SEAT: Scenario(seat_changes=True),
    Family.LIFTER: Scenario(quirks=True),
    Family.PARTIALS: Scenario(partials=True),
    Family.ARRIVALS: Scenario(arrivals=True),
    Family.MIXED: Scenario(seat_changes=True, quirks=True, partials=True, arrivals=True),
}


@dataclass(frozen=True, slots=True)
class Exercise:
    """What the user set up: program, variation, rep target, sets per side."""

    program: Program
    variation: Variation
    target_reps: int
    sets_per_side: int


def draw_exercise(
    rng: random.Random,
    *,
    program: Program | None = None,
    variation: Variation | None = None,
    target_reps: int | None = None,
) -> Exercise:
    """A program and variation (fixed draw order, overrides applied after drawing)."""
    drawn_program, drawn_variation = rng.choice(list(Program)), rng.choice(list(Variation))
    custom_target = rng.choice([0, 8, 10, 12])
    sets = rng.choice([1, 2, 2, 3])
    chosen = program or drawn_program
    preset = PROGRAMS.get(chosen)
    target = preset.target_reps if preset else custom_target
    if target_reps is not None:
        target = target_reps
    return Exercise(chosen, variation or drawn_variation, target, sets)


def draw_range(rng: random.Random, variation: Variation) -> float:
    """The lifter's full range (mm), log-uniform so short ranges are well covered."""
    lo, hi = RANGES_MM[variation]
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


@dataclass(slots=True)
class Script:
    """Builds one session's trajectory and labels."""

    plan: Plan
    scenario: Scenario
    exercise: Exercise
    lifter: Lifter
    body: Body
    geometry: Geometry
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rng(self) -> random.Random:
        return self.plan.rng

    def run(self, *, lead_away_s: float | None, tail_away_s: float | None) -> None:
        """Arrive, do the sets with rests in between, leave."""
        rng, plan = self.rng, self.plan
        lead = rng.uniform(2.0, 5.0) if lead_away_s is None else lead_away_s
        already_seated = self.scenario.arrivals and rng.random() < 0.2 and lead_away_s is None
        if already_seated:
            self.events.append({"t": 0.0, "kind": "already_seated"})
        else:
            self._away(lead)
            self._arrive()
        self._settle_before_first()
        side = Side.LEFT
        total = self.exercise.sets_per_side * 2
        for index in range(total):
            self._set(side)
            side = side.other
            if index < total - 1:
                self._rest()
        fidget(plan, self.body, self.lifter, rng.uniform(1.0, 3.0))
        self._leave()
        self._away(3.0 if tail_away_s is None else tail_away_s)

    # --- sets ------------------------------------------------------------------------------

    def _goal(self) -> tuple[int, str]:
        rng = self.rng
        target = self.exercise.target_reps
        goal = target if target > 0 else rng.randint(6, 15)
        roll = rng.random()
        if roll < 0.15:
            return max(3, goal - rng.randint(1, 3)), "short"
        if target > 0 and roll > 1.0 - self.lifter.overshoot_target:
            return goal + rng.randint(1, 3), "exceeded"
        return goal, "met" if target > 0 else "no_target"

    def _set(self, side: Side) -> None:
        rng, plan = self.rng, self.plan
        goal, outcome = self._goal()
        first_rep, set_start = len(plan.reps), plan.t
        tremor_from, tremor = self._tremor_run(goal)
        shift_after = rng.randint(3, max(3, goal - 2)) if self._shifts_within_set() else -1
        done = 0
        while done < goal:
            partial = done >= 3 and rng.random() < self.lifter.partial
            rep(
                plan,
                self.body,
                self.lifter,
                partial=partial,
                tremor=tremor if done >= tremor_from else None,
                last_of_set=done == goal - 1 and not partial,
            )
            done += not partial
            if done == shift_after and not partial:
                shift_after = -1
                self._shift_mid_set()
        plan.sets.append(
            {
                "side": str(side),
                "start_t": set_start,
                "end_t": plan.t,
                "reps_from": first_rep,
                "reps_to": len(plan.reps),
                "goal": goal,
                "goal_outcome": outcome,
            }
        )

    def _tremor_run(self, goal: int) -> tuple[int, tuple[float, float] | None]:
        rng = self.rng
        start = rng.randint(0, max(0, goal - 3))
        amplitude, hz = rng.uniform(0.5, 3.0), rng.uniform(6.0, 10.0)
        if rng.random() < self.lifter.tremor_runs:
            return start, (amplitude, hz)
        return goal, None

    def _shifts_within_set(self) -> bool:
        return self.scenario.seat_changes and self.rng.random() < 0.15

    def _shift_mid_set(self) -> None:
        rng, body = self.rng, self.body
        self.plan.stay(rng.uniform(0.8, 2.0))
        offset = rng.choice([-1.0, 1.0]) * rng.uniform(0.05, 0.15) * body.range_mm
        self._shift_seat(offset, "shift_in_set")
        self.plan.stay(rng.uniform(0.8, 2.0))

    # --- seat changes ----------------------------------------------------------------------

    def _shift_seat(self, offset: float, kind: str) -> None:
        lo, hi = self.geometry.seat_levels(self.body.range_mm)
        to = min(hi, max(lo, self.body.seat + offset))
        shift_seat(self.plan, self.body, to)
        self._record(kind)

    def _record(self, kind: str) -> None:
        self.events.append(
            {
                "t": self.plan.t,
                "kind": kind,
                "seat_mm": self.geometry.distance(self.body.seat),
                "range_mm": self.body.range_mm,
            }
        )

    def _bench_moved(self) -> None:
        """While nobody is there: the bench moved or the sensor re-clamped, another setup."""
        rng, body = self.rng, self.body
        jump = rng.choice([-1.0, 1.0]) * rng.uniform(30.0, 300.0)
        scale = rng.uniform(0.75, 1.3)
        body.range_mm = min(RANGE_LIMITS_MM[1], max(RANGE_LIMITS_MM[0], body.range_mm * scale))
        lo, hi = self.geometry.seat_levels(body.range_mm)
        if lo > hi:  # the new range does not fit this mount: keep the old one
            body.range_mm /= scale
            lo, hi = self.geometry.seat_levels(body.range_mm)
        body.seat = min(hi, max(lo, body.seat + jump))
        self.plan.h = body.seat
        self._record("bench_moved")

    # --- rests, arriving and leaving -------------------------------------------------------

    def _rest(self) -> None:
        rng, plan, scenario = self.rng, self.plan, self.scenario
        duration = rng.uniform(*REST_S)
        roll = rng.random()
        seated, nearby = (0.4, 0.7) if scenario.arrivals else (0.7, 0.7)
        if roll < seated:
            if scenario.seat_changes and rng.random() < 0.5:
                size = min(60.0, rng.uniform(0.1, 0.5) * self.body.range_mm)
                fidget(plan, self.body, self.lifter, duration / 2)
                self._shift_seat(rng.choice([-1.0, 1.0]) * size, "reseat")
                fidget(plan, self.body, self.lifter, duration / 2)
            else:
                fidget(plan, self.body, self.lifter, duration)
            self._settle_before_first()
            return
        self._leave()
        if roll < nearby:
            self._nearby(duration)
        else:
            self._away(duration)
        if scenario.seat_changes and rng.random() < 0.6:
            self._bench_moved()
        else:
            lo, hi = self.geometry.seat_levels(self.body.range_mm)
            self.body.seat = min(hi, max(lo, self.body.seat + rng.uniform(-20.0, 20.0)))
        self._arrive()
        self._settle_before_first()

    def _settle_before_first(self) -> None:
        rng = self.rng
        if self.scenario.quirks:
            self.plan.stay(rng.uniform(*self.lifter.still_before_first_s))
        else:
            fidget(self.plan, self.body, self.lifter, rng.uniform(2.0, 6.0))

    def _away(self, duration: float) -> None:
        plan = self.plan
        plan.h = self.body.seat
        start = plan.t
        plan.stay(duration, view=View.AWAY)
        plan.away.append([start, plan.t])

    def _nearby(self, duration: float) -> None:
        """Standing next to the bench: now and then a leg or a hand crosses the beam."""
        rng, plan = self.rng, self.plan
        end = plan.t + duration
        start = plan.t
        while plan.t < end - 1.0:
            plan.h = self.body.seat
            plan.stay(min(end - plan.t, rng.uniform(3.0, 12.0)), view=View.AWAY)
            if plan.t < end - 1.0:
                plan.h = self.body.seat + rng.uniform(300.0, 900.0)
                plan.move(rng.uniform(0.2, 0.6), plan.h + rng.uniform(-200, 200), view=View.PASSING)
        plan.h = self.body.seat
        if plan.t < end:
            plan.stay(end - plan.t, view=View.AWAY)
        plan.away.append([start, plan.t])

    def _arrive(self) -> None:
        rng, plan, seat = self.rng, self.plan, self.body.seat
        self.events.append({"t": plan.t, "kind": "arrive"})
        kinds = ("sit_down", "slide_in")
        kind = rng.choices(kinds, (0.5, 0.5) if self.scenario.arrivals else (0.7, 0.3))[0]
        if kind == "slide_in":
            plan.h = seat + rng.uniform(0.0, 0.1) * self.body.range_mm
            plan.stay(rng.uniform(0.2, 0.6), view=View.SLIDING, hips_share=(0.0, 1.0))
            plan.move(rng.uniform(0.3, 0.8), seat)
            return
        plan.h = seat + rng.uniform(500.0, 900.0)
        plan.move(rng.uniform(0.2, 0.5), seat + rng.uniform(300.0, 700.0), view=View.PASSING)
        plan.h = seat + rng.uniform(0.3, 1.5) * self.body.range_mm
        plan.move(rng.uniform(0.5, 1.2), seat - rng.uniform(3.0, 10.0))
        plan.move(rng.uniform(0.2, 0.4), seat)

    def _leave(self) -> None:
        rng, plan, seat, full = self.rng, self.plan, self.body.seat, self.body.range_mm
        weights = (0.5, 0.35, 0.15) if self.scenario.arrivals else (0.7, 0.3, 0.0)
        kind = rng.choices(("stand_up", "slide_off", "roll_off"), weights)[0]
        self.events.append({"t": plan.t, "kind": kind})
        if kind == "stand_up":
            plan.move(rng.uniform(0.8, 1.6), seat + max(1.5 * full, rng.uniform(350.0, 700.0)))
            plan.stay(rng.uniform(0.2, 0.5))
            plan.move(rng.uniform(0.3, 0.8), plan.h + rng.uniform(-300, 300), view=View.PASSING)
            return
        if kind == "roll_off":
            plan.move(rng.uniform(0.4, 0.8), seat + rng.uniform(0.1, 0.2) * full)
        plan.stay(rng.uniform(0.2, 0.6), view=View.SLIDING, hips_share=(1.0, 0.0))
