"""Install the automation blueprints that ship with the integration.

HACS copies ``custom_components/rep_coach/`` and nothing else, so the blueprints live in its
``blueprints/`` folder. Home Assistant's blueprint integration reads
``<config>/blueprints/automation/<namespace>/``: on set-up they are copied to
``blueprints/automation/rep_coach/``, where they show up under Settings > Automations & scenes >
Blueprints.

A copy is Rep Coach's to update only while it is exactly what Rep Coach wrote: the hash of
every file written is kept in a small store, so an upgrade replaces an unchanged old copy but
never a file the user edited, replaced or deleted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.helpers.translation import async_get_translations

from .const import DOMAIN, LOGGER

SOURCE_DIR: Final = Path(__file__).parent / "blueprints"
# Where Home Assistant's blueprint integration looks (its BLUEPRINT_FOLDER and domain; not
# imported, so Rep Coach need not depend on that integration).
BLUEPRINT_FOLDER: Final = "blueprints"
AUTOMATION: Final = "automation"
STORE_KEY: Final = f"{DOMAIN}.blueprints"
STORE_VERSION: Final = 1
NOTIFICATION_ID: Final = f"{DOMAIN}_blueprints"
TRANSLATION_PREFIX: Final = f"component.{DOMAIN}.selector.notification.options."


@dataclass(slots=True)
class InstallResult:
    """What one installation run did, by file name."""

    installed: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the user's own version, left alone
    hashes: dict[str, str] = field(default_factory=dict)  # what Rep Coach's copies hold now


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def install_blueprints(source: Path, target: Path, written: dict[str, str]) -> InstallResult:
    """Copy ``source/*.yaml`` to ``target``; ``written``: file name -> hash of what Rep Coach
    wrote there before. Blocking (file I/O): run it in the executor."""
    result = InstallResult()
    for path in sorted(source.glob("*.yaml")):
        shipped = path.read_bytes()
        destination = target / path.name
        previous = written.get(path.name)
        if destination.exists():
            current = _digest(destination.read_bytes())
            if current == _digest(shipped):
                result.hashes[path.name] = current
                continue
            if current != previous:
                result.kept.append(path.name)  # edited, or the user's own copy
                continue
            result.updated.append(path.name)
        elif previous is not None:
            continue  # Rep Coach wrote it once and the user deleted it
        else:
            result.installed.append(path.name)
        target.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(shipped)
        result.hashes[path.name] = _digest(shipped)
    return result


async def async_install_blueprints(hass: HomeAssistant) -> InstallResult:
    """Install or update the blueprints; log what changed and tell the user once."""
    store: Store[dict[str, str]] = Store(hass, STORE_VERSION, STORE_KEY)
    written = await store.async_load() or {}
    target = Path(hass.config.path(BLUEPRINT_FOLDER, AUTOMATION, DOMAIN))
    result = await hass.async_add_executor_job(install_blueprints, SOURCE_DIR, target, written)
    if (remembered := {**written, **result.hashes}) != written:
        await store.async_save(remembered)
    folder = str(Path(BLUEPRINT_FOLDER, AUTOMATION, DOMAIN))
    if result.installed:
        LOGGER.info("Installed the blueprints %s in %s", ", ".join(result.installed), target)
        await _async_notify(hass, folder, result.installed)
    if result.updated:
        LOGGER.info(
            "Updated the blueprints %s in %s (reload automations to use them)",
            ", ".join(result.updated),
            target,
        )
    if result.kept:
        LOGGER.info(
            "Kept your own version of %s in %s; this version's is in %s",
            ", ".join(result.kept),
            target,
            SOURCE_DIR,
        )
    return result


async def _async_notify(hass: HomeAssistant, folder: str, names: list[str]) -> None:
    strings = await async_get_translations(hass, hass.config.language, "selector", [DOMAIN])
    placeholders = {"folder": folder, "names": ", ".join(names)}
    persistent_notification.async_create(
        hass,
        strings[TRANSLATION_PREFIX + "blueprints_message"].format(**placeholders),
        strings[TRANSLATION_PREFIX + "blueprints_title"],
        NOTIFICATION_ID,
    )
