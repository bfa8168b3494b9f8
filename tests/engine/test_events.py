"""Each engine event names itself the same everywhere: kind, bus type, event entity type."""

from __future__ import annotations

from custom_components.rep_coach.engine import (
    FormWarning,
    PresenceEvent,
)
from custom_components.rep_coach.engine.events import (
    EVENT_CLASSES,
    EVENT_ENTITIES,
    EngineEvent,
    entity_event_types,
)
from tests.events import form_warning_event, rep_event, set_end_event


def test_every_event_class_is_listed_once_with_names_of_its_own() -> None:
    # By name: a slotted dataclass is a second class, its first draft stays a subclass too.
    declared = {cls.__name__ for cls in EngineEvent.__subclasses__()}
    assert sorted(cls.__name__ for cls in EVENT_CLASSES) == sorted(declared)
    kinds = [cls.kind for cls in EVENT_CLASSES]
    bus_types = [bus_type for cls in EVENT_CLASSES for bus_type in cls.bus_types]
    assert len(set(kinds)) == len(kinds)
    assert len(set(bus_types)) == len(bus_types)


def test_a_rep_is_completed_or_partial_on_the_bus_and_its_entity() -> None:
    complete, partial = rep_event(complete=True), rep_event(complete=False)
    assert (complete.kind, complete.bus_type, complete.entity_type) == (
        "rep",
        "rep_completed",
        "completed",
    )
    assert (partial.kind, partial.bus_type, partial.entity_type) == (
        "rep",
        "partial_rep",
        "partial",
    )
    assert complete.entity == partial.entity == "rep"


def test_a_set_end_is_set_completed() -> None:
    event = set_end_event()
    assert (event.kind, event.bus_type, event.entity, event.entity_type) == (
        "set_end",
        "set_completed",
        "set",
        "completed",
    )


def test_presence_and_form_warnings_name_what_happened() -> None:
    assert PresenceEvent(t=1.0, present=True).bus_type == "lifter_arrived"
    assert PresenceEvent(t=1.0, present=False).bus_type == "lifter_left"
    assert PresenceEvent(t=1.0, present=True).entity_type is None
    warning = form_warning_event(warning=FormWarning.JERKY)
    assert (warning.bus_type, warning.entity, warning.entity_type) == (
        "form_warning",
        "form",
        "jerky",
    )


def test_event_entities_and_their_types() -> None:
    assert EVENT_ENTITIES == ("rep", "hold", "set", "rest", "form")
    assert entity_event_types("hold") == ["started", "reached"]
    assert entity_event_types("form") == [str(warning) for warning in FormWarning]
