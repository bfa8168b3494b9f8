"""Fixtures for the hardware tests: the pinned ESPHome (installed on first use), the host's g++, and
`esphome config` on a throwaway copy of hardware/esphome."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def validate(
    esphome: str, config_file: Path, *substitutions: tuple[str, str], command: str = "config"
) -> Validation:
    """`esphome [-s KEY VALUE]... config FILE` (or another command, e.g. `compile --only-generate`)."""
    args = [esphome]
    for key, value in substitutions:
        args += ["-s", key, value]
    result = subprocess.run(
        [*args, *command.split(), str(config_file)],
        capture_output=True,
        text=True,
        check=False,
        cwd=config_file.parent,
        timeout=300,
    )
    return Validation(esphome, result.returncode, result.stdout, result.stderr)


def milliseconds(period: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|us)", str(period))
    assert match, period
    scale = {"ms": 1.0, "s": 1000.0, "us": 0.001}[match[2]]
    return float(match[1]) * scale
