"""``rep-coach replay FILE``: run a recorded session through the engine, one JSON line per event.

FILE is a CSV with header ``t,distance_mm`` (seconds; empty or invalid values allowed) or a JSONL
capture of MQTT payloads: one object per line with ``payload`` (text, or any JSON value) and the
arrival time in ``t`` (s). Retained messages (``"retain": true``) are skipped, as Home Assistant
skips them: an old value replayed on subscribe is not a movement.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .options import add_settings_arguments, settings_from_args

if TYPE_CHECKING:
    from custom_components.rep_coach.engine.core import RepEngine
    from custom_components.rep_coach.engine.events import EngineEvent


class ReplayError(ValueError):
    """The file is not a recording we can read."""


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def replay_csv(engine: RepEngine, stream: TextIO) -> Iterator[EngineEvent]:
    """Events from a ``t,distance_mm`` CSV."""
    reader = csv.DictReader(stream)
    if reader.fieldnames is None or not {"t", "distance_mm"} <= set(reader.fieldnames):
        raise ReplayError("CSV needs a header with the columns t,distance_mm")
    last_t = 0.0
    for row in reader:
        t = _number(row.get("t"))
        if t is None:
            continue
        last_t = t
        yield from engine.feed(t, _number(row.get("distance_mm")))
    yield from engine.tick(last_t + 60.0)


def replay_jsonl(engine: RepEngine, stream: TextIO) -> Iterator[EngineEvent]:
    """Events from a JSONL capture of MQTT payloads."""
    last_t = 0.0
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record: Any = json.loads(line)
            t = float(record["t"])
            payload = record["payload"]
        except (ValueError, KeyError, TypeError) as err:
            raise ReplayError(
                f'line {number}: expected {{"t": ..., "payload": ...}} ({err})'
            ) from err
        if record.get("retain"):
            continue
        if not isinstance(payload, str):
            payload = json.dumps(payload)
        last_t = max(last_t, t)
        yield from engine.tick(t)
        yield from engine.feed_payload(payload, t).events
    yield from engine.tick(last_t + 60.0)


def replay(path: Path, engine: RepEngine) -> Iterator[EngineEvent]:
    """Events from a recording, by its format."""
    with path.open(encoding="utf-8") as stream:
        first = stream.readline()
        stream.seek(0)
        if first.lstrip().startswith("{"):
            yield from replay_jsonl(engine, stream)
        else:
            yield from replay_csv(engine, stream)


def _run(args: argparse.Namespace) -> int:
    # Imported here so that ``--help`` (and a bad command line) need not load the engine.
    from custom_components.rep_coach.engine.core import RepEngine  # noqa: PLC0415

    engine = RepEngine(settings_from_args(args))
    out = sys.stdout
    try:
        for event in replay(Path(args.file), engine):
            out.write(json.dumps(event.as_dict()) + "\n")
    except (OSError, ReplayError) as err:
        print(f"rep-coach replay: {err}", file=sys.stderr)
        return 2
    if args.summary:
        out.write(json.dumps({"event": "summary", **engine.summary()}) + "\n")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``replay`` command."""
    parser = subparsers.add_parser(
        "replay", help="run a recorded session (CSV or JSONL) and print events"
    )
    parser.add_argument("file", help="CSV (t,distance_mm) or JSONL capture of MQTT payloads")
    parser.add_argument("--summary", action="store_true", help="end with a session summary line")
    add_settings_arguments(parser)
    parser.set_defaults(func=_run)
