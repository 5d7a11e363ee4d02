"""The HTTP server every emulator runs in: vendor routes, faults, rate limit, admin calls.

Admin calls live under ``/_emulator/`` (outside every vendor path) and are never faulted,
rate-limited, authenticated or logged: ``GET state``, ``POST reset``, ``GET/POST faults``,
``GET calls`` (the request log) and ``DELETE calls``.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
import traceback
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from emulators._core.faults import BURST_429, DROP, ERROR, FaultConfig, FaultInjector
from emulators._core.http import Request, Response

ADMIN_PREFIX = "/_emulator/"
CALL_LOG_LIMIT = 100_000


class ServiceApp(Protocol):
    """What a vendor emulator provides to the server."""

    name: str
    base_path: str  # e.g. "/v2"; the readiness line prints the URL up to here

    def handle(self, request: Request) -> Response: ...
    def error_response(self, status: int, message: str) -> Response: ...
    def state(self) -> dict[str, Any]: ...
    def reset(self) -> None: ...


class _RateLimiter:
    """Sliding one-second window per client address."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}

    def allow(self, client: str, per_second: float) -> bool:
        if per_second <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            window = self._seen.setdefault(client, deque())
            while window and now - window[0] >= 1.0:
                window.popleft()
            if len(window) >= per_second:
                return False
            window.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()


class EmulatorServer:
    """Serves one ServiceApp on host:port (0 picks a free port) in a background thread."""

    def __init__(self, app: ServiceApp, host: str = "127.0.0.1", port: int = 0,
                 faults: FaultConfig | None = None) -> None:
        self.app = app
        self.default_faults = faults or FaultConfig()
        self.faults = FaultInjector(self.default_faults)
        self.limiter = _RateLimiter()
        self._calls: deque[dict[str, Any]] = deque(maxlen=CALL_LOG_LIMIT)
        self._calls_lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = self._httpd.server_address[0]
        return f"http://{host}:{self.port}{self.app.base_path}"

    def start(self) -> EmulatorServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=self.app.name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def record(self, entry: dict[str, Any]) -> None:
        with self._calls_lock:
            self._calls.append(entry)

    def calls(self) -> list[dict[str, Any]]:
        with self._calls_lock:
            return list(self._calls)

    def clear_calls(self) -> None:
        with self._calls_lock:
            self._calls.clear()

    def reset(self) -> None:
        self.app.reset()
        self.clear_calls()
        self.limiter.reset()
        self.faults.configure(self.default_faults)

    def admin(self, method: str, name: str, body: bytes) -> Response:
        if (method, name) == ("GET", "state"):
            return Response.json(200, self.app.state())
        if (method, name) == ("POST", "reset"):
            self.reset()
            return Response.json(200, {"reset": True})
        if (method, name) == ("GET", "faults"):
            return Response.json(200, self.faults.config.to_dict())
        if (method, name) == ("POST", "faults"):
            try:
                data = json.loads(body or b"{}")
                if not isinstance(data, dict):
                    raise ValueError("the body must be a JSON object of fault settings")
                self.faults.configure(FaultConfig.from_dict(data, base=self.faults.config))
            except ValueError as exc:
                return Response.json(400, {"error": str(exc)})
            return Response.json(200, self.faults.config.to_dict())
        if (method, name) == ("GET", "calls"):
            return Response.json(200, {"calls": self.calls()})
        if (method, name) == ("DELETE", "calls"):
            self.clear_calls()
            return Response.empty(204)
        return Response.json(404, {"error": f"no admin call {method} {ADMIN_PREFIX}{name}"})


def _make_handler(server: EmulatorServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = f"{server.app.name}-emulator"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the call log replaces access logs; nothing secret is ever printed

        def _serve(self) -> None:
            started = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path, _, raw_query = self.path.partition("?")
            if path.startswith(ADMIN_PREFIX):
                self._send(server.admin(self.command, path[len(ADMIN_PREFIX):], body))
                return
            request = Request(self.command, path, raw_query, self.headers, body, self.client_address[0])
            outcome, response = self._outcome(request)
            entry = {"method": self.command, "path": path, "query": raw_query, "outcome": outcome,
                     "status": response.status if response else None}
            # Recorded before the answer goes out: a client that reads /_emulator/calls right
            # after its own request returns must find that request there.
            entry["duration_ms"] = round((time.monotonic() - started) * 1000, 3)
            server.record(entry)
            if response is None:
                self._drop()
            else:
                self._send(response)

        def _outcome(self, request: Request) -> tuple[str, Response | None]:
            delay = server.faults.latency_seconds()
            if delay:
                time.sleep(delay)
            kind, status = server.faults.before()
            if kind == DROP:
                return "dropped", None
            if kind == BURST_429:
                return "injected_429", self._too_many()
            if kind == ERROR:
                return "injected_5xx", server.app.error_response(status, "injected server error")
            if not server.limiter.allow(request.client_ip, server.faults.config.rate_limit_per_second):
                return "rate_limited", self._too_many()
            try:
                response = server.app.handle(request)
            except Exception:  # a bug in the emulator must not look like a vendor answer
                traceback.print_exc(file=sys.stderr)
                return "crashed", server.app.error_response(500, "internal emulator error")
            if server.faults.lose_response(request.method):
                return "lost_response", None
            return "handled", response

        def _too_many(self) -> Response:
            response = server.app.error_response(429, "rate limit exceeded")
            if server.faults.config.retry_after is not None:
                response.headers["Retry-After"] = f"{server.faults.config.retry_after:g}"
            return response

        def _drop(self) -> None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

        def _send(self, response: Response) -> None:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if response.body and self.command != "HEAD":
                self.wfile.write(response.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    return Handler
