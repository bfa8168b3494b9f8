"""Progress over weeks: Home Assistant's long-term statistics of the per-side sensors.

A few workouts on different days (simulated sessions over MQTT, time moved with the freezer) are
recorded by a real recorder; the statistics Home Assistant compiles from them must say what Rep
Coach counted: reps and sets per side per day and week, and the last set's squeeze per side.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button.const import SERVICE_PRESS
from homeassistant.components.recorder.core import Recorder
from homeassistant.components.sensor import ATTR_STATE_CLASS, SensorStateClass
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
    statistics_during_period,
)
from pytest_homeassistant_custom_component.typing import RecorderInstanceContextManager

from custom_components.rep_coach.const import DOMAIN
from rep_coach_tools.batches import encode_readings
from rep_coach_tools.simulator import simulate_session

from .conftest import BATCH, ENTRY_DATA, SENSOR_ID, SESSION_RATE_HZ, Replay, state_of

ENTITY = "hip_thrust_bench"
FIVE_MINUTES = timedelta(minutes=5)
# Workouts of one week (UTC): Monday, Tuesday twice, Thursday. Each is the same simulated
# session on the same bench, a set per side; after Monday's the lifter undoes a rep, before
# Thursday's the session is reset.
WORKOUTS = (
    datetime(2026, 11, 2, 6, tzinfo=UTC),
    datetime(2026, 11, 3, 6, tzinfo=UTC),
    datetime(2026, 11, 3, 18, tzinfo=UTC),
    datetime(2026, 11, 5, 6, tzinfo=UTC),
)
DAYS = sorted({workout.replace(hour=0) for workout in WORKOUTS})
SEED = 7  # strength program, elevated foot: left 7 and right 8 reps
REPS = {side: f"sensor.{ENTITY}_{side}_reps" for side in ("left", "right")}
SETS = {side: f"sensor.{ENTITY}_{side}_sets" for side in ("left", "right")}
MEAN_HOLD = {side: f"sensor.{ENTITY}_{side}_set_mean_hold" for side in ("left", "right")}


@pytest.fixture
async def mock_recorder_before_hass(async_test_recorder: RecorderInstanceContextManager) -> None:
    """The recorder's test patches go in before Home Assistant starts."""


@pytest.fixture
def recorder_config() -> dict[str, Any]:
    """Commit in batches, as Home Assistant does (the test commits before it compiles)."""
    return {"commit_interval": 60}


@pytest.fixture(autouse=True)
def quiet_database() -> Generator[None]:
    """The test harness logs every SQL statement; thousands of them slow the test down."""
    logger = logging.getLogger("sqlalchemy.engine")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


