"""The ``rep-coach`` command line. Each sub-command lives in its own module and registers itself.

A command module provides ``register(subparsers) -> None``; the parser it adds sets
``func`` to a callable taking the parsed namespace and returning an exit code.

Only the module of the command being run is imported, so ``rep-coach replay`` starts without
loading Home Assistant (which ``demo`` needs) or paho-mqtt (``emulate``, ``watch``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import cast

type Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

COMMAND_MODULES = {
    "replay": "rep_coach_tools.replay",
    "simulate": "rep_coach_tools.simulate",
    "bench": "rep_coach_tools.bench",
    "emulate": "rep_coach_tools.emulate",
    "watch": "rep_coach_tools.watch",
    "demo": "rep_coach_tools.demo",
}


def _register(subparsers: Subparsers, name: str) -> None:
    try:
        module = importlib.import_module(COMMAND_MODULES[name])
    except ImportError as err:
        # Listed in the overview even where its dependencies (e.g. Home Assistant) are missing.
        subparsers.add_parser(name, help=f"(unavailable here: {err})")
        return
    register = cast("Callable[[Subparsers], None]", module.register)
    register(subparsers)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with ``command`` fully registered (every command when None)."""
    parser = argparse.ArgumentParser(
        prog="rep-coach", description="Rep Coach: single-leg hip thrust coach tools"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        if command is None or name == command:
            _register(subparsers, name)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The sub-command named on the command line, if it is one we know."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMAND_MODULES else None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``rep-coach`` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_command_in(arguments)).parse_args(arguments)
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
