"""Two or three lifters taking turns on one bench, set by set: the ``turns`` corpus.

One bench, one sensor mount, one configuration and one delivery (:class:`.Shared`); the
lifters are hold-out lifters (:mod:`.lifting`) each with a style, a range and a seat of their
own: their seated hips sit 4-30 cm apart (a heavier or taller partner, another pad), and a
lifter sits down again within 1 cm of their own seat. They alternate turn by turn: in a turn a
lifter does one set (the next side of their own) or both legs, one set after the other with a
short seated rest between. At a changeover the one who lifted gets off, the bench is empty for
a few seconds and the next sits down 5-40 s after the last one got up (``sitting down``, the
hold-out's arrival, included). The truth names each set's lifter.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from typing import Any

from custom_components.rep_coach.engine.settings import Side

from ..sim.model import Mount, SimSession
from ..sim.truth import truth_rep, truth_sets
from . import Shared, draw_range, draw_sensor, site_truth, stepped, truth_band
from .lifting import Lifting, Path, draw_style, goal
from .sensing import bench, deliver

__all__ = ["TURNS_LIFTERS", "turns_session"]

TURNS_LIFTERS = (2, 3)  # two partners mostly, sometimes three
SEAT_APART_MM = (40.0, 300.0)  # one partner's seated hips from the next one's
RESEAT_MM = 10.0  # sitting down again on one's own seat, give or take
CHANGEOVER_S = (5.0, 40.0)  # from the leaving lifter getting up to the next one seated
TURNS_PER_LIFTER = (2, 3)


@dataclass(frozen=True, slots=True)
class Occupant:
    """Who the sensor sees from ``t`` on (until the next occupant)."""

    t: float
    index: int


def _seats(rng: random.Random, count: int) -> list[float]:
    """Seat levels (mm, the lowest at 0) at least ``SEAT_APART_MM[0]`` from each other."""
    levels = [0.0]
    while len(levels) < count:
        step = rng.uniform(*SEAT_APART_MM) * rng.choice([-1.0, 1.0])
        level = levels[-1] + step
        if all(abs(level - other) >= SEAT_APART_MM[0] for other in levels):
            levels.append(level)
    low = min(levels)
    order = list(range(count))
    rng.shuffle(order)  # the lowest seat is not always the first lifter's
    return [levels[k] - low for k in order]


def turns_session(seed: int, *, mount: Mount | None = None) -> SimSession:
    """Lifters taking turns on one bench, fully determined by ``seed`` (and ``mount``)."""
    rng = random.Random(f"turns:{seed}")
    shared = Shared.draw(rng)
    count = TURNS_LIFTERS[0] if rng.random() < 0.7 else TURNS_LIFTERS[1]
    ranges = [draw_range(rng, shared.variation) for _ in range(count)]
    homes = _seats(rng, count)
    chosen_mount = mount or rng.choice(list(Mount))
    reach = max(h + r for h, r in zip(homes, ranges, strict=True)) + RESEAT_MM
    site = bench(rng, chosen_mount, reach)
    path = Path()
    first = Lifting(rng, draw_style(rng, shared.hold_target_s), ranges[0], seat=homes[0], path=path)
    lifters = [first] + [
        Lifting(
            rng,
            draw_style(rng, shared.hold_target_s),
            range_mm,
            seat=home,
            path=path,
            reps=first.reps,
            sets=first.sets,
            away=first.away,
            hidden=first.hidden,
        )
        for range_mm, home in zip(ranges[1:], homes[1:], strict=True)
    ]
    occupants, set_lifters = _script(rng, lifters, homes, shared.target_reps)

    sensor = draw_sensor(rng, site, ranges[0])
    starts = [o.t for o in occupants]
    samples = []
    for k in range(int(path.t * shared.rate_hz)):
        t = max(0.0, (k + rng.uniform(-0.1, 0.1)) / shared.rate_hz)
        who = lifters[occupants[bisect.bisect_right(starts, t) - 1].index]
        sensor.range_mm = who.range_mm  # cone mixing and passers scale with who is there
        samples.append((t, *sensor.reading(who, t)))
    readings = deliver(rng, samples, shared.plain)
    if shared.plain:
        readings = stepped(readings, shared.step_mm)
    band = truth_band(shared.variation)
    reps = [
        truth_rep(
            path.at, r, band, full_range_mm=r["full_range"], hold_target_s=shared.hold_target_s
        )
        for r in first.reps
    ]
    sets = [
        {**record, "lifter": index}
        for record, index in zip(truth_sets(reps, first.sets), set_lifters, strict=True)
    ]
    truth: dict[str, Any] = {
        **site_truth(
            seed,
            "turns",
            shared.rate_hz,
            site,
            plain=shared.plain,
            step=shared.step_mm,
            lifting=first,
        ),
        "settings": {
            "program": str(shared.program),
            "variation": str(shared.variation),
            "target_reps": shared.target_reps,
        },
        "hold_target_s": shared.hold_target_s,
        "rom_mm": ranges[0],
        "lifter": {"sloppy": first.style.sloppy, "lift_s": first.style.lift_s},
        "lifters": [
            {
                "seat_mm": site.distance(home),
                "range_mm": lifter.range_mm,
                "sloppy": lifter.style.sloppy,
                "lift_s": lifter.style.lift_s,
            }
            for lifter, home in zip(lifters, homes, strict=True)
        ],
        "occupants": [[o.t, o.index] for o in occupants],
        "turns_variant": f"{count} lifters",
        "sets": sets,
        "away": first.away,
    }
    stream = f"{'plain' if shared.plain else 'json'}-{shared.rate_hz:g}hz"
    name = f"turns-{seed}-{count}lifters-{shared.variation}-{site.mount}-{stream}"
    return SimSession(
        name=name, seed=seed, rate_hz=shared.rate_hz, readings=tuple(readings), truth=truth
    )


def _script(
    rng: random.Random, lifters: list[Lifting], homes: list[float], target: int
) -> tuple[list[Occupant], list[int]]:
    """The turns, on the shared path: who is on the bench from when, and each set's lifter."""
    path = lifters[0].path
    occupants = [Occupant(0.0, 0)]
    set_lifters: list[int] = []
    next_side = [rng.choice([Side.LEFT, Side.RIGHT]) for _ in lifters]
    both_legs = [rng.random() < 0.4 for _ in lifters]  # swaps legs within a turn
    seated_at_start = rng.random() < 0.25  # already seated when the stream starts
    path.jump(homes[0])
    if not seated_at_start:
        lifters[0].gone(rng.uniform(2.0, 6.0))
        lifters[0].arrive()
    path.wait(rng.uniform(0.5, 4.0))
    order = list(range(len(lifters))) * rng.randint(*TURNS_PER_LIFTER)
    for turn, index in enumerate(order):
        following = order[turn + 1] if turn + 1 < len(order) else None
        lifter = lifters[index]
        sides = (
            [next_side[index], next_side[index].other] if both_legs[index] else [next_side[index]]
        )
        next_side[index] = sides[-1].other
        for k, side in enumerate(sides):
            if k:
                lifter.fidgets(rng.uniform(10.0, 40.0))  # swapping legs, still seated
                path.wait(rng.uniform(0.5, 2.0))
            goal_reps, outcome = goal(rng, target, warm_up=False)
            lifter.work_set(side, goal_reps, outcome, warm_up=False)
            set_lifters.append(index)
        lifter.fidgets(rng.uniform(1.0, 4.0))
        lifter.get_up()
        if following is None:
            lifter.gone(rng.uniform(2.0, 5.0))
            break
        nxt = lifters[following]
        occupants.append(Occupant(path.t, following))
        nxt.seat = homes[following] + rng.uniform(-RESEAT_MM, RESEAT_MM)
        sat_down_by = path.t + rng.uniform(*CHANGEOVER_S)
        nxt.gone(max(0.5, sat_down_by - path.t - 2.0))
        nxt.arrive()
        path.wait(rng.uniform(0.5, 4.0))
    return occupants, set_lifters
