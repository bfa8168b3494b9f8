"""Options <-> engine settings, in one place."""

from __future__ import annotations

import pytest

from custom_components.rep_coach.engine import (
    EngineSettings,
    Orientation,
    Program,
    Sensitivity,
    SideMode,
)
from custom_components.rep_coach.options import options_from_settings, settings_from_options


def test_round_trip() -> None:
    """Stored options give back the same settings."""
    settings = EngineSettings(
        side_mode=SideMode.RIGHT,
        sensitivity=Sensitivity.HIGH,
        target_reps=7,
        orientation=Orientation.NEARER,
    )
    assert settings_from_options(options_from_settings(settings)) == settings


def test_program_owns_targets() -> None:
    """A preset's targets win over stored ones; custom keeps them."""
    stored = {"program": "hypertrophy", "target_reps": 3, "rest_s": 5}
    assert settings_from_options(stored) == EngineSettings().with_program(Program.HYPERTROPHY)
    custom = settings_from_options({**stored, "program": "custom"})
    assert (custom.target_reps, custom.rest_s) == (3, 5.0)


@pytest.mark.parametrize(
    ("key", "value"),
    [("side_mode", "both"), ("target_reps", 2.5), ("rest_s", "long"), ("sets_per_side", None)],
)
def test_invalid_option_logged_and_defaulted(
    key: str, value: object, caplog: pytest.LogCaptureFixture
) -> None:
    """A bad stored value is logged and replaced by the default; nothing crashes."""
    settings = settings_from_options({key: value})
    assert getattr(settings, key) == getattr(EngineSettings(), key)
    assert f"Ignoring invalid option {key}=" in caplog.text


def test_unknown_keys_ignored() -> None:
    """Keys the user cannot set do not reach the engine."""
    assert settings_from_options({"max_range_mm": 1.0, "other": 2}) == EngineSettings()
