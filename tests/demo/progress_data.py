"""Four weeks of long-term statistics for the picture of the Progress view.

A fresh demo has no history, and Home Assistant compiles statistics hour by hour, so the test
imports them: three simulated workouts a week, each run through the engine exactly as Home
Assistant feeds it (``benchmark.run_engine``), turned into the hourly rows the recorder would
have compiled for Rep Coach's sensors (sums for the session totals, mean/min/max of the per-set
figures). The counting itself is tested elsewhere; this only makes the picture truthful.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean
from typing import Any

from custom_components.rep_coach.engine import SetEndEvent, Side
from custom_components.rep_coach.engine.feedback import SideMeans, imbalance
from rep_coach_tools.benchmark import run_engine
from rep_coach_tools.simulator import simulate_session

ENTITY = "sensor.hip_thrust_bench"
# Simulated sessions (classic family) whose every set the engine counts exactly.
WORKOUT_SEEDS = (2, 4, 5, 6, 7, 10, 13, 14, 15, 16, 17, 18)
WORKOUT_DAYS = (0, 2, 4)  # Monday, Wednesday, Friday
WORKOUT_HOUR = 18


@dataclass(slots=True)
class Workout:
    """What Rep Coach counted in one workout, per side."""

    start: datetime
    reps: dict[Side, int] = field(default_factory=lambda: dict.fromkeys(Side, 0))
    sets: dict[Side, int] = field(default_factory=lambda: dict.fromkeys(Side, 0))
    holds: dict[Side, list[float]] = field(default_factory=lambda: {side: [] for side in Side})
    lowerings: dict[Side, list[float]] = field(default_factory=lambda: {side: [] for side in Side})
    imbalance_pct: float | None = None


def workout(seed: int, start: datetime) -> Workout:
    """The sets the engine finishes in a simulated session."""
    done = Workout(start)
    ends = [
        emitted.event
        for emitted in run_engine(simulate_session(seed))
        if isinstance(emitted.event, SetEndEvent)
    ]
    for end in ends:
        done.reps[end.side] += end.reps
        done.sets[end.side] += 1
        done.holds[end.side].append(end.mean_hold_s)
        done.lowerings[end.side].append(end.mean_lowering_s)
    means: dict[Side, SideMeans] = {}
    for side in Side:
        mine = [end for end in ends if end.side is side]
        reps = sum(end.reps for end in mine)
        if not reps:
            return done
        means[side] = SideMeans(
            reps_per_set=reps / len(mine),
            rom_mm=sum(end.mean_rom_mm * end.reps for end in mine) / reps,
            hold_s=sum(end.mean_hold_s * end.reps for end in mine) / reps,
            lowering_s=sum(end.mean_lowering_s * end.reps for end in mine) / reps,
        )
    done.imbalance_pct = imbalance(means[Side.LEFT], means[Side.RIGHT]).largest_pct
    return done


def workouts(now: datetime) -> list[Workout]:
    """Three workouts a week over the four weeks before ``now`` (UTC, whole hours)."""
    monday = (now - timedelta(days=now.weekday() + 28)).replace(
        hour=WORKOUT_HOUR, minute=0, second=0, microsecond=0
    )
    starts = [monday + timedelta(weeks=week, days=day) for week in range(4) for day in WORKOUT_DAYS]
    return [workout(seed, start) for seed, start in zip(WORKOUT_SEEDS, starts, strict=True)]


def _metadata(statistic_id: str, unit: str | None, *, total: bool) -> dict[str, Any]:
    return {
        "statistic_id": statistic_id,
        "source": "recorder",
        "name": None,
        "unit_of_measurement": unit,
        "unit_class": "duration" if unit == "s" else None,
        "has_sum": total,
        "mean_type": 0 if total else 1,  # none / arithmetic
    }


def _sums(done: list[Workout], counts: list[int]) -> list[dict[str, Any]]:
    """A session total's hourly rows: the sum goes up by each workout's count."""
    first = done[0].start.isoformat()
    rows, total = [], 0
    for one, count in zip(done, counts, strict=True):
        total += count
        start = one.start.isoformat()
        rows.append({"start": start, "state": total, "sum": total, "last_reset": first})
    return rows


def _spreads(done: list[Workout], figures: list[list[float]]) -> list[dict[str, Any]]:
    """A per-set figure's hourly rows: mean, min and max of the workout's sets."""
    return [
        {"start": one.start.isoformat(), "mean": fmean(sets), "min": min(sets), "max": max(sets)}
        for one, sets in zip(done, figures, strict=True)
        if sets
    ]


def statistics(done: list[Workout]) -> list[dict[str, Any]]:
    """``recorder/import_statistics`` messages for Rep Coach's sensors."""
    messages = []
    for side in Side:
        for name, counts in (
            ("reps", [one.reps[side] for one in done]),
            ("sets", [one.sets[side] for one in done]),
        ):
            metadata = _metadata(f"{ENTITY}_{side}_{name}", None, total=True)
            messages.append({"metadata": metadata, "stats": _sums(done, counts)})
        for name, figures in (
            ("hold", [one.holds[side] for one in done]),
            ("lowering", [one.lowerings[side] for one in done]),
        ):
            metadata = _metadata(f"{ENTITY}_{side}_set_mean_{name}", "s", total=False)
            messages.append({"metadata": metadata, "stats": _spreads(done, figures)})
    imbalances = [[] if one.imbalance_pct is None else [one.imbalance_pct] for one in done]
    metadata = _metadata(f"{ENTITY}_imbalance", "%", total=False)
    messages.append({"metadata": metadata, "stats": _spreads(done, imbalances)})
    return messages
