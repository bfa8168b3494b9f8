"""Fixtures for the hardware tests: the pinned ESPHome (installed on first use) and the host's g++."""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ESPHOME_DIR = REPO / "hardware" / "esphome"
COMPONENTS = ESPHOME_DIR / "components"


@pytest.fixture(scope="session")
def esphome() -> str:
    """Path of the pinned esphome executable (installed on first use)."""
    result = subprocess.run(
        [str(REPO / "scripts" / "esphome-venv")],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if result.returncode != 0:
        reason = (
            "ESPHOME NOT INSTALLABLE: scripts/esphome-venv failed, the firmware configs were NOT "
            f"validated:\n{result.stderr[-2000:]}"
        )
        warnings.warn(reason, stacklevel=1)
        pytest.skip(reason)
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def compiler() -> str:
    path = shutil.which("g++")
    if path is None:
        pytest.skip("G++ NOT INSTALLED: the firmware's C++ was NOT compiled")
    return path


def compile_cpp(compiler: str, args: list[str], cwd: Path) -> None:
    """g++ with warnings on; none may come from our components."""
    result = subprocess.run(
        [compiler, "-std=gnu++20", "-Wall", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    own_warnings = [line for line in result.stderr.splitlines() if str(COMPONENTS) in line]
    assert not [line for line in own_warnings if "warning" in line], result.stderr
