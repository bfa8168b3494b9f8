"""The firmware's own C++ compiles against the pinned ESPHome's headers, the code ESPHome generates
to wire our components compiles against them too, and the samples payload is byte for byte what the
protocol reference (engine/protocol.py) encodes, on the protocol's topic, QoS and retain
flag.

No ESP32 toolchain is available offline, so the components are compiled with the host's g++ in
ESPHome's ``host`` configuration: that catches API drift and C++ errors, not timing on the chip
(test_ranging_core.py simulates that). Not compiled here: the few lines that only exist in the
ESP32 build (``#ifdef USE_MQTT``: the publish call; ``#ifdef USE_ESP32``: esp_timer_get_time).
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from pathlib import Path

import pytest

from custom_components.rep_coach.engine.protocol import (
    FIRMWARE_BATCH,
    decode_payload,
    samples_topic,
)
from rep_coach_tools.batches import encode_readings
from rep_coach_tools.simulator import SimReading

from .conftest import COMPONENTS, compile_cpp, validate

SOURCES = [
    COMPONENTS / "rep_coach" / "sample_batcher.cpp",
    COMPONENTS / "rep_coach_vl53l1x" / "rep_coach_vl53l1x.cpp",
    COMPONENTS / "rep_coach_vl53l1x" / "ranging_core.cpp",
]
# Stand-in for the defines.h ESPHome generates: the features our components use, on `host`.
DEFINES = """#pragma once
#define USE_HOST
#define USE_SENSOR
#define USE_SENSOR_FILTER
#define USE_I2C
#define ESPHOME_LOG_LEVEL 5
"""
HARNESS = r"""
#include <deque>
#include <iostream>
#include <sstream>
#include <string>
#include "sample_format.h"
using esphome::rep_coach::Sample;
int main(int argc, char **argv) {
  if (argc > 1) {
    std::cout << esphome::rep_coach::samples_topic(argv[1]) << " " << (int) esphome::rep_coach::SAMPLES_QOS
              << " " << (esphome::rep_coach::SAMPLES_RETAIN ? "retained" : "not-retained") << " "
              << esphome::rep_coach::PROTOCOL_MAX_BATCH;
    return 0;
  }
  std::deque<Sample> samples;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream fields(line);
    std::string d;
    unsigned long t, seq, status;
    fields >> d >> t >> seq >> status;
    samples.push_back({d == "null" ? NAN : std::stof(d), (uint32_t) t, (uint32_t) seq, (uint8_t) status});
  }
  std::cout << esphome::rep_coach::format_batch(samples);
}
"""
# Our components' calls in the generated main.cpp (the rest is ESPHome's own code).
GENERATED_CALL = re.compile(
    r"^\s*(?:samples|tof_distance)->(?:add_on_reading_callback|set_sensor_id|set_distance_sensor|"
    r"set_distance_scale|set_max_batch|set_batch_interval|set_distance_mode|set_timing_budget_ms|"
    r"set_measurement_period_ms)\(.*\);$",
    re.MULTILINE,
)


def _headers(esphome: str) -> Path:
    site_packages = Path(esphome).resolve().parents[1] / "lib"
    (headers,) = site_packages.glob("python3*/site-packages")
    return headers


def _stub(tmp_path: Path) -> Path:
    """defines.h for `host`, and our components where ESPHome's build puts them."""
    stub = tmp_path / "stub"
    (stub / "esphome" / "core").mkdir(parents=True)
    (stub / "esphome" / "core" / "defines.h").write_text(DEFINES)
    (stub / "esphome" / "components").mkdir()
    for component in ("rep_coach", "rep_coach_vl53l1x"):
        (stub / "esphome" / "components" / component).symlink_to(COMPONENTS / component)
    return stub


def _include_args(tmp_path: Path, esphome: str) -> list[str]:
    return ["-I", str(_stub(tmp_path)), "-I", str(_headers(esphome))]


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_component_compiles_against_esphome(
    compiler: str,
    esphome: str,
    source: Path,
    tmp_path: Path,
) -> None:
    object_file = tmp_path / f"{source.stem}.o"
    compile_cpp(
        compiler,
        [*_include_args(tmp_path, esphome), "-c", str(source), "-o", str(object_file)],
        tmp_path,
    )
    assert object_file.stat().st_size > 0


