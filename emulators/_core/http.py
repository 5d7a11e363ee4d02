"""Request/response values and a small path router for the emulators' vendor endpoints."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import parse_qs


class JSONBodyError(ValueError):
    """The request body is not the JSON the endpoint needs."""


@dataclass(frozen=True)
class Request:
    """One HTTP request as the vendor layer sees it; raw parts are kept for signature checks."""

    method: str
    path: str  # percent-encoded path, no query
    raw_query: str  # exactly as on the wire, without the '?'
    headers: Message[str, str]  # case-insensitive, as http.server parses them
    body: bytes
    client_ip: str
    scheme: str = "http"

    @property
    def host(self) -> str:
        return str(self.headers.get("Host", ""))

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.raw_query, keep_blank_values=True)

    def query_one(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def json(self) -> Any:
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body, parse_constant=_no_constant)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise JSONBodyError(f"request body is not valid JSON: {exc}") from exc
        except RecursionError as exc:  # nesting deeper than the parser's stack
            raise JSONBodyError("request body is not valid JSON: nested too deeply") from exc


def _no_constant(name: str) -> Any:
    raise JSONBodyError(f"request body is not valid JSON: {name} is not a JSON number")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
        content_type = {"Content-Type": "application/json"}
        return cls(status, json.dumps(payload).encode(), {**content_type, **(headers or {})})

    @classmethod
    def empty(cls, status: int = 204) -> Response:
        return cls(status)


Handler = Callable[..., Response]
_PARAM = re.compile(r"\{(\w+)\}")


class Router:
    """Maps METHOD + path template (``/domains/{domain}/records``) to a handler(request, **params)."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        parts = _PARAM.split(template)  # literal, name, literal, name, ...
        pattern = "".join(
            f"(?P<{part}>[^/]+)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
        )
        self._routes.append((method.upper(), re.compile(f"^{pattern}$"), handler))

    def match(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | bool | None:
        """The handler and params; False when the path exists under another method; None if unknown."""
        path_known = False
        for route_method, pattern, handler in self._routes:
            found = pattern.match(path)
            if found:
                if route_method == method.upper():
                    return handler, found.groupdict()
                path_known = True
        return False if path_known else None
