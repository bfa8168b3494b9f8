"""ESPHome schema of the ``rep_coach_vl53l1x`` sensor platform.

Distance is published in millimetres (NaN when the range status is a failure); the optional
``range_status`` sensor carries the VL53L1X range status (0 valid, 1-2 warning, 4+ failure) and is
published just before each distance, so a listener sees the status of the reading it receives.
"""

import esphome.codegen as cg
import esphome.config_validation as cv
from esphome import pins
from esphome.components import i2c, sensor
from esphome.const import (
    CONF_ENABLE_PIN,
    CONF_ID,
    CONF_UPDATE_INTERVAL,
    ICON_ARROW_EXPAND_VERTICAL,
    STATE_CLASS_MEASUREMENT,
    UNIT_MILLIMETER,
)

DEPENDENCIES = ["i2c"]

CONF_DISTANCE_MODE = "distance_mode"
CONF_TIMING_BUDGET = "timing_budget"
CONF_RANGE_STATUS = "range_status"

# Period between measurements must leave the sensor this long beyond its timing budget.
MEASUREMENT_OVERHEAD_MS = 4
# Timing budgets the sensor supports, per distance mode (15 ms exists in short mode only).
TIMING_BUDGETS_MS = {
    "short": (15, 20, 33, 50, 100, 200, 500),
    "long": (20, 33, 50, 100, 200, 500),
}

rep_coach_vl53l1x_ns = cg.esphome_ns.namespace("rep_coach_vl53l1x")
RepCoachVL53L1X = rep_coach_vl53l1x_ns.class_(
    "RepCoachVL53L1X", sensor.Sensor, cg.PollingComponent, i2c.I2CDevice
)
DistanceMode = rep_coach_vl53l1x_ns.enum("DistanceMode", is_class=True)
DISTANCE_MODES = {"short": DistanceMode.SHORT, "long": DistanceMode.LONG}


def _check_timing(config):
    budget_ms = config[CONF_TIMING_BUDGET].total_milliseconds
    mode = config[CONF_DISTANCE_MODE]
    if budget_ms not in TIMING_BUDGETS_MS[mode]:
        allowed = ", ".join(f"{value}ms" for value in TIMING_BUDGETS_MS[mode])
        raise cv.Invalid(
            f"timing_budget {budget_ms}ms is not supported in {mode} mode (one of {allowed})",
            path=[CONF_TIMING_BUDGET],
        )
    period_ms = config[CONF_UPDATE_INTERVAL].total_milliseconds
    if period_ms < budget_ms + MEASUREMENT_OVERHEAD_MS:
        raise cv.Invalid(
            f"update_interval {period_ms}ms is shorter than timing_budget {budget_ms}ms + "
            f"{MEASUREMENT_OVERHEAD_MS}ms: the sensor would return stale readings",
            path=[CONF_UPDATE_INTERVAL],
        )
    return config


CONFIG_SCHEMA = cv.All(
    sensor.sensor_schema(
        RepCoachVL53L1X,
        unit_of_measurement=UNIT_MILLIMETER,
        icon=ICON_ARROW_EXPAND_VERTICAL,
        accuracy_decimals=0,
        state_class=STATE_CLASS_MEASUREMENT,
    )
    .extend(
        {
            cv.Optional(CONF_DISTANCE_MODE, default="short"): cv.one_of(
                *DISTANCE_MODES, lower=True
            ),
            cv.Optional(CONF_TIMING_BUDGET, default="15ms"): cv.positive_time_period_milliseconds,
            cv.Optional(CONF_ENABLE_PIN): pins.gpio_output_pin_schema,
            cv.Optional(CONF_RANGE_STATUS): sensor.sensor_schema(
                accuracy_decimals=0, entity_category="diagnostic"
            ),
        }
    )
    .extend(cv.polling_component_schema("20ms"))
    .extend(i2c.i2c_device_schema(0x29)),
    _check_timing,
)


async def to_code(config):
    var = cg.new_Pvariable(config[CONF_ID])
    await sensor.register_sensor(var, config)
    await cg.register_component(var, config)
    await i2c.register_i2c_device(var, config)
    cg.add(var.set_distance_mode(DISTANCE_MODES[config[CONF_DISTANCE_MODE]]))
    cg.add(var.set_timing_budget_ms(config[CONF_TIMING_BUDGET].total_milliseconds))
    if CONF_ENABLE_PIN in config:
        cg.add(var.set_enable_pin(await cg.gpio_pin_expression(config[CONF_ENABLE_PIN])))
    if CONF_RANGE_STATUS in config:
        cg.add(var.set_range_status_sensor(await sensor.new_sensor(config[CONF_RANGE_STATUS])))
