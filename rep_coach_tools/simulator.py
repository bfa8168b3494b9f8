"""Synthetic sessions with ground truth, for tests, the benchmark, the emulator and the demo.

The generators live in :mod:`rep_coach_tools.sim`; this module is their front door.
``simulate_session(seed)`` is the classic session (what the emulator, the demo and the tests
replay by seed); ``simulate_session(seed, family=...)`` draws from a broadened family
(:class:`Family`), with :class:`Options` to fix what the seed would otherwise draw.
"""

from __future__ import annotations

import random
from dataclasses import replace

from .sim.broad import Options, simulate_family
from .sim.classic import simulate_classic
from .sim.model import Mount, SimReading, SimSession
from .sim.scenario import BROAD_FAMILIES, Family

__all__ = [
    "BROAD_FAMILIES",
    "Family",
    "Mount",
    "Options",
    "SimReading",
    "SimSession",
    "corpus",
    "simulate_session",
]


def simulate_session(
    seed: int,
    *,
    rate_hz: float | None = None,
    family: Family | str = Family.CLASSIC,
    options: Options | None = None,
) -> SimSession:
    """A realistic session, fully determined by ``seed`` (rate drawn from 10-50 Hz if None)."""
    chosen = Family(family)
    if chosen is Family.CLASSIC:
        if options is not None:
            raise ValueError("classic sessions take no options")
        return simulate_classic(seed, rate_hz=rate_hz)
    options = options or Options()
    if rate_hz is not None:
        options = replace(options, rate_hz=rate_hz)
    return simulate_family(seed, chosen, options)


def corpus(
    seed: int = 2026, count: int = 48, *, family: Family | str = Family.CLASSIC
) -> list[SimSession]:
    """``count`` varied sessions from one seed; broadened families alternate the mount."""
    rng = random.Random(seed)
    seeds = [rng.randrange(1, 2**31) for _ in range(count)]
    if Family(family) is Family.CLASSIC:
        return [simulate_session(s) for s in seeds]
    mounts = (Mount.ABOVE, Mount.BELOW)
    return [
        simulate_session(s, family=family, options=Options(mount=mounts[k % 2]))
        for k, s in enumerate(seeds)
    ]
