"""Rep Coach sample batcher: records each distance reading with the device clock and a sequence
number and publishes them as the JSON batches of the Rep Coach MQTT protocol (hardware/PROTOCOL.md).
"""

import re

import esphome.codegen as cg
import esphome.config_validation as cv
from esphome.components import sensor
from esphome.const import CONF_ID, CONF_SENSOR

CODEOWNERS = ["@rep-coach"]
DEPENDENCIES = ["mqtt"]

CONF_SENSOR_ID = "sensor_id"
CONF_RANGE_STATUS = "range_status"
CONF_DISTANCE_UNIT = "distance_unit"
CONF_MAX_BATCH = "max_batch"
CONF_BATCH_INTERVAL = "batch_interval"

# The protocol's limit: a samples message carries 1..20 readings.
PROTOCOL_MAX_BATCH = 20
DISTANCE_SCALE = {"mm": 1.0, "m": 1000.0}

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
    }
).extend(cv.COMPONENT_SCHEMA)


async def to_code(config):
    var = cg.new_Pvariable(config[CONF_ID])
    await cg.register_component(var, config)
    cg.add(var.set_sensor_id(config[CONF_SENSOR_ID]))
    cg.add(var.set_distance_sensor(await cg.get_variable(config[CONF_SENSOR])))
    if CONF_RANGE_STATUS in config:
        cg.add(var.set_range_status_sensor(await cg.get_variable(config[CONF_RANGE_STATUS])))
    cg.add(var.set_distance_scale(DISTANCE_SCALE[config[CONF_DISTANCE_UNIT]]))
    cg.add(var.set_max_batch(config[CONF_MAX_BATCH]))
    cg.add(var.set_batch_interval(config[CONF_BATCH_INTERVAL].total_milliseconds))
