"""Config flow: user step, MQTT discovery, duplicates, options and reconfigure."""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant.config_entries import SOURCE_MQTT, SOURCE_USER, ConfigFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.rep_coach.const import (
    CONF_AVAILABILITY_TOPIC,
    CONF_PAYLOAD_FORMAT,
    CONF_SENSOR_ID,
    CONF_STATE_TOPIC,
    DOMAIN,
)

from .conftest import ANNOUNCEMENT, ENTRY_DATA, SENSOR_ID, STATE_TOPIC, STATUS_TOPIC

pytestmark = pytest.mark.usefixtures("mqtt_mock", "mock_setup_entry")

ESPHOME_TOPIC = "hip-bench/sensor/hip_distance/state"


@pytest.fixture
def first_payload() -> Generator[AsyncMock]:
    """What the sensor topic carries when the flow listens to it (None: nothing yet)."""
    with patch(
        "custom_components.rep_coach.config_flow.TopicProbe.async_first_payload",
        return_value=b'[{"d": 412.0, "t": 1, "seq": 1, "status": 0}]',
    ) as probe:
        yield probe


def _discovery(payload: dict[str, Any] | str, topic: str | None = None) -> MqttServiceInfo:
    return MqttServiceInfo(
        topic=topic or f"rep_coach/discovery/{SENSOR_ID}",
        payload=payload if isinstance(payload, str) else json.dumps(payload),
        qos=0,
        retain=True,
        subscribed_topic="rep_coach/discovery/#",
        timestamp=0.0,
    )


def _suggested(result: ConfigFlowResult, key: str) -> Any:
    """The value a form suggests for ``key``."""
    schema = result["data_schema"]
    assert schema is not None
    marker = next(marker for marker in schema.schema if marker == key)
    return (marker.description or {}).get("suggested_value")


async def _start_user_flow(hass: HomeAssistant, user_input: dict[str, str]) -> ConfigFlowResult:
    """Open the user step and submit it once."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


@pytest.mark.usefixtures("first_payload")
async def test_user_step_our_firmware(hass: HomeAssistant) -> None:
    """A firmware topic: the sensor id comes from the topic, the format from the payload."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_NAME: "Garage bench",
            CONF_STATE_TOPIC: STATE_TOPIC,
            CONF_AVAILABILITY_TOPIC: STATUS_TOPIC,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Garage bench"
    assert result["data"] == {
        CONF_SENSOR_ID: SENSOR_ID,
        CONF_STATE_TOPIC: STATE_TOPIC,
        CONF_AVAILABILITY_TOPIC: STATUS_TOPIC,
        CONF_PAYLOAD_FORMAT: "json_batch",
    }
    assert result["result"].unique_id == SENSOR_ID


@pytest.mark.parametrize(("payload", "detected"), [(b"0.43", "plain"), (b'{"d": 430}', "json")])
async def test_user_step_detects_format(
    hass: HomeAssistant, first_payload: AsyncMock, payload: bytes, detected: str
) -> None:
    """ESPHome plain numbers and single JSON readings."""
    first_payload.return_value = payload
    result = await _start_user_flow(
        hass, {CONF_NAME: "ESPHome bench", CONF_STATE_TOPIC: ESPHOME_TOPIC}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PAYLOAD_FORMAT] == detected
    assert result["data"][CONF_SENSOR_ID] == "hip_bench_sensor_hip_distance_state"
    assert result["data"][CONF_AVAILABILITY_TOPIC] is None


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({CONF_STATE_TOPIC: "bad/#/topic"}, {CONF_STATE_TOPIC: "invalid_topic"}),
        (
            {CONF_STATE_TOPIC: STATE_TOPIC, CONF_AVAILABILITY_TOPIC: "status/+x"},
            {CONF_AVAILABILITY_TOPIC: "invalid_topic"},
        ),
    ],
)
@pytest.mark.usefixtures("first_payload")
async def test_user_step_invalid_topic_then_recovers(
    hass: HomeAssistant, user_input: dict[str, str], errors: dict[str, str]
) -> None:
    """A bad topic is reported on its field; a good one then goes through."""
    result = await _start_user_flow(hass, {CONF_NAME: "Bench", **user_input})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Bench", CONF_STATE_TOPIC: STATE_TOPIC}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_step_unreadable_payload_then_recovers(
    hass: HomeAssistant, first_payload: AsyncMock
) -> None:
    """A topic carrying something else is refused until it carries readings."""
    first_payload.return_value = b"hello"
    result = await _start_user_flow(hass, {CONF_NAME: "Bench", CONF_STATE_TOPIC: STATE_TOPIC})
    assert result["errors"] == {CONF_STATE_TOPIC: "invalid_payload"}
    first_payload.return_value = bytearray(b"412")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Bench", CONF_STATE_TOPIC: STATE_TOPIC}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PAYLOAD_FORMAT] == "plain"


