"""The detector's faster helpers give exactly what the plain formulations they replace give."""

from __future__ import annotations

import random

import pytest

from custom_components.rep_coach.engine.detector import _covered


def heights(seed: int) -> list[float]:
    """Heights with ties (quantised readings repeat), runs either way and fractions."""
    rng = random.Random(seed)
    out: list[float] = []
    level = 0.0
    for _ in range(rng.randint(1, 90)):
        level += rng.choice([-7.0, -1.0, 0.0, 0.0, 1.0, 5.0]) * rng.choice([1.0, 0.1, 0.3])
        out.append(level)
    return out


def covered_pairwise(hs: list[float], first: int, last: int, reach: int, way: int) -> float:
    """The largest move ``way`` over every pair of readings at most ``reach`` apart."""
    lo, hi = max(0, first - 1), min(len(hs) - 1, last)
    best = 0.0
    for i in range(lo, hi):
        for j in range(i + 1, min(i + reach, hi) + 1):
            best = max(best, way * (hs[j] - hs[i]))
    return best


@pytest.mark.parametrize("seed", range(60))
def test_covered_is_the_largest_pairwise_move_within_reach(seed: int) -> None:
    hs = heights(seed)
    rng = random.Random(-seed)
    first = rng.randrange(len(hs) + 1)
    last = rng.randrange(first, len(hs) + 2)
    reach = rng.randint(1, 12)
    for way in (1, -1):
        fast = _covered(hs, first, last, reach, way)
        assert fast == covered_pairwise(hs, first, last, reach, way)
        assert str(fast) == str(covered_pairwise(hs, first, last, reach, way))  # (signed zero)
