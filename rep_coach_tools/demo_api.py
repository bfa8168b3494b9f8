"""Talk to a running Home Assistant the way its frontend does: HTTP API and websocket.

Used by the demo to finish onboarding, log in, add the MQTT and Rep Coach config entries and
find the bench's device; the demo's browser test logs in with it too.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Self

import aiohttp

REQUEST_TIMEOUT_S = 30.0


class HassApiError(Exception):
    """Home Assistant answered something the demo cannot work with."""


@dataclass(frozen=True, slots=True)
class Tokens:
    """An access token and what the frontend keeps in ``localStorage.hassTokens``."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str

    def frontend_storage(self, base_url: str, *, now_ms: int | None = None) -> dict[str, Any]:
        """``hassTokens`` as home-assistant-js-websocket stores them, for a logged-in browser."""
        now = int(time.time() * 1000) if now_ms is None else now_ms
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_in": self.expires_in,
            "token_type": self.token_type,
            "hassUrl": base_url,
            "clientId": client_id(base_url),
            "expires": now + self.expires_in * 1000,
        }


def client_id(base_url: str) -> str:
    """The IndieAuth client id the frontend uses: its own origin."""
    return base_url.rstrip("/") + "/"


class HassClient:
    """An HTTP session with Home Assistant; authenticated once tokens are known."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
        )
        self._tokens: Tokens | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the websocket and the HTTP session."""
        if self._ws is not None:
            await self._ws.close()
        await self._session.close()

    @property
    def tokens(self) -> Tokens:
        """The tokens of the logged-in user."""
        if self._tokens is None:
            raise HassApiError("not logged in")
        return self._tokens

    # --- Plain HTTP ------------------------------------------------------------------------

    async def _request(
        self, method: str, path: str, *, auth: bool = True, **kwargs: Any
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.tokens.access_token}"} if auth else {}
        async with self._session.request(
            method, self.base_url + path, headers=headers, **kwargs
        ) as response:
            text = await response.text()
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = text  # an error page, kept for the message
        return response.status, body

    async def _ok(self, method: str, path: str, **kwargs: Any) -> Any:
        status, body = await self._request(method, path, **kwargs)
        if status != HTTPStatus.OK:
            raise HassApiError(f"{method} {path}: HTTP {status} {body}")
        return body

    async def onboarding_status(self) -> dict[str, bool] | None:
        """Onboarding steps and whether each is done; None while the HTTP server is not up."""
        try:
            status, body = await self._request("GET", "/api/onboarding", auth=False)
        except aiohttp.ClientError:
            return None
        if status != HTTPStatus.OK or not isinstance(body, list):
            return None
        return {str(step["step"]): bool(step["done"]) for step in body}

    async def create_owner(self, *, name: str, username: str, password: str) -> None:
        """Onboarding's user step: the owner (administrator); logs in as that user."""
        body = await self._ok(
            "POST",
            "/api/onboarding/users",
            auth=False,
            json={
                "client_id": client_id(self.base_url),
                "name": name,
                "username": username,
                "password": password,
                "language": "en",
            },
        )
        self._tokens = await self._token_from_code(str(body["auth_code"]))

    async def login(self, username: str, password: str) -> Tokens:
        """Log in with a user name and password, as the login page does."""
        cid = client_id(self.base_url)
        flow = await self._ok(
            "POST",
            "/auth/login_flow",
            auth=False,
            json={"client_id": cid, "handler": ["homeassistant", None], "redirect_uri": cid},
        )
        result = await self._ok(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            auth=False,
            json={"client_id": cid, "username": username, "password": password},
        )
        if result.get("type") != "create_entry":
            raise HassApiError(f"login of {username!r} refused: {result.get('errors')}")
        self._tokens = await self._token_from_code(str(result["result"]))
        return self._tokens

    async def _token_from_code(self, code: str) -> Tokens:
        body = await self._ok(
            "POST",
            "/auth/token",
            auth=False,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": client_id(self.base_url),
            },
        )
        return Tokens(
            access_token=str(body["access_token"]),
            refresh_token=str(body["refresh_token"]),
            expires_in=int(body["expires_in"]),
            token_type=str(body["token_type"]),
        )

    async def save_automation(self, automation_id: str, config: dict[str, Any]) -> None:
        """Create or replace an automation in automations.yaml, as the automation editor does."""
        await self._ok("POST", f"/api/config/automation/config/{automation_id}", json=config)

    async def config_flow(self, handler: str, user_input: dict[str, Any]) -> dict[str, Any]:
        """Run a config flow's first form with ``user_input``; the result (entry or error)."""
        flow = await self._ok("POST", "/api/config/config_entries/flow", json={"handler": handler})
        if flow.get("type") != "form":
            raise HassApiError(f"{handler} config flow did not show a form: {flow}")
        return await self.flow_step(
            str(flow["flow_id"]), {**section_defaults(flow.get("data_schema") or []), **user_input}
        )

    async def flow_step(self, flow_id: str, user_input: dict[str, Any]) -> dict[str, Any]:
        """Submit a step of a config flow in progress."""
        result: dict[str, Any] = await self._ok(
            "POST", f"/api/config/config_entries/flow/{flow_id}", json=user_input
        )
        return result

    # --- Websocket -------------------------------------------------------------------------

    async def ws_call(self, message_type: str, **fields: Any) -> Any:
        """One websocket command and its result."""
        ws = await self._websocket()
        message_id = next(self._ids)
        await ws.send_json({"id": message_id, "type": message_type, **fields})
        while True:
            reply = await ws.receive_json(timeout=REQUEST_TIMEOUT_S)
            if reply.get("id") != message_id:
                continue
            if not reply.get("success"):
                raise HassApiError(f"{message_type}: {reply.get('error')}")
            return reply.get("result")

    async def _websocket(self) -> aiohttp.ClientWebSocketResponse:
        if self._ws is not None and not self._ws.closed:
            return self._ws
        ws = await self._session.ws_connect(self.base_url + "/api/websocket")
        hello = await ws.receive_json(timeout=REQUEST_TIMEOUT_S)
        if hello.get("type") != "auth_required":
            raise HassApiError(f"unexpected websocket greeting {hello}")
        await ws.send_json({"type": "auth", "access_token": self.tokens.access_token})
        answer = await ws.receive_json(timeout=REQUEST_TIMEOUT_S)
        if answer.get("type") != "auth_ok":
            raise HassApiError(f"websocket authentication failed: {answer}")
        self._ws = ws
        return ws

    async def config_entries(self, domain: str) -> list[dict[str, Any]]:
        """The config entries of ``domain``."""
        entries: list[dict[str, Any]] = await self.ws_call("config_entries/get", domain=domain)
        return entries

    async def flows_in_progress(self, handler: str) -> list[dict[str, Any]]:
        """Config flows of ``handler`` waiting for the user (e.g. discovered devices)."""
        flows = await self.ws_call("config_entries/flow/progress")
        return [flow for flow in flows if flow.get("handler") == handler]

    async def device_ids(self, domain: str) -> list[str]:
        """The ids of the devices an integration created (identifier domain ``domain``)."""
        devices = await self.ws_call("config/device_registry/list")
        return [
            str(device["id"])
            for device in devices
            if any(identifier[0] == domain for identifier in device.get("identifiers", []))
        ]

    async def state(self, entity_id: str) -> dict[str, Any] | None:
        """An entity's state object, None when it does not exist."""
        status, body = await self._request("GET", f"/api/states/{entity_id}")
        return body if status == HTTPStatus.OK and isinstance(body, dict) else None


def section_defaults(data_schema: list[dict[str, Any]]) -> dict[str, Any]:
    """What the frontend submits for a form's collapsed sections left alone: each field's default,
    else ``false`` for a required switch and the first option of a required select (e.g. the
    MQTT broker form's ``other_settings`` from Home Assistant 2026.10 on)."""
    values: dict[str, Any] = {}
    for item in data_schema:
        if item.get("type") != "expandable":
            continue
        section: dict[str, Any] = {}
        for field in item.get("schema", []):
            selector = field.get("selector") or {}
            if "default" in field:
                section[field["name"]] = field["default"]
            elif field.get("required") and "boolean" in selector:
                section[field["name"]] = False
            elif field.get("required") and (
                options := (selector.get("select") or {}).get("options")
            ):
                first = options[0]
                section[field["name"]] = first["value"] if isinstance(first, dict) else first
        values[item["name"]] = section
    return values
