"""The firmware configurations pass the real ESPHome validator and speak the Rep Coach protocol.

ESPHome comes from PyPI into its own venv (scripts/esphome-venv, pinned); `esphome config` only
validates (no compile, no network). Each test works on a temporary copy of hardware/esphome with
a throwaway secrets.yaml made from secrets.yaml.example.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rep_coach_tools.mqtt_protocol import (
    PAYLOAD_AVAILABLE,
    PAYLOAD_NOT_AVAILABLE,
    SensorIdentity,
    discovery_payload,
    discovery_topic,
    status_topic,
)

from .conftest import ESPHOME_DIR, REPO, milliseconds, validate

VARIANTS = {"rep-coach-vl53l1x.yaml": "VL53L1X", "rep-coach-vl53l0x.yaml": "VL53L0X"}
SENSOR_ID = "bench_a1b2c3"


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_is_valid_esphome_config(esphome: str, config_dir: Path, variant: str) -> None:
    validation = validate(esphome, config_dir / variant)
    assert validation.valid, validation.output[-3000:]


@pytest.mark.parametrize(("variant", "model"), VARIANTS.items())
def test_variant_speaks_the_protocol(
    esphome: str, config_dir: Path, variant: str, model: str
) -> None:
    config = validate(esphome, config_dir / variant).config()
    mqtt = config["mqtt"]
    assert "api" not in config, "the sensor talks MQTT, not the native API"
    for message, payload in (
        ("birth_message", PAYLOAD_AVAILABLE),
        ("will_message", PAYLOAD_NOT_AVAILABLE),
        ("shutdown_message", PAYLOAD_NOT_AVAILABLE),
    ):
        assert mqtt[message]["topic"] == status_topic(SENSOR_ID)
        assert mqtt[message]["payload"] == payload
        assert mqtt[message]["retain"] is True

    (announce,) = [step["mqtt.publish"] for step in mqtt["on_connect"][0]["then"]]
    assert announce["topic"] == discovery_topic(SENSOR_ID)
    assert announce["retain"] is True
    sensor = config["sensor"][0]
    rate_hz = round(1000 / milliseconds(sensor["update_interval"]))
    expected = discovery_payload(SensorIdentity(sensor_id=SENSOR_ID, model=model, rate_hz=rate_hz))
    assert json.loads(announce["payload"]) == expected

    # The batcher publishes the samples itself (topic, QoS 0 and no retain: test_firmware_cpp.py).
    assert config["rep_coach"]["sensor_id"] == SENSOR_ID
    assert "interval" not in config
    assert config["rep_coach"]["sensor"] == sensor["id"]
    assert sensor["internal"] is True, "readings travel in batches, not on a state topic each"


def test_publishing_never_blocks_the_loop(esphome: str, config_dir: Path) -> None:
    """idf_send_async: publish() only queues for the MQTT task; a full batch fits its buffer."""
    for variant in VARIANTS:
        config = validate(esphome, config_dir / variant).config()
        assert config["mqtt"]["idf_send_async"] is True
        options = config["esp32"]["framework"]["sdkconfig_options"]
        assert int(options["CONFIG_MQTT_BUFFER_SIZE"]) >= 2048


def test_vl53l0x_runs_at_a_deliberate_rate(esphome: str, config_dir: Path) -> None:
    sensor = validate(esphome, config_dir / "rep-coach-vl53l0x.yaml").config()["sensor"][0]
    # ESPHome's default is 60 s; polling faster than the timing budget returns NaN.
    assert milliseconds(sensor["update_interval"]) >= milliseconds(sensor["timing_budget"])
    assert milliseconds(sensor["update_interval"]) <= 50
    assert "filters" not in sensor, "a median filter would decimate the stream"


def test_vl53l1x_reaches_50_hz(esphome: str, config_dir: Path) -> None:
    sensor = validate(esphome, config_dir / "rep-coach-vl53l1x.yaml").config()["sensor"][0]
    assert milliseconds(sensor["update_interval"]) == 20
    assert sensor["range_status"]["id"] == "tof_status"


@pytest.mark.parametrize(
    ("substitutions", "message"),
    [
        ((("sample_interval", "15ms"),), "shorter than timing_budget"),
        ((("distance_mode", "long"),), "not supported in long mode"),
        ((("sensor_id", "Bench-1"),), "lowercase a-z, 0-9 and _"),
    ],
)
def test_vl53l1x_rejects_bad_settings(
    esphome: str, config_dir: Path, substitutions: tuple[tuple[str, str], ...], message: str
) -> None:
    validation = validate(esphome, config_dir / "rep-coach-vl53l1x.yaml", *substitutions)
    assert not validation.valid
    assert message in validation.output


def test_no_secret_is_committed() -> None:
    assert not (ESPHOME_DIR / "secrets.yaml").exists() or _is_ignored(ESPHOME_DIR / "secrets.yaml")
    for path in sorted(ESPHOME_DIR.rglob("*.yaml")):
        if path.name == "secrets.yaml":
            continue
        text = path.read_text()
        for key in ("password", "ssid", "broker", "username"):
            for match in re.finditer(rf"^\s*{key}:\s*(\S.*)$", text, re.MULTILINE):
                assert match[1].startswith("!secret"), f"{path.name}: {match[0].strip()}"


def _is_ignored(path: Path) -> bool:
    result = subprocess.run(
        ["git", "check-ignore", "-q", str(path)], cwd=REPO, check=False, capture_output=True
    )
    return result.returncode == 0


def test_validation_needs_no_network(esphome: str, config_dir: Path) -> None:
    """Run in a network namespace with no interface up: any download would fail."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-n", "true"], check=False).returncode != 0:
        pytest.skip("cannot make a network namespace here (needs unshare and root)")
    result = subprocess.run(
        [unshare, "-n", esphome, "config", "rep-coach-vl53l1x.yaml"],
        capture_output=True,
        text=True,
        check=False,
        cwd=config_dir,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Configuration is valid!" in result.stderr
