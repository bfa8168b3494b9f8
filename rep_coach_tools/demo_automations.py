"""The demo's automations, made from the blueprints Rep Coach installed, as the UI makes them.

The demo has no speaker and no smart light, so the blueprints drive what Home Assistant offers
offline: a template light (``light.bench_light``) turns green at the squeeze target, the timer
helper ``timer.rest`` runs through the rest, and the voice blueprints, without a text-to-speech
engine, write what they would say to the logbook.
"""

from __future__ import annotations

from typing import Any, Final

from custom_components.rep_coach.const import DOMAIN

from .demo_api import HassClient
from .demo_config import BENCH_LIGHT, REST_TIMER
from .waiting import wait_for_value

AUTOMATIONS_TIMEOUT_S: Final = 60.0


def blueprint_automations(device_id: str) -> dict[str, dict[str, Any]]:
    """Automation id -> configuration, each made from one of Rep Coach's blueprints."""

    def made_from(blueprint: str, alias: str, description: str, **inputs: Any) -> dict[str, Any]:
        return {
            "alias": alias,
            "description": description,
            "use_blueprint": {
                "path": f"{DOMAIN}/{blueprint}",
                "input": {"bench": device_id, **inputs},
            },
        }

    return {
        "rep_coach_hold_light": made_from(
            "hold_light_cue.yaml",
            "Rep Coach hold light",
            "The bench light turns green when the squeeze reached the hold target.",
            light_target={"entity_id": BENCH_LIGHT},
        ),
        "rep_coach_rest_timer": made_from(
            "rest_timer.yaml",
            "Rep Coach rest timer",
            "The rest timer runs through the rest; the countdown goes to the logbook.",
            rest_timer=REST_TIMER,
        ),
        "rep_coach_voice": made_from(
            "announce_reps.yaml",
            "Rep Coach voice",
            "What the voice would say, in the logbook (no speaker in the demo).",
        ),
    }


def automation_entity_id(config: dict[str, Any]) -> str:
    """The entity id Home Assistant gives an automation from its alias."""
    return "automation." + str(config["alias"]).lower().replace(" ", "_")


async def create_blueprint_automations(client: HassClient, device_id: str) -> list[str]:
    """Save the automations and wait until each is on; their entity ids."""
    automations = blueprint_automations(device_id)
    for automation_id, config in automations.items():
        await client.save_automation(automation_id, config)
    entity_ids = [automation_entity_id(config) for config in automations.values()]

    async def all_on() -> bool | None:
        for entity_id in entity_ids:
            state = await client.state(entity_id)
            if state is None or state.get("state") != "on":
                return None
        return True

    await wait_for_value(all_on, "the blueprint automations", timeout_s=AUTOMATIONS_TIMEOUT_S)
    return entity_ids
