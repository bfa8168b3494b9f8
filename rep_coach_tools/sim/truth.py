"""Ground truth: the README's timing definition applied to a clean trajectory at 1 kHz.

This shares no code with the engine: exact derivatives of the generator's own movement (no
estimation, no smoothing), evaluated on what the lifter did rather than on what a sensor saw.

The definition, as the README states it: the rep's range is its highest point minus the level
it started from; the hold band is the top 10 % of that range (14 % on a stability ball), the
bottom band the lowest 10 %. The lift starts where the upward speed was last below 15 % of the
lift's peak before the hips left the bottom band; the hold (squeeze) runs from when the upward
speed falls below that inside the hold band until the downward speed exceeds 15 % of the
lowering's peak; the lowering ends when, inside the bottom band, the downward speed falls below
it. A dip out of the hold band that comes back into it is part of the hold.

Extension for a rep that ends above the level it started from (the next rep starts from there):
when the lowering never re-enters the bottom band, its bottom band is the lowest 10 % of the
lowering itself (highest point minus the lowest level the lowering reaches).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

TRUTH_HZ = 1000.0
STILL_FRACTION = 0.15
BOTTOM_BAND = 0.10
PARTIAL_RANGE = (0.30, 0.80)  # the README's rules: below 30 % fidgeting, from 80 % counted
# Generators keep every labelled range this far from a rule's threshold: about three sigma of
# the sensor noise at 1 m once a few readings are averaged. Closer, no sensor could tell.
RULE_MARGIN_MM = 12.0


def partial_shares(range_mm: float, low: float, high: float) -> tuple[float, float]:
    """Partial reps' range (share of the full range) within ``low``-``high``, clear of the rules."""
    margin = RULE_MARGIN_MM / range_mm
    return max(low, PARTIAL_RANGE[0] + margin), min(high, PARTIAL_RANGE[1] - margin)


def fidget_limit_mm(range_mm: float) -> float:
    """The largest fidget that is clearly not a partial rep."""
    return PARTIAL_RANGE[0] * range_mm - RULE_MARGIN_MM


def ends_above_limit(range_mm: float, lowest_peak: float) -> float:
    """How high above the seat (share of the range) a rep may end so that the next one, peaking
    at ``lowest_peak`` of the range at least, is still clearly a full rep."""
    return max(0.0, lowest_peak - PARTIAL_RANGE[1] - RULE_MARGIN_MM / range_mm)


def time_rep(
    height: Callable[[float], float],
    start_t: float,
    end_t: float,
    start_level: float,
    band: float,
) -> dict[str, float]:
    """Phase times of one rep between ``start_t`` and ``end_t`` (the lowering's last moment)."""
    dt = 1.0 / TRUTH_HZ
    n = int((end_t - start_t) / dt) + 1
    ts = [start_t + k * dt for k in range(n)]
    hs = [height(t) for t in ts]
    vs = [0.0] + [(hs[k + 1] - hs[k - 1]) / (2 * dt) for k in range(1, n - 1)] + [0.0]
    k_peak = max(range(n), key=hs.__getitem__)
    peak = hs[k_peak]
    rom = peak - start_level
    band_level = peak - band * rom
    bottom_level = start_level + BOTTOM_BAND * rom
    i = k_peak
    while i > 0 and hs[i - 1] > bottom_level:
        i -= 1
    j = next(k for k in range(i, k_peak + 1) if hs[k] >= band_level)
    m = max(k for k in range(k_peak, n) if hs[k] >= band_level)
    end_bottom = _end_bottom_level(hs[m:], peak, bottom_level)
    q = next((k for k in range(m, n) if hs[k] <= end_bottom), n - 1)
    up = STILL_FRACTION * max(vs[i : j + 1])
    down = STILL_FRACTION * max(-v for v in vs[m : q + 1])
    k0 = i
    while k0 > 0 and vs[k0 - 1] >= up:
        k0 -= 1
    k1 = j
    while k1 < m and vs[k1] >= up:
        k1 += 1
    k2 = m
    while k2 > k1 and -vs[k2] >= down:
        k2 -= 1
    k3 = q
    while k3 < n - 1 and -vs[k3] >= down:
        k3 += 1
    return {
        "start_t": ts[k0],
        "hold_start_t": ts[k1],
        "end_t": ts[k3],
        "concentric_s": ts[k1] - ts[k0],
        "hold_s": max(0.0, ts[k2] - ts[k1]),
        "eccentric_s": ts[k3] - ts[k2],
        "rom_mm": rom,
        "end_level_mm": min(hs[m:]),
    }


def _end_bottom_level(lowering: Sequence[float], peak: float, bottom_level: float) -> float:
    lowest = min(lowering)
    if lowest <= bottom_level:
        return bottom_level
    return lowest + BOTTOM_BAND * (peak - lowest)


def truth_rep(
    height: Callable[[float], float],
    rep: dict[str, Any],
    band: float,
    *,
    full_range_mm: float | None = None,
    hold_target_s: float | None = None,
) -> dict[str, Any]:
    """One labelled rep of a script (``start_t``, ``end_t``, ``start_level``, ``partial``).

    ``full_range_mm``: the lifter's full range at the time (seat to top), for ``range_pct``;
    ``hold_target_s``: the session's hold target, for ``hold_reached_t`` (when the squeeze
    reached the target, None when it never did).
    """
    timed = time_rep(height, rep["start_t"], rep["end_t"], rep["start_level"], band)
    out: dict[str, Any] = {"complete": not rep["partial"], **timed}
    del out["end_level_mm"]
    if full_range_mm is not None:
        out["range_pct"] = 100.0 * timed["rom_mm"] / full_range_mm
        out["ends_above_pct"] = 100.0 * (timed["end_level_mm"] - rep["seat_level"]) / full_range_mm
    if hold_target_s is not None:
        reached = timed["hold_s"] >= hold_target_s
        out["hold_reached_t"] = timed["hold_start_t"] + hold_target_s if reached else None
    return out


def truth_sets(reps: list[dict[str, Any]], plan_sets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sets with their timed reps (``plan_sets`` index into ``reps``)."""
    sets = []
    for record in plan_sets:
        details = reps[record["reps_from"] : record["reps_to"]]
        entry = {
            "side": record["side"],
            "start_t": details[0]["start_t"],
            "end_t": details[-1]["end_t"],
            "reps": sum(1 for r in details if r["complete"]),
            "partial_reps": sum(1 for r in details if not r["complete"]),
            "rep_details": details,
        }
        entry.update({k: v for k, v in record.items() if k.startswith("goal")})
        sets.append(entry)
    return sets
