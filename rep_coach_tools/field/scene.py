"""What is in the beam besides a tidy view of the hips: one layer per disturbance.

Each layer is drawn once per session from its own random generator and then answers, for a
moment ``t``, how it changes what the sensor looks at:

- :class:`Tilt`: hips not level, the beam partly on the thigh. The spot rises ``gain`` times as
  far as the hips (0.70-0.92 for the session), and the gain changes from rep to rep by up to
  +-6 % (how level the hips are that rep); it changes while the lifter sits, over 0.3 s before
  a rep starts. A rigid lever scales positions, never times.
- :class:`Passer`: a second person (0.3-0.8 s in the beam) or a pet (0.5-2 s) crossing the beam
  between the lens and what is behind (35-85 % of its distance), with the cone filling and
  emptying over 0.1 s and a sway of a few centimetres; on an empty bench, and during seated
  rests when there is room under the sensor.
- :class:`Slip`: the sensor moving on its mount during a set: a clamp that slips (the seat level
  steps by 1-4 cm, at most 40 % of the range, within 0.05-0.2 s, while the hips rest on the
  seat) or creeps (1-4 cm over 20-90 s).
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..holdout.lifting import Lifting
from ..holdout.sensing import Bench
from ..sim.model import NEAREST_MM, Mount
from ..sim.truth import PARTIAL_RANGE, RULE_MARGIN_MM

TILT_GAIN = (0.70, 0.92)
TILT_VARY = 0.06
TILT_RAMP_S = 0.3
PERSON_S = (0.3, 0.8)
PET_S = (0.5, 2.0)
PASSER_DEPTH = (0.35, 0.85)  # share of the distance to what is behind
PASSER_EDGE_S = 0.1
PASSER_CLEARANCE_MM = 250.0  # room between lens and seated hips for someone to pass
QUIET_S = 3.0  # passers keep this far from a set's window
SLIP_MM = (10.0, 40.0)
SLIP_MAX_SHARE = 0.4
SLIP_STEP_S = (0.05, 0.2)
CREEP_S = (20.0, 90.0)


# --- tilt / thigh ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tilt:
    """The spot's rise as a share of the hips' rise: per rep, changed while seated."""

    base: float
    starts: tuple[float, ...]
    gains: tuple[float, ...]
    seats: tuple[tuple[float, float], ...]  # (from t, seat level): the level the gain scales from

    def gain(self, t: float) -> float:
        k = bisect.bisect_right(self.starts, t + TILT_RAMP_S) - 1
        if k < 0:
            return self.base
        before = self.gains[k - 1] if k > 0 else self.base
        share = min(1.0, max(0.0, (t - (self.starts[k] - TILT_RAMP_S)) / TILT_RAMP_S))
        return before + (self.gains[k] - before) * share

    def apparent(self, t: float, y: float) -> float:
        """Where the spot is when the hips are at ``y``."""
        seat = seat_at(self.seats, t)
        return seat + self.gain(t) * (y - seat)


def seat_at(seats: tuple[tuple[float, float], ...], t: float) -> float:
    """The seat level at ``t`` (``seats``: from :func:`seat_levels`)."""
    k = bisect.bisect_right(seats, (t, math.inf)) - 1
    return seats[max(0, k)][1]


def seat_levels(lifting: Lifting) -> tuple[tuple[float, float], ...]:
    """The seat level from each moment on: it only changes while the lifter is away."""
    levels = [(0.0, lifting.reps[0]["seat_level"] if lifting.reps else lifting.seat)]
    for start, _ in lifting.away:
        after = next((r["seat_level"] for r in lifting.reps if r["start_t"] > start), lifting.seat)
        levels.append((start, after))
    return tuple(levels)


def draw_tilt(
    rng: random.Random, lifting: Lifting, truth_reps: Sequence[dict[str, Any]], range_mm: float
) -> Tilt:
    """A session's gain and each rep's, kept clear of the partial-rep rules (full reps look
    full, partial reps partial, against the range the spot shows)."""
    base = rng.uniform(*TILT_GAIN)
    seen = base * range_mm
    gains = []
    for rep in truth_reps:
        gain = base * (1.0 + rng.uniform(-TILT_VARY, TILT_VARY))
        rom = float(rep["rom_mm"])
        if rep["complete"]:
            low, high = (PARTIAL_RANGE[1] * seen + RULE_MARGIN_MM) / rom, math.inf
        else:
            low = (PARTIAL_RANGE[0] * seen + RULE_MARGIN_MM) / rom
            high = (PARTIAL_RANGE[1] * seen - RULE_MARGIN_MM) / rom
        gains.append(min(high, max(low, gain)) if low <= high else base)
    starts = tuple(float(r["start_t"]) for r in lifting.reps)
    return Tilt(base, starts, tuple(gains), seat_levels(lifting))


# --- passers-by ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Passer:
    """Someone or something in the beam from ``start_t`` to ``end_t``."""

    start_t: float
    end_t: float
    who: str  # person | pet
    distance_mm: float
    sway_mm: float
    sway_hz: float
    on_empty_bench: bool

    def distance(self, t: float, behind: float | None) -> float:
        """What the sensor reads: the passer, mixed with what is behind while the cone fills."""
        d = self.distance_mm + self.sway_mm * math.sin(
            2.0 * math.pi * self.sway_hz * (t - self.start_t)
        )
        fill = min(1.0, (t - self.start_t) / PASSER_EDGE_S, (self.end_t - t) / PASSER_EDGE_S)
        if behind is None or fill >= 1.0:
            return d
        return fill * d + (1.0 - fill) * behind


@dataclass(frozen=True, slots=True)
class Passers:
    """Every crossing of a session, in time order."""

    crossings: tuple[Passer, ...]

    def at(self, t: float) -> Passer | None:
        k = bisect.bisect_right([p.start_t for p in self.crossings], t) - 1
        if k >= 0 and t < self.crossings[k].end_t:
            return self.crossings[k]
        return None


def _crossing(rng: random.Random, start: float, behind_mm: float, *, empty: bool) -> Passer:
    who = "person" if rng.random() < 0.6 else "pet"
    seconds = rng.uniform(*(PERSON_S if who == "person" else PET_S))
    depth = max(NEAREST_MM + 30.0, behind_mm * rng.uniform(*PASSER_DEPTH))
    return Passer(
        start_t=start,
        end_t=start + seconds,
        who=who,
        distance_mm=depth,
        sway_mm=rng.uniform(5.0, 30.0),
        sway_hz=rng.uniform(0.5, 2.0),
        on_empty_bench=empty,
    )


def draw_passers(rng: random.Random, lifting: Lifting, site: Bench) -> Passers:
    """Crossings of the empty bench (0-2 per spell away) and of seated rests (one in two)."""
    crossings: list[Passer] = []
    behind_empty = site.background_mm if site.background_mm is not None else site.max_mm * 0.9
    for start, end in lifting.away:
        count = rng.choice([0, 1, 1, 2])
        span = (end - start - 1.0) / max(1, count)
        for k in range(count):
            if span < PERSON_S[1] + PET_S[1]:
                break
            at = start + 0.5 + k * span + rng.uniform(0.0, span - PET_S[1])
            crossings.append(_crossing(rng, at, behind_empty, empty=True))
    hips_mm = site.seat_mm  # the seated hips: the sensor's distance to them
    room = hips_mm - NEAREST_MM if site.mount is Mount.ABOVE else hips_mm
    for before, after in itertools.pairwise(lifting.sets):
        lo, hi = before["end_t"] + QUIET_S, after["start_t"] - QUIET_S - PET_S[1]
        seated = not any(a < hi + PET_S[1] and b > lo for a, b, _ in lifting.hidden)
        if seated and hi > lo and room >= PASSER_CLEARANCE_MM and rng.random() < 0.5:
            crossings.append(_crossing(rng, rng.uniform(lo, hi), hips_mm, empty=False))
    return Passers(tuple(sorted(crossings, key=lambda p: p.start_t)))


# --- a slipping sensor -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slip:
    """How far the sensor has moved along its beam (mm, + farther from everything)."""

    events: tuple[tuple[float, float, float, str], ...]  # (start_t, seconds, mm, step | creep)

    def offset(self, t: float) -> float:
        return sum(
            mm * min(1.0, max(0.0, (t - start) / seconds)) for start, seconds, mm, _ in self.events
        )


def draw_slip(rng: random.Random, lifting: Lifting, mount: Mount, range_mm: float) -> Slip:
    """One or two slips, in different sets: steps while the hips rest on the seat, or creeps."""
    events: list[tuple[float, float, float, str]] = []
    count = 1 if rng.random() < 0.5 else 2
    for record in rng.sample(lifting.sets, min(count, len(lifting.sets))):
        size = min(rng.uniform(*SLIP_MM), SLIP_MAX_SHARE * range_mm)
        # above, a clamp slips down toward the hips (nearer); below, the beam tilts either way
        sign = -1.0 if mount is Mount.ABOVE and rng.random() < 0.8 else rng.choice([-1.0, 1.0])
        if rng.random() < 0.6:
            at, seconds = _resting_moment(rng, lifting, record), rng.uniform(*SLIP_STEP_S)
            events.append((at, seconds, sign * size, "step"))
        else:
            at = rng.uniform(record["start_t"], record["end_t"])
            events.append((at, rng.uniform(*CREEP_S), sign * size, "creep"))
    return Slip(tuple(sorted(events)))


def _resting_moment(rng: random.Random, lifting: Lifting, record: dict[str, Any]) -> float:
    """A moment of the set when the hips rest on the seat: 0.05-0.3 s after a rep that the next
    one follows 0.6 s later or more, else 0.45 s before the first rep (every set starts after
    0.5 s seated or more; after the last rep the lifter may get up at once)."""
    reps = lifting.reps[record["reps_from"] : record["reps_to"]]
    gaps = [a["end_t"] for a, b in itertools.pairwise(reps) if b["start_t"] - a["end_t"] >= 0.6]
    if not gaps:
        return float(reps[0]["start_t"]) - 0.45
    return float(rng.choice(gaps)) + rng.uniform(0.05, 0.3)
