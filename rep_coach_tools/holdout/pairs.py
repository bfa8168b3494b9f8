"""Hold-out sessions played back to back in pairs, in one engine stream: the ``pairs`` corpus.

Each stream is two hold-out sessions of different seeds (another lifter, another bench: seat,
range, background, noise and Wi-Fi of their own) under one configuration and one sensor delivery
(:class:`.Shared`), joined by :func:`..sim.streams.concatenate`: after the first lifter left, the
sensor keeps reporting the empty bench for 20-90 s (``online``) or is switched off for 1-30 min
and boots again with a new clock and sequence (``offline``). ``reclamped``: the second session's
sensor is mounted the other way round (above the hips -> below, or back).
"""

from __future__ import annotations

import random
from dataclasses import replace

from ..sim.model import Mount, SimSession
from ..sim.streams import concatenate
from . import Shared, holdout_session

__all__ = ["PAIR_VARIANTS", "holdout_pair", "pair_parts"]

PAIR_VARIANTS = ("same-orientation", "reclamped")
TAIL_AWAY_S = (20.0, 90.0)  # the empty bench the first lifter leaves behind


def pair_parts(
    seed: int, *, reclamp: bool, mount: Mount | None = None
) -> tuple[list[SimSession], list[str], random.Random]:
    """The two sessions of a pair, their gaps, and the generator :func:`holdout_pair` joins
    them with."""
    rng = random.Random(f"pairs:{seed}")
    shared = Shared.draw(rng)
    first_mount = mount or rng.choice(list(Mount))
    first_seed = rng.randrange(1, 2**31)
    second_seed = first_seed
    while second_seed == first_seed:
        second_seed = rng.randrange(1, 2**31)
    gap = rng.choice(["online", "online", "offline"])
    first = holdout_session(
        first_seed, mount=first_mount, shared=shared, tail_away_s=rng.uniform(*TAIL_AWAY_S)
    )
    second_mount = first_mount.other if reclamp else first_mount
    second = holdout_session(second_seed, mount=second_mount, shared=shared)
    return [first, second], ["start", gap], rng


def holdout_pair(seed: int, *, reclamp: bool, mount: Mount | None = None) -> SimSession:
    """Two hold-out sessions in one stream, fully determined by ``seed`` (and ``mount``, the
    first session's, when given)."""
    sessions, gaps, rng = pair_parts(seed, reclamp=reclamp, mount=mount)
    joined = concatenate(sessions, gaps, rng)
    variant = PAIR_VARIANTS[reclamp]
    truth = {
        **joined.truth,
        "family": f"pairs-{variant}",
        "pair_variant": variant,
        "pair_seeds": [s.seed for s in sessions],
    }
    first = sessions[0]
    stream = f"{'plain' if first.plain else 'json'}-{first.rate_hz:g}hz"
    name = f"pairs-{seed}-{variant}-{first.mount}-{stream}"
    return replace(joined, name=name, seed=seed, truth=truth)
