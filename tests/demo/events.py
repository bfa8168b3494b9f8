"""Record Home Assistant's bus events over its websocket API, in the order they were fired."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from types import TracebackType
from typing import Any, Self

import aiohttp

from rep_coach_tools.demo_api import Tokens

TIMEOUT_S = 30.0


class EventRecorder:
    """Subscribes to some event types and keeps every event, oldest first."""

    def __init__(self, base_url: str, tokens: Tokens, event_types: tuple[str, ...]) -> None:
        self._url = base_url.rstrip("/") + "/api/websocket"
        self._token = tokens.access_token
        self._event_types = event_types
        self._session = aiohttp.ClientSession()
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self.events: list[dict[str, Any]] = []

    async def __aenter__(self) -> Self:
        ws = self._ws = await self._session.ws_connect(self._url)
        await ws.receive_json(timeout=TIMEOUT_S)  # auth_required
        await ws.send_json({"type": "auth", "access_token": self._token})
        answer = await ws.receive_json(timeout=TIMEOUT_S)
        assert answer["type"] == "auth_ok", answer
        ids = itertools.count(1)
        for event_type in self._event_types:
            message_id = next(ids)
            await ws.send_json(
                {"id": message_id, "type": "subscribe_events", "event_type": event_type}
            )
            reply = await ws.receive_json(timeout=TIMEOUT_S)
            assert reply.get("success"), reply
        self._reader = asyncio.create_task(self._read(ws))
        return self

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            data = message.json()
            if data.get("type") == "event":
                self.events.append(data["event"])

    async def __aexit__(
        self,
        _exc_type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._ws is not None:
            await self._ws.close()
        await self._session.close()

    def of_type(self, event_type: str, **data: Any) -> list[tuple[int, dict[str, Any]]]:
        """(position, event) of the events of one type whose data has these values."""
        return [
            (position, event)
            for position, event in enumerate(self.events)
            if event["event_type"] == event_type
            and all(event["data"].get(key) == value for key, value in data.items())
        ]

    def state_changes(self, entity_id: str) -> list[tuple[int, dict[str, Any]]]:
        """(position, new state) of one entity's state changes."""
        return [
            (position, event["data"]["new_state"])
            for position, event in self.of_type("state_changed", entity_id=entity_id)
            if event["data"].get("new_state") is not None
        ]
