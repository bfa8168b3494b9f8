"""docs/getting-started.md: every command in it is run here, run by a named test, or marked as
needing the sensor.

Each ```sh block is preceded by one marker: ``<!-- runs -->`` (this file runs it, with the
broker's address and login replaced by a test broker's), ``<!-- tested-by: PATH -->`` (that
test runs it), or ``<!-- needs: the sensor -->``.
"""

from __future__ import annotations

import queue
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from homeassistant.util.yaml import parse_yaml

from tests.mosquitto import Broker, mosquitto, mosquitto_extra_config, mosquitto_server
from tests.processes import interrupt

__all__ = ["mosquitto", "mosquitto_extra_config", "mosquitto_server"]

REPO = Path(__file__).parents[2]
GUIDE = REPO / "docs" / "getting-started.md"
README = REPO / "README.md"
MARKED_BLOCK = re.compile(
    r"<!-- (runs|tested-by: (\S+)|needs: the sensor) -->\n```sh\n(.*?)```", re.S
)
ANY_SH_BLOCK = re.compile(r"```sh\n")
BROKER = "homeassistant.local:1883"
FIRST_REP_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Command:
    """One command of the guide and how it is checked."""

    text: str
    marker: str  # "runs", "tested-by" or "needs"
    tested_by: str | None


def commands() -> list[Command]:
    """The guide's commands, in order."""
    guide = GUIDE.read_text(encoding="utf-8")
    found = [
        Command(
            text=block.strip(),
            marker=marker.split(":")[0],
            tested_by=tested_by or None,
        )
        for marker, tested_by, block in MARKED_BLOCK.findall(guide)
    ]
    assert len(found) == len(ANY_SH_BLOCK.findall(guide)), "a ```sh block without a marker"
    return found


def the(fragment: str) -> Command:
    """The one command of the guide containing ``fragment``."""
    [command] = [command for command in commands() if fragment in command.text]
    return command


def test_the_readme_leads_with_the_guide() -> None:
    """The README links the guide before anything else."""
    readme = README.read_text(encoding="utf-8")
    first_link = re.search(r"\]\(([^)]+)\)", readme)
    assert first_link is not None
    assert first_link.group(1) == "docs/getting-started.md"


def test_every_command_is_run_or_marked() -> None:
    """Each command is run here, by a named test, or needs the sensor."""
    found = commands()
    assert {command.marker for command in found} == {"runs", "tested-by", "needs"}
    for command in found:
        if command.tested_by is not None:
            assert (REPO / command.tested_by).is_file(), command


def test_the_tests_named_run_those_commands() -> None:
    """A test named for a command really runs it: the demo test starts `rep-coach demo`, which
    `scripts/demo` runs after `scripts/setup`; the firmware test runs `esphome config`."""
    demo = the("scripts/demo")
    assert demo.text == "scripts/setup && scripts/demo"
    script = (REPO / "scripts" / "demo").read_text(encoding="utf-8")
    assert script.rstrip().endswith('exec .venv/bin/rep-coach demo "$@"')
    assert "scripts/setup" in script
    demo_tests = (REPO / "tests" / "demo" / "conftest.py").read_text(encoding="utf-8")
    assert '"rep_coach_tools.cli", "demo"' in demo_tests
    assert demo.tested_by == "tests/demo/test_demo.py"

    esphome = the("esphome config")
    firmware_test = (REPO / str(esphome.tested_by)).read_text(encoding="utf-8")
    assert '"config"' in firmware_test
    assert "rep-coach-vl53l1x.yaml" in firmware_test


def test_secrets_file_from_the_example(tmp_path: Path) -> None:
    """`cp secrets.yaml.example secrets.yaml` in hardware/esphome gives a file to fill in."""
    command = the("secrets.yaml.example")
    assert command.marker == "runs"
    example = REPO / "hardware" / "esphome" / "secrets.yaml.example"
    (tmp_path / "hardware" / "esphome").mkdir(parents=True)
    shutil.copy(example, tmp_path / "hardware" / "esphome")

    subprocess.run(["bash", "-c", command.text], cwd=tmp_path, check=True, timeout=30)

    secrets = tmp_path / "hardware" / "esphome" / "secrets.yaml"
    assert secrets.read_text() == example.read_text()
    assert {"mqtt_broker", "mqtt_username", "mqtt_password"} <= set(parse_yaml(secrets.read_text()))
    ignored = (REPO / "hardware" / "esphome" / ".gitignore").read_text()
    assert "secrets.yaml" in ignored.split()


def argv(command: Command, broker: Broker) -> list[str]:
    """A command of the guide as a process runs it here: the test broker instead of Home
    Assistant's, the venv of this test run instead of the repository's."""
    assert command.marker == "runs"
    args = shlex.split(command.text.replace(BROKER, f"{broker.host}:{broker.port}"))
    assert args[0] == ".venv/bin/rep-coach"
    return [sys.executable, "-m", "rep_coach_tools.cli", *args[1:]]


@contextmanager
def started(args: list[str]) -> Iterator[queue.Queue[str | None]]:
    """A process whose output lines arrive in a queue; interrupted (Ctrl-C) at the end."""
    process = subprocess.Popen(
        args,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        yield lines
    finally:
        interrupt(process, STOP_TIMEOUT_S)


def wait_for_line(lines: queue.Queue[str | None], pattern: re.Pattern[str]) -> str:
    """The first output line matching ``pattern``, within a deadline."""
    deadline = time.monotonic() + FIRST_REP_TIMEOUT_S
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            pytest.fail(f"no line matching {pattern.pattern}:\n{''.join(seen)}")
        if line is None:
            pytest.fail(f"the command exited:\n{''.join(seen)}")
        seen.append(line)
        if pattern.search(line):
            return line


@pytest.mark.e2e
@pytest.mark.slow
def test_watch_counts_what_the_emulator_sends(mosquitto: Broker) -> None:
    """The guide's `rep-coach emulate` publishes a bench in real time and its `rep-coach watch`
    counts the reps, both with the broker login as written (a test broker here)."""
    emulate, watch = the("rep-coach emulate"), the("rep-coach watch")

    with started(argv(watch, mosquitto)) as watched, started(argv(emulate, mosquitto)):
        line = wait_for_line(watched, re.compile(r"REP 1 \((left|right), set 1\)"))

    assert "hold" in line
    assert "lowering" in line


def test_card_yaml_is_the_cards() -> None:
    """The card's YAML in the guide uses the card's own keys and a layout it knows."""
    guide = GUIDE.read_text(encoding="utf-8")
    block = guide.split("```yaml\n", 1)[1].split("```", 1)[0]
    card = parse_yaml(block)
    assert isinstance(card, dict)
    assert card["type"] == "custom:rep-coach-card"
    assert set(card) <= {"type", "device_id", "layout", "title"}
    assert card["layout"] in {"compact", "large"}