def test_generated_wiring_compiles(
    compiler: str, esphome: str, config_dir: Path, tmp_path: Path
) -> None:
    """What `esphome compile --only-generate` writes for our components compiles against them."""
    generation = validate(
        esphome, config_dir / "rep-coach-vl53l1x.yaml", command="compile --only-generate"
    )
    assert generation.returncode == 0, generation.output[-3000:]
    (main_cpp,) = (config_dir / ".esphome" / "build").glob("*/src/main.cpp")
    calls = GENERATED_CALL.findall(main_cpp.read_text())
    assert any("add_on_reading_callback" in call for call in calls), calls
    assert not any("set_distance_sensor" in call for call in calls), (
        "timed readings, not raw states"
    )
    unit = tmp_path / "wiring.cpp"
    unit.write_text(
        '#include "esphome/components/rep_coach/sample_batcher.h"\n'
        '#include "esphome/components/rep_coach_vl53l1x/rep_coach_vl53l1x.h"\n'
        "namespace esphome {\n"
        "rep_coach::SampleBatcher *samples;\n"
        "rep_coach_vl53l1x::RepCoachVL53L1X *tof_distance;\n"
        "void generated_setup() {\n" + "\n".join(calls) + "\n}\n}  // namespace esphome\n"
    )
    compile_cpp(
        compiler,
        [*_include_args(tmp_path, esphome), "-c", str(unit), "-o", str(tmp_path / "wiring.o")],
        tmp_path,
    )


@pytest.fixture
def harness(compiler: str, tmp_path: Path) -> Path:
    source = tmp_path / "harness.cpp"
    source.write_text(HARNESS)
    binary = tmp_path / "harness"
    compile_cpp(
        compiler, ["-I", str(COMPONENTS / "rep_coach"), str(source), "-o", str(binary)], tmp_path
    )
    return binary


def _format(harness: Path, readings: list[SimReading]) -> str:
    stdin = "".join(
        f"{'null' if r.distance_mm is None else r.distance_mm} {r.device_ms} {r.seq} {r.status}\n"
        for r in readings
    )
    result = subprocess.run(
        [str(harness)], input=stdin, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def test_batch_payload_matches_the_protocol_reference(harness: Path) -> None:
    readings = [
        SimReading(t=0, arrival_t=0, device_ms=4_294_967_295, seq=0, distance_mm=412.0, status=0),
        SimReading(t=0, arrival_t=0, device_ms=20, seq=1, distance_mm=None, status=4),
        SimReading(t=0, arrival_t=0, device_ms=40, seq=2, distance_mm=1234.5, status=2),
        SimReading(t=0, arrival_t=0, device_ms=60, seq=3_000_000, distance_mm=57.25, status=255),
    ]
    payload = _format(harness, readings)
    firmware = decode_payload(payload)
    reference = decode_payload(encode_readings(readings))
    assert firmware.error is None, payload
    assert [(r.t, r.seq, r.status) for r in firmware.readings] == [
        (r.t, r.seq, r.status) for r in reference.readings
    ]
    for got, expected in zip(firmware.readings, reference.readings, strict=True):
        if expected.d is None:
            assert got.d is None
        else:
            assert got.d is not None
            assert math.isclose(got.d, expected.d, abs_tol=0.05)
    assert payload.startswith('[{"d":412.0,"t":4294967295,"seq":0,"status":0},{"d":null,')


def test_samples_go_where_the_protocol_says(harness: Path) -> None:
    result = subprocess.run(
        [str(harness), "bench_a1b2c3"], capture_output=True, text=True, check=True, timeout=60
    )
    topic, qos, retain, max_batch = result.stdout.split()
    assert topic == samples_topic("bench_a1b2c3")
    assert (qos, retain, int(max_batch)) == ("0", "not-retained", FIRMWARE_BATCH)


def test_a_full_batch_fits_the_mqtt_buffer(harness: Path, esphome: str, config_dir: Path) -> None:
    """20 readings with the longest fields, plus the MQTT header and topic, fit in one buffer."""
    longest = SimReading(
        t=0, arrival_t=0, device_ms=4_294_967_295, seq=4_294_967_295, distance_mm=8190.0, status=255
    )
    payload = _format(harness, [longest] * 20)
    assert len(json.loads(payload)) == 20
    topic = samples_topic("x" * 48)
    message = 5 + 2 + len(topic) + len(payload)  # fixed header (up to 5 bytes), topic length, topic
    options = validate(esphome, config_dir / "rep-coach-vl53l1x.yaml").config()["esp32"]
    assert message > 1024, "the default 1 KB buffer would split it"
    assert message <= int(options["framework"]["sdkconfig_options"]["CONFIG_MQTT_BUFFER_SIZE"])
