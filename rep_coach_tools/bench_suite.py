"""The benchmark's corpora and checks, run in worker processes, grouped into figures.

Corpora (``--sessions N``, default 48):

- ``main``: the broadened simulator, N sessions split over its six families (geometry, seat,
  lifter, partials, arrivals, mixed), mounts alternating;
- ``holdout``: N/2 sessions of the independent generator (:mod:`.holdout`);
- ``classic``: N/3 sessions of the simulator the engine was first tuned on;
- ``b2b``: N/8 streams of four sessions of different geometry each, in one engine stream;
  every other stream re-clamps the sensor the other way round half-way; and N/16 streams of
  three sessions on one bench with a firmware update (a reboot, another rate and format) between
  them;
- ``pairs``: N/4 streams of two hold-out sessions each (:mod:`.holdout.pairs`), in one engine
  stream; every other stream re-clamps the sensor the other way round for the second session;
- ``field``: N/2 sessions of the hold-out's lifter with one real-world disturbance each
  (:mod:`.field`: tilt, passers, light, slip, network, vl53l0x), mounts alternating;
- ``upsets``: N/4 hold-out sessions interrupted inside a set (:mod:`.field.upsets`): the sensor
  reboots, Home Assistant restarts and goes on from its snapshot, or someone crosses the
  beam; each upset from each mount.
- ``turns``: N/4 streams of two or three lifters taking turns set by set on one bench
  (:mod:`.holdout.turns`): seats 4-30 cm apart, ranges and tempos of their own, 5-40 s
  changeovers; mounts alternating.

Checks: ``jitter`` (N/8 firmware sessions at 10-50 Hz, mostly 10-12.5 Hz, delivered four more
times with 0-50 ms random delays, against the same batches delivered without delay) and
``mirror`` (N/12 sessions mirrored ``d -> C - d`` and shifted by +150 mm and +400 mm, against
the original). ``speed``: throughput and memory.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

from custom_components.rep_coach.engine.events import RepEvent

from .benchmark import memory_growth, run_baseline, run_engine, throughput
from .field import FIELD_FAMILIES, field_session
from .field.upsets import UPSETS, upset_session
from .holdout import holdout_session
from .holdout.pairs import PAIR_VARIANTS, holdout_pair
from .holdout.turns import turns_session
from .scoring import (
    Emitted,
    SessionScore,
    figures,
    inexact_sets,
    match_reps,
    quantile,
    score_session,
    set_windows,
)
from .sim.broad import Options
from .sim.geometry import Background, seat_band
from .sim.model import Mount, SimSession
from .sim.scenario import BROAD_FAMILIES, Family
from .sim.streams import back_to_back, firmware_updates, mirrored, redeliver, shifted
from .simulator import simulate_session

CORPORA = ("main", "holdout", "classic", "b2b", "pairs", "field", "upsets", "turns")
CHECKS = ("jitter", "mirror", "speed")
JITTER_MAX_S = 0.05
JITTER_DELIVERIES = 4
JITTER_RATES_HZ = (10.0, 12.5, 10.0, 20.0, 25.0, 50.0)  # the low rates are where timing moves
SHIFTS_MM = (150.0, 400.0)
SHORT_RANGE_MM = 150.0
DEFINITION = (
    "hold/lowering timed by hip speed (15 % of the phase's peak) inside 10 % position bands "
    "(14 % on a stability ball), on the clean trajectory at 1 kHz"
)


@dataclass(frozen=True, slots=True)
class Config:
    """What to run."""

    sessions: int = 48
    seeds: tuple[int, ...] = (2026,)  # more than one: their corpora pooled in one report
    corpora: tuple[str, ...] = CORPORA
    checks: tuple[str, ...] = CHECKS
    families: tuple[Family, ...] = BROAD_FAMILIES
    mounts: tuple[Mount, ...] = (Mount.ABOVE, Mount.BELOW)
    workers: int = 2
    baseline: bool = True


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work for a worker process."""

    kind: str  # main | holdout | classic | b2b | pairs | field | upsets | turns | jitter | mirror
    seed: int
    family: str = ""
    mount: str = ""
    variant: str = ""
    baseline: bool = False


@dataclass(slots=True)
class Comparison:
    """The engine on a transformed stream against the engine on the original."""

    name: str
    check: str
    sets: int = 0
    sets_changed: int = 0
    reps_compared: int = 0
    reps_differ: int = 0  # counted in one stream, not in the other
    hold_deltas: list[float] = field(default_factory=list)
    lowering_deltas: list[float] = field(default_factory=list)


@dataclass(slots=True)
class TaskResult:
    """What a task sends back."""

    scores: list[SessionScore] = field(default_factory=list)
    baseline: list[SessionScore] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)


