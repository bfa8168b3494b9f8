"""Constants for the Rep Coach integration."""

from __future__ import annotations

import logging
from typing import Final

from .engine import protocol

DOMAIN: Final = "rep_coach"
LOGGER = logging.getLogger(__package__)

MANUFACTURER: Final = protocol.MANUFACTURER
DEFAULT_NAME: Final = protocol.DEFAULT_NAME

# Config entry data (what identifies and reaches the sensor).
CONF_SENSOR_ID: Final = "sensor_id"
CONF_STATE_TOPIC: Final = "state_topic"
CONF_AVAILABILITY_TOPIC: Final = "availability_topic"
CONF_PAYLOAD_AVAILABLE: Final = "payload_available"
CONF_PAYLOAD_NOT_AVAILABLE: Final = "payload_not_available"
CONF_PAYLOAD_FORMAT: Final = "payload_format"
CONF_MODEL: Final = "model"
CONF_MANUFACTURER: Final = "manufacturer"
CONF_SW_VERSION: Final = "sw_version"

# Bus event fired for every engine event.
EVENT_REP_COACH: Final = "rep_coach_event"
ATTR_ENTRY_ID: Final = "entry_id"
ATTR_TYPE: Final = "type"

# Timers.
TICK_INTERVAL_S: Final = 1.0
HIP_POSITION_MIN_INTERVAL_S: Final = 0.5  # hip position writes at most twice a second
STORE_SAVE_DELAY_S: Final = 10.0

# Repairs: the topic carries only garbage, or nothing at all, for this long.
INVALID_PAYLOAD_ISSUE_AFTER: Final = 50  # consecutive undecodable/invalid payloads
SILENT_ISSUE_AFTER_S: Final = 3600.0
CALIBRATION_UNSETTLED_ISSUE_AFTER_S: Final = 180.0  # reps that fit nothing learned, for minutes
