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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rep_coach_tools.mqtt_protocol import (
    PAYLOAD_AVAILABLE,
    PAYLOAD_NOT_AVAILABLE,
    SensorIdentity,
    discovery_payload,
    discovery_topic,
    samples_topic,
    status_topic,
)

from .conftest import ESPHOME_DIR, REPO

VARIANTS = {"rep-coach-vl53l1x.yaml": "VL53L1X", "rep-coach-vl53l0x.yaml": "VL53L0X"}
SENSOR_ID = "bench_a1b2c3"


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A copy of hardware/esphome with a throwaway secrets.yaml."""
    target = tmp_path / "esphome"
    shutil.copytree(ESPHOME_DIR, target, ignore=shutil.ignore_patterns(".esphome", "secrets.yaml"))
    shutil.copy(target / "secrets.yaml.example", target / "secrets.yaml")
    return target


YAML_TO_JSON = """
import json, sys, yaml
class Loader(yaml.SafeLoader):
    pass
Loader.add_multi_constructor("!", lambda loader, tag, node: node.value)
json.dump(yaml.load(sys.stdin, Loader=Loader), sys.stdout)
"""


@dataclass
class Validation:
    esphome: str
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def valid(self) -> bool:
        return self.returncode == 0 and "Configuration is valid!" in self.output

    def config(self) -> dict[str, Any]:
        """The validated configuration ESPHome printed, tags (!secret, !lambda) as plain text."""
        assert self.valid, self.output[-3000:]
        # PyYAML lives in the ESPHome venv: let its Python turn the YAML into JSON.
        result = subprocess.run(
            [str(Path(self.esphome).with_name("python")), "-c", YAML_TO_JSON],
            input=self.stdout,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        data = json.loads(result.stdout)
        assert isinstance(data, dict)
        return data


def validate(esphome: str, config_file: Path, *substitutions: tuple[str, str]) -> Validation:
    command = [esphome]
    for key, value in substitutions:
        command += ["-s", key, value]
    result = subprocess.run(
        [*command, "config", str(config_file)],
        capture_output=True,
        text=True,
        check=False,
        cwd=config_file.parent,
        timeout=300,
    )
    return Validation(esphome, result.returncode, result.stdout, result.stderr)


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
    rate_hz = round(1000 / _milliseconds(sensor["update_interval"]))
    expected = discovery_payload(SensorIdentity(sensor_id=SENSOR_ID, model=model, rate_hz=rate_hz))
    assert json.loads(announce["payload"]) == expected

    publish_steps = config["interval"][0]["then"][0]["if"]["then"]
    (samples,) = [step["mqtt.publish"] for step in publish_steps]
    assert samples["topic"] == samples_topic(SENSOR_ID)
    assert samples["retain"] is False
    assert samples["qos"] == 0
    assert "take_batch_json" in samples["payload"]
    assert config["rep_coach"]["sensor"] == sensor["id"]
    assert sensor["internal"] is True, "readings travel in batches, not on a state topic each"


def test_vl53l0x_runs_at_a_deliberate_rate(esphome: str, config_dir: Path) -> None:
    sensor = validate(esphome, config_dir / "rep-coach-vl53l0x.yaml").config()["sensor"][0]
    # ESPHome's default is 60 s; polling faster than the timing budget returns NaN.
    assert _milliseconds(sensor["update_interval"]) >= _milliseconds(sensor["timing_budget"])
    assert _milliseconds(sensor["update_interval"]) <= 50
    assert "filters" not in sensor, "a median filter would decimate the stream"


def test_vl53l1x_reaches_50_hz(esphome: str, config_dir: Path) -> None:
    sensor = validate(esphome, config_dir / "rep-coach-vl53l1x.yaml").config()["sensor"][0]
    assert _milliseconds(sensor["update_interval"]) == 20
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


def _milliseconds(period: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|us)", str(period))
    assert match, period
    scale = {"ms": 1.0, "s": 1000.0, "us": 0.001}[match[2]]
    return float(match[1]) * scale


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
