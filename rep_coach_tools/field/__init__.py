"""The field corpus: what real benches meet that the other corpora leave out, one family each.

Every session is a hold-out session (:mod:`..holdout`: its lifter, script, bench, sensor noise
and Wi-Fi delivery) with one disturbance added as a layer, drawn from its own random generator
(``field:<seed>:<layer>``), so the lifter and the rest stay as they were:

- ``tilt``: hips not level, the beam partly on the thigh: the spot rises 0.70-0.92x as far as
  the hips, +-6 % from rep to rep (ranges of 15 cm or more, so every rep stays clearly full or
  partial against the range the spot shows);
- ``passers``: a second person (0.3-0.8 s) or a pet (0.5-2 s) crossing the beam at 35-85 % of
  the distance to what is behind, 0-2 times per spell of empty bench and in one seated rest in
  two when there is room under the sensor (25 cm); never within 3 s of a set;
- ``light``: sunlight or dark clothing: noise 1.5-2x, a slow bias of 5-15 mm (periods of
  1-4 min), range status 1-2 on 5-20 % of readings, 1-3 runs of 0.8-3 s of no target, at least
  one inside a set;
- ``slip``: the sensor slipping on its mount in a set, once or twice: a step of 1-4 cm (at most
  40 % of the range) within 0.05-0.2 s while the hips rest on the seat, or a creep of 1-4 cm
  over 20-90 s; above the hips mostly toward them, below either way;
- ``network``: Wi-Fi outages of 1-8 s (2-4 per session) with the firmware's 20-reading buffer
  sent on reconnect, 0.1-0.5 % of messages lost, and on ESPHome's plain topic a retained value
  delivered again after a broker restart and an old retained value first (nothing out of order:
  see :mod:`.network`);
- ``vl53l0x``: the budget sensor: 1.1-1.3 m maximum range (the hips placed 15 cm inside it),
  noise 1.5-3 mm + 0.5-1 %, bias +-25 mm, 25 Hz firmware batches stamped on collection
  (10-14 ms late) or ESPHome's plain topic at 10 Hz in 1 cm steps.

Ground truth applies the documented timing definition (:mod:`..sim.truth`) to the lifter's own
trajectory: the layers change what the sensor sees, never what the lifter did. A rep whose top
no reading saw (a no-target run, an outage) is marked ``top_seen: false``; scoring finds the same
from the readings and leaves it out, as for every corpus.
"""

from __future__ import annotations

import bisect
import random
from enum import StrEnum
from typing import Any

from custom_components.rep_coach.engine.settings import Variation

from ..holdout import draw_training, site_truth
from ..holdout.lifting import Lifting, draw_style, script
from ..holdout.sensing import bench, deliver
from ..sim.model import Mount, SimReading, SimSession
from ..sim.truth import truth_rep, truth_sets
from .network import lossy
from .scene import draw_passers, draw_slip, draw_tilt, seat_levels
from .sensing import FieldSensor, draw_light, l0x_bench, vl53l0x, vl53l1x

__all__ = ["FIELD_FAMILIES", "FieldFamily", "field_session"]

JSON_RATES_HZ = (15.0, 20.0, 33.3, 50.0)
PLAIN_RATES_HZ = (10.0, 15.0)
L0X_RATE_HZ = 25.0
L0X_PLAIN_HZ = 10.0
L0X_STAMP_S = (0.010, 0.014)
TILT_MIN_RANGE_MM = 150.0
TOP_SLACK_S = 0.1  # scoring's: a reading within 0.1 s of the squeeze saw the top


class FieldFamily(StrEnum):
    """One real-world disturbance each."""

    TILT = "tilt"
    PASSERS = "passers"
    LIGHT = "light"
    SLIP = "slip"
    NETWORK = "network"
    VL53L0X = "vl53l0x"


FIELD_FAMILIES = tuple(FieldFamily)