def workout_messages() -> list[tuple[float, str]]:
    """The simulated session, from a sensor switched on for the workout (it counts from 0)."""
    readings = simulate_session(SEED, rate_hz=SESSION_RATE_HZ).readings
    first = readings[0]
    restarted = [
        replace(reading, device_ms=reading.device_ms - first.device_ms, seq=reading.seq - first.seq)
        for reading in readings
    ]
    return [
        (batch[-1].arrival_t, encode_readings(batch))
        for batch in (restarted[start : start + BATCH] for start in range(0, len(restarted), BATCH))
    ]


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """The bench with the program of the simulated sessions."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Hip thrust bench",
        unique_id=SENSOR_ID,
        data=dict(ENTRY_DATA),
        # One session over the week (no automatic new workout after a break): the totals keep
        # growing across days until the reset before the last workout starts a new cycle.
        options={"program": "strength", "variation": "elevated", "new_workout_after_min": 0},
    )


async def _compile(hass: HomeAssistant, start: datetime, end: datetime) -> None:
    """Compile the 5-minute (and, at each full hour, hourly) statistics of [start, end)."""
    await async_wait_recording_done(hass)
    while start < end:
        do_adhoc_statistics(hass, start=start)
        start += FIVE_MINUTES
    await async_wait_recording_done(hass)


async def _press(hass: HomeAssistant, button: str) -> None:
    await hass.services.async_call(
        "button", SERVICE_PRESS, {ATTR_ENTITY_ID: f"button.{ENTITY}_{button}"}, blocking=True
    )
    await hass.async_block_till_done()


def _number(hass: HomeAssistant, entity_id: str) -> float:
    return float(state_of(hass, entity_id).state)


async def test_statistics_follow_reps_sets_and_squeeze_per_side(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    mqtt_mock: Any,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    replay: Replay,
) -> None:
    """Daily and weekly reps and sets per side, and each hour's squeeze figures, as shown."""
    await hass.config.async_set_time_zone("UTC")
    freezer.move_to(WORKOUTS[0] - timedelta(hours=1))
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    totals = (*REPS.values(), *SETS.values())
    for entity_id in totals:
        assert state_of(hass, entity_id).attributes[ATTR_STATE_CLASS] == SensorStateClass.TOTAL
    for entity_id in MEAN_HOLD.values():
        assert state_of(hass, entity_id).attributes[ATTR_STATE_CLASS] == (
            SensorStateClass.MEASUREMENT
        )
    await _compile(hass, WORKOUTS[0] - timedelta(hours=1), WORKOUTS[0])  # the zero point
    shown: dict[str, list[float]] = {entity_id: [] for entity_id in MEAN_HOLD.values()}

    @callback
    def _note(event: Event[EventStateChangedData]) -> None:
        new_state = event.data["new_state"]
        if new_state is not None and new_state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            shown[event.data["entity_id"]].append(float(new_state.state))

    async_track_state_change_event(hass, list(MEAN_HOLD.values()), _note)

    counted = {day: dict.fromkeys(totals, 0.0) for day in DAYS}
    shown_per_workout: list[dict[str, set[float]]] = []
    before = {entity_id: _number(hass, entity_id) for entity_id in totals}
    for workout in WORKOUTS:
        for values in shown.values():
            del values[:-1]  # the figure of the workout before is shown until a set ends
        freezer.move_to(workout)
        async_fire_time_changed(hass)
        if workout == WORKOUTS[-1]:
            # A new session: the totals start again from 0, a new cycle for the statistics.
            await _press(hass, "reset_session")
            before = dict.fromkeys(totals, 0.0)
        await replay(workout_messages())
        if workout == WORKOUTS[0]:
            # Undo the last rep (the right set's): a total going down by one is no new cycle.
            await _press(hass, "undo_last_rep")
        after = {entity_id: _number(hass, entity_id) for entity_id in totals}
        for entity_id in totals:
            counted[workout.replace(hour=0)][entity_id] += after[entity_id] - before[entity_id]
        before = after  # read now: the figures go unavailable once the sensor is quiet
        shown_per_workout.append({entity_id: set(values) for entity_id, values in shown.items()})
        freezer.move_to(workout + timedelta(hours=1, seconds=1))
        async_fire_time_changed(hass)
        await _compile(hass, workout, workout + timedelta(hours=1))

    assert [counted[day][SETS["left"]] for day in DAYS] == [1, 2, 1]
    assert [counted[day][REPS["right"]] for day in DAYS] == [7, 16, 8]  # Monday's undo
    week_start = DAYS[0]
    week_end = week_start + timedelta(days=7)
    ids = {*totals, *MEAN_HOLD.values()}
    daily: dict[str, list[dict[str, Any]]] = await recorder_mock.async_add_executor_job(
        statistics_during_period, hass, week_start, week_end, ids, "day", None, {"change"}
    )
    for entity_id in totals:
        assert [row["start"] for row in daily[entity_id]] == [day.timestamp() for day in DAYS]
        assert [row["change"] for row in daily[entity_id]] == [
            counted[day][entity_id] for day in DAYS
        ]
    weekly = await recorder_mock.async_add_executor_job(
        statistics_during_period, hass, week_start, week_end, ids, "week", None, {"change"}
    )
    for entity_id in totals:
        assert [row["change"] for row in weekly[entity_id]] == [
            sum(counted[day][entity_id] for day in DAYS)
        ]

    # Each workout hour's squeeze statistics span exactly the per-set figures shown in it.
    hourly = await recorder_mock.async_add_executor_job(
        statistics_during_period,
        hass,
        week_start,
        week_end,
        set(MEAN_HOLD.values()),
        "hour",
        None,
        {"mean", "min", "max"},
    )
    for entity_id in MEAN_HOLD.values():
        rows = hourly[entity_id]
        assert [row["start"] for row in rows] == [workout.timestamp() for workout in WORKOUTS]
        for row, figures in zip(rows, shown_per_workout, strict=True):
            low, high = min(figures[entity_id]), max(figures[entity_id])
            assert (row["min"], row["max"]) == pytest.approx((low, high))
            assert low - 1e-9 <= row["mean"] <= high + 1e-9  # weighted by how long each showed
    # Monday: the left figure of its one set; the right one changed with the undo.
    assert hourly[MEAN_HOLD["left"]][0]["mean"] == pytest.approx(
        shown_per_workout[0][MEAN_HOLD["left"]].pop()
    )
    assert len(shown_per_workout[0][MEAN_HOLD["right"]]) == 2
