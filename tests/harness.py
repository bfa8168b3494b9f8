"""Pure helpers behind the root conftest's hooks (tested in tests/test_harness.py)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

DEPRECATION_WORDS = ("deprecat", "will stop working", "stop working in home assistant")


def is_deprecation_report(record: logging.LogRecord) -> bool:
    """Whether a log record reports deprecated use by Rep Coach.

    Home Assistant reports it from its own loggers (``homeassistant.helpers.frame``: "Detected
    that custom integration 'rep_coach' ... This will stop working in Home Assistant 2026.12.0");
    our own loggers must never say it either.
    """
    message = record.getMessage()
    ours = record.name.startswith("custom_components.rep_coach") or (
        "'rep_coach'" in message or "custom_components/rep_coach" in message
    )
    return ours and any(word in message.lower() for word in DEPRECATION_WORDS)


def skip_summary(reasons: Iterable[str]) -> str:
    """One line naming what was skipped and why, the most frequent reason first."""
    counts = Counter(reason.removeprefix("Skipped: ").strip() for reason in reasons)
    if not counts:
        return "Skipped: nothing"
    total = sum(counts.values())
    parts = [f"{reason} ({count})" for reason, count in counts.most_common()]
    return f"Skipped {total}: " + "; ".join(parts)
