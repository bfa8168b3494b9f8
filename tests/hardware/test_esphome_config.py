"""The firmware configurations pass the real ESPHome validator, speak the Rep Coach protocol, and
the validator rejects settings that cannot deliver the announced rate.

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

from custom_components.rep_coach.engine.protocol import (
    PAYLOAD_AVAILABLE,
    PAYLOAD_NOT_AVAILABLE,
    SensorAnnouncement,
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
    batcher = config["rep_coach"]
    expected = SensorAnnouncement.for_sensor(
        SENSOR_ID, model=model, rate_hz=batcher["rate_hz"]
    ).payload()
    assert json.loads(announce["payload"]) == expected

    # The batcher publishes the samples itself (topic, QoS 0 and no retain: test_firmware_cpp.py).
    assert batcher["sensor_id"] == SENSOR_ID
    assert "interval" not in config
    sensor = config["sensor"][0]
    assert batcher["sensor"] == sensor["id"]
    assert sensor["internal"] is True, "readings travel in batches, not on a state topic each"


@pytest.mark.parametrize(("variant", "rate_hz"), [*zip(VARIANTS, (50, 25), strict=True)])
def test_announced_rate_is_the_sensor_rate(
    esphome: str, config_dir: Path, variant: str, rate_hz: int
) -> None:
    config = validate(esphome, config_dir / variant).config()
    sensor = config["sensor"][0]
    period = sensor.get("measurement_period", sensor.get("update_interval"))
    assert config["rep_coach"]["rate_hz"] == rate_hz == round(1000 / milliseconds(period))


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_rate_the_sensor_does_not_run_at_is_rejected(
    esphome: str, config_dir: Path, variant: str
) -> None:
    validation = validate(esphome, config_dir / variant, ("rate_hz", "45"))
    assert not validation.valid
    assert "rate_hz 45 is not the sensor's rate" in validation.output


def test_publishing_never_blocks_the_loop(esphome: str, config_dir: Path) -> None:
    """idf_send_async: publish() only queues for the MQTT task; a full batch fits its buffer."""
    for variant in VARIANTS:
        config = validate(esphome, config_dir / variant).config()
        assert config["mqtt"]["idf_send_async"] is True
        options = config["esp32"]["framework"]["sdkconfig_options"]
        assert int(options["CONFIG_MQTT_BUFFER_SIZE"]) >= 2048


def test_vl53l0x_settings_deliver_the_rate(esphome: str, config_dir: Path) -> None:
    """ESPHome's driver collects a result in loop(): the interval covers budget, loop and margin."""
    config = validate(esphome, config_dir / "rep-coach-vl53l0x.yaml").config()
    sensor = config["sensor"][0]
    budget = milliseconds(sensor["timing_budget"])
    loop = milliseconds(config["esphome"]["loop_interval"])
    assert milliseconds(sensor["update_interval"]) >= budget + loop + 15
    assert "filters" not in sensor, "a median filter would decimate the stream"


@pytest.mark.parametrize(
    "substitutions",
    [
        # The old settings: a 30 ms budget polled every 33 ms with ESPHome's 16 ms loop.
        (("sample_interval", "33ms"), ("timing_budget", "30ms"), ("loop_interval", "16ms")),
        (("sample_interval", "33ms"), ("timing_budget", "20ms"), ("rate_hz", "30")),
        (("loop_interval", "16ms"),),
    ],
    ids=["old-settings", "no-margin", "slow-loop"],
)
def test_vl53l0x_rejects_infeasible_settings(
    esphome: str, config_dir: Path, substitutions: tuple[tuple[str, str], ...]
) -> None:
    validation = validate(esphome, config_dir / "rep-coach-vl53l0x.yaml", *substitutions)
    assert not validation.valid
    assert "the VL53L0X cannot deliver a reading every" in validation.output


def test_vl53l1x_reaches_50_hz(esphome: str, config_dir: Path) -> None:
    sensor = validate(esphome, config_dir / "rep-coach-vl53l1x.yaml").config()["sensor"][0]
    assert milliseconds(sensor["measurement_period"]) == 20
    assert "update_interval" not in sensor, "the sensor ranges on its own clock"
    assert sensor["enable_pin"]["number"] == 19, "XSHUT lets the driver reset a stalled sensor"


def test_vl53l1x_period_may_equal_the_budget(esphome: str, config_dir: Path) -> None:
    """ST's rule is period >= budget; the project's old `budget + 4 ms` is gone."""
    validation = validate(
        esphome,
        config_dir / "rep-coach-vl53l1x.yaml",
        ("sample_interval", "15ms"),
        ("rate_hz", "67"),
    )
    assert validation.valid, validation.output[-3000:]


@pytest.mark.parametrize(
    ("substitutions", "message"),
    [
        ((("sample_interval", "14ms"),), "must be at least 15ms"),
        (
            (("sample_interval", "15ms"), ("timing_budget", "20ms"), ("rate_hz", "67")),
            "shorter than timing_budget",
        ),
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


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("    address: 0x30", "this driver does not move it"),
        ("    update_interval: 20ms", "set measurement_period"),
    ],
    ids=["address", "update_interval"],
)
def test_vl53l1x_rejects_options_it_cannot_honour(
    esphome: str, config_dir: Path, line: str, message: str
) -> None:
    config_file = config_dir / "rep-coach-vl53l1x.yaml"
    text = config_file.read_text()
    anchor = "    i2c_id: bus_a\n"
    assert anchor in text
    config_file.write_text(text.replace(anchor, anchor + line + "\n"))
    validation = validate(esphome, config_file)
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