@pytest.mark.parametrize("topic", ["rep_coach/#", "rep_coach/+/samples", "+"])
@pytest.mark.usefixtures("first_payload")
async def test_user_step_refuses_wildcards(hass: HomeAssistant, topic: str) -> None:
    """A sensor publishes to one topic: a wildcard, valid as it is to subscribe, is refused
    (on the availability topic too)."""
    result = await _start_user_flow(hass, {CONF_NAME: "Bench", CONF_STATE_TOPIC: topic})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_STATE_TOPIC: "wildcard_topic"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_NAME: "Bench", CONF_STATE_TOPIC: STATE_TOPIC, CONF_AVAILABILITY_TOPIC: topic},
    )
    assert result["errors"] == {CONF_AVAILABILITY_TOPIC: "wildcard_topic"}
    assert hass.config_entries.async_entries(DOMAIN) == []


@pytest.mark.usefixtures("first_payload")
async def test_second_bench_gets_a_name_of_its_own(hass: HomeAssistant) -> None:
    """The form suggests "Hip thrust bench 2" next to a "Hip thrust bench", and a name already
    in use is refused (its entities would get _2 ids)."""
    MockConfigEntry(
        domain=DOMAIN, title="Hip thrust bench", unique_id=SENSOR_ID, data=dict(ENTRY_DATA)
    ).add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert _suggested(result, CONF_NAME) == "Hip thrust bench 2"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Hip thrust bench", CONF_STATE_TOPIC: ESPHOME_TOPIC}
    )
    assert result["errors"] == {CONF_NAME: "name_in_use"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Hip thrust bench 2", CONF_STATE_TOPIC: ESPHOME_TOPIC}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Hip thrust bench 2"


async def test_first_bench_suggests_the_default_name(hass: HomeAssistant) -> None:
    """With no bench yet, the plain default name is suggested."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert _suggested(result, CONF_NAME) == "Hip thrust bench"


async def test_no_first_reading_then_continue_anyway(
    hass: HomeAssistant, first_payload: AsyncMock
) -> None:
    """Nothing arrives within the listening time: the flow says so and offers to listen again,
    change the topic or continue; continuing leaves the format to the first data."""
    first_payload.return_value = None
    result = await _start_user_flow(hass, {CONF_NAME: "Bench", CONF_STATE_TOPIC: ESPHOME_TOPIC})
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "no_reading"
    assert result["menu_options"] == ["check_again", "add_anyway", "user"]
    assert result["description_placeholders"] == {"topic": ESPHOME_TOPIC, "seconds": "5"}
    assert first_payload.await_args is not None
    assert first_payload.await_args.args == (5.0,)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "add_anyway"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PAYLOAD_FORMAT] is None
    assert result["data"][CONF_SENSOR_ID] == "hip_bench_sensor_hip_distance_state"


async def test_no_first_reading_then_it_arrives(
    hass: HomeAssistant, first_payload: AsyncMock
) -> None:
    """Listening again after the sensor came up finds its reading and its format."""
    first_payload.return_value = None
    result = await _start_user_flow(hass, {CONF_NAME: "Bench", CONF_STATE_TOPIC: ESPHOME_TOPIC})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "check_again"}
    )
    assert result["step_id"] == "no_reading"
    first_payload.return_value = b"0.43"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "check_again"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PAYLOAD_FORMAT] == "plain"


async def test_no_first_reading_then_change_topic(
    hass: HomeAssistant, first_payload: AsyncMock
) -> None:
    """Going back shows the form with what was typed, to correct the topic."""
    first_payload.return_value = None
    result = await _start_user_flow(hass, {CONF_NAME: "Bench", CONF_STATE_TOPIC: "typo/topic"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "user"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    first_payload.return_value = b"0.43"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Bench", CONF_STATE_TOPIC: ESPHOME_TOPIC}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_STATE_TOPIC] == ESPHOME_TOPIC


@pytest.mark.usefixtures("first_payload")
async def test_user_step_mqtt_not_ready_then_recovers(hass: HomeAssistant) -> None:
    """No MQTT client yet: say so, and go on once it is there."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    with patch(
        "custom_components.rep_coach.config_flow.mqtt.async_wait_for_mqtt_client",
        return_value=False,
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_NAME: "Bench", CONF_STATE_TOPIC: STATE_TOPIC}
        )
    assert result["errors"] == {"base": "mqtt_not_ready"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Bench", CONF_STATE_TOPIC: STATE_TOPIC}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize("topic", [STATE_TOPIC, ESPHOME_TOPIC])
@pytest.mark.usefixtures("first_payload")
async def test_user_step_duplicate(hass: HomeAssistant, topic: str) -> None:
    """The same topic, or the same sensor id, cannot be added twice."""
    MockConfigEntry(domain=DOMAIN, unique_id=SENSOR_ID, data=dict(ENTRY_DATA)).add_to_hass(hass)
    MockConfigEntry(
        domain=DOMAIN,
        unique_id="other",
        data={**ENTRY_DATA, CONF_SENSOR_ID: "other", CONF_STATE_TOPIC: ESPHOME_TOPIC},
    ).add_to_hass(hass)
    result = await _start_user_flow(hass, {CONF_NAME: "Bench", CONF_STATE_TOPIC: topic})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.usefixtures("first_payload")
async def test_user_step_same_sensor_other_topic_name(hass: HomeAssistant) -> None:
    """A sensor added by discovery is recognised by its id even when typed by hand."""
    MockConfigEntry(
        domain=DOMAIN, unique_id=SENSOR_ID, data={**ENTRY_DATA, CONF_STATE_TOPIC: "elsewhere"}
    ).add_to_hass(hass)
    result = await _start_user_flow(hass, {CONF_NAME: "Bench", CONF_STATE_TOPIC: STATE_TOPIC})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_discovery(hass: HomeAssistant) -> None:
    """The retained announcement leads to a confirm card and an entry."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_MQTT}, data=_discovery(ANNOUNCEMENT)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"
    assert result["description_placeholders"] == {
        "name": "Hip thrust bench",
        "model": "VL53L1X",
        "sw_version": "1.0.0",
    }
    flows = hass.config_entries.flow.async_progress()
    assert flows[0]["context"]["title_placeholders"] == {"name": "Hip thrust bench"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Hip thrust bench"
    assert result["data"] == ENTRY_DATA
    assert result["result"].unique_id == SENSOR_ID


async def test_discovery_of_a_second_bench_with_the_default_name(hass: HomeAssistant) -> None:
    """Every firmware announces "Hip thrust bench"; the second one becomes "... 2"."""
    MockConfigEntry(
        domain=DOMAIN, title="Hip thrust bench", unique_id="other", data=dict(ENTRY_DATA)
    ).add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_MQTT}, data=_discovery(ANNOUNCEMENT)
    )
    assert result["description_placeholders"] == {
        "name": "Hip thrust bench 2",
        "model": "VL53L1X",
        "sw_version": "1.0.0",
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["title"] == "Hip thrust bench 2"


async def test_discovery_minimal_announcement(hass: HomeAssistant) -> None:
    """Only id and state topic are required; the rest has defaults."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_MQTT},
        data=_discovery({"id": SENSOR_ID, "state_topic": STATE_TOPIC, "extra": 1}),
    )
    assert result["description_placeholders"] == {
        "name": "Hip thrust bench",
        "model": "?",
        "sw_version": "?",
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["data"][CONF_STATE_TOPIC] == STATE_TOPIC
    assert result["data"][CONF_PAYLOAD_FORMAT] is None


@pytest.mark.parametrize(
    ("payload", "topic"),
    [
        ("", None),  # retained announcement cleared
        ("not json", None),
        ({**ANNOUNCEMENT, "id": "Bad-Id"}, "rep_coach/discovery/Bad-Id"),
        ({**ANNOUNCEMENT, "state_topic": "a/#/b"}, None),
        ({**ANNOUNCEMENT, "state_topic": "rep_coach/+/samples"}, None),
        ({**ANNOUNCEMENT, "format": "xml"}, None),
        ({k: v for k, v in ANNOUNCEMENT.items() if k != "state_topic"}, None),
        (ANNOUNCEMENT, "rep_coach/discovery/someone_else"),
        ([1, 2], None),
    ],
)
async def test_discovery_invalid(
    hass: HomeAssistant, payload: dict[str, Any] | str, topic: str | None
) -> None:
    """Anything but a valid announcement on its own topic is ignored."""
    info = _discovery(payload if isinstance(payload, dict | str) else json.dumps(payload), topic)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_MQTT}, data=info
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "invalid_discovery_info"


