"""Health of a sensor's stream: log lines for bad payloads and repair issues for lasting trouble."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import (
    CALIBRATION_UNSETTLED_ISSUE_AFTER_S,
    CONF_STATE_TOPIC,
    DOMAIN,
    INVALID_PAYLOAD_ISSUE_AFTER,
    LOGGER,
    SILENT_ISSUE_AFTER_S,
)
from .engine import FeedResult
from .engine.health import Counters

ISSUE_INVALID_PAYLOADS = "invalid_payloads"
ISSUE_SENSOR_SILENT = "sensor_silent"
ISSUE_CALIBRATION_UNSETTLED = "calibration_unsettled"


class StreamHealth:
    """Watches what arrives on the sample topic and raises or clears repair issues.

    The counts are the engine's own (:class:`.engine.health.Counters`), read, never kept twice;
    only what is Home Assistant's business (runs of bad payloads, open issues) is kept here.
    """

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, now: float, counters: Counters
    ) -> None:
        """Watch from ``now`` (clock seconds) the stream the engine counts in ``counters``."""
        self._hass = hass
        self._entry = entry
        self._counters = counters
        self.consecutive_unusable = 0
        self.last_error: str | None = None
        self._silence_from = now
        self._open_issues: set[str] = set()

    @property
    def payloads(self) -> int:
        """Payloads the engine read."""
        return self._counters.payloads

    @property
    def rejected_payloads(self) -> int:
        """Payloads that could not be decoded."""
        return self._counters.payload_errors

    @property
    def readings(self) -> int:
        """Readings in the decoded payloads (duplicates left out)."""
        return self._counters.readings

    @property
    def invalid_readings(self) -> int:
        """Readings that gave no usable distance (also late ones)."""
        return self._counters.readings - self._counters.valid

    @callback
    def async_payload(self, now: float, result: FeedResult, *, only_invalid_data: bool) -> None:
        """Account for one payload the engine has just read.

        ``only_invalid_data``: the engine has seen nothing but invalid readings for a while
        (failure range status, absurd distances), which is as useless as an unreadable payload.
        """
        self._silence_from = now
        self._async_clear(ISSUE_SENSOR_SILENT)
        if result.error is not None:
            self.last_error = f"{result.error.code}: {result.error.detail}"
        elif only_invalid_data:
            self.last_error = "only invalid readings"
        else:
            if self.consecutive_unusable:
                LOGGER.info(
                    "%s: usable data again after %d bad payloads",
                    self._entry.title,
                    self.consecutive_unusable,
                )
            self.consecutive_unusable = 0
            self._async_clear(ISSUE_INVALID_PAYLOADS)
            return
        self.consecutive_unusable += 1
        if self.consecutive_unusable == 1:
            # One line per run of bad payloads: at 10 messages/s more would drown the log.
            LOGGER.warning(
                "%s: unusable payload on %s (%s); more are logged at debug level",
                self._entry.title,
                self._entry.data[CONF_STATE_TOPIC],
                self.last_error,
            )
        else:
            LOGGER.debug("%s: unusable payload (%s)", self._entry.title, self.last_error)
        if self.consecutive_unusable >= INVALID_PAYLOAD_ISSUE_AFTER:
            self._async_raise(ISSUE_INVALID_PAYLOADS, error=self.last_error)

    @callback
    def async_tick(self, now: float, *, sensor_online: bool) -> None:
        """Raise the silence issue when an online sensor has sent nothing for long."""
        if not sensor_online:
            # An offline sensor (LWT) or broker is expected to be silent; count from its return.
            self._silence_from = now
            return
        if now - self._silence_from >= SILENT_ISSUE_AFTER_S:
            self._async_raise(ISSUE_SENSOR_SILENT, minutes=str(round(SILENT_ISSUE_AFTER_S / 60)))

    @callback
    def async_calibration(self, now: float, recalibrating_since: float | None) -> None:
        """Ask the user only when relearning the geometry has not settled for minutes."""
        if recalibrating_since is None:
            self._async_clear(ISSUE_CALIBRATION_UNSETTLED)
        elif now - recalibrating_since >= CALIBRATION_UNSETTLED_ISSUE_AFTER_S:
            self._async_raise(
                ISSUE_CALIBRATION_UNSETTLED,
                minutes=str(round(CALIBRATION_UNSETTLED_ISSUE_AFTER_S / 60)),
            )

    def as_dict(self) -> dict[str, object]:
        """Counters for diagnostics."""
        return {
            "payloads": self.payloads,
            "rejected_payloads": self.rejected_payloads,
            "consecutive_unusable": self.consecutive_unusable,
            "readings": self.readings,
            "invalid_readings": self.invalid_readings,
            "last_error": self.last_error,
            "open_issues": sorted(self._open_issues),
        }

    def _issue_id(self, key: str) -> str:
        return f"{key}_{self._entry.entry_id}"

    @callback
    def _async_raise(self, key: str, **placeholders: str) -> None:
        if key in self._open_issues:
            return
        self._open_issues.add(key)
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            self._issue_id(key),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=key,
            translation_placeholders={
                "name": self._entry.title,
                "topic": self._entry.data[CONF_STATE_TOPIC],
                **placeholders,
            },
        )

    @callback
    def _async_clear(self, key: str) -> None:
        if key in self._open_issues:
            self._open_issues.discard(key)
            ir.async_delete_issue(self._hass, DOMAIN, self._issue_id(key))
