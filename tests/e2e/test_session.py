"""A simulated session from the emulator, through Mosquitto and Home Assistant's real MQTT client,
ends with exactly what the engine alone makes of the same payloads."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.rep_coach.engine import Side
from rep_coach_tools.simulator import simulate_session

from .conftest import Bench, Emulator, Home, batch_payloads, reference_replay

SEED = 7  # two sets (one per leg), 15 reps, strength program: 139 s, 28 s at SPEED

pytestmark = pytest.mark.e2e


def _rep_keys(events: list[dict[str, Any]]) -> list[tuple[str, str, int, int]]:
    return [
        (data["type"], data["side"], data["set"], data["rep"])
        for data in events
        if data["type"] in {"rep_completed", "partial_rep"}
    ]


def _assert_entities_match(bench: Bench, state: Any) -> None:
    for side in Side:
        stats = state.side_stats(side)
        assert bench.value(f"{side}_reps") == str(stats.reps)
        assert bench.value(f"{side}_sets") == str(stats.sets)
    assert bench.value("total_reps") == str(state.total_reps)
    assert bench.value("set_number") == str(state.set_number)
    assert bench.value("current_side") == str(state.side)


async def test_emulated_session_matches_engine_replay(home: Home, emulator: Emulator) -> None:
    """Counts, sides, sets, rep numbers and the sequence of bus events are the engine's."""
    session = simulate_session(SEED, rate_hz=50)
    options = {k: session.truth["settings"][k] for k in ("program", "variation")}
    bench = await home.add_bench(options=options)
    emulator.connect()

    batches = await emulator.send(session.readings)
    await bench.wait_for_payloads(len(batches))

    reference = reference_replay(options, batch_payloads(batches))
    true_reps = sum(item["reps"] for item in session.truth["sets"])
    print(
        f"\n{len(session.readings)} readings in {len(batches)} messages; "
        f"{reference.state.total_reps} reps counted (truth {true_reps}); "
        f"{len(bench.events)} bus events"
    )
    assert reference.state.total_reps > 0
    _assert_entities_match(bench, reference.state)
    assert bench.types() == reference.types()
    assert _rep_keys([e.data for e in bench.events]) == _rep_keys(
        [
            {"type": t, **e.as_dict()}
            for t, e in zip(reference.types(), reference.events, strict=True)
        ]
    )
    assert bench.coordinator.engine.counters.duplicates == 0
