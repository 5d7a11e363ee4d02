"""One listing of a zone shared by every record set a provider process handles.

Vultr can only list a whole zone (no filter by name), so each record set listing it for itself
costs pages x sets. A snapshot younger than ``max_age`` seconds is reused, and this process's
own writes are applied to it as they happen; writes by other processes show up once it ages out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from vultr_provider.types import DnsRecord

DEFAULT_MAX_AGE = 10.0


class ZoneSnapshots:
    def __init__(self, lister: Callable[[str], list[DnsRecord]], *, max_age: float = DEFAULT_MAX_AGE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lister = lister
        self._max_age = max_age
        self._clock = clock
        self._zones: dict[str, tuple[float, dict[str, DnsRecord]]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, domain: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(domain, threading.Lock())

    def now(self) -> float:
        return self._clock()

    def records(self, domain: str, *, fresh: bool = False, not_before: float | None = None) -> list[DnsRecord]:
        """The zone's records: listed now when ``fresh`` or the snapshot is too old; with
        ``not_before`` (a time of ``now()``), from a listing that began at or after it, so callers
        waiting for one fresh read share the listing that started after each of their writes."""
        with self._lock(domain):
            taken = self._zones.get(domain)
            if fresh or taken is None or self._clock() - taken[0] > self._max_age or \
                    (not_before is not None and taken[0] < not_before):
                started = self._clock()  # the age counts from before the listing began
                taken = (started, {str(r["id"]): r for r in self._lister(domain)})
                self._zones[domain] = taken
            return list(taken[1].values())

    def put(self, domain: str, record: DnsRecord) -> None:
        with self._lock(domain):
            if domain in self._zones:
                self._zones[domain][1][str(record["id"])] = record

    def patch(self, domain: str, record_id: str, **changes: object) -> None:
        with self._lock(domain):
            known = self._zones.get(domain, (0.0, {}))[1].get(record_id)
            if known is not None:
                known.update(changes)  # type: ignore[typeddict-item]

    def drop(self, domain: str, record_id: str) -> None:
        with self._lock(domain):
            if domain in self._zones:
                self._zones[domain][1].pop(record_id, None)
