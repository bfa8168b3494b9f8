"""Adding the Rep Coach card as a user does: Home Assistant's card picker, the card's visual
editor, Save. No YAML, no device id to copy.

The demo runs; the test makes a dashboard the UI can edit, opens it in edit mode in headless
Chromium, and goes through the dialogs over the DevTools protocol, walking the shadow roots.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from rep_coach_tools.demo import DEFAULT_PASSWORD, DEFAULT_USERNAME
from rep_coach_tools.demo_api import HassClient
from rep_coach_tools.waiting import WaitError, wait_for_value

from .cdp import Browser, Page
from .conftest import RunningDemo

STEP_TIMEOUT_S = 60.0
WIDTH, HEIGHT = 1280, 1000
DASHBOARD = "my-training"
# Set to a directory to keep the screenshots (the README's are made this way).
SCREENSHOTS_ENV = "REP_COACH_CARD_SCREENSHOTS"
# For those pictures the test also waits until the preview has counted a rep, so they show a set
# under way rather than "No reps yet".
FIRST_REP_TIMEOUT_S = 180.0

HELPERS = """
window.__deep = (selector, root = document) => {
  const hit = root.querySelector(selector);
  if (hit) return hit;
  for (const node of root.querySelectorAll("*")) {
    const inner = node.shadowRoot && window.__deep(selector, node.shadowRoot);
    if (inner) return inner;
  }
  return null;
};
window.__deepAll = (selector, root = document, found = []) => {
  found.push(...root.querySelectorAll(selector));
  for (const node of root.querySelectorAll("*")) {
    if (node.shadowRoot) window.__deepAll(selector, node.shadowRoot, found);
  }
  return found;
};
window.__text = (node) => (node ? node.textContent.replace(/\\s+/g, " ").trim() : "");
window.__pickerEntry = () => {
  const picker = window.__deep("hui-card-picker");
  if (!picker) return null;
  return [...picker.shadowRoot.querySelectorAll(".card")].find(
    (card) => window.__text(card.querySelector(".card-header")) === "Rep Coach") || null;
};
window.__cardShows = (card) => {
  const root = card && card.shadowRoot;
  if (!root) return null;
  const text = (name) => window.__text(root.querySelector(`[data-el="${name}"]`));
  return { reps: text("reps"), where: text("where"), missing: text("missing"),
    large: root.querySelector("ha-card").classList.contains("large") };
};
"""

# The view's own button ("Add card": an ha-button on 2026.10, an ha-fab on 2026.2). The dialog it
# opens on its "By entity" tab on 2026.10; the card picker is its "By card" tab.
OPEN_PICKER = """
(() => {
  if (window.__pickerEntry()) return true;
  const dialog = window.__deep("hui-dialog-create-card");
  if (!dialog?.shadowRoot?.querySelector("ha-dialog[open]")) {
    const view = window.__deep("hui-masonry-view");
    const add = [...(view?.shadowRoot?.children || [])].find(
      (node) => ["HA-BUTTON", "HA-FAB"].includes(node.tagName));
    add?.click();
    return null;
  }
  const byCard = dialog.shadowRoot.querySelector('ha-tab-group-tab[panel="card"]');
  if (byCard && !byCard.active) byCard.click();
  return null;
})()
"""
PICKER_PREVIEW = """
(() => {
  const entry = window.__pickerEntry();
  return entry ? window.__cardShows(entry.querySelector("rep-coach-card")) : null;
})()
"""
PICK = """
(() => { const entry = window.__pickerEntry(); entry.querySelector(".overlay").click(); return true; })()
"""
EDITOR = """
(() => {
  const dialog = window.__deep("hui-dialog-edit-card");
  const editor = window.__deep("rep-coach-card-editor");
  const form = editor && editor.shadowRoot.querySelector("ha-form");
  if (!dialog || !form || !form.data) return null;
  const shown = [...form.shadowRoot.querySelectorAll("ha-selector")];
  if (!shown.length || shown.some((selector) => !selector.getBoundingClientRect().height)) {
    return null; // the form's fields are still loading
  }
  const selectors = shown.map((selector) => Object.keys(selector.selector)[0]);
  return { data: form.data, selectors, dialog: window.__text(dialog.shadowRoot),
    preview: window.__cardShows(window.__deep("rep-coach-card", dialog.shadowRoot)) };
})()
"""
# The layout field as a user works it: open its drop-down (unless open), then click "Large".
CHOOSE_LARGE = """
(() => {
  const form = window.__deep("rep-coach-card-editor").shadowRoot.querySelector("ha-form");
  const field = [...form.shadowRoot.querySelectorAll("ha-selector")].find(
    (selector) => selector.name === "layout");
  const select = window.__deep("ha-select", field.shadowRoot);
  const large = window.__deepAll("ha-dropdown-item", select.shadowRoot).find(
    (item) => item.value === "large");
  if (large && large.getBoundingClientRect().height) {
    large.click();
    return true;
  }
  const trigger = window.__deep("[slot=trigger]", select.shadowRoot);
  if (trigger.getAttribute("aria-expanded") !== "true") trigger.click();
  return null;
})()
"""
SAVE = """
(() => {
  const dialog = window.__deep("hui-dialog-edit-card");
  const save = window.__deepAll("ha-button, mwc-button", dialog.shadowRoot)
    .find((button) => window.__text(button) === "Save");
  if (save) save.click();
  return !!save;
})()
"""
DASHBOARD_CARD = """
(() => {
  if (window.__deep("hui-dialog-edit-card")?.shadowRoot?.querySelector("ha-dialog[open]")) return null;
  return window.__cardShows(window.__deep("rep-coach-card"));
})()
"""


async def step(page: Page, expression: str, what: str) -> Any:
    """Evaluate ``expression`` until it gives something (not null), within a deadline."""

    async def check() -> Any:
        return await page.evaluate(expression)

    return await wait_for_value(check, what, timeout_s=STEP_TIMEOUT_S)


async def saved_cards(client: HassClient) -> list[dict[str, Any]]:
    """The cards of the dashboard's first view, as Home Assistant stored them."""
    config = await client.ws_call("lovelace/config", url_path=DASHBOARD)
    cards: list[dict[str, Any]] = config["views"][0].get("cards", [])
    return cards


