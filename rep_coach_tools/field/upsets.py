"""The ``upsets`` corpus: a hold-out session interrupted inside a set, one upset each.

- ``reboot``: the sensor reboots in the middle of a set (a knocked cable, a brown-out): no
  reading for 2.5-8 s (boot, ranging set-up, Wi-Fi and MQTT), then the firmware's device clock
  starts again at 0.3-1.5 s and its sequence at 0; ESPHome's plain topic just falls silent;
  the first 0-3 readings after the boot fail (range status 4) while the ranging settles;
- ``restart``: Home Assistant restarts in the middle of a set (an update, a config reload): it
  is down for 10-40 s and nothing sent meanwhile reaches it; the engine that comes back starts
  from the snapshot the one that stopped saved (``truth["restarts"]``: when Home Assistant
  went down and came back up, on the arrival clock, for :func:`..benchmark.run_engine`).

The lifter goes on lifting through either. A rep the gap caught any part of is marked
``interrupted`` (the engine saw it in part, or not at all): counting it or not is both right,
as for a rep whose top fell into a dropout. The set must still count as one set, and every
rep seen whole must be in it.
"""

from __future__ import annotations

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


class Upset(StrEnum):
    """What interrupts the set."""

    REBOOT = "reboot"
    RESTART = "restart"


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
    else:
        readings, record = _restart(rng, base, at)
        gap = (record["down_t"], record["up_t"])
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
