"""The HTTP server every emulator runs in: vendor routes, faults, rate limit, control calls.

Control calls live under ``/_emulator/`` (outside every vendor path, see ``admin.py``) and are
never faulted, rate-limited or logged. Every connection has a read timeout and every body a size
limit, so a stalled or hostile client cannot hold a handler thread; the call log is bounded in
bytes (``calls.py``), so no client can make it hold much memory.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from emulators._core import admin
from emulators._core.calls import DEFAULT_MAX_BYTES, CallLog
from emulators._core.faults import BURST_429, DROP, ERROR, FaultConfig, FaultInjector
from emulators._core.http import Request, Response
from emulators._core.wire import BodyError, read_body


@dataclass(frozen=True)
class ServerOptions:
    #: Seconds a connection may stay silent (request line, headers, body, keep-alive) before it is closed.
    read_timeout_seconds: float = 30.0
    #: Largest request body accepted; vendor bodies are a few kilobytes.
    max_body_bytes: int = 1_048_576
    #: When set, control calls need it in X-Emulator-Token from any address; when empty, loopback only.
    admin_token: str = ""
    #: Bytes the call log may hold; the oldest calls are dropped first.
    call_log_bytes: int = DEFAULT_MAX_BYTES


class ServiceApp(Protocol):
    """What a vendor emulator provides to the server."""

    name: str
    base_path: str  # e.g. "/v2"; the readiness line prints the URL up to here

    def handle(self, request: Request) -> Response: ...
    def error_response(self, status: int, message: str) -> Response: ...
    def state(self) -> dict[str, Any]: ...
    def reset(self) -> None: ...
    def settings_dict(self) -> dict[str, Any]: ...
    def configure(self, changes: dict[str, Any]) -> None: ...


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
                 faults: FaultConfig | None = None, options: ServerOptions | None = None) -> None:
        self.app = app
        self.options = options or ServerOptions()
        self.default_faults = faults or FaultConfig()
        self.faults = FaultInjector(self.default_faults)
        self.limiter = _RateLimiter()
        self.call_log = CallLog(self.options.call_log_bytes)
        self._httpd = ThreadingHTTPServer((host, port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = str(self._httpd.server_address[0])
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{self.app.base_path}"

    def start(self) -> EmulatorServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=self.app.name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self) -> None:
        self.app.reset()
        self.call_log.clear()
        self.limiter.reset()
        self.faults.configure(self.default_faults)

    def outcome(self, request: Request) -> tuple[str, Response | None]:
        """What the client gets: an injected fault, a rate-limit 429 or the vendor's answer."""
        delay = self.faults.latency_seconds()
        if delay:
            time.sleep(delay)
        kind, status = self.faults.before()
        if kind == DROP:
            return "dropped", None
        if kind == BURST_429:
            return "injected_429", self._too_many()
        if kind == ERROR:
            return "injected_5xx", self.app.error_response(status, "injected server error")
        if not self.limiter.allow(request.client_ip, self.faults.config.rate_limit_per_second):
            return "rate_limited", self._too_many()
        try:
            response = self.app.handle(request)
        except Exception:  # a bug in the emulator must not look like a vendor answer
            traceback.print_exc(file=sys.stderr)
            return "crashed", self.app.error_response(500, "internal emulator error")
        if self.faults.lose_response(request.method):
            return "lost_response", None
        return "handled", response

    def _too_many(self) -> Response:
        response = self.app.error_response(429, "rate limit exceeded")
        if self.faults.config.retry_after is not None:
            response.headers["Retry-After"] = f"{self.faults.config.retry_after:g}"
        return response


def _make_handler(server: EmulatorServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = f"{server.app.name}-emulator"
        timeout = server.options.read_timeout_seconds  # socket timeout; http.server closes on expiry
        # Headers and body leave in two writes: with Nagle's algorithm the body waits for the
        # client's delayed ACK of the headers, some 40 ms on every answer of a kept-alive connection.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the call log replaces access logs; nothing secret is ever printed

        def _serve(self) -> None:
            started = time.monotonic()
            path, _, raw_query = self.path.partition("?")
            try:
                body = read_body(self.headers, self.rfile, server.options.max_body_bytes)
            except BodyError as exc:
                self.close_connection = True  # the rest of the stream cannot be framed
                self._finish(started, path, raw_query, "rejected", server.app.error_response(400, str(exc)))
                return
            if path.startswith(admin.ADMIN_PREFIX):
                refused = admin.refusal(self.client_address[0], self.headers.get(admin.TOKEN_HEADER),
                                        server.options.admin_token)
                self._send(refused or admin.answer(server, self.command, path[len(admin.ADMIN_PREFIX):], body))
                return
            request = Request(self.command, path, raw_query, self.headers, body, self.client_address[0])
            outcome, response = server.outcome(request)
            self._finish(started, path, raw_query, outcome, response)

        def _finish(self, started: float, path: str, query: str, outcome: str, response: Response | None) -> None:
            # Recorded before the answer goes out: a client that reads /_emulator/calls right
            # after its own request returns must find that request there.
            server.call_log.record({"method": self.command, "path": path, "query": query, "outcome": outcome,
                           "status": response.status if response else None,
                           "duration_ms": round((time.monotonic() - started) * 1000, 3)})
            if response is None:
                self._drop()
            else:
                self._send(response)

        def _drop(self) -> None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

        def _send(self, response: Response) -> None:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if response.body and self.command != "HEAD":
                self.wfile.write(response.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    return Handler
