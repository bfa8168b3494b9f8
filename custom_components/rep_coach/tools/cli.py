"""The ``rep-coach`` command line. Each sub-command lives in its own module and registers itself.

A command module provides ``register(subparsers) -> None``; the parser it adds sets
``func`` to a callable taking the parsed namespace and returning an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import cast

COMMAND_MODULES = (
    "custom_components.rep_coach.tools.replay",
    "custom_components.rep_coach.tools.simulate",
    "custom_components.rep_coach.tools.bench",
    "custom_components.rep_coach.tools.emulate",
    "custom_components.rep_coach.tools.watch",
    "custom_components.rep_coach.tools.demo",
)


def build_parser() -> argparse.ArgumentParser:
    """The parser with every available sub-command."""
    parser = argparse.ArgumentParser(
        prog="rep-coach", description="Rep Coach: single-leg hip thrust coach tools"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        register = cast(
            "Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]", module.register
        )
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``rep-coach`` console script."""
    args = build_parser().parse_args(argv)
    func = cast("Callable[[argparse.Namespace], int]", args.func)
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into head/less that closed early: not an error worth a traceback.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