def field_session(
    seed: int, family: FieldFamily | str, *, mount: Mount | None = None
) -> SimSession:
    """A field session of ``family``, fully determined by ``seed`` (and ``mount`` when given)."""
    kind = FieldFamily(family)
    rng = random.Random(f"field:{seed}")

    def layer(name: str) -> random.Random:
        return random.Random(f"field:{seed}:{name}")

    low = TILT_MIN_RANGE_MM if kind is FieldFamily.TILT else None
    program, variation, target, hold_target, range_mm = draw_training(rng, min_range_mm=low)
    chosen_mount = mount or rng.choice(list(Mount))
    l0x = kind is FieldFamily.VL53L0X
    sensor_rng = layer("sensor")
    if l0x:
        site, profile = l0x_bench(rng, chosen_mount, range_mm), vl53l0x(sensor_rng)
    else:
        site, profile = bench(rng, chosen_mount, range_mm), vl53l1x(sensor_rng)
    lifting = Lifting(rng, draw_style(rng, hold_target), range_mm)
    script(rng, lifting, target, rng.choice([2, 2, 3]))
    band = 0.14 if variation is Variation.STABILITY_BALL else 0.10
    reps = [
        truth_rep(lifting.path.at, r, band, full_range_mm=range_mm, hold_target_s=hold_target)
        for r in lifting.reps
    ]

    plain = rng.random() < 0.3
    if l0x:
        rate = L0X_PLAIN_HZ if plain else L0X_RATE_HZ
    else:
        rate = rng.choice(PLAIN_RATES_HZ if plain else JSON_RATES_HZ)
    step = 10.0 if l0x else rng.choice([10.0, 1.0])
    sensor = FieldSensor(
        sensor_rng,
        site,
        range_mm,
        profile,
        null_codes=l0x or sensor_rng.random() < 0.5,
        mix=sensor_rng.uniform(0.05, 0.2),
        seats=seat_levels(lifting),
        tilt=draw_tilt(layer("tilt"), lifting, reps, range_mm)
        if kind is FieldFamily.TILT
        else None,
        passers=draw_passers(layer("passers"), lifting, site)
        if kind is FieldFamily.PASSERS
        else None,
        slip=draw_slip(layer("slip"), lifting, chosen_mount, range_mm)
        if kind is FieldFamily.SLIP
        else None,
        light=draw_light(layer("light"), lifting) if kind is FieldFamily.LIGHT else None,
    )
    clock = layer("clock")
    samples = []
    stamps = []
    for k in range(int(lifting.path.t * rate)):
        if l0x:  # measured on the ESP32's schedule, stamped when collected
            t = k / rate + clock.uniform(0.0, 0.002)
            stamps.append(clock.uniform(*L0X_STAMP_S))
        else:
            t = max(0.0, (k + clock.uniform(-0.1, 0.1)) / rate)
        samples.append((t, *sensor.reading(lifting, t)))
    readings = deliver(layer("wifi"), samples, plain)
    if l0x and not plain:
        readings = [
            SimReading(
                r.t, r.arrival_t, r.device_ms + round(s * 1000.0), r.seq, r.distance_mm, r.status
            )
            for r, s in zip(readings, stamps, strict=True)
        ]
    if plain:
        readings = [_stepped(r, step) for r in readings]
    delivery: dict[str, Any] = {}
    if kind is FieldFamily.NETWORK:
        readings, delivery = lossy(
            layer("network"), readings, plain=plain, duration_s=lifting.path.t
        )
    valid = sorted(r.t for r in readings if r.sees_target())
    for detail in reps:
        detail["top_seen"] = _top_seen(detail, valid)
    layers = _layers(sensor, delivery)
    truth = {
        **site_truth(seed, str(kind), rate, site, plain=plain, step=step, lifting=lifting),
        "settings": {"program": str(program), "variation": str(variation), "target_reps": target},
        "hold_target_s": hold_target,
        "rom_mm": range_mm,
        "sensor": profile.model,
        "lifter": {"sloppy": lifting.style.sloppy, "lift_s": lifting.style.lift_s},
        "sets": truth_sets(reps, lifting.sets),
        "away": lifting.away,
        "field": layers,
    }
    name = (
        f"field-{kind}-{seed}-{variation}-{site.mount}-{site.seat_mm / 10:.0f}cm-"
        f"{'plain' if plain else 'json'}-{rate:g}hz"
    )
    return SimSession(name=name, seed=seed, rate_hz=rate, readings=tuple(readings), truth=truth)


def _stepped(reading: SimReading, step: float) -> SimReading:
    """ESPHome's plain payload: metres with 2 or 3 decimals."""
    d = reading.distance_mm
    if d is None or reading.status >= 4:
        return reading
    return SimReading(
        reading.t, reading.arrival_t, reading.device_ms, reading.seq, round(d / step) * step, 0
    )


def _top_seen(detail: dict[str, Any], valid: list[float]) -> bool:
    """Whether a reading saw the rep's top (its squeeze, 0.1 s either side), as scoring asks."""
    start = detail["hold_start_t"] - TOP_SLACK_S
    end = detail["hold_start_t"] + detail["hold_s"] + TOP_SLACK_S
    k = bisect.bisect_left(valid, start)
    return k < len(valid) and valid[k] <= end


def _layers(sensor: FieldSensor, delivery: dict[str, Any]) -> dict[str, Any]:
    """The disturbance as drawn, JSON-ready (for tests and for reading a session's truth)."""
    out: dict[str, Any] = {}
    if sensor.tilt is not None:
        out["tilt"] = {"gain": sensor.tilt.base, "rep_gains": list(sensor.tilt.gains)}
    if sensor.passers is not None:
        out["passers"] = [
            {
                "start_t": p.start_t,
                "end_t": p.end_t,
                "who": p.who,
                "distance_mm": p.distance_mm,
                "empty_bench": p.on_empty_bench,
            }
            for p in sensor.passers.crossings
        ]
    if sensor.slip is not None:
        out["slips"] = [
            {"start_t": a, "seconds": s, "mm": mm, "kind": kind}
            for a, s, mm, kind in sensor.slip.events
        ]
    if sensor.light is not None:
        light = sensor.light
        out["light"] = {
            "noise_gain": light.noise_gain,
            "bias_mm": light.bias_mm,
            "bias_period_s": light.bias_period_s,
            "warn_share": light.warn_share,
            "no_target": [list(run) for run in light.dark],
        }
    if sensor.profile.model != "VL53L1X":
        p = sensor.profile
        out["sensor"] = {"model": p.model, "bias_mm": p.bias_mm, "sigma_base": p.sigma_base}
    if delivery:
        out["network"] = delivery
    return out