# --- tasks -----------------------------------------------------------------------------------


def _seeds(seed: int, salt: str, count: int) -> list[int]:
    rng = random.Random(f"{seed}:{salt}")
    return [rng.randrange(1, 2**31) for _ in range(count)]


def plan_tasks(config: Config) -> list[Task]:
    """Every task of a run, in a fixed order (seed by seed)."""
    return [task for seed in config.seeds for task in _plan_seed(config, seed)]


def _plan_seed(config: Config, corpus_seed: int) -> list[Task]:
    n = config.sessions
    mounts = [str(m) for m in config.mounts]
    tasks: list[Task] = []
    if "main" in config.corpora:
        per_family = max(1, n // len(BROAD_FAMILIES))
        for family in config.families:
            for k, seed in enumerate(_seeds(corpus_seed, f"main-{family}", per_family)):
                mount = mounts[k % len(mounts)]
                tasks.append(Task("main", seed, str(family), mount, baseline=config.baseline))
    if "holdout" in config.corpora:
        for k, seed in enumerate(_seeds(corpus_seed, "holdout", max(2, n // 2))):
            tasks.append(Task("holdout", seed, mount=mounts[k % len(mounts)]))
    if "classic" in config.corpora:
        tasks += [Task("classic", seed) for seed in _seeds(corpus_seed, "classic", max(1, n // 3))]
    if "b2b" in config.corpora:
        for k, seed in enumerate(_seeds(corpus_seed, "b2b", max(2, n // 8))):
            tasks.append(Task("b2b", seed, variant="reclamped" if k % 2 else "same-orientation"))
        for seed in _seeds(corpus_seed, "b2b-firmware", max(1, n // 16)):
            tasks.append(Task("b2b", seed, variant="firmware"))
    if "pairs" in config.corpora:
        for k, seed in enumerate(_seeds(corpus_seed, "pairs", max(2, n // 4))):
            mount = mounts[(k // 2) % len(mounts)]  # each variant from each mount
            tasks.append(Task("pairs", seed, mount=mount, variant=PAIR_VARIANTS[k % 2]))
    if "field" in config.corpora:
        per_family = max(1, n // 2 // len(FIELD_FAMILIES))
        for f, kind in enumerate(FIELD_FAMILIES):
            for k, seed in enumerate(_seeds(corpus_seed, f"field-{kind}", per_family)):
                tasks.append(Task("field", seed, str(kind), mounts[(f + k) % len(mounts)]))
    if "upsets" in config.corpora:
        for k, seed in enumerate(_seeds(corpus_seed, "upsets", max(2, n // 4))):
            mount = mounts[(k // len(UPSETS)) % len(mounts)]  # each upset from each mount
            tasks.append(Task("upsets", seed, str(UPSETS[k % len(UPSETS)]), mount))
    if "turns" in config.corpora:
        for k, seed in enumerate(_seeds(corpus_seed, "turns", max(2, n // 4))):
            tasks.append(Task("turns", seed, mount=mounts[k % len(mounts)]))
    if "jitter" in config.checks:
        for k, seed in enumerate(_seeds(corpus_seed, "jitter", max(2, n // 8))):
            name = str(BROAD_FAMILIES[k % len(BROAD_FAMILIES)])
            rate = f"{JITTER_RATES_HZ[k % len(JITTER_RATES_HZ)]:g}"
            tasks.append(Task("jitter", seed, name, mounts[k % len(mounts)], variant=rate))
    if "mirror" in config.checks:
        for k, seed in enumerate(_seeds(corpus_seed, "mirror", max(2, n // 12))):
            tasks.append(Task("mirror", seed, str(Family.GEOMETRY), mounts[k % len(mounts)]))
    return tasks


def session_tags(session: SimSession, corpus: str) -> dict[str, str]:
    """How a session is grouped in the report."""
    truth = session.truth
    stream = f"{'plain' if session.plain else 'json'} {session.rate_hz:g} Hz"
    range_mm = float(truth["rom_mm"])
    tags = {
        "corpus": corpus,
        "family": session.family,
        "mount": str(session.mount),
        "stream": stream,
        "format": "plain" if session.plain else "json",
        "range": "short (< 15 cm)" if range_mm < SHORT_RANGE_MM else "long (>= 15 cm)",
    }
    if "mount_mm" not in truth["geometry"]:
        tags["seat"] = seat_band(float(truth["bottom_mm"]))
    for key in ("b2b_variant", "pair_variant", "turns_variant"):
        if key in truth:
            tags["variant"] = truth[key]
    return tags


def score(session: SimSession, emitted: Sequence[Emitted], corpus: str) -> SessionScore:
    """A session's score, tagged for the report."""
    return score_session(
        session.name,
        session.truth,
        emitted,
        hold_target_s=session.settings().hold_target_s,
        tags=session_tags(session, corpus),
        readings=len(session.readings),
        valid_times=sorted(r.t for r in session.readings if r.sees_target()),
    )


def make_session(task: Task) -> SimSession:
    """The session (or stream) a task is about."""
    mount = Mount(task.mount) if task.mount else None
    if task.kind == "holdout":
        return holdout_session(task.seed, mount=mount)
    if task.kind == "classic":
        return simulate_session(task.seed)
    if task.kind == "field":
        return field_session(task.seed, task.family, mount=mount)
    if task.kind == "upsets":
        return upset_session(task.seed, task.family, mount=mount)
    if task.kind == "b2b":
        if task.variant == "firmware":
            return firmware_updates(task.seed)
        return back_to_back(task.seed, reclamp=task.variant == "reclamped")
    if task.kind == "pairs":
        return holdout_pair(task.seed, reclamp=task.variant == "reclamped", mount=mount)
    if task.kind == "turns":
        return turns_session(task.seed, mount=mount)
    options = Options(mount=mount)
    if task.kind == "jitter":
        options = Options(mount=mount, plain=False, rate_hz=float(task.variant))
    elif task.kind == "mirror":
        options = Options(mount=mount, background=Background.NOTHING)
    return simulate_session(task.seed, family=task.family, options=options)


def run_task(task: Task) -> TaskResult:
    """Generate, run the engine, score (in a worker process)."""
    session = make_session(task)
    if task.kind == "jitter":
        return TaskResult(comparisons=jitter_check(session, task.seed))
    if task.kind == "mirror":
        return TaskResult(comparisons=mirror_check(session))
    result = TaskResult(scores=[score(session, run_engine(session), task.kind)])
    if task.baseline:
        result.baseline.append(score(session, run_baseline(session), "baseline"))
    return result


def compare(
    name: str, check: str, truth: dict[str, Any], ref: Sequence[Emitted], other: Sequence[Emitted]
) -> Comparison:
    """Counts per set and each true rep's hold and lowering time, ``other`` against ``ref``."""
    out = Comparison(name, check)
    windows = set_windows(truth)
    for lo, hi, _ in windows:
        counts = [sum(1 for ev in _counted(stream) if lo <= ev.t <= hi) for stream in (ref, other)]
        out.sets += 1
        out.sets_changed += counts[0] != counts[1]
    true_reps = sorted(
        (d for _, _, s in windows for d in s["rep_details"]), key=lambda d: d["end_t"]
    )
    streams = [_counted(stream) for stream in (ref, other)]
    matched = [match_reps(true_reps, events) for events in streams]
    for k in range(len(true_reps)):
        if k in matched[0] and k in matched[1]:
            a, b = streams[0][matched[0][k]], streams[1][matched[1][k]]
            out.reps_compared += 1
            out.hold_deltas.append(abs(b.hold_s - a.hold_s))
            out.lowering_deltas.append(abs(b.eccentric_s - a.eccentric_s))
        elif (k in matched[0]) != (k in matched[1]):
            out.reps_differ += 1
    return out


def _counted(emitted: Sequence[Emitted]) -> list[RepEvent]:
    return [e.event for e in emitted if isinstance(e.event, RepEvent) and e.event.complete]


def jitter_check(session: SimSession, seed: int) -> list[Comparison]:
    """The same batches with 0-50 ms random delays against the same batches without delay."""
    rng = random.Random(seed)
    ref = run_engine(redeliver(session, None, 0.0))
    return [
        compare(
            session.name,
            "jitter",
            session.truth,
            ref,
            run_engine(redeliver(session, rng, JITTER_MAX_S)),
        )
        for _ in range(JITTER_DELIVERIES)
    ]


def mirror_check(session: SimSession) -> list[Comparison]:
    """Mirrored and shifted copies against the original."""
    ref = run_engine(session)
    variants: list[tuple[str, Callable[[SimSession], SimSession]]] = [
        ("mirrored", mirrored),
        *((f"shifted +{s:g} mm", lambda x, s=s: shifted(x, s)) for s in SHIFTS_MM),
    ]
    return [
        compare(session.name, label, session.truth, ref, run_engine(transform(session)))
        for label, transform in variants
    ]


# --- the run ---------------------------------------------------------------------------------


def execute(tasks: list[Task], workers: int) -> list[TaskResult]:
    """Run every task (in ``workers`` processes when more than one); results in task order."""
    if workers <= 1 or len(tasks) <= 1:
        return [run_task(t) for t in tasks]
    # spawn: workers start clean (no forked threads), the same on every platform and Python
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        return list(pool.map(run_task, tasks, chunksize=1))


def grouped(scores: Sequence[SessionScore], *keys: str) -> dict[str, Any]:
    """Figures per value of the first tag, nested by the next ones."""
    if not keys:
        return figures(scores)
    out: dict[str, Any] = {}
    for value in sorted({s.tags.get(keys[0], "") for s in scores}, key=_natural):
        members = [s for s in scores if s.tags.get(keys[0], "") == value]
        out[value] = {"all": figures(members), **grouped_sub(members, keys[1:])}
    return out


def _natural(text: str) -> tuple[tuple[int, str, float], ...]:
    """Sort key: numbers by value ("8-25 cm" before "25-60 cm", "json 12.5 Hz" after 10)."""
    return tuple(
        (1, "", float(part)) if part.replace(".", "", 1).isdigit() else (0, part, 0.0)
        for part in re.split(r"(\d+(?:\.\d+)?)", text)
        if part
    )


def grouped_sub(scores: Sequence[SessionScore], keys: Sequence[str]) -> dict[str, Any]:
    """:func:`grouped` one level down, or nothing at the bottom."""
    return grouped(scores, *keys) if keys else {}


def corpus_report(scores: list[SessionScore], corpus: str) -> dict[str, Any]:
    """A corpus's figures: overall, per mount, per family, stream, seat distance and range."""
    report: dict[str, Any] = {"all": figures(scores), "by_mount": grouped(scores, "mount")}
    if corpus in ("main", "holdout"):
        report["by_stream"] = grouped(scores, "stream")
        report["by_seat"] = grouped(scores, "seat", "mount")
        report["by_range"] = grouped(scores, "range", "mount")
    if corpus in ("main", "field", "upsets"):
        report["by_family"] = grouped(scores, "family", "mount")
    if corpus in ("b2b", "pairs", "turns"):
        report["by_variant"] = grouped(scores, "variant", "mount")
    report["inexact_sets"] = inexact_sets(scores)
    return report


def check_report(comparisons: list[Comparison]) -> dict[str, Any]:
    """Summary of a check: how much counts and timings moved."""
    out: dict[str, Any] = {}
    for check in sorted({c.check for c in comparisons}):
        group = [c for c in comparisons if c.check == check]
        holds = [d for c in group for d in c.hold_deltas]
        lowers = [d for c in group for d in c.lowering_deltas]
        out[check] = {
            "runs": len(group),
            "sets": sum(c.sets for c in group),
            "sets_count_changed": sum(c.sets_changed for c in group),
            "runs_with_count_change": sum(c.sets_changed > 0 for c in group),
            "reps_compared": sum(c.reps_compared for c in group),
            "reps_counted_in_one_only": sum(c.reps_differ for c in group),
            "hold_change_max_s": quantile(holds, 1.0),
            "hold_change_p95_s": quantile(holds, 0.95),
            "lowering_change_max_s": quantile(lowers, 1.0),
            "lowering_change_p95_s": quantile(lowers, 0.95),
        }
    return out


def speed(config: Config) -> dict[str, Any]:
    """Engine throughput on a few broadened sessions, memory over a long back-to-back stream."""
    laps = 12 if config.sessions >= 24 else 4
    sessions = [
        simulate_session(seed, family=family)
        for seed, family in zip(_seeds(config.seeds[0], "speed", 4), BROAD_FAMILIES, strict=False)
    ]
    stream = back_to_back(_seeds(config.seeds[0], "memory", 1)[0], parts=laps)
    return {"throughput": throughput(sessions), "memory": memory_growth(stream)}


def run(config: Config) -> dict[str, Any]:
    """The whole benchmark as one JSON-ready dict."""
    tasks = plan_tasks(config)
    results = execute(tasks, config.workers)
    out: dict[str, Any] = {
        "definition": DEFINITION,
        "config": {
            "sessions": config.sessions,
            "seeds": list(config.seeds),
            "corpora": list(config.corpora),
            "checks": list(config.checks),
            "families": [str(f) for f in config.families],
            "mounts": [str(m) for m in config.mounts],
        },
        "corpora": {},
    }
    scores = [s for r in results for s in r.scores]
    for corpus in CORPORA:
        members = [s for s in scores if s.tags["corpus"] == corpus]
        if members:
            out["corpora"][corpus] = corpus_report(members, corpus)
    baseline = [s for r in results for s in r.baseline]
    if baseline:
        out["baseline"] = {"all": figures(baseline), "by_mount": grouped(baseline, "mount")}
    comparisons = [c for r in results for c in r.comparisons]
    if comparisons:
        out["checks"] = check_report(comparisons)
    if "speed" in config.checks:
        out.update(speed(config))
    out["workers"] = config.workers
    out["cpu_count"] = os.cpu_count()
    return out
