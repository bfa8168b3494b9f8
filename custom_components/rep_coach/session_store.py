"""Where one bench's session is kept across restarts, and what happens when it cannot be read.

Home Assistant's ``Store`` keeps the engine's snapshot in ``.storage/rep_coach.<entry_id>``. A
store saved in an older format goes through ``Store``'s migration hook, which hands it to the
engine's migrations (:func:`.engine.snapshot.load_snapshot`). A store that cannot be read (saved
by a newer Rep Coach, or damaged) is copied aside first, never overwritten, so nothing is lost.
"""

from __future__ import annotations

import inspect
import os
import sys
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.json import save_json
from homeassistant.helpers.storage import STORAGE_DIR, Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER
from .engine.snapshot import (
    SNAPSHOT_VERSION,
    NewerSnapshotError,
    Snapshot,
    SnapshotError,
    load_snapshot,
)

# The store's format is the engine's snapshot format. A minor version would be an addition that
# an older Rep Coach can still read (Home Assistant then loads it without migrating).
STORE_VERSION: Final = SNAPSHOT_VERSION
STORE_MINOR_VERSION: Final = 1
ASIDE_SUFFIX: Final = "unreadable"
# Home Assistant 2026.3 and later refuse a newer major version before the migration hook sees
# it; reading every version lets the hook keep that data aside (2026.2 has no such check and no
# such argument: drop this test with 2026.2).
_READ_EVERY_VERSION: Final[dict[str, Any]] = (
    {"max_readable_version": sys.maxsize}
    if "max_readable_version" in inspect.signature(Store.__init__).parameters
    else {}
)
ISSUE_UNREADABLE_SESSION: Final = "unreadable_session"
ISSUE_SESSION_FROM_NEWER_VERSION: Final = "session_from_newer_version"


class UnreadableSessionError(Exception):
    """The saved session could not be read; a copy was kept at ``path``."""

    def __init__(self, path: str, error: SnapshotError) -> None:
        """Where the copy is and why the data could not be read."""
        super().__init__(f"{error} (kept at {path})")
        self.path = path
        self.error = error

    @property
    def newer_version(self) -> bool:
        """Saved by a newer Rep Coach (a downgrade): updating again brings it back."""
        return isinstance(self.error, NewerSnapshotError)


class _StoredDataError(Exception):
    """What was read from disk, and why the engine refused it."""

    def __init__(self, stored: dict[str, Any], error: SnapshotError) -> None:
        super().__init__(str(error))
        self.stored = stored
        self.error = error


class SessionStore(Store[dict[str, Any]]):
    """One entry's saved session, in the engine's current snapshot format."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """The store of ``entry_id``."""
        super().__init__(
            hass,
            STORE_VERSION,
            f"{DOMAIN}.{entry_id}",
            minor_version=STORE_MINOR_VERSION,
            **_READ_EVERY_VERSION,
        )

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        """Older formats become the current one; a newer or unreadable one is refused."""
        try:
            if old_major_version > STORE_VERSION:
                raise NewerSnapshotError(old_major_version)
            return load_snapshot(old_data).model_dump(mode="json")
        except SnapshotError as err:
            raise _StoredDataError(
                self._file_content(old_major_version, old_minor_version, old_data), err
            ) from err

    async def async_load_snapshot(self) -> Snapshot | None:
        """The saved session (migrated if it was older), or None when there is none.

        Raises :class:`UnreadableSessionError` when it cannot be read, after copying it aside.
        """
        try:
            saved = await self.async_load()
            if saved is None:
                return None
            try:
                return load_snapshot(saved)
            except SnapshotError as err:
                raise _StoredDataError(
                    self._file_content(self.version, self.minor_version, saved), err
                ) from err
        except _StoredDataError as err:
            path = await self._async_keep_aside(err.stored)
            raise UnreadableSessionError(path, err.error) from err.error

    def _file_content(self, version: int, minor_version: int, data: Any) -> dict[str, Any]:
        return {"version": version, "minor_version": minor_version, "key": self.key, "data": data}

    async def _async_keep_aside(self, stored: dict[str, Any]) -> str:
        """Copy what was read next to the store, under a name nothing else writes."""
        stamp = dt_util.utcnow().strftime("%Y%m%dT%H%M%S.%fZ")
        path = self.hass.config.path(STORAGE_DIR, f"{self.key}.{ASIDE_SUFFIX}-{stamp}")
        await self.hass.async_add_executor_job(_write_copy, path, stored)
        return path


def _write_copy(path: str, stored: dict[str, Any]) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    save_json(path, stored, private=True, atomic_writes=True)


def unreadable_session_issue_id(entry_id: str) -> str:
    """The repair issue that says where an entry's unreadable session was kept."""
    return f"{ISSUE_UNREADABLE_SESSION}_{entry_id}"


@callback
def async_report_unreadable_session(
    hass: HomeAssistant, entry: ConfigEntry, err: UnreadableSessionError
) -> None:
    """Log it and raise a repair issue that says where the copy is (until the user confirms)."""
    LOGGER.error(
        "%s: the saved session cannot be read (%s); a copy is kept at %s and the bench starts "
        "a new session",
        entry.title,
        err.error,
        err.path,
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        unreadable_session_issue_id(entry.entry_id),
        is_fixable=True,
        is_persistent=True,
        severity=ir.IssueSeverity.ERROR,
        translation_key=ISSUE_SESSION_FROM_NEWER_VERSION
        if err.newer_version
        else ISSUE_UNREADABLE_SESSION,
        translation_placeholders={"name": entry.title, "path": err.path, "error": str(err.error)},
    )
