"""The firmware's own C++ compiles against the pinned ESPHome's headers, and its samples payload
is byte for byte what the protocol reference (tools/mqtt_protocol.py) sends.

No ESP32 toolchain is available offline, so the components are compiled with the host's g++ in
ESPHome's ``host`` configuration: that catches API drift and C++ errors, not timing on the chip.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest

from custom_components.rep_coach.engine.payload import decode_payload
from rep_coach_tools.mqtt_protocol import encode_batch
from rep_coach_tools.simulator import SimReading

from .conftest import COMPONENTS, compile_cpp

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
int main() {
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


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_component_compiles_against_esphome(
    compiler: str,
    esphome: str,
    source: Path,
    tmp_path: Path,
) -> None:
    site_packages = Path(esphome).resolve().parents[1] / "lib"
    (headers,) = site_packages.glob("python3*/site-packages")
    stub = tmp_path / "stub" / "esphome" / "core"
    stub.mkdir(parents=True)
    (stub / "defines.h").write_text(DEFINES)
    object_file = tmp_path / f"{source.stem}.o"
    compile_cpp(
        compiler,
        [
            "-c",
            "-I",
            str(tmp_path / "stub"),
            "-I",
            str(headers),
            str(source),
            "-o",
            str(object_file),
        ],
        tmp_path,
    )
    assert object_file.stat().st_size > 0


def test_batch_payload_matches_the_protocol_reference(compiler: str, tmp_path: Path) -> None:
    harness = tmp_path / "harness.cpp"
    harness.write_text(HARNESS)
    binary = tmp_path / "harness"
    compile_cpp(
        compiler, ["-I", str(COMPONENTS / "rep_coach"), str(harness), "-o", str(binary)], tmp_path
    )
    readings = [
        SimReading(t=0, arrival_t=0, device_ms=4_294_967_295, seq=0, distance_mm=412.0, status=0),
        SimReading(t=0, arrival_t=0, device_ms=20, seq=1, distance_mm=None, status=4),
        SimReading(t=0, arrival_t=0, device_ms=40, seq=2, distance_mm=1234.5, status=2),
        SimReading(t=0, arrival_t=0, device_ms=60, seq=3_000_000, distance_mm=57.25, status=255),
    ]
    stdin = "".join(
        f"{'null' if r.distance_mm is None else r.distance_mm} {r.device_ms} {r.seq} {r.status}\n"
        for r in readings
    )
    result = subprocess.run(
        [str(binary)], input=stdin, capture_output=True, text=True, check=True, timeout=60
    )
    firmware = decode_payload(result.stdout)
    reference = decode_payload(encode_batch(readings))
    assert firmware.error is None, result.stdout
    assert [(r.t, r.seq, r.status) for r in firmware.readings] == [
        (r.t, r.seq, r.status) for r in reference.readings
    ]
    for got, expected in zip(firmware.readings, reference.readings, strict=True):
        if expected.d is None:
            assert got.d is None
        else:
            assert got.d is not None
            assert math.isclose(got.d, expected.d, abs_tol=0.05)
    assert result.stdout.startswith('[{"d":412.0,"t":4294967295,"seq":0,"status":0},{"d":null,')
