"""The example dashboard: built-in cards only, and only entity ids Rep Coach really creates."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components.sensor import SensorStateClass
from homeassistant.util import slugify
from homeassistant.util.yaml import load_yaml_dict

from custom_components.rep_coach.const import DEFAULT_NAME
from custom_components.rep_coach.frontend import WWW_DIR
from custom_components.rep_coach.sensor import SENSORS

DASHBOARD = Path(__file__).parents[2] / "dashboards" / "rep_coach.yaml"
TRANSLATIONS = WWW_DIR.parent / "translations" / "en.json"
ENTITY_ID = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")
# Lovelace's own cards (https://www.home-assistant.io/dashboards/cards/) used by the example.
BUILT_IN_CARDS = {
    "conditional",
    "entities",
    "gauge",
    "glance",
    "heading",
    "history-graph",
    "horizontal-stack",
    "logbook",
    "markdown",
    "statistics-graph",
    "tile",
    "vertical-stack",
}
# Translation keys from the HA surface contract that the example must show.
SHOWN_KEYS = {
    "reps_this_set",
    "phase",
    "current_side",
    "left_sets",
    "right_sets",
    "imbalance",
    "last_hold_time",
    "last_lowering_time",
    "rest_ends_at",
    "holding",
    "resting",
    "sensor_problem",
    "start_set",
    "end_set",
    "switch_side",
    "undo_last_rep",
    "target_reps",
    "hold_target",
    "rest_duration",
    "program",
    "side_mode",
    "variation",
}


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    """The example dashboard, read by Home Assistant's YAML loader (as a YAML-mode dashboard)."""
    return dict(load_yaml_dict(DASHBOARD))


@pytest.fixture(scope="module")
def entity_ids() -> dict[str, str]:
    """Entity id -> translation key of every entity a device named "Hip thrust bench" gets.

    Home Assistant names them ``<domain>.<slug of device name + English entity name>``.
    """
    translations = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))["entity"]
    return {
        f"{platform}.{slugify(f'{DEFAULT_NAME} {entity["name"]}')}": key
        for platform, entities in translations.items()
        for key, entity in entities.items()
    }


def walk(node: Any) -> Iterator[Any]:
    """Every dict, list and scalar inside ``node``."""
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def referenced_entities(node: Any) -> set[str]:
    """Every string in the dashboard that looks like an entity id."""
    return {item for item in walk(node) if isinstance(item, str) and ENTITY_ID.match(item)}


def test_every_entity_exists(dashboard: dict[str, Any], entity_ids: dict[str, str]) -> None:
    """Each entity id in the dashboard is one Rep Coach creates (no typo, no stale name)."""
    referenced = referenced_entities(dashboard)

    assert referenced
    assert sorted(referenced - entity_ids.keys()) == []


def test_shows_the_training_essentials(
    dashboard: dict[str, Any], entity_ids: dict[str, str]
) -> None:
    """Reps, sets per side, tempo, rest, controls and targets all have a place."""
    shown = {entity_ids[entity_id] for entity_id in referenced_entities(dashboard)}

    assert sorted(SHOWN_KEYS - shown) == []


def cards(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every card of the dashboard, including cards inside stacks and conditional cards."""
    for view in node.get("views", []):
        for holder in [view, *view.get("sections", [])]:
            for card in holder.get("cards", []):
                yield from _card_tree(card)


def _card_tree(card: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield card
    for child in [*card.get("cards", []), *([card["card"]] if "card" in card else [])]:
        yield from _card_tree(child)


def test_built_in_cards_only(dashboard: dict[str, Any]) -> None:
    """No custom card: the example works on a fresh Home Assistant."""
    card_types = {card["type"] for card in cards(dashboard)}

    assert "tile" in card_types
    assert sorted(card_types - BUILT_IN_CARDS) == []


# What each statistic type needs from a sensor's state class.
STATISTIC_NEEDS = {
    "change": SensorStateClass.TOTAL,
    "sum": SensorStateClass.TOTAL,
    "mean": SensorStateClass.MEASUREMENT,
    "min": SensorStateClass.MEASUREMENT,
    "max": SensorStateClass.MEASUREMENT,
}
# The progress a lifter follows over weeks (issue #13).
PROGRESS_KEYS = {
    "left_reps",
    "right_reps",
    "left_sets",
    "right_sets",
    "left_set_mean_hold",
    "right_set_mean_hold",
    "left_set_mean_lowering",
    "right_set_mean_lowering",
    "imbalance",
}


def test_progress_statistics_graphs(dashboard: dict[str, Any], entity_ids: dict[str, str]) -> None:
    """The last four weeks per side, from sensors whose statistics have the type shown."""
    state_classes = {description.key: description.state_class for description in SENSORS}
    graphs = [card for card in cards(dashboard) if card["type"] == "statistics-graph"]
    shown: set[str] = set()
    for graph in graphs:
        assert (graph["period"], graph["days_to_show"]) == ("week", 28), graph["title"]
        for item in graph["entities"]:
            key = entity_ids[item["entity"]]
            shown.add(key)
            for stat_type in graph["stat_types"]:
                assert state_classes[key] is STATISTIC_NEEDS[stat_type], (key, stat_type)

    assert sorted(PROGRESS_KEYS - shown) == []


def test_gauges_show_only_numbers(dashboard: dict[str, Any]) -> None:
    """A gauge shows "Entity is non-numeric" for unknown or unavailable: each gauge of an entity
    that can be either is hidden until its entity holds a number."""
    for card in cards(dashboard):
        if card["type"] != "gauge" or card["entity"].endswith("_reps_this_set"):
            continue
        conditions = {condition["condition"]: condition for condition in card["visibility"]}
        assert conditions["state"]["entity"] == card["entity"]
        assert set(conditions["state"]["state_not"]) == {"unknown", "unavailable"}
        assert conditions["numeric_state"]["entity"] == card["entity"]
