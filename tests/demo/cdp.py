"""Drive headless Chromium over the DevTools protocol: a live page, JavaScript, screenshots.

The card tests only need a finished render (``--dump-dom``); the demo test needs a page that
stays open while Home Assistant pushes states, so it talks to the browser over its websocket.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiohttp

from rep_coach_tools.demo_api import Tokens
from tests.frontend.conftest import CHROMIUM_FLAGS

START_TIMEOUT_S = 60.0
COMMAND_TIMEOUT_S = 60.0
DEVTOOLS = re.compile(r"DevTools listening on (ws://\S+)")
# The card tests' flags, without the virtual clock: here time must run for real.
LIVE_FLAGS = tuple(flag for flag in CHROMIUM_FLAGS if not flag.startswith("--virtual-time"))


class CdpError(Exception):
    """The browser refused a command or went away."""


class Page:
    """One browser tab."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._ids = itertools.count(1)
        self._events: list[str] = []  # names of the events received, oldest first

    async def _receive(self, waiting_for: str) -> dict[str, Any]:
        message = await self._ws.receive(timeout=COMMAND_TIMEOUT_S)
        if message.type is not aiohttp.WSMsgType.TEXT:
            raise CdpError(f"{waiting_for}: the browser closed the connection ({message.type})")
        received: dict[str, Any] = message.json()
        if "method" in received:
            self._events.append(str(received["method"]))
        return received

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """One protocol command and its result (events in between are noted)."""
        message_id = next(self._ids)
        await self._ws.send_json({"id": message_id, "method": method, "params": params})
        while True:
            reply = await self._receive(method)
            if reply.get("id") != message_id:
                continue
            if "error" in reply:
                raise CdpError(f"{method}: {reply['error']}")
            result: dict[str, Any] = reply.get("result", {})
            return result

    async def navigate(self, url: str) -> None:
        """Open ``url`` and return once the page has loaded."""
        await self.send("Page.enable")
        self._events.clear()
        await self.send("Page.navigate", url=url)
        while "Page.loadEventFired" not in self._events:
            await self._receive(f"loading {url}")

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise CdpError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def screenshot(self, path: Path) -> None:
        """Save what the page shows as a PNG."""
        result = await self.send("Page.captureScreenshot", format="png")
        await asyncio.to_thread(path.write_bytes, base64.b64decode(result["data"]))


class Browser:
    """Headless Chromium with a fresh profile, controlled over the DevTools protocol."""

    def __init__(self, executable: str, profile: Path, *, width: int, height: int) -> None:
        self._size = (width, height)
        self._args = [
            executable,
            *LIVE_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "--remote-debugging-port=0",
            "about:blank",
        ]
        self._process: asyncio.subprocess.Process | None = None
        self._session = aiohttp.ClientSession()
        self._page_ws: aiohttp.ClientWebSocketResponse | None = None
        self._drain: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        self._process = await asyncio.create_subprocess_exec(
            *self._args, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        return self

    async def __aexit__(
        self,
        _exc_type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        if self._page_ws is not None:
            await self._page_ws.close()
        if self._drain is not None:
            self._drain.cancel()
        await self._session.close()
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            try:
                await asyncio.wait_for(self._process.wait(), START_TIMEOUT_S)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()

    async def _devtools_http(self) -> str:
        """The DevTools HTTP address, from the line Chromium prints when it listens."""
        assert self._process is not None
        assert self._process.stderr is not None
        seen: list[str] = []
        async with asyncio.timeout(START_TIMEOUT_S):
            while line := (await self._process.stderr.readline()).decode(errors="replace"):
                seen.append(line)
                if match := DEVTOOLS.search(line):
                    # Keep reading its log so a chatty browser never blocks on a full pipe.
                    self._drain = asyncio.create_task(self._discard(self._process.stderr))
                    host_port = match.group(1).removeprefix("ws://").split("/", 1)[0]
                    return f"http://{host_port}"
        raise CdpError("Chromium exited before listening:\n" + "".join(seen))

    @staticmethod
    async def _discard(stream: asyncio.StreamReader) -> None:
        while await stream.readline():
            pass

    async def page(self) -> Page:
        """The tab Chromium opened (about:blank)."""
        base = await self._devtools_http()
        async with self._session.get(f"{base}/json/list") as response:
            targets = await response.json()
        url = next(target["webSocketDebuggerUrl"] for target in targets if target["type"] == "page")
        # Screenshots arrive as one large message.
        self._page_ws = await self._session.ws_connect(url, max_msg_size=0)
        return Page(self._page_ws)

    async def signed_in_page(
        self, tokens: Tokens, base_url: str, *, script: str = "", reduced_motion: bool = False
    ) -> Page:
        """The tab at the browser's size, signed in to Home Assistant before any of its scripts
        run (the tokens where the frontend keeps them after a login), with ``script`` added to
        every document. ``reduced_motion``: charts draw at once instead of animating in."""
        page = await self.page()
        width, height = self._size
        await page.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        if reduced_motion:
            await page.send(
                "Emulation.setEmulatedMedia",
                features=[{"name": "prefers-reduced-motion", "value": "reduce"}],
            )
        stored = json.dumps(json.dumps(tokens.frontend_storage(base_url)))
        await page.send(
            "Page.addScriptToEvaluateOnNewDocument",
            source=f"localStorage.setItem('hassTokens', {stored});{script}",
        )
        return page