@pytest.mark.e2e
@pytest.mark.slow
async def test_add_the_card_from_the_card_picker(
    demo: RunningDemo, chromium: str, tmp_path: Path
) -> None:
    """The picker offers Rep Coach with a preview of the demo's bench; its visual editor opens
    on that bench (a bench picker limited to Rep Coach devices, the layout, the title);
    choosing the large layout and saving puts the card on the dashboard."""
    screenshots = os.environ.get(SCREENSHOTS_ENV)
    async with HassClient(demo.base_url) as client:
        tokens = await client.login(DEFAULT_USERNAME, DEFAULT_PASSWORD)
        [device_id] = await client.device_ids("rep_coach")
        await client.ws_call(
            "lovelace/dashboards/create", url_path=DASHBOARD, title="My training", mode="storage"
        )
        await client.ws_call(
            "lovelace/config/save",
            url_path=DASHBOARD,
            config={"views": [{"title": "Training", "cards": []}]},
        )

        async with Browser(chromium, tmp_path / "profile", width=WIDTH, height=HEIGHT) as browser:
            page = await browser.signed_in_page(tokens, demo.base_url, script=HELPERS)
            await page.navigate(f"{demo.base_url}/{DASHBOARD}/0?edit=1")
            try:
                await step(page, OPEN_PICKER, "Rep Coach in the card picker")
                preview = await step(page, PICKER_PREVIEW, "the picker's preview of the card")
                await step(page, PICK, "picking Rep Coach")
                editor = await step(page, EDITOR, "the card's visual editor")
                await step(page, CHOOSE_LARGE, "the large layout in the layout drop-down")

                async def large_preview() -> dict[str, Any] | None:
                    shown: dict[str, Any] | None = await page.evaluate(EDITOR)
                    if not shown or not (shown["preview"] or {}).get("large"):
                        return None
                    if screenshots and shown["preview"]["reps"] in ("", "0"):
                        return None
                    return shown

                large = await wait_for_value(
                    large_preview,
                    "the large preview" + (" with a counted rep" if screenshots else ""),
                    timeout_s=FIRST_REP_TIMEOUT_S if screenshots else STEP_TIMEOUT_S,
                )
                await page.screenshot(tmp_path / "card-editor.png")
                await step(page, SAVE, "the Save button")
                on_dashboard = await step(page, DASHBOARD_CARD, "the card on the dashboard")
                await page.screenshot(tmp_path / "card-large.png")
            except WaitError:
                await page.screenshot(tmp_path / "failed.png")
                pytest.fail(f"stuck; see {tmp_path / 'failed.png'}\n{demo.console}")

        cards = await saved_cards(client)

    assert preview["reps"].isdigit(), preview  # the stub config's bench, live
    assert editor["data"]["device_id"] == device_id
    assert editor["selectors"] == ["device", "select", "text"]
    assert "Visual editor not supported" not in editor["dialog"]
    assert "Configuration error" not in editor["dialog"]
    assert large["preview"]["reps"].isdigit()
    assert cards == [{"type": "custom:rep-coach-card", "device_id": device_id, "layout": "large"}]
    assert on_dashboard["large"] is True
    assert on_dashboard["reps"].isdigit()
    if screenshots:
        for name in ("card-editor.png", "card-large.png"):
            await asyncio.to_thread(shutil.copyfile, tmp_path / name, Path(screenshots) / name)
    assert demo.stop() == 0, demo.console
