"""Rep Coach: a single-leg hip thrust coach on a bench-mounted ToF distance sensor.

Importing this package loads no Home Assistant code, so the pure engine (``.engine``) is also a
library: the command-line tools and the benchmark import it where Home Assistant is not
installed. Home Assistant's entry points live in :mod:`.integration`; ``__all__`` names them,
once.

Inside Home Assistant (its core already imported) they are imported here, eagerly: Home
Assistant imports this package in its import executor, and anything imported later, when it
first asks for ``async_setup_entry``, would be imported inside the event loop (Home Assistant
logs that as a blocking call). Elsewhere (the command-line tools, the engine as a library)
they are resolved the first time something asks this module for them (PEP 562 ``__getattr__``).
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = [
    "CONFIG_SCHEMA",
    "PLATFORMS",
    "async_remove_entry",
    "async_setup",
    "async_setup_entry",
    "async_unload_entry",
]


def _load_entry_points() -> None:
    """Bind the names of ``__all__`` to :mod:`.integration`'s."""
    from . import integration  # noqa: PLC0415 - deferred: the engine must import without HA

    globals().update({name: getattr(integration, name) for name in __all__})


def __getattr__(name: str) -> Any:
    """Home Assistant's entry points, from :mod:`.integration` on first use."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    _load_entry_points()
    return globals()[name]


if "homeassistant.core" in sys.modules:
    _load_entry_points()
