"""The engine is a library of its own: the tools run where Home Assistant is not installed."""

from __future__ import annotations

import json
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


def test_replay_runs_with_home_assistant_unimportable() -> None:
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_HOME_ASSISTANT, str(FIXTURES / "session.csv")],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    truth = json.loads((FIXTURES / "session.truth.json").read_text())
    reps = [line for line in lines if line.get("event") == "rep" and line["complete"]]
    assert len(reps) == sum(s["reps"] for s in truth["sets"])
    assert lines[-1] == {"exit": 0, "loaded": []}


def test_overview_lists_every_command_even_when_one_cannot_load() -> None:
    script = WITHOUT_HOME_ASSISTANT.split("from rep_coach_tools.cli", maxsplit=1)[0] + (
        "from rep_coach_tools.cli import build_parser\nprint(build_parser().format_help())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for command in ("replay", "simulate", "bench", "emulate", "watch", "demo"):
        assert command in result.stdout
    assert "unavailable here" in result.stdout  # demo needs Home Assistant
