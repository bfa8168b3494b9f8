"""The ``upsets`` corpus: a hold-out session interrupted inside a set, one upset each.

- ``reboot``: the sensor reboots in the middle of a set (a knocked cable, a brown-out): no
  reading for 2.5-8 s (boot, ranging set-up, Wi-Fi and MQTT), then the firmware's device clock
  starts again at 0.3-1.5 s and its sequence at 0; ESPHome's plain topic just falls silent;
  the first 0-3 readings after the boot fail (range status 4) while the ranging settles;
- ``restart``: Home Assistant restarts in the middle of a set (an update, a config reload): it
  is down for 10-40 s and nothing sent meanwhile reaches it; the engine that comes back starts
  from the snapshot the one that stopped saved (``truth["restarts"]``: when Home Assistant
  went down and came back up, on the arrival clock, for :func:`..benchmark.run_engine`);
- ``crossing``: someone crosses the beam between the sensor and the hips in the middle of a
  set (a training partner leaning over the bench, a child, a dog; the field corpus's passers
  keep clear of sets): for 0.3-1.5 s the sensor ranges them, nearer the lens than the hips (at
  25-80 % of the hips' distance, at least 6 cm), the cone filling and emptying over 0.1 s,
  their surface moving by up to 8 cm and read with 3-12 mm of noise; every reading is valid.

The lifter goes on lifting through either. A rep the gap (or the crossing) caught any part of is marked
``interrupted`` (the engine saw it in part, or not at all): counting it or not is both right,
as for a rep whose top fell into a dropout. The set must still count as one set, and every
rep seen whole must be in it.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from enum import StrEnum
from typing import Any

from ..holdout import holdout_session
from ..sim.model import Mount, SimReading, SimSession

__all__ = ["UPSETS", "Upset", "upset_session"]

REBOOT_SILENCE_S = (2.5, 8.0)  # boot, VL53L1X set-up, Wi-Fi association, MQTT connect
REBOOT_CLOCK_S = (0.3, 1.5)  # the device clock when the first reading after boot is taken
REBOOT_FAILED_READINGS = (0, 3)  # ranging settling after the sensor's re-initialisation
RESTART_DOWN_S = (10.0, 40.0)  # a Home Assistant core restart
INSIDE_SET = (0.25, 0.75)  # where in the set the upset falls (fraction of the set's span)
MIN_SET_REPS = 4  # a set long enough to have reps before and after the upset
FAILED_STATUS = 4
ARRIVAL_SLACK_S = 0.5  # a reading's arrival may trail its sample by this much
PASS_EDGE_S = 0.1  # the cone filling as they come in (and emptying as they go): readings mix
PASS_S = (0.3, 1.5)  # a body crossing a narrow beam, from a quick step to a lean over the bench
PASS_DEPTH = (0.25, 0.8)  # where the passer is, as a share of the hips' distance from the lens
PASS_NEAREST_SHARE = 0.9  # in front of the hips: at most 90 % of their distance from the lens
PASS_NEAREST_MM = 60.0  # nothing crosses nearer the lens than this (it is under a cover)
PASS_SWAY_MM = (0.0, 80.0)  # how much the passer's surface moves while in the beam
PASS_NOISE_MM = (3.0, 12.0)  # ranging noise on clothing, fur, skin at an angle


class Upset(StrEnum):
    """What interrupts the set."""

    REBOOT = "reboot"
    RESTART = "restart"
    CROSSING = "crossing"


UPSETS = tuple(Upset)


def upset_session(seed: int, kind: Upset | str, *, mount: Mount | None = None) -> SimSession:
    """A hold-out session of ``seed`` with one upset in one of its sets, fully determined by
    ``seed`` and ``kind`` (and ``mount`` when given)."""
    upset = Upset(kind)
    base = holdout_session(seed, mount=mount)
    rng = random.Random(f"upsets:{seed}:{upset}")
    sets = [s for s in base.truth["sets"] if s["reps"] >= MIN_SET_REPS] or base.truth["sets"]
    chosen = rng.choice(sets)
    span = chosen["end_t"] - chosen["start_t"]
    at = chosen["start_t"] + span * rng.uniform(*INSIDE_SET)
    if upset is Upset.REBOOT:
        readings, record = _reboot(rng, base, at)
        gap = (at, at + record["silence_s"])
    elif upset is Upset.RESTART:
        readings, record = _restart(rng, base, at)
        gap = (record["down_t"], record["up_t"])
    else:
        readings, record = _crossing(rng, base, at)
        gap = (at, at + record["pass_s"])
    truth: dict[str, Any] = {
        **base.truth,
        "family": str(upset),
        "upset": record,
        "sets": [_interrupted(s, *gap) for s in base.truth["sets"]],
    }
    if upset is Upset.RESTART:
        truth["restarts"] = [[record["down_t"], record["up_t"]]]
    name = base.name.replace("holdout-", f"upsets-{upset}-", 1)
    return replace(base, name=name, readings=tuple(readings), truth=truth)


def _interrupted(record: dict[str, Any], start: float, end: float) -> dict[str, Any]:
    """A set whose reps caught in the gap (any part of them, give or take the Wi-Fi's delay)
    are marked ``interrupted``: seen in part, so counting them or not is both right."""

    def caught(rep: dict[str, Any]) -> bool:
        return bool(
            rep["start_t"] - ARRIVAL_SLACK_S < end and rep["end_t"] + ARRIVAL_SLACK_S > start
        )

    details = [{**r, "interrupted": True} if caught(r) else r for r in record["rep_details"]]
    return {**record, "rep_details": details}


def _reboot(
    rng: random.Random, base: SimSession, at: float
) -> tuple[list[SimReading], dict[str, Any]]:
    """Silence from ``at``, then a young device clock and sequence, first readings failed."""
    silence = rng.uniform(*REBOOT_SILENCE_S)
    back = at + silence
    boot_ms = rng.uniform(*REBOOT_CLOCK_S) * 1000.0
    failed = rng.randint(*REBOOT_FAILED_READINGS)
    before = [r for r in base.readings if r.t < at]
    after = [r for r in base.readings if r.t >= back]
    if after:
        first_t = after[0].t
        seq0 = after[0].seq
        after = [
            SimReading(
                r.t,
                r.arrival_t,
                round(boot_ms + (r.t - first_t) * 1000.0),
                r.seq - seq0,
                None if k < failed else r.distance_mm,
                FAILED_STATUS if k < failed else r.status,
            )
            for k, r in enumerate(after)
        ]
    record = {"at_t": at, "silence_s": silence, "failed_readings": failed}
    return before + after, record


def _restart(
    rng: random.Random, base: SimSession, at: float
) -> tuple[list[SimReading], dict[str, Any]]:
    """Nothing arriving from ``at`` (on the arrival clock) until Home Assistant is back."""
    down = rng.uniform(*RESTART_DOWN_S)
    up = at + down
    kept = [r for r in base.readings if not at <= r.arrival_t < up]
    return kept, {"down_t": at, "up_t": up, "down_s": down}


def _crossing(
    rng: random.Random, base: SimSession, at: float
) -> tuple[list[SimReading], dict[str, Any]]:
    """From ``at``, the beam ranges someone crossing it, nearer the lens than the hips (mixed
    with the hips while the cone fills and empties, when the hips are in view)."""
    span = rng.uniform(*PASS_S)
    depth = rng.uniform(*PASS_DEPTH)
    sway = rng.uniform(*PASS_SWAY_MM) * rng.choice((-1.0, 1.0))
    noise = rng.uniform(*PASS_NOISE_MM)
    hips = [r.distance_mm for r in base.readings if r.t < at and r.distance_mm and r.sees_target()]
    nearest = depth * (hips[-1] if hips else 500.0)
    readings: list[SimReading] = []
    behind = hips[-1] if hips else 500.0  # the hips, behind the passer
    for r in base.readings:
        if r.sees_target() and r.distance_mm:
            behind = r.distance_mm
        if at <= r.t < at + span:  # a near body returns strongly: every reading is theirs
            phase = (r.t - at) / span  # the surface leans in and out as they cross
            d = nearest + sway * math.sin(math.pi * phase) + rng.gauss(0.0, noise)
            d = min(d, PASS_NEAREST_SHARE * behind)  # in front of the hips, always
            fill = min(1.0, (r.t - at) / PASS_EDGE_S, (at + span - r.t) / PASS_EDGE_S)
            if fill < 1.0 and r.sees_target() and r.distance_mm is not None:
                d = fill * d + (1.0 - fill) * r.distance_mm
            readings.append(replace(r, distance_mm=float(round(max(PASS_NEAREST_MM, d))), status=0))
        else:
            readings.append(r)
    record = {"at_t": at, "pass_s": span, "depth": depth, "sway_mm": sway, "noise_mm": noise}
    return readings, record