async def test_discovery_updates_known_sensor(hass: HomeAssistant) -> None:
    """A known sensor's new firmware and topics update its entry."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id=SENSOR_ID, data=dict(ENTRY_DATA))
    entry.add_to_hass(hass)
    announcement = {**ANNOUNCEMENT, "sw_version": "1.1.0", "state_topic": "rep_coach/x/samples"}
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_MQTT}, data=_discovery(announcement)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data["sw_version"] == "1.1.0"
    assert entry.data[CONF_STATE_TOPIC] == "rep_coach/x/samples"


async def test_options_flow_custom_and_preset(hass: HomeAssistant) -> None:
    """Custom keeps the user's targets; a program preset sets its own."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id=SENSOR_ID, data=dict(ENTRY_DATA))
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    custom = {
        "program": "custom",
        "variation": "banded",
        "target_reps": 12,
        "sets_per_side": 4,
        "hold_target_s": 2.0,
        "eccentric_target_s": 3.0,
        "side_mode": "right",
        "idle_end_set_s": 20.0,
        "rest_s": 75.0,
        "new_workout_after_min": 90.0,
        "sensitivity": "high",
        "unit": "m",
        "orientation": "farther",
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], custom)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == custom

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**custom, "program": "strength"}
    )
    assert entry.options == {
        **custom,
        "program": "strength",
        "target_reps": 8,
        "sets_per_side": 3,
        "hold_target_s": 1.0,
        "eccentric_target_s": 2.0,
        "rest_s": 120.0,
    }


