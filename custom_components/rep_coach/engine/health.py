"""What arrived on a sensor's stream and what became of it: the engine's input statistics."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(slots=True)
class Counters:
    """Input statistics for diagnostics."""

    payloads: int = 0
    payload_errors: int = 0
    readings: int = 0
    valid: int = 0
    no_target: int = 0
    invalid: int = 0
    out_of_order: int = 0
    duplicates: int = 0
    gaps: int = 0

    def as_dict(self) -> dict[str, int]:
        """JSON-ready, in declaration order."""
        return asdict(self)
