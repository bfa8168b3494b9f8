"""The schema library Home Assistant validates with.

Home Assistant 2026.10 validates with probatio (and aliases ``voluptuous`` to it at start-up);
older releases use voluptuous, whose API probatio mirrors. Importing it from here types our
schemas as the running Home Assistant expects them.
"""

from __future__ import annotations

try:
    import probatio as vol
except ImportError:  # Home Assistant before probatio
    import voluptuous as vol  # type: ignore[no-redef]

__all__ = ["vol"]
