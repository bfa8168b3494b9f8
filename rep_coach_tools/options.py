"""Command-line options that map onto :class:`EngineSettings` (shared by several commands)."""

from __future__ import annotations

import argparse
from dataclasses import replace

from custom_components.rep_coach.engine.settings import (
    DistanceUnit,
    EngineSettings,
    Orientation,
    Program,
    Sensitivity,
    Side,
    SideMode,
    Variation,
)


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    """Options for program, targets, sides and sensor handling."""
    group = parser.add_argument_group("training settings")
    group.add_argument(
        "--program", choices=[p.value for p in Program], default=Program.CUSTOM.value
    )
    group.add_argument(
        "--variation", choices=[v.value for v in Variation], default=Variation.STANDARD.value
    )
    group.add_argument("--target-reps", type=int, help="reps per set (0: no target)")
    group.add_argument("--sets", type=int, dest="sets_per_side", help="sets per side")
    group.add_argument("--hold-target", type=float, help="squeeze at the top, s")
    group.add_argument("--lowering-target", type=float, help="lowering time, s")
    group.add_argument("--rest", type=float, help="rest between sets, s")
    group.add_argument(
        "--side-mode", choices=[m.value for m in SideMode], default=SideMode.ALTERNATE.value
    )
    group.add_argument("--start-side", choices=[s.value for s in Side], default=Side.LEFT.value)
    group.add_argument("--idle-end-set", type=float, help="no rep for this long ends a set, s")
    group.add_argument(
        "--sensitivity", choices=[s.value for s in Sensitivity], default=Sensitivity.NORMAL.value
    )
    group.add_argument(
        "--orientation", choices=[o.value for o in Orientation], default=Orientation.AUTO.value
    )
    group.add_argument(
        "--unit",
        choices=[u.value for u in DistanceUnit],
        default=DistanceUnit.AUTO.value,
        help="unit of plain numeric payloads (auto: below 10 is metres)",
    )


def settings_from_args(args: argparse.Namespace) -> EngineSettings:
    """Settings from parsed options: the program's targets first, then explicit overrides."""
    settings = EngineSettings(
        variation=Variation(args.variation),
        side_mode=SideMode(args.side_mode),
        start_side=Side(args.start_side),
        sensitivity=Sensitivity(args.sensitivity),
        orientation=Orientation(args.orientation),
        unit=DistanceUnit(args.unit),
    ).with_program(Program(args.program))
    overrides = {
        "target_reps": args.target_reps,
        "sets_per_side": args.sets_per_side,
        "hold_target_s": args.hold_target,
        "eccentric_target_s": args.lowering_target,
        "rest_s": args.rest,
        "idle_end_set_s": args.idle_end_set,
    }
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
