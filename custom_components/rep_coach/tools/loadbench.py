"""``rep-coach bench --load``: how many benches one Home Assistant carries (see README)."""

from __future__ import annotations

import asyncio
import math


class LoopLagProbe:
    """Measures event-loop lag: how late a timer due every ``interval_s`` actually runs."""

    def __init__(self, loop: asyncio.AbstractEventLoop, interval_s: float = 0.02) -> None:
        """Nothing runs until :meth:`start`."""
        self._loop = loop
        self._interval = interval_s
        self._due = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self.lags_ms: list[float] = []

    def start(self) -> None:
        """Begin probing."""
        self._due = self._loop.time() + self._interval
        self._handle = self._loop.call_at(self._due, self._fire)

    def _fire(self) -> None:
        now = self._loop.time()
        self.lags_ms.append(max(0.0, (now - self._due) * 1000.0))
        self._due = now + self._interval
        self._handle = self._loop.call_at(self._due, self._fire)

    def stop(self) -> None:
        """Stop probing (the figures stay)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    @property
    def max_ms(self) -> float:
        """The worst lag seen."""
        return max(self.lags_ms, default=0.0)

    def percentile_ms(self, pct: float) -> float:
        """A percentile of the lags (nearest rank)."""
        return percentile(self.lags_ms, pct)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return ordered[rank - 1]
