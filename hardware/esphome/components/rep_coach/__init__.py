"""Rep Coach sample batcher: collects each distance reading with the device clock and a sequence
number and publishes them as the JSON batches of the Rep Coach MQTT protocol (hardware/PROTOCOL.md).

Readings come either from the Rep Coach VL53L1X driver, which times each one at its completion and
reports the ones the sensor overwrote (seq gaps), or from any other distance sensor's raw states,
timed when they arrive (ESPHome's VL53L0X). Final validation checks that the announced ``rate_hz``
is the sensor's rate and, for ESPHome's VL53L0X, that its settings can deliver it.
"""

import re

import esphome.codegen as cg
import esphome.config_validation as cv
import esphome.final_validate as fv
from esphome.components import sensor
from esphome.const import (
    CONF_ESPHOME,
    CONF_ID,
    CONF_PLATFORM,
    CONF_SENSOR,
    CONF_UPDATE_INTERVAL,
)
from esphome.core import CORE

CODEOWNERS = ["@rep-coach"]
DEPENDENCIES = ["mqtt"]

CONF_SENSOR_ID = "sensor_id"
CONF_RANGE_STATUS = "range_status"
CONF_DISTANCE_UNIT = "distance_unit"
CONF_MAX_BATCH = "max_batch"
CONF_BATCH_INTERVAL = "batch_interval"
CONF_RATE_HZ = "rate_hz"
CONF_LOOP_INTERVAL = "loop_interval"
CONF_TIMING_BUDGET = "timing_budget"
CONF_MEASUREMENT_PERIOD = "measurement_period"

# The protocol's limit: a samples message carries 1..20 readings.
PROTOCOL_MAX_BATCH = 20
DISTANCE_SCALE = {"mm": 1.0, "m": 1000.0}

TIMED_DRIVER = "rep_coach_vl53l1x"
CORE_VL53L0X = "vl53l0x"
# ESPHome's VL53L0X starts a measurement in update() and picks up the result in loop(), which runs
# every loop_interval (16 ms unless set); an update() while one is pending publishes NaN. Its
# update_interval must cover the budget, one loop interval and this margin for a busy loop.
VL53L0X_LOOP_MARGIN_MS = 15
VL53L0X_DEFAULT_BUDGET_MS = 33
ESPHOME_DEFAULT_LOOP_INTERVAL_MS = 16

SENSOR_ID_PATTERN = re.compile(r"[a-z0-9_]{1,48}")


def validate_sensor_id(value):
    """Sensor ids appear in MQTT topics and Home Assistant unique ids."""
    value = cv.string_strict(value)
    if not SENSOR_ID_PATTERN.fullmatch(value):
        raise cv.Invalid(f"sensor_id {value!r} must be 1-48 characters of lowercase a-z, 0-9 and _")
    return value


rep_coach_ns = cg.esphome_ns.namespace("rep_coach")
SampleBatcher = rep_coach_ns.class_("SampleBatcher", cg.Component)

CONFIG_SCHEMA = cv.Schema(
    {
        cv.GenerateID(): cv.declare_id(SampleBatcher),
        cv.Required(CONF_SENSOR_ID): validate_sensor_id,
        cv.Required(CONF_SENSOR): cv.use_id(sensor.Sensor),
        cv.Optional(CONF_RANGE_STATUS): cv.use_id(sensor.Sensor),
        cv.Optional(CONF_DISTANCE_UNIT, default="mm"): cv.one_of(*DISTANCE_SCALE, lower=True),
        cv.Optional(CONF_MAX_BATCH, default=PROTOCOL_MAX_BATCH): cv.int_range(
            min=1, max=PROTOCOL_MAX_BATCH
        ),
        cv.Optional(CONF_BATCH_INTERVAL, default="100ms"): cv.All(
            cv.positive_time_period_milliseconds,
            cv.Range(min=cv.TimePeriod(milliseconds=20), max=cv.TimePeriod(seconds=2)),
        ),
        # The rate the announcement states (its rate_hz): checked against the sensor's settings.
        cv.Optional(CONF_RATE_HZ): cv.positive_int,
    }
).extend(cv.COMPONENT_SCHEMA)


