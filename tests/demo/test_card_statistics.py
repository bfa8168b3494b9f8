"""The card's large layout on a real Home Assistant: its last 4 weeks are Home Assistant's own
statistics-graph cards, drawn from the bench's long-term statistics.

The same four weeks as the Progress view's test (``progress_data``, imported through the
websocket API); the card goes on a new panel dashboard in the large layout, and every graph
inside it must draw both legs, with no card in error.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rep_coach_tools.demo import DEFAULT_PASSWORD, DEFAULT_USERNAME
from rep_coach_tools.demo_api import HassClient
from rep_coach_tools.demo_config import CARD_TYPE
from rep_coach_tools.waiting import WaitError, wait_for_value

from .cdp import Browser, Page
from .conftest import RunningDemo
from .progress_data import statistics, workouts
from .test_progress import CHART_TIMEOUT_S, READ_GRAPHS, _import

WIDTH, HEIGHT = 1280, 2000
DASHBOARD = "bench-progress"
# Set to a path to keep the picture of the card (the README's is made this way).
SCREENSHOT_ENV = "REP_COACH_CARD_STATISTICS_SCREENSHOT"

# The Rep Coach card: where it is on the page, its section's heading, and how many
# statistics-graph cards it holds itself.
READ_CARD = """
(() => {
  const find = (selector, root = document) => {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const node of root.querySelectorAll("*")) {
      const inner = node.shadowRoot && find(selector, node.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  const card = find("rep-coach-card");
  const section = card?.shadowRoot?.querySelector('[data-el="statistics"]');
  if (!section) return null;
  const box = card.getBoundingClientRect();
  return {
    heading: section.textContent.replace(/\\s+/g, " ").trim(),
    hidden: section.hidden,
    graphs: section.querySelectorAll("hui-statistics-graph-card").length,
    box: { x: box.x, y: box.y, width: box.width, height: box.height },
  };
})()
"""


# Resolves once the browser has painted twice more: the charts given their data are on screen.
PAINTED = "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


async def _screenshot(page: Page, box: dict[str, float], path: Path) -> None:
    """A PNG of the card alone (it fits in the window), once the charts are painted."""
    await page.evaluate(PAINTED)
    result = await page.send("Page.captureScreenshot", format="png", clip={**box, "scale": 1})
    await asyncio.to_thread(path.write_bytes, base64.b64decode(result["data"]))


@pytest.mark.e2e
@pytest.mark.slow
async def test_large_card_draws_the_last_four_weeks(
    demo: RunningDemo, chromium: str, tmp_path: Path
) -> None:
    """Reps and sets per week and the mean squeeze and lowering per set, left and right leg,
    as Home Assistant's statistics-graph cards inside the Rep Coach card."""
    messages = statistics(workouts(datetime.now(UTC)))
    async with HassClient(demo.base_url) as client:
        tokens = await client.login(DEFAULT_USERNAME, DEFAULT_PASSWORD)
        await _import(client, messages)
        [device_id] = await client.device_ids("rep_coach")
        card = {"type": CARD_TYPE, "device_id": device_id, "layout": "large"}
        await client.ws_call(
            "lovelace/dashboards/create", url_path=DASHBOARD, title="Bench", mode="storage"
        )
        await client.ws_call(
            "lovelace/config/save",
            url_path=DASHBOARD,
            config={"views": [{"title": "Bench", "type": "panel", "cards": [card]}]},
        )

    async with Browser(chromium, tmp_path / "profile", width=WIDTH, height=HEIGHT) as browser:
        page = await browser.signed_in_page(tokens, demo.base_url, reduced_motion=True)
        await page.navigate(f"{demo.base_url}/{DASHBOARD}/0")

        async def drawn() -> tuple[dict[str, Any], dict[str, Any]] | None:
            shown: dict[str, Any] = await page.evaluate(READ_GRAPHS)
            inside: dict[str, Any] | None = await page.evaluate(READ_CARD)
            graphs = shown["graphs"]
            if inside and len(graphs) == 4 and all(graph["drawn"] for graph in graphs):
                return shown, inside
            return None

        screenshot = tmp_path / "card-statistics.png"
        try:
            shown, inside = await wait_for_value(drawn, "the graphs", timeout_s=CHART_TIMEOUT_S)
        except WaitError:
            await page.screenshot(screenshot)
            pytest.fail(
                f"the graphs are not all drawn: {await page.evaluate(READ_GRAPHS)}, "
                f"{await page.evaluate(READ_CARD)} (screenshot {screenshot})\n{demo.console}"
            )
        await _screenshot(page, inside["box"], screenshot)

    assert shown["errors"] == []
    assert inside["hidden"] is False
    assert inside["graphs"] == 4  # all of them in the card itself
    # Each title is followed by the card's link to the history ("History").
    assert [graph["title"].removesuffix(" History") for graph in shown["graphs"]] == [
        "Reps per week",
        "Sets per week",
        "Squeeze per set (weekly mean)",
        "Lowering per set (weekly mean)",
    ]
    assert inside["heading"].startswith("Last 4 weeks")
    assert [graph["drawn"] for graph in shown["graphs"]] == [
        ["Left leg (change)", "Right leg (change)"],
        ["Left leg (change)", "Right leg (change)"],
        ["Left leg (mean)", "Right leg (mean)"],
        ["Left leg (mean)", "Right leg (mean)"],
    ]
    if target := os.environ.get(SCREENSHOT_ENV):
        await asyncio.to_thread(shutil.copyfile, screenshot, target)
    assert demo.stop() == 0, demo.console
