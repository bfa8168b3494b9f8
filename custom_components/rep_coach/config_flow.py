"""Config flow: manual set-up, MQTT discovery, options and reconfigure."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components import mqtt
from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME, UnitOfTime
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo

from .const import (
    CONF_AVAILABILITY_TOPIC,
    CONF_PAYLOAD_FORMAT,
    CONF_SENSOR_ID,
    CONF_STATE_TOPIC,
    DEFAULT_NAME,
    DOMAIN,
    LOGGER,
)
from .coordinator import RepCoachConfigEntry
from .discovery import (
    Announcement,
    InvalidAnnouncementError,
    TopicProbe,
    parse_announcement,
    sensor_id_for_topic,
)
from .engine import (
    DistanceUnit,
    Orientation,
    Program,
    Sensitivity,
    SideMode,
    Variation,
    detect_format,
)
from .options import (
    OPT_HOLD_TARGET,
    OPT_IDLE_END_SET,
    OPT_LOWERING_TARGET,
    OPT_ORIENTATION,
    OPT_PROGRAM,
    OPT_REST,
    OPT_SENSITIVITY,
    OPT_SETS_PER_SIDE,
    OPT_SIDE_MODE,
    OPT_TARGET_REPS,
    OPT_UNIT,
    OPT_VARIATION,
    options_from_settings,
    settings_from_options,
)
from .validation import vol

PROBE_TIMEOUT_S: Final = 3.0  # a retained state arrives at once; a live stream within 0.1 s

TOPICS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_STATE_TOPIC): TextSelector(),
        vol.Optional(CONF_AVAILABILITY_TOPIC): TextSelector(),
    }
)
USER_SCHEMA = vol.Schema({vol.Required(CONF_NAME, default=DEFAULT_NAME): TextSelector()}).extend(
    TOPICS_SCHEMA.schema
)


def _choice(key: str, options: list[str]) -> SelectSelector:
    return SelectSelector(
        SelectSelectorConfig(options=options, translation_key=key, mode=SelectSelectorMode.DROPDOWN)
    )


def _number(maximum: float, step: float, *, seconds: bool = False) -> NumberSelector:
    config = NumberSelectorConfig(min=0, max=maximum, step=step, mode=NumberSelectorMode.BOX)
    if seconds:
        config["unit_of_measurement"] = UnitOfTime.SECONDS
    return NumberSelector(config)


OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Required(OPT_PROGRAM): _choice(OPT_PROGRAM, [str(item) for item in Program]),
        vol.Required(OPT_VARIATION): _choice(OPT_VARIATION, [str(item) for item in Variation]),
        vol.Required(OPT_TARGET_REPS): vol.All(_number(50, 1), vol.Coerce(int)),
        vol.Required(OPT_SETS_PER_SIDE): vol.All(_number(10, 1), vol.Coerce(int), vol.Range(min=1)),
        vol.Required(OPT_HOLD_TARGET): _number(10, 0.5, seconds=True),
        vol.Required(OPT_LOWERING_TARGET): _number(10, 0.5, seconds=True),
        vol.Required(OPT_SIDE_MODE): _choice(OPT_SIDE_MODE, [str(item) for item in SideMode]),
        vol.Required(OPT_IDLE_END_SET): vol.All(_number(120, 1, seconds=True), vol.Range(min=3)),
        vol.Required(OPT_REST): _number(600, 5, seconds=True),
        vol.Required(OPT_SENSITIVITY): _choice(
            OPT_SENSITIVITY, [str(item) for item in Sensitivity]
        ),
        vol.Required(OPT_UNIT): _choice(OPT_UNIT, [str(item) for item in DistanceUnit]),
        vol.Required(OPT_ORIENTATION): _choice(
            OPT_ORIENTATION, [str(item) for item in Orientation]
        ),
    }
)


async def _async_check_topics(
    flow: ConfigFlow, user_input: dict[str, Any]
) -> tuple[dict[str, str], dict[str, Any]]:
    """Errors for the form (empty when fine) and the entry data for valid topics."""
    if not await mqtt.async_wait_for_mqtt_client(flow.hass):
        return {"base": "mqtt_not_ready"}, {}
    errors: dict[str, str] = {}
    for key in (CONF_STATE_TOPIC, CONF_AVAILABILITY_TOPIC):
        if key in user_input:
            try:
                mqtt.valid_subscribe_topic(user_input[key])
            except vol.Invalid:
                errors[key] = "invalid_topic"
    if errors:
        return errors, {}
    probe = TopicProbe(flow.hass, user_input[CONF_STATE_TOPIC])
    await probe.async_subscribe()
    payload = await probe.async_first_payload(PROBE_TIMEOUT_S)
    payload_format = None
    if payload is not None:
        payload_format = detect_format(
            bytes(payload) if isinstance(payload, bytearray) else payload
        )
        if payload_format is None:
            return {CONF_STATE_TOPIC: "invalid_payload"}, {}
    else:
        LOGGER.info(
            "No payload on %s yet; the format will be detected when data arrives",
            user_input[CONF_STATE_TOPIC],
        )
    return {}, {
        CONF_STATE_TOPIC: user_input[CONF_STATE_TOPIC],
        CONF_AVAILABILITY_TOPIC: user_input.get(CONF_AVAILABILITY_TOPIC),
        CONF_PAYLOAD_FORMAT: None if payload_format is None else str(payload_format),
    }


class RepCoachConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a Rep Coach bench sensor."""

    VERSION = 1
    _announcement: Announcement

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: RepCoachConfigEntry) -> RepCoachOptionsFlow:
        """The options flow (program, targets, side mode...)."""
        return RepCoachOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Set up a sensor by its topic."""
        errors: dict[str, str] = {}
        if user_input is not None:
            self._async_abort_entries_match({CONF_STATE_TOPIC: user_input[CONF_STATE_TOPIC]})
            errors, data = await _async_check_topics(self, user_input)
            if not errors:
                sensor_id = sensor_id_for_topic(data[CONF_STATE_TOPIC])
                await self.async_set_unique_id(sensor_id)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=user_input[CONF_NAME], data={CONF_SENSOR_ID: sensor_id, **data}
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_mqtt(self, discovery_info: MqttServiceInfo) -> ConfigFlowResult:
        """A sensor announced itself on ``rep_coach/discovery/<sensor_id>``."""
        try:
            announcement = parse_announcement(discovery_info)
        except InvalidAnnouncementError as err:
            LOGGER.warning("Ignoring invalid announcement on %s: %s", discovery_info.topic, err)
            return self.async_abort(reason="invalid_discovery_info")
        await self.async_set_unique_id(announcement.sensor_id)
        # A known sensor that moved topics or updated its firmware: keep the entry current.
        self._abort_if_unique_id_configured(updates=announcement.entry_data)
        self._announcement = announcement
        self.context["title_placeholders"] = {"name": announcement.name}
        return await self.async_step_discovery_confirm()

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask before adding a discovered sensor."""
        announcement = self._announcement
        if user_input is not None:
            return self.async_create_entry(title=announcement.name, data=announcement.entry_data)
        self._set_confirm_only()
        return self.async_show_form(
            step_id="discovery_confirm",
            description_placeholders={
                "name": announcement.name,
                "model": str(announcement.entry_data.get("model", "?")),
                "sw_version": str(announcement.entry_data.get("sw_version", "?")),
            },
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Point an existing sensor at other topics."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors, data = await _async_check_topics(self, user_input)
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=data)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                TOPICS_SCHEMA, user_input or dict(entry.data)
            ),
            errors=errors,
        )


class RepCoachOptionsFlow(OptionsFlow):
    """Program, variation, targets, side mode, idle time, rest and sensitivity."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """One form with every training setting."""
        if user_input is not None:
            # A program preset owns the targets: store what the engine will really use.
            return self.async_create_entry(
                data=options_from_settings(settings_from_options(user_input))
            )
        current = options_from_settings(settings_from_options(self.config_entry.options))
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(OPTIONS_SCHEMA, current),
        )