def _milliseconds(value):
    return value.total_milliseconds


def _sensor_config(full_config, sensor_id):
    path = full_config.get_path_for_id(sensor_id)[:-1]
    return full_config.get_config_for_path(path)


def _check_vl53l0x(source, loop_interval_ms):
    budget_ms = (
        source[CONF_TIMING_BUDGET].total_microseconds / 1000
        if CONF_TIMING_BUDGET in source
        else VL53L0X_DEFAULT_BUDGET_MS
    )
    period_ms = _milliseconds(source[CONF_UPDATE_INTERVAL])
    needed_ms = budget_ms + loop_interval_ms + VL53L0X_LOOP_MARGIN_MS
    if period_ms < needed_ms:
        raise cv.Invalid(
            f"the VL53L0X cannot deliver a reading every {period_ms:g}ms with a {budget_ms:g}ms "
            f"timing_budget and a {loop_interval_ms:g}ms loop_interval: ESPHome's driver picks up "
            f"each result in loop() and publishes NaN when update() comes first. update_interval "
            f"must be at least timing_budget + loop_interval + {VL53L0X_LOOP_MARGIN_MS}ms "
            f"({needed_ms:g}ms)",
            path=[CONF_SENSOR],
        )
    return period_ms


def _final_validate(config):
    full_config = fv.full_config.get()
    source = _sensor_config(full_config, config[CONF_SENSOR])
    platform = source.get(CONF_PLATFORM)
    loop_interval = full_config.get(CONF_ESPHOME, {}).get(CONF_LOOP_INTERVAL)
    loop_interval_ms = (
        _milliseconds(loop_interval)
        if loop_interval is not None
        else ESPHOME_DEFAULT_LOOP_INTERVAL_MS
    )
    if platform == CORE_VL53L0X:
        period_ms = _check_vl53l0x(source, loop_interval_ms)
    elif platform == TIMED_DRIVER:
        period_ms = _milliseconds(source[CONF_MEASUREMENT_PERIOD])
    elif CONF_UPDATE_INTERVAL in source:
        period_ms = _milliseconds(source[CONF_UPDATE_INTERVAL])
    else:
        period_ms = None
    if CONF_RATE_HZ in config and period_ms:
        rate_hz = round(1000 / period_ms)
        if config[CONF_RATE_HZ] != rate_hz:
            raise cv.Invalid(
                f"rate_hz {config[CONF_RATE_HZ]} is not the sensor's rate: one reading every "
                f"{period_ms:g}ms is {rate_hz} Hz",
                path=[CONF_RATE_HZ],
            )
    return config


FINAL_VALIDATE_SCHEMA = _final_validate


def _is_timed_driver(sensor_id):
    for source in CORE.config.get(CONF_SENSOR, []):
        if source.get(CONF_ID) is not None and source[CONF_ID].id == sensor_id.id:
            return source.get(CONF_PLATFORM) == TIMED_DRIVER
    return False


async def to_code(config):
    var = cg.new_Pvariable(config[CONF_ID])
    await cg.register_component(var, config)
    cg.add(var.set_sensor_id(config[CONF_SENSOR_ID]))
    source = await cg.get_variable(config[CONF_SENSOR])
    if _is_timed_driver(config[CONF_SENSOR]):
        # The driver hands over each reading with its completion time and the readings lost before it.
        cg.add(
            source.add_on_reading_callback(
                cg.RawExpression(
                    "[](float distance_mm, uint8_t status, uint32_t device_ms, uint32_t missed) "
                    f"{{ {var}->add_reading(distance_mm, status, device_ms, missed); }}"
                )
            )
        )
    else:
        cg.add(var.set_distance_sensor(source))
    if CONF_RANGE_STATUS in config:
        cg.add(var.set_range_status_sensor(await cg.get_variable(config[CONF_RANGE_STATUS])))
    cg.add(var.set_distance_scale(DISTANCE_SCALE[config[CONF_DISTANCE_UNIT]]))
    cg.add(var.set_max_batch(config[CONF_MAX_BATCH]))
    cg.add(var.set_batch_interval(config[CONF_BATCH_INTERVAL].total_milliseconds))
