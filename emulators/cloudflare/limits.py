"""The per-token request window (1,200 requests per five minutes [S]) and the ``Ratelimit`` and
``Ratelimit-Policy`` headers Cloudflare sends with every answer, ``Retry-After`` with a 429 [S]."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from emulators.cloudflare.settings import CloudflareSettings


class TokenWindow:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()

    def take(self, token: str, settings: CloudflareSettings) -> tuple[bool, dict[str, str]]:
        """(allowed, headers) for one request of ``token``."""
        limit, window = settings.rate_limit_requests, settings.rate_limit_window_seconds
        if limit == 0:
            return True, {}
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(token, deque())
            while seen and now - seen[0] >= window:
                seen.popleft()
            allowed = len(seen) < limit
            if allowed:
                seen.append(now)
            reset = max(1, math.ceil(window - (now - seen[0]))) if seen else math.ceil(window)
            remaining = max(0, limit - len(seen))
        headers = {"Ratelimit": f'"default";r={remaining};t={reset}',
                   "Ratelimit-Policy": f'"default";q={limit};w={math.ceil(window)}'}
        if not allowed:
            headers["Retry-After"] = str(reset)
        return allowed, headers
