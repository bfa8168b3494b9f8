"""ESPHome schema of the ``rep_coach_vl53l1x`` sensor platform.

Distance is published in millimetres (NaN when the range status is a failure); the optional
``range_status`` sensor carries the protocol's range status (0 valid, 1-2 warning, 4+ failure) and
is published just before each distance. The sensor ranges continuously every ``measurement_period``
on its own clock; the driver polls it about every millisecond and time-stamps each result at its
completion (ranging_core.h). ``enable_pin`` (XSHUT) lets the driver power-cycle a stalled sensor;
``reinits`` counts its re-initialisations.
"""

import esphome.codegen as cg
import esphome.config_validation as cv
from esphome import pins
from esphome.components import i2c, sensor
from esphome.const import (
    CONF_ADDRESS,
    CONF_ENABLE_PIN,
    CONF_ID,
    CONF_UPDATE_INTERVAL,
    ENTITY_CATEGORY_DIAGNOSTIC,
    ICON_ARROW_EXPAND_VERTICAL,
    STATE_CLASS_MEASUREMENT,
    STATE_CLASS_TOTAL_INCREASING,
    UNIT_MILLIMETER,
)

DEPENDENCIES = ["i2c"]

CONF_DISTANCE_MODE = "distance_mode"
CONF_TIMING_BUDGET = "timing_budget"
CONF_MEASUREMENT_PERIOD = "measurement_period"
CONF_RANGE_STATUS = "range_status"
CONF_REINITS = "reinits"

DEFAULT_ADDRESS = 0x29
# Timing budgets the sensor supports, per distance mode (15 ms exists in short mode only).
TIMING_BUDGETS_MS = {
    "short": (15, 20, 33, 50, 100, 200, 500),
    "long": (20, 33, 50, 100, 200, 500),
}

rep_coach_vl53l1x_ns = cg.esphome_ns.namespace("rep_coach_vl53l1x")
RepCoachVL53L1X = rep_coach_vl53l1x_ns.class_(
    "RepCoachVL53L1X", sensor.Sensor, cg.Component, i2c.I2CDevice
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
    period_ms = config[CONF_MEASUREMENT_PERIOD].total_milliseconds
    if period_ms < budget_ms:
        # ST's rule (UM2510): the inter-measurement period must not be shorter than the budget.
        raise cv.Invalid(
            f"measurement_period {period_ms}ms is shorter than timing_budget {budget_ms}ms",
            path=[CONF_MEASUREMENT_PERIOD],
        )
    return config


def _check_address(config):
    if config[CONF_ADDRESS] != DEFAULT_ADDRESS:
        raise cv.Invalid(
            "the VL53L1X always starts at 0x29 and this driver does not move it: put a second "
            "sensor on its own i2c bus (the ESP32 has two) instead of changing address",
            path=[CONF_ADDRESS],
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
            cv.Optional(CONF_MEASUREMENT_PERIOD, default="20ms"): cv.All(
                cv.positive_time_period_milliseconds,
                cv.Range(min=cv.TimePeriod(milliseconds=15), max=cv.TimePeriod(seconds=10)),
            ),
            cv.Optional(CONF_UPDATE_INTERVAL): cv.invalid(
                "the VL53L1X ranges on its own clock: set measurement_period (the driver polls "
                "it about every millisecond)"
            ),
            cv.Optional(CONF_ENABLE_PIN): pins.gpio_output_pin_schema,
            cv.Optional(CONF_RANGE_STATUS): sensor.sensor_schema(
                accuracy_decimals=0, entity_category=ENTITY_CATEGORY_DIAGNOSTIC
            ),
            cv.Optional(CONF_REINITS): sensor.sensor_schema(
                accuracy_decimals=0,
                icon="mdi:restart",
                state_class=STATE_CLASS_TOTAL_INCREASING,
                entity_category=ENTITY_CATEGORY_DIAGNOSTIC,
            ),
        }
    )
    .extend(cv.COMPONENT_SCHEMA)
    .extend(i2c.i2c_device_schema(DEFAULT_ADDRESS)),
    _check_timing,
    _check_address,
)


async def to_code(config):
    var = cg.new_Pvariable(config[CONF_ID])
    await sensor.register_sensor(var, config)
    await cg.register_component(var, config)
    await i2c.register_i2c_device(var, config)
    cg.add(var.set_distance_mode(DISTANCE_MODES[config[CONF_DISTANCE_MODE]]))
    cg.add(var.set_timing_budget_ms(config[CONF_TIMING_BUDGET].total_milliseconds))
    cg.add(var.set_measurement_period_ms(config[CONF_MEASUREMENT_PERIOD].total_milliseconds))
    if CONF_ENABLE_PIN in config:
        cg.add(var.set_enable_pin(await cg.gpio_pin_expression(config[CONF_ENABLE_PIN])))
    if CONF_RANGE_STATUS in config:
        cg.add(var.set_range_status_sensor(await sensor.new_sensor(config[CONF_RANGE_STATUS])))
    if CONF_REINITS in config:
        cg.add(var.set_reinits_sensor(await sensor.new_sensor(config[CONF_REINITS])))
