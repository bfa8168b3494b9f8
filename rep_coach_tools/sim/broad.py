"""A session of a broadened family: script, geometry, sensor, delivery and truth put together.

Independent random streams per stage (plan, geometry, sensor, delivery, format, clock) let one
part be overridden (another mount, rate or program) while the others stay draw for draw the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from custom_components.rep_coach.engine.settings import Program, Variation

from .delivery import deliver, draw_link
from .geometry import Background, Geometry, draw_geometry
from .lifter import Body, draw_lifter
from .model import Mount, SimSession
from .scenario import SCENARIOS, Family, Script, draw_exercise, draw_range
from .sensor import Sensor, draw_traits
from .trajectory import Plan, Trajectory
from .truth import truth_rep, truth_sets

JSON_RATES_HZ = (10.0, 12.5, 20.0, 25.0, 30.0, 40.0, 50.0)
PLAIN_RATES_HZ = (10.0, 12.5, 20.0)
HOLD_BAND = {Variation.STABILITY_BALL: 0.14}


@dataclass(frozen=True, kw_only=True, slots=True)
class Options:
    """Overrides of what a seed would draw (None: drawn)."""

    mount: Mount | None = None
    rate_hz: float | None = None
    plain: bool | None = None
    program: Program | None = None
    variation: Variation | None = None
    target_reps: int | None = None
    seat_mm: float | None = None
    background: Background | None = None
    lead_away_s: float | None = None
    tail_away_s: float | None = None


def _streams(seed: int) -> list[random.Random]:
    return [random.Random(seed * 1_000_003 + stage) for stage in range(6)]


def _format(rng: random.Random, options: Options) -> tuple[float, bool, int]:
    plain_drawn = rng.random() < 0.35
    plain_rate, json_rate = rng.choice(PLAIN_RATES_HZ), rng.choice(JSON_RATES_HZ)
    decimals = rng.choice([2, 2, 3])
    plain = plain_drawn if options.plain is None else options.plain
    rate = options.rate_hz or (plain_rate if plain else json_rate)
    return rate, plain, decimals


def simulate_family(seed: int, family: Family, options: Options | None = None) -> SimSession:
    """One session of ``family`` (not ``classic``), fully determined by ``seed`` and ``options``."""
    if family is Family.CLASSIC:
        raise ValueError("the classic family is simulate_classic's")
    options = options or Options()
    scenario = SCENARIOS[family]
    plan_rng, geometry_rng, sensor_rng, link_rng, format_rng, clock_rng = _streams(seed)
    exercise = draw_exercise(
        plan_rng,
        program=options.program,
        variation=options.variation,
        target_reps=options.target_reps,
    )
    range_mm = draw_range(plan_rng, exercise.variation)
    lifter = draw_lifter(
        plan_rng, quirks=scenario.quirks, partials=scenario.partials, variation=exercise.variation
    )
    mount_drawn = Mount.ABOVE if geometry_rng.random() < 0.5 else Mount.BELOW
    geometry = draw_geometry(
        geometry_rng,
        options.mount or mount_drawn,
        range_mm,
        seat_mm=options.seat_mm,
        background=options.background,
    )
    plan = Plan(rng=plan_rng)
    script = Script(plan, scenario, exercise, lifter, Body(0.0, range_mm), geometry)
    script.run(lead_away_s=options.lead_away_s, tail_away_s=options.tail_away_s)

    rate, plain, decimals = _format(format_rng, options)
    traits = draw_traits(sensor_rng, flaps=scenario.arrivals)
    sensor = Sensor(traits, geometry, (10.0 if decimals == 2 else 1.0) if plain else None)
    trajectory = Trajectory(plan.segments)
    samples = sensor.sample_all(trajectory, sensor_rng, rate, plan.t)
    device0, seq0 = clock_rng.randint(5_000, 4_000_000), clock_rng.randint(0, 50_000)
    drift = clock_rng.uniform(-40.0, 40.0)
    readings = deliver(
        samples,
        link_rng,
        draw_link(link_rng),
        plain=plain,
        device0_ms=device0,
        seq0=seq0,
        drift_ppm=drift,
    )
    truth = _truth(seed, family, script, geometry, trajectory, rate, plain, decimals)
    truth["sensor"] = {"raw_codes": traits.raw_codes, "flap_rate": traits.flap_rate}
    name = (
        f"{family}-{seed}-{exercise.variation}-{geometry.mount}-{geometry.seat_mm / 10:.0f}cm-"
        f"{'plain' if plain else 'json'}-{rate:g}hz"
    )
    return SimSession(name=name, seed=seed, rate_hz=rate, readings=tuple(readings), truth=truth)


def _truth(
    seed: int,
    family: Family,
    script: Script,
    geometry: Geometry,
    trajectory: Trajectory,
    rate: float,
    plain: bool,
    decimals: int,
) -> dict[str, Any]:
    exercise, plan = script.exercise, script.plan
    band = HOLD_BAND.get(exercise.variation, 0.10)
    settings = {
        "program": str(exercise.program),
        "variation": str(exercise.variation),
        "target_reps": exercise.target_reps,
    }
    hold_target = SimSession("", 0, rate, (), {"settings": settings, "plain": plain}).settings()
    reps = [
        truth_rep(
            trajectory.height,
            rep,
            band,
            full_range_mm=rep["full_range"],
            hold_target_s=hold_target.hold_target_s,
        )
        for rep in plan.reps
    ]
    first_range = plan.reps[0]["full_range"] if plan.reps else script.body.range_mm
    return {
        "seed": seed,
        "family": str(family),
        "rate_hz": rate,
        "orientation": geometry.mount.orientation,
        "mount": str(geometry.mount),
        "plain": plain,
        "plain_decimals": decimals,
        "duration_s": plan.t,
        "settings": settings,
        "hold_target_s": hold_target.hold_target_s,
        "bottom_mm": geometry.seat_mm,
        "rom_mm": first_range,
        "geometry": {
            "mount": str(geometry.mount),
            "seat_mm": geometry.seat_mm,
            "range_mm": first_range,
            "background": str(geometry.background),
            "background_mm": geometry.background_mm,
            "max_range_mm": geometry.max_range_mm,
        },
        "lifter": {k: getattr(script.lifter, k) for k in ("lift_s", "squeeze_s", "lower_s")},
        "events": script.events,
        "sets": truth_sets(reps, plan.sets),
        "away": plan.away,
    }
