"""``rep-coach bench``: accuracy, robustness, latency, throughput and memory on generated data.

Prints figures; asserts nothing. ``--load`` runs the Home Assistant load benchmark instead.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os

from .bench_report import details, markdown, table
from .bench_suite import CHECKS, CORPORA, Config, run
from .sim.model import Mount
from .sim.scenario import BROAD_FAMILIES, Family


def _csv(value: str, allowed: tuple[str, ...], option: str) -> tuple[str, ...]:
    if value in ("all", ""):
        return allowed
    if value == "none":
        return ()
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise SystemExit(
            f"{option}: unknown {', '.join(unknown)} (choose from {', '.join(allowed)})"
        )
    return chosen


def seed_list(value: str) -> tuple[int, ...]:
    try:
        seeds = tuple(int(v) for v in value.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a seed or a comma list of seeds: {value!r}"
        ) from None
    if not seeds or len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"give one seed or several different ones: {value!r}")
    return seeds


def config_from_args(args: argparse.Namespace) -> Config:
    """The run an argument list asks for."""
    families = _csv(args.family, tuple(str(f) for f in BROAD_FAMILIES), "--family")
    mounts = _csv(args.mount, tuple(str(m) for m in Mount), "--mount")
    return Config(
        sessions=12 if args.quick and args.sessions is None else args.sessions or 48,
        seeds=args.seed,
        corpora=_csv(args.corpus, CORPORA, "--corpus"),
        checks=_csv(args.checks, CHECKS, "--checks"),
        families=tuple(Family(f) for f in families),
        mounts=tuple(Mount(m) for m in mounts),
        workers=args.workers,
        baseline=not args.no_baseline,
    )


def _run(args: argparse.Namespace) -> int:
    if args.load:
        load = importlib.import_module("rep_coach_tools.loadbench")
        return int(load.main(args))
    result = run(config_from_args(args))
    print(markdown(result) if args.markdown else table(result))
    if args.details:
        print()
        print(details(result))
    if args.json:
        print(json.dumps(result))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bench`` command."""
    parser = subparsers.add_parser(
        "bench", help="accuracy, robustness and speed benchmark on generated sessions"
    )
    parser.add_argument(
        "--sessions", type=int, help="main corpus size; the others scale with it (default 48)"
    )
    parser.add_argument(
        "--seed",
        type=seed_list,
        default=(2026,),
        help="corpus seed (default 2026), or a comma list of seeds whose corpora are pooled "
        "in one report (e.g. 13,17,19)",
    )
    parser.add_argument("--quick", action="store_true", help="a quarter of the sessions (12)")
    parser.add_argument(
        "--corpus", default="all", help=f"comma list of {', '.join(CORPORA)}, or all (default)"
    )
    parser.add_argument(
        "--checks", default="all", help=f"comma list of {', '.join(CHECKS)}, all or none"
    )
    parser.add_argument(
        "--family",
        default="all",
        help="main corpus families: comma list of "
        f"{', '.join(str(f) for f in BROAD_FAMILIES)}, or all",
    )
    parser.add_argument(
        "--mount",
        default="all",
        help="above, below or all (main, holdout, pairs, field, upsets and turns)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="worker processes (default: 2, or 1 on one core)",
    )
    parser.add_argument("--details", action="store_true", help="list every set counted wrong")
    parser.add_argument(
        "--markdown", action="store_true", help="print the README's tables instead of the report"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the hand-built baseline")
    parser.add_argument(
        "--json", action="store_true", help="also print one JSON line with every figure"
    )
    parser.add_argument(
        "--load", action="store_true", help="Home Assistant load benchmark (see README)"
    )
    parser.add_argument("--benches", type=int, default=10, help="with --load: emulated benches")
    parser.add_argument(
        "--duration", type=float, default=30.0, help="with --load: seconds measured (default 30)"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=5.0,
        help="with --load: seconds before measuring (default 5)",
    )
    parser.set_defaults(func=_run)
