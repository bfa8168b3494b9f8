"""The card survives Home Assistant replacing ``window.customElements`` after it loaded.

Found by the demo: the frontend's app installs a scoped custom element registry polyfill that
swaps ``window.customElements`` for a new registry. The card, loaded as an extra module, often
ran first and defined itself in the browser's own registry, and the dashboard showed
"Configuration error" instead of the card. This test replays that order deterministically.
"""

from __future__ import annotations

from pathlib import Path

from custom_components.rep_coach.frontend import CARD_FILENAME
from tests.frontend.conftest import CardServer, card_server

from .cdp import Browser

__all__ = ["card_server"]

# On a page shaped like Home Assistant's (a <home-assistant> element, not yet defined): load
# the card, then do what the polyfill does (a new registry in window.customElements that also
# registers a stand-in with the browser's registry), then define the app's element.
LOAD_THEN_REPLACE_REGISTRY = """
(async () => {
  document.body.appendChild(document.createElement("home-assistant"));
  await import("/%s");
  const native = window.customElements;
  const definitions = new Map();
  const registry = {
    define(name, element) {
      definitions.set(name, element);
      if (!native.get(name)) native.define(name, class extends HTMLElement {});
    },
    get: (name) => definitions.get(name),
    whenDefined: (name) => native.whenDefined(name),
  };
  Object.defineProperty(window, "customElements", { value: registry, configurable: true });
  registry.define("home-assistant", class extends HTMLElement {});
  await native.whenDefined("home-assistant");
  await new Promise((resolve) => setTimeout(resolve, 0));  // let the card's callback run
  return typeof registry.get("rep-coach-card");
})()
"""


async def test_card_defined_in_the_registry_home_assistant_installs(
    chromium: str, card_server: CardServer, tmp_path: Path
) -> None:
    """Loaded before the app, the card still ends up where the dashboards look for it."""
    host, port = card_server.server_address[:2]
    async with Browser(chromium, tmp_path / "profile", width=400, height=300) as browser:
        page = await browser.page()
        # Any page of the card server's origin: the module is imported from there.
        await page.navigate(f"http://{host!s}:{port}/blank")
        found = await page.evaluate(LOAD_THEN_REPLACE_REGISTRY % CARD_FILENAME)

    assert found == "function"
