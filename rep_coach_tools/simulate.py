"""``rep-coach simulate``: write realistic synthetic sessions with ground truth.

``--family`` picks the classic simulator (default), a broadened family or the hold-out
generator; ``--mount`` fixes the sensor above or below.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from .benchmark import payloads
from .holdout import holdout_session
from .simulator import Family, Mount, Options, SimSession, simulate_session


def write_session(session: SimSession, directory: Path) -> list[Path]:
    """CSV (true sample times), JSONL capture (arrival times, wire payloads) and truth JSON."""
    directory.mkdir(parents=True, exist_ok=True)
    csv_path = directory / f"{session.name}.csv"
    with csv_path.open("w", encoding="utf-8") as out:
        out.write("t,distance_mm\n")
        for reading in session.readings:
            value = "" if reading.distance_mm is None else f"{reading.distance_mm:g}"
            out.write(f"{reading.t:.4f},{value}\n")
    jsonl_path = directory / f"{session.name}.jsonl"
    with jsonl_path.open("w", encoding="utf-8") as out:
        for arrival, payload, _ in payloads(session):
            out.write(json.dumps({"t": round(arrival, 4), "payload": payload}) + "\n")
    truth_path = directory / f"{session.name}.truth.json"
    truth_path.write_text(
        json.dumps({"name": session.name, **session.truth}, indent=1), encoding="utf-8"
    )
    return [csv_path, jsonl_path, truth_path]


def _session(seed: int, args: argparse.Namespace) -> SimSession:
    mount = Mount(args.mount) if args.mount else None
    if args.family == "holdout":
        return holdout_session(seed, mount=mount)
    if args.family == Family.CLASSIC:
        if mount is not None:
            raise SystemExit("--mount applies to the broadened families and the holdout")
        return simulate_session(seed, rate_hz=args.rate)
    return simulate_session(
        seed, rate_hz=args.rate, family=args.family, options=Options(mount=mount)
    )


def _run(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    directory = Path(args.out)
    for _ in range(args.count):
        session = _session(rng.randrange(1, 2**31), args)
        for path in write_session(session, directory):
            print(path)
        sets = ", ".join(f"{s['side']} {s['reps']}" for s in session.truth["sets"])
        print(f"  {session.name}: {len(session.readings)} readings, sets: {sets}", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``simulate`` command."""
    parser = subparsers.add_parser(
        "simulate", help="write synthetic sessions (CSV, JSONL, truth JSON)"
    )
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (same seed, same files)")
    parser.add_argument("--count", type=int, default=1, help="number of sessions")
    parser.add_argument("--rate", type=float, help="sample rate in Hz (default: drawn from 10-50)")
    parser.add_argument("--out", default="sessions", help="output directory")
    parser.add_argument(
        "--family",
        default=str(Family.CLASSIC),
        choices=[str(f) for f in Family] + ["holdout"],
        help="scenario family (default classic; holdout: the independent generator)",
    )
    parser.add_argument(
        "--mount", choices=[str(m) for m in Mount], help="sensor above or below (default drawn)"
    )
    parser.set_defaults(func=_run)
