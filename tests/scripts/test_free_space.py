"""``scripts/free-space``: ``scripts/setup`` stops with the reason when a lane would not fit
(CI once failed half-way through pip with "No space left on device")."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "free-space"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, check=False, timeout=30
    )


def test_a_lane_that_would_not_fit_stops_with_where_and_how_much(tmp_path: Path) -> None:
    free_mb = shutil.disk_usage(tmp_path).free // 2**20
    done = _run(str(free_mb + 10_000), "the main lane", str(ROOT), str(tmp_path))
    assert done.returncode == 1
    assert "the main lane needs about" in done.stderr
    assert f"{free_mb + 10_000} MB free in {ROOT}" in done.stderr


def test_room_enough_says_nothing(tmp_path: Path) -> None:
    done = _run("1", "the main lane", str(ROOT), str(tmp_path))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_setup_asks_before_it_builds_a_lane() -> None:
    setup = (ROOT / "scripts" / "setup").read_text()
    asked = setup.index("scripts/free-space 2000")
    assert asked < setup.index('-m venv "$venv"')
