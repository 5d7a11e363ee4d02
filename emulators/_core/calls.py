"""The request log of one emulator, bounded in bytes: every path and query is cut short and the
oldest entries go first, so no client, signed or not, can make it hold much memory."""

from __future__ import annotations

import sys
import threading
from collections import deque
from typing import Any

#: Characters of a path or a query kept per entry; vendor paths and queries are far shorter.
FIELD_LIMIT = 1024
#: Bytes the whole log may hold by default (some 16 000 entries of ordinary calls).
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


def cut(text: str, limit: int = FIELD_LIMIT) -> str:
    return text if len(text) <= limit else f"{text[:limit]}...(+{len(text) - limit} characters)"


def size_of(entry: dict[str, Any]) -> int:
    """What the entry holds in memory: the dict and its values (its keys are shared literals)."""
    return sys.getsizeof(entry) + sum(sys.getsizeof(value) for value in entry.values())


class CallLog:
    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: deque[tuple[int, dict[str, Any]]] = deque()
        self._bytes = self._dropped = 0
        self._lock = threading.Lock()

    def record(self, entry: dict[str, Any]) -> None:
        """Keeps ``entry`` with its path and query cut short, dropping the oldest entries when over the bound."""
        kept = {**entry, "path": cut(entry["path"]), "query": cut(entry["query"])}
        size = size_of(kept)
        with self._lock:
            self._entries.append((size, kept))
            self._bytes += size
            while self._bytes > self.max_bytes:
                dropped, _ = self._entries.popleft()
                self._bytes -= dropped
                self._dropped += 1

    def summary(self) -> dict[str, Any]:
        """The entries (oldest first), the bytes they hold, the bound, and how many were dropped."""
        with self._lock:
            return {"calls": [entry for _, entry in self._entries], "bytes": self._bytes,
                    "max_bytes": self.max_bytes, "dropped": self._dropped}

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = self._dropped = 0
