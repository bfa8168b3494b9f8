"""The engine is a library of its own: the tools run where Home Assistant is not installed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "fixtures"
REPO = Path(__file__).parents[2]

# Runs in a fresh interpreter where importing Home Assistant (or the MQTT/HTTP stacks only the
# demo, emulate and watch need) fails, as on a machine with only the engine's own dependency.
WITHOUT_HOME_ASSISTANT = """
import importlib.abc, json, sys

class Missing(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"homeassistant", "paho", "aiohttp", "voluptuous"}:
            raise ImportError(f"No module named {name!r} (blocked by the test)")
        return None

sys.meta_path.insert(0, Missing())
from rep_coach_tools.cli import main

code = main(["replay", sys.argv[1], "--summary"])
loaded = sorted({name.split(".")[0] for name in sys.modules} & {"homeassistant", "paho", "aiohttp"})
print(json.dumps({"exit": code, "loaded": loaded}))
"""


def python(*arguments: str) -> subprocess.CompletedProcess[str]:
    """This interpreter run afresh from the repository; it must succeed."""
    result = subprocess.run(
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_replay_runs_with_home_assistant_unimportable() -> None:
    result = python("-c", WITHOUT_HOME_ASSISTANT, str(FIXTURES / "session.csv"))
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    truth = json.loads((FIXTURES / "session.truth.json").read_text())
    reps = [line for line in lines if line.get("event") == "rep" and line["complete"]]
    assert len(reps) == sum(s["reps"] for s in truth["sets"])
    assert lines[-1] == {"exit": 0, "loaded": []}


def test_overview_lists_every_command_even_when_one_cannot_load() -> None:
    script = WITHOUT_HOME_ASSISTANT.split("from rep_coach_tools.cli", maxsplit=1)[0] + (
        "from rep_coach_tools.cli import build_parser\nprint(build_parser().format_help())\n"
    )
    result = python("-c", script)
    for command in ("replay", "simulate", "bench", "emulate", "watch", "demo"):
        assert command in result.stdout
    assert "unavailable here" in result.stdout  # demo needs Home Assistant


HELP_LOADS = """
import sys
from rep_coach_tools.cli import main

try:
    main(["replay", "--help"])
except SystemExit:
    pass
heavy = {"pydantic", "custom_components.rep_coach.engine.core", "custom_components.rep_coach.engine.protocol"}
print(sorted(heavy & set(sys.modules)), file=sys.stderr)
"""


def test_replay_help_loads_only_the_settings_of_the_engine() -> None:
    """What keeps ``rep-coach replay --help`` fast (README: start-up time): no engine, no pydantic."""
    result = python("-c", HELP_LOADS)
    assert "--summary" in result.stdout
    assert result.stderr.strip() == "[]"


def test_startup_time_prints_the_median_of_fresh_runs() -> None:
    result = python("-m", "rep_coach_tools.startup_time", "--runs", "3", "--", "true")
    assert re.fullmatch(
        r"true: median \d+\.\d{3} s over 3 runs \(min \d+\.\d{3}, max \d+\.\d{3}\)\n", result.stdout
    )
