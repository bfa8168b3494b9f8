"""The README's demo end to end: broker, real Home Assistant, emulator, dashboard in Chromium.

The demo is started as the user starts it; the test logs in through Home Assistant's auth API,
hands the tokens to the frontend like a logged-in browser keeps them, opens the dashboard in
headless Chromium and watches the Rep Coach card count reps while the emulator plays a session.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import struct
from pathlib import Path

import pytest

from rep_coach_tools.demo import DEFAULT_PASSWORD, DEFAULT_USERNAME
from rep_coach_tools.demo_api import HassClient
from rep_coach_tools.demo_processes import port_is_free
from rep_coach_tools.waiting import WaitError, wait_for_value

from .cdp import Browser, Page
from .conftest import BROKER_LINE, RunningDemo

CARD_TIMEOUT_S = 120.0
REPS_TIMEOUT_S = 120.0
WIDTH, HEIGHT = 1280, 1000
# Set to a path to keep the screenshot (the README's is made this way, at speed 1).
SCREENSHOT_ENV = "REP_COACH_DEMO_SCREENSHOT"

# What the Rep Coach card shows, found through the dashboard's nested shadow roots.
READ_CARD = """
(() => {
  const find = (root) => {
    const hit = root.querySelector("rep-coach-card");
    if (hit) return hit;
    for (const node of root.querySelectorAll("*")) {
      const inner = node.shadowRoot && find(node.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  const errors = [];
  const collectErrors = (root) => {
    for (const node of root.querySelectorAll("*")) {
      if (node.localName === "hui-error-card") {
        const alert = node.shadowRoot && node.shadowRoot.querySelector("ha-alert");
        errors.push((alert || node).textContent.replace(/\\s+/g, " ").trim() || node.localName);
      }
      if (node.shadowRoot) collectErrors(node.shadowRoot);
    }
  };
  collectErrors(document);
  const card = find(document);
  const root = card && card.shadowRoot;
  if (!root) return null;
  const text = (name) => {
    const node = root.querySelector(`[data-el="${name}"]`);
    return node ? node.textContent.replace(/\\s+/g, " ").trim() : null;
  };
  return { title: text("title"), reps: text("reps"), where: text("where"), errors };
})()
"""


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


async def read_reps(page: Page) -> int | None:
    """The card's rep count, None until the card shows a number."""
    shown = await page.evaluate(READ_CARD)
    if not shown or not re.fullmatch(r"\d+", shown.get("reps") or ""):
        return None
    return int(shown["reps"])


@pytest.mark.e2e
@pytest.mark.slow
async def test_dashboard_counts_reps_live(demo: RunningDemo, chromium: str, tmp_path: Path) -> None:
    """The card on the demo's dashboard shows the rep count going up as the emulator lifts."""
    async with HassClient(demo.base_url) as client:
        tokens = await client.login(DEFAULT_USERNAME, DEFAULT_PASSWORD)

    async with Browser(chromium, tmp_path / "profile", width=WIDTH, height=HEIGHT) as browser:
        page = await browser.signed_in_page(tokens, demo.base_url)
        await page.navigate(demo.url)

        async def card_shown() -> int | None:
            return await read_reps(page)

        try:
            first = await wait_for_value(card_shown, "the card", timeout_s=CARD_TIMEOUT_S)
        except WaitError:
            await page.screenshot(tmp_path / "no-card.png")
            pytest.fail(
                f"no rep count on the card; it shows {await page.evaluate(READ_CARD)}, "
                f"the page {await page.evaluate('location.href')} (screenshot "
                f"{tmp_path / 'no-card.png'})\n{demo.console}"
            )
        readings = [first]

        async def increased() -> int | None:
            # Reps this set restart at each set: compare with the previous reading, not the first.
            reps = await read_reps(page)
            if reps is None or reps == readings[-1]:
                return None
            readings.append(reps)
            return reps if reps > readings[-2] else None

        await wait_for_value(increased, f"more reps than {readings}", timeout_s=REPS_TIMEOUT_S)
        shown = await page.evaluate(READ_CARD)
        screenshot = tmp_path / "demo-dashboard.png"
        await page.screenshot(screenshot)

    assert readings[-1] > readings[-2], readings
    assert shown["title"] == "Hip thrusts"
    assert shown["errors"] == [], f"cards in error on the dashboard, see {screenshot}"
    assert re.fullmatch(r"(Left|Right) leg · Set \d+( of \d+)?", shown["where"]), shown
    assert png_size(screenshot) == (WIDTH, HEIGHT)
    if target := os.environ.get(SCREENSHOT_ENV):
        await asyncio.to_thread(shutil.copyfile, screenshot, target)

    # Ctrl-C stops the demo and everything it started: both ports are free again.
    ha_port = int(demo.base_url.rsplit(":", 1)[1])
    broker_port = demo.port_of(BROKER_LINE)
    assert demo.stop() == 0, demo.console
    assert port_is_free(ha_port)
    assert port_is_free(broker_port)
