"""Fixtures for the card tests: a loopback web server and headless Chromium.

The card is rendered by a real browser: a test page (``card_page.html``) loads the card module
the integration serves, gives it a fake ``hass`` object and writes what the card shows (read from
its shadow DOM) into the page as JSON, which ``--dump-dom`` hands back to the test.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from custom_components.rep_coach.frontend import CARD_FILENAME, WWW_DIR

PAGE = Path(__file__).parent / "card_page.html"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=10000",
)
CHROMIUM_TIMEOUT_S = 90
RESULT = re.compile(r'<pre id="result">(.*?)</pre>', re.DOTALL)

type Render = Callable[[dict[str, Any]], dict[str, Any]]
type Screenshot = Callable[[dict[str, Any], Path], None]


class CardServer(ThreadingHTTPServer):
    """Serves the card module and one test page per registered scenario."""

    scenarios: dict[str, dict[str, Any]]


class CardRequestHandler(BaseHTTPRequestHandler):
    """``/rep-coach-card.js`` from the integration's ``www/``; ``/card.html?scenario=name``."""

    server: CardServer

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == f"/{CARD_FILENAME}":
            self._send((WWW_DIR / CARD_FILENAME).read_bytes(), "text/javascript")
        elif url.path == "/card.html":
            name = parse_qs(url.query).get("scenario", [""])[0]
            scenario = json.dumps(self.server.scenarios[name])
            page = PAGE.read_text(encoding="utf-8").replace("SCENARIO_JSON", scenario)
            self._send(page.encode(), "text/html; charset=utf-8")
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the Chromium binary; the test is skipped when there is none."""
    for name in CHROMIUM_NAMES:
        if path := shutil.which(name):
            return path
    pytest.skip("Chromium is not installed (apt-get install chromium) - card tests need it")


@pytest.fixture
def card_server(socket_enabled: None) -> Iterator[CardServer]:
    """The page server on a free loopback port, for the duration of one test."""
    server = CardServer(("127.0.0.1", 0), CardRequestHandler)
    server.scenarios = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join()
    server.server_close()


def _run_chromium(
    chromium: str, server: CardServer, scenario: dict[str, Any], profile: Path, *args: str
) -> str:
    name = f"scenario{len(server.scenarios)}"
    server.scenarios[name] = scenario
    host, port = server.server_address[:2]
    url = f"http://{host!s}:{port}/card.html?scenario={name}"
    result = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, url],
        capture_output=True,
        text=True,
        timeout=CHROMIUM_TIMEOUT_S,
        check=True,
    )
    return result.stdout


@pytest.fixture
def render(chromium: str, card_server: CardServer, tmp_path: Path) -> Render:
    """Render a scenario in Chromium; returns the page's report of what the card showed."""

    def _render(scenario: dict[str, Any]) -> dict[str, Any]:
        dom = _run_chromium(chromium, card_server, scenario, tmp_path / "profile", "--dump-dom")
        match = RESULT.search(dom)
        assert match, f"the test page did not report; DOM was:\n{dom[:2000]}"
        report: dict[str, Any] = json.loads(html.unescape(match.group(1)))
        return report

    return _render


@pytest.fixture
def screenshot(chromium: str, card_server: CardServer, tmp_path: Path) -> Screenshot:
    """Save a PNG of a scenario as Chromium paints it."""

    def _screenshot(scenario: dict[str, Any], path: Path) -> None:
        _run_chromium(
            chromium,
            card_server,
            scenario,
            tmp_path / "profile",
            f"--screenshot={path}",
            "--window-size=460,720",
        )

    return _screenshot
