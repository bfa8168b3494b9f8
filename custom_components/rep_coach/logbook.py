"""The logbook tells the workout: "Rep 7 (left): squeeze 1.8 s, lowering 2.4 s".

Home Assistant's logbook shows a ``rep_coach_event`` only as the sentence this platform writes
for it. The sentences are translations (``selector.logbook.options`` in ``translations/``), in
the server's language, with English as the fallback. Entries are found by the bench's device
(its ``device_id`` is in every event) and point at the event entity of their kind (rep, hold,
set, rest, form) where there is one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.translation import async_get_cached_translations

from .const import ATTR_ENTRY_ID, ATTR_TYPE, DOMAIN, EVENT_REP_COACH, MANUFACTURER

type Text = Callable[[str], str | None]

TRANSLATION_PREFIX: Final = f"component.{DOMAIN}.selector.logbook.options."
# Which event entity (by key) an entry belongs to.
EVENT_ENTITY_BY_TYPE: Final = {
    "rep_completed": "rep",
    "partial_rep": "rep",
    "hold_started": "hold",
    "hold_reached": "hold",
    "set_completed": "set",
    "rest_finished": "rest",
    "form_warning": "form",
}
SECONDS_WARNINGS: Final = frozenset({"hold_too_short", "lowered_too_fast", "jerky"})


class _Values(dict[str, Any]):
    """Placeholder values; one a translation asks for and the event lacks shows as "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


def _seconds(value: Any) -> str:
    return f"{float(value):.1f}" if isinstance(value, int | float) else "?"


def _whole(value: Any) -> str:
    return f"{abs(float(value)):.0f}" if isinstance(value, int | float) else "?"


def describe(data: Mapping[str, Any], text: Text, sets_per_side: int | None) -> str:
    """The logbook sentence for one ``rep_coach_event``'s data.

    ``text(key)`` gives a translated template (None when it has none); ``sets_per_side`` is
    the bench's current target, None when the bench is not loaded.
    """
    kind = str(data.get(ATTR_TYPE, ""))

    def say(key: str, **values: Any) -> str:
        template = text(key)
        if template is None:
            return kind.replace("_", " ")
        return template.format_map(_Values(values))

    def word(side: Any) -> str:
        return text(f"side_{side}") or str(side)

    def side(name: str = "side") -> str:
        return word(data.get(name))

    out_of = "" if sets_per_side is None else "_of"
    match kind:
        case "rep_completed":
            lowering = data.get("lowering_s", data.get("eccentric_s"))
            return say(
                kind,
                rep=data.get("rep"),
                side=side(),
                hold=_seconds(data.get("hold_s")),
                lowering=_seconds(lowering),
            )
        case "partial_rep":
            return say(kind, side=side(), range=_whole(data.get("rom_pct")))
        case "hold_started" | "hold_reached":
            target = _seconds(data.get("hold_target_s"))
            return say(kind, rep=data.get("rep"), side=side(), target=target)
        case "set_started" | "set_completed":
            return say(
                kind + out_of,
                set=data.get("set"),
                sets=sets_per_side,
                side=side(),
                reps=data.get("reps"),
            )
        case "side_switched":
            return say(kind, side=side())
        case "rest_started":
            return say(
                kind,
                duration=_whole(data.get("duration_s")),
                set=data.get("next_set"),
                side=side("next_side"),
            )
        case "rest_finished":
            key = "rest_interrupted" if data.get("interrupted") else kind
            return say(key, set=data.get("next_set"), side=side("next_side"))
        case "form_warning":
            return _describe_warning(data, say, word)
        case "sensor_state":
            return say(f"sensor_{data.get('state')}")
        case "calibrated":
            travel = data.get("top_mm", 0.0) - data.get("bottom_mm", 0.0)
            return say(kind, side=side(), range=_whole(travel / 10))
        case "session_reset":
            return say("new_workout" if data.get("new_workout") else kind)
        case "reps_adjusted":
            return say(
                kind,
                set=data.get("set"),
                side=side(),
                delta=f"{int(data.get('delta') or 0):+d}",
                reps=data.get("reps"),
            )
        case _:
            return say(kind)


def _describe_warning(
    data: Mapping[str, Any], say: Callable[..., str], word: Callable[[Any], str]
) -> str:
    warning = str(data.get("warning"))
    value = data.get("value")
    if warning == "imbalance":
        # The engine's sign: positive when the left side did more (reps, range, hold, tempo).
        weaker = "right" if isinstance(value, int | float) and value > 0 else "left"
        return say("form_imbalance", side=word(weaker), value=_whole(value))
    if warning in SECONDS_WARNINGS:
        shown, target = _seconds(value), _seconds(data.get("target"))
    else:
        shown, target = _whole(value), _whole(data.get("target"))
    return say(
        f"form_{warning}",
        rep=data.get("rep"),
        side=word(data.get("side")),
        value=shown,
        target=target,
    )


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe ``rep_coach_event`` for the logbook."""
    device_registry = dr.async_get(hass)
    entity_registry = er.async_get(hass)

    def text(key: str) -> str | None:
        for language in dict.fromkeys((hass.config.language, "en")):
            strings = async_get_cached_translations(hass, language, "selector", DOMAIN)
            if (template := strings.get(TRANSLATION_PREFIX + key)) is not None:
                return template
        return None

    @callback
    def async_describe_rep_coach_event(event: Event) -> dict[str, str]:
        data = event.data
        device = device_registry.async_get(str(data.get(ATTR_DEVICE_ID)))
        entry = hass.config_entries.async_get_entry(str(data.get(ATTR_ENTRY_ID)))
        sets_per_side = (
            entry.runtime_data.engine.settings.sets_per_side
            if entry is not None and entry.state is ConfigEntryState.LOADED
            else None
        )
        described = {
            LOGBOOK_ENTRY_NAME: (device.name_by_user or device.name if device else None)
            or MANUFACTURER,
            LOGBOOK_ENTRY_MESSAGE: describe(data, text, sets_per_side),
        }
        if (key := EVENT_ENTITY_BY_TYPE.get(str(data.get(ATTR_TYPE)))) and device is not None:
            sensor_id = next(
                (ident for domain, ident in device.identifiers if domain == DOMAIN), None
            )
            if sensor_id is not None and (
                entity_id := entity_registry.async_get_entity_id(
                    Platform.EVENT, DOMAIN, f"{sensor_id}_{key}"
                )
            ):
                described[LOGBOOK_ENTRY_ENTITY_ID] = entity_id
        return described

    async_describe_event(DOMAIN, EVENT_REP_COACH, async_describe_rep_coach_event)
