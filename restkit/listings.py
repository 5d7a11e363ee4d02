"""One listing of a vendor collection (a DNS zone, a CDN account's rules) shared by every resource a
provider process handles, instead of a search or a read per object.

A listing younger than ``max_age`` seconds is reused and this process's own writes are applied to
it as they happen; writes by other processes show up once it ages out. A caller that needs data
newer than its own write passes ``not_before`` (a time of ``now()``): it gets a listing that began
at or after that time, and callers waiting together share one. Writes that such a caller will check
announce themselves (``writing``): a listing for a check waits (a bounded time) until the writes in
flight have answered, so claims written together are checked on one listing, not one each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

Item = TypeVar("Item", bound=Mapping[str, Any])
GATHER_SECONDS = 2.0
"""The longest a check's listing waits for the writes in flight (a steady stream of writes never
starves it)."""


class SharedListings(Generic[Item]):
    def __init__(self, lister: Callable[[str], list[Item]], *, key: str, max_age: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lister, self._key, self._max_age, self._clock = lister, key, max_age, clock
        self._taken: dict[str, tuple[float, dict[str, Item]]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._flying: dict[str, int] = {}
        self._landed = threading.Condition(self._guard)

    def _lock(self, collection: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(collection, threading.Lock())

    def now(self) -> float:
        return self._clock()

    @contextmanager
    def writing(self, collection: str) -> Iterator[None]:
        """A write that a check on a listing begun after it will follow."""
        with self._guard:
            self._flying[collection] = self._flying.get(collection, 0) + 1
        try:
            yield
        finally:
            with self._guard:
                self._flying[collection] -= 1
                self._landed.notify_all()

    def _gather(self, collection: str, not_before: float) -> None:
        """Before a listing for a check: wait until the writes in flight answered, so it serves them too."""
        deadline = time.monotonic() + GATHER_SECONDS
        with self._guard:
            taken = self._taken.get(collection)
            if taken is not None and taken[0] >= not_before:
                return
            while self._flying.get(collection, 0) and time.monotonic() < deadline:
                self._landed.wait(max(0.0, deadline - time.monotonic()))

    def items(self, collection: str, *, fresh: bool = False, not_before: float | None = None) -> list[Item]:
        """Every item of the collection: listed now when ``fresh``, when the listing is older than
        ``max_age``, or when it began before ``not_before``."""
        return list(self._listing(collection, fresh=fresh, not_before=not_before).values())

    def get(self, collection: str, item_id: str, *, fresh: bool = False) -> Item | None:
        """One item of the collection by key, from the same listing as ``items`` (no copy of it)."""
        return self._listing(collection, fresh=fresh).get(item_id)

    def _listing(self, collection: str, *, fresh: bool = False, not_before: float | None = None
                 ) -> dict[str, Item]:
        if not_before is not None:
            self._gather(collection, not_before)
        with self._lock(collection):
            taken = self._taken.get(collection)
            if fresh or taken is None or self._clock() - taken[0] > self._max_age or \
                    (not_before is not None and taken[0] < not_before):
                started = self._clock()  # the age counts from before the listing began
                taken = (started, {str(i[self._key]): i for i in self._lister(collection) if i.get(self._key)})
                self._taken[collection] = taken
            return taken[1]

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
