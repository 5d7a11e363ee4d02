"""The ``/_emulator/`` control calls: state, reset, faults, settings and the call log.

They change what the emulator does, so they answer only clients on loopback unless a token is
configured; with a token, every caller must send it as ``X-Emulator-Token``.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from emulators._core.faults import FaultConfig
from emulators._core.http import Response

if TYPE_CHECKING:
    from emulators._core.server import EmulatorServer

ADMIN_PREFIX = "/_emulator/"
TOKEN_HEADER = "X-Emulator-Token"


def refusal(client_ip: str, supplied: str | None, token: str) -> Response | None:
    """None when the caller may use the control calls, else the answer that refuses it."""
    if token:
        given = (supplied or "").encode("latin-1", "replace")  # header text is latin-1 on the wire
        if hmac.compare_digest(given, token.encode()):
            return None
        return Response.json(401, {"error": f"control calls need the {TOKEN_HEADER} header"})
    try:
        loopback = ipaddress.ip_address(client_ip.split("%", 1)[0]).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return None
    return Response.json(403, {"error": "control calls answer only on loopback unless a token is configured"})


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"{}")
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValueError(f"the body is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object of settings")
    return data


def answer(server: EmulatorServer, method: str, name: str, body: bytes) -> Response:
    calls: dict[tuple[str, str], Callable[[], Any]] = {
        ("GET", "state"): server.app.state,
        ("POST", "reset"): lambda: _reset(server),
        ("GET", "faults"): lambda: server.faults.config.to_dict(),
        ("POST", "faults"): lambda: _set_faults(server, _json_object(body)),
        ("GET", "settings"): server.app.settings_dict,
        ("POST", "settings"): lambda: _set_settings(server, _json_object(body)),
        ("GET", "calls"): server.call_log.summary,
        ("DELETE", "calls"): server.call_log.clear,
    }
    call = calls.get((method, name))
    if call is None:
        allowed = sorted(f"{m} {ADMIN_PREFIX}{n}" for m, n in calls)
        return Response.json(404, {"error": f"no control call {method} {ADMIN_PREFIX}{name}; allowed: {allowed}"})
    try:
        result = call()
    except (ValueError, TypeError) as exc:  # a setting of the wrong type: say which, keep serving
        return Response.json(400, {"error": str(exc)})
    return Response.empty(204) if result is None else Response.json(200, result)


def _reset(server: EmulatorServer) -> dict[str, Any]:
    server.reset()
    return {"reset": True}


def _set_settings(server: EmulatorServer, data: dict[str, Any]) -> dict[str, Any]:
    server.app.configure(data)
    return server.app.settings_dict()


def _set_faults(server: EmulatorServer, data: dict[str, Any]) -> dict[str, Any]:
    server.faults.configure(FaultConfig.from_dict(data, base=server.faults.config))
    return server.faults.config.to_dict()
