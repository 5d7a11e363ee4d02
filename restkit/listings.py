"""One listing of a vendor collection (a DNS zone, a CDN account's rules) shared by every resource a
provider process handles, instead of a search or a read per object.

A listing younger than ``max_age`` seconds is reused and this process's own writes are applied to
it as they happen; writes by other processes show up once it ages out. A caller that needs data
newer than its own write passes ``not_before`` (a time of ``now()``): it gets a listing that began
at or after that time, and callers waiting together share one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

Item = TypeVar("Item", bound=Mapping[str, Any])


class SharedListings(Generic[Item]):
    def __init__(self, lister: Callable[[str], list[Item]], *, key: str, max_age: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lister, self._key, self._max_age, self._clock = lister, key, max_age, clock
        self._taken: dict[str, tuple[float, dict[str, Item]]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, collection: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(collection, threading.Lock())

    def now(self) -> float:
        return self._clock()

    def items(self, collection: str, *, fresh: bool = False, not_before: float | None = None) -> list[Item]:
        """Every item of the collection: listed now when ``fresh``, when the listing is older than
        ``max_age``, or when it began before ``not_before``."""
        with self._lock(collection):
            taken = self._taken.get(collection)
            if fresh or taken is None or self._clock() - taken[0] > self._max_age or \
                    (not_before is not None and taken[0] < not_before):
                started = self._clock()  # the age counts from before the listing began
                taken = (started, {str(i[self._key]): i for i in self._lister(collection) if i.get(self._key)})
                self._taken[collection] = taken
            return list(taken[1].values())

    def put(self, collection: str, item: Item) -> None:
        with self._lock(collection):
            if collection in self._taken and item.get(self._key):
                self._taken[collection][1][str(item[self._key])] = item

    def patch(self, collection: str, item_id: str, **changes: object) -> None:
        with self._lock(collection):
            known = self._taken.get(collection, (0.0, {}))[1].get(item_id)
            if known is not None:
                known.update(changes)  # type: ignore[attr-defined]

    def drop(self, collection: str, item_id: str) -> None:
        with self._lock(collection):
            if collection in self._taken:
                self._taken[collection][1].pop(item_id, None)
