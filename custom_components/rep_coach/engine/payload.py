"""Moved to :mod:`.protocol`; only the sensor codes that ``conditioning`` imports stay here.

Remove once ``conditioning.py`` imports them from ``.protocol``.
"""

from .protocol import NO_TARGET_CODES, TIMEOUT_CODE

__all__ = ["NO_TARGET_CODES", "TIMEOUT_CODE"]
