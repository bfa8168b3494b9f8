"""What every generator's truth must say of a rep: complete past 80 % of the range, partial
below it (and, where the generator only draws reportable partials, from 30 %), each with the
margin the rule keeps away from its borders, and timed in order."""

from __future__ import annotations

from typing import Any

from rep_coach_tools.sim.truth import RULE_MARGIN_MM


def assert_rep_follows_the_rules(rep: dict[str, Any], *, partials_from_30: bool) -> None:
    """Fail unless the truth of one rep keeps the README's rules and the margin around them."""
    full = rep["rom_mm"] * 100.0 / rep["range_pct"]
    if rep["complete"]:
        assert rep["rom_mm"] >= 0.80 * full + RULE_MARGIN_MM - 1.0
    else:
        assert rep["rom_mm"] <= 0.80 * full - RULE_MARGIN_MM + 1.0
        if partials_from_30:
            assert rep["rom_mm"] >= 0.30 * full + RULE_MARGIN_MM - 1.0
    assert rep["start_t"] < rep["hold_start_t"] <= rep["end_t"]