@pytest.mark.usefixtures("first_payload")
async def test_reconfigure(hass: HomeAssistant) -> None:
    """New topics are checked, then stored; the unique id stays."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id=SENSOR_ID, data=dict(ENTRY_DATA))
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_STATE_TOPIC: "a/#/b"}
    )
    assert result["errors"] == {CONF_STATE_TOPIC: "invalid_topic"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_STATE_TOPIC: ESPHOME_TOPIC}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_STATE_TOPIC] == ESPHOME_TOPIC
    assert entry.data[CONF_AVAILABILITY_TOPIC] is None
    assert entry.data[CONF_PAYLOAD_FORMAT] == "json_batch"
    assert entry.unique_id == SENSOR_ID


@pytest.mark.usefixtures("first_payload")
async def test_reconfigure_refuses_a_wildcard_and_another_benchs_topic(
    hass: HomeAssistant,
) -> None:
    """Reconfigure checks what the user step checks: no wildcard, no topic of another bench."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id=SENSOR_ID, data=dict(ENTRY_DATA))
    entry.add_to_hass(hass)
    MockConfigEntry(
        domain=DOMAIN,
        unique_id="other",
        data={**ENTRY_DATA, CONF_SENSOR_ID: "other", CONF_STATE_TOPIC: ESPHOME_TOPIC},
    ).add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_STATE_TOPIC: "rep_coach/+/samples"}
    )
    assert result["errors"] == {CONF_STATE_TOPIC: "wildcard_topic"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_STATE_TOPIC: ESPHOME_TOPIC}
    )
    assert result["errors"] == {CONF_STATE_TOPIC: "topic_in_use"}
    assert entry.data[CONF_STATE_TOPIC] == STATE_TOPIC
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_STATE_TOPIC: STATE_TOPIC}
    )
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_without_a_reading(hass: HomeAssistant, first_payload: AsyncMock) -> None:
    """A new topic that stays silent is said so; saving anyway keeps it, format unknown."""
    first_payload.return_value = None
    entry = MockConfigEntry(domain=DOMAIN, unique_id=SENSOR_ID, data=dict(ENTRY_DATA))
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_STATE_TOPIC: ESPHOME_TOPIC}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["check_again", "add_anyway", "reconfigure"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "add_anyway"}
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_STATE_TOPIC] == ESPHOME_TOPIC
    assert entry.data[CONF_PAYLOAD_FORMAT] is None
