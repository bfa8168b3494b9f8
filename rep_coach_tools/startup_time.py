"""How long a command takes to start: the median wall time of fresh runs, for the README.

    python -m rep_coach_tools.startup_time                  # rep-coach replay --help, 21 runs
    python -m rep_coach_tools.startup_time --runs 51 -- rep-coach watch --help

Each run is a new process (output discarded) after one unmeasured warm-up run, so the figure is
the interpreter's start plus the imports, with the files in the page cache. The median, not the
mean: on a shared machine a few runs are always slowed by others.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

DEFAULT_COMMAND = ("rep-coach", "replay", "--help")


def resolve(command: Sequence[str]) -> list[str]:
    """``command`` with ``rep-coach`` resolved to the one installed beside this interpreter."""
    program, *rest = command
    if program == "rep-coach":
        beside = Path(sys.executable).with_name("rep-coach")
        found = str(beside) if beside.exists() else shutil.which(program)
        if found is None:
            return [sys.executable, "-m", "rep_coach_tools.cli", *rest]
        return [found, *rest]
    return [program, *rest]


def time_runs(command: Sequence[str], runs: int) -> list[float]:
    """Wall seconds of ``runs`` runs of ``command`` (after one warm-up run)."""
    times: list[float] = []
    for index in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        if index:
            times.append(time.perf_counter() - start)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    """Print ``<command>: median X s over N runs (min, max)``."""
    parser = argparse.ArgumentParser(
        prog="python -m rep_coach_tools.startup_time", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--runs", type=int, default=21, help="measured runs (default 21)")
    parser.add_argument(
        "command", nargs="*", help="the command after --; default: rep-coach replay --help"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    shown = args.command or list(DEFAULT_COMMAND)
    times = time_runs(resolve(shown), args.runs)
    print(
        f"{' '.join(shown)}: median {statistics.median(times):.3f} s over {len(times)} runs "
        f"(min {min(times):.3f}, max {max(times):.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
