"""The example dashboard's Progress view on a real Home Assistant, in headless Chromium.

Four weeks of statistics (three simulated workouts a week, counted by the engine; see
``progress_data``) go into the demo's recorder through the websocket API as the recorder would
have compiled them; the view's statistics graphs must draw every series, with no card in error.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rep_coach_tools.demo import DEFAULT_PASSWORD, DEFAULT_USERNAME
from rep_coach_tools.demo_api import HassClient
from rep_coach_tools.demo_config import DASHBOARD_URL_PATH
from rep_coach_tools.waiting import WaitError, wait_for_value

from .cdp import Browser
from .conftest import RunningDemo
from .progress_data import statistics, workouts

WIDTH, HEIGHT = 1280, 1160
GRAPHS = 5
CHART_TIMEOUT_S = 120.0
# Set to a path to keep the screenshot (the README's is made this way).
SCREENSHOT_ENV = "REP_COACH_PROGRESS_SCREENSHOT"

# Per statistics-graph card: its title, the series it draws, and any card errors on the page.
READ_GRAPHS = """
(() => {
  const all = (selector, root = document, found = []) => {
    if (!root) return found;
    found.push(...root.querySelectorAll(selector));
    for (const node of root.querySelectorAll("*")) {
      if (node.shadowRoot) all(selector, node.shadowRoot, found);
    }
    return found;
  };
  const text = (node) => (node ? node.textContent.replace(/\\s+/g, " ").trim() : "");
  return {
    errors: all("hui-error-card").map((node) => text(node.shadowRoot || node) || "error"),
    graphs: all("hui-statistics-graph-card").map((card) => {
      const chart = all("statistics-chart", card.shadowRoot)[0];
      const base = chart && all("ha-chart-base", chart.shadowRoot)[0];
      const series = base && Array.isArray(base.data) ? base.data : [];
      return {
        title: text(all(".card-header", card.shadowRoot)[0]),
        drawn: series.filter((one) => (one.data || []).length).map((one) => one.name),
        empty: chart ? text(chart.shadowRoot || chart) : "no chart",
      };
    }),
  };
})()
"""


async def _import(client: HassClient, messages: list[dict[str, Any]]) -> None:
    for message in messages:
        await client.ws_call("recorder/import_statistics", **message)
    ids = [message["metadata"]["statistic_id"] for message in messages]
    first = min(row["start"] for message in messages for row in message["stats"])

    async def stored() -> bool | None:
        found = await client.ws_call(
            "recorder/statistics_during_period",
            start_time=first,
            statistic_ids=ids,
            period="week",
            types=["change", "mean"],
        )
        return True if set(found) == set(ids) else None

    await wait_for_value(stored, "the imported statistics", timeout_s=CHART_TIMEOUT_S)


@pytest.mark.e2e
@pytest.mark.slow
async def test_progress_view_draws_four_weeks(
    demo: RunningDemo, chromium: str, tmp_path: Path
) -> None:
    """Reps and sets per week per side, squeeze and lowering per side and the imbalance."""
    messages = statistics(workouts(datetime.now(UTC)))
    async with HassClient(demo.base_url) as client:
        tokens = await client.login(DEFAULT_USERNAME, DEFAULT_PASSWORD)
        await _import(client, messages)

    async with Browser(chromium, tmp_path / "profile", width=WIDTH, height=HEIGHT) as browser:
        # The charts draw at once instead of animating in: the picture shows them complete.
        page = await browser.signed_in_page(tokens, demo.base_url, reduced_motion=True)
        await page.navigate(f"{demo.base_url}/{DASHBOARD_URL_PATH}/progress")

        async def drawn() -> dict[str, Any] | None:
            shown: dict[str, Any] = await page.evaluate(READ_GRAPHS)
            graphs = shown["graphs"]
            if len(graphs) == GRAPHS and all(graph["drawn"] for graph in graphs):
                return shown
            return None

        screenshot = tmp_path / "progress.png"
        try:
            shown = await wait_for_value(drawn, "the graphs", timeout_s=CHART_TIMEOUT_S)
        except WaitError:
            await page.screenshot(screenshot)
            pytest.fail(
                f"the graphs are not all drawn: {await page.evaluate(READ_GRAPHS)} "
                f"(screenshot {screenshot})\n{demo.console}"
            )
        await page.screenshot(screenshot)

    assert shown["errors"] == []
    assert [graph["title"].split()[:2] for graph in shown["graphs"]] == [
        ["Reps", "per"],
        ["Sets", "per"],
        ["Squeeze", "per"],
        ["Lowering", "per"],
        ["Left/right", "imbalance"],
    ]
    assert [graph["drawn"] for graph in shown["graphs"]] == [
        ["Left (change)", "Right (change)"],
        ["Left (change)", "Right (change)"],
        ["Left (mean)", "Right (mean)"],
        ["Left (mean)", "Right (mean)"],
        ["Imbalance (min)", "Imbalance (mean)", "Imbalance (max)"],
    ]
    if target := os.environ.get(SCREENSHOT_ENV):
        await asyncio.to_thread(shutil.copyfile, screenshot, target)
