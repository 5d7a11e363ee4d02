"""One listing of a shortname's rules shared by every ``DeliveryRule`` a provider process handles.

Searching the vendor for each rule's host + path, or reading each rule by uuid, costs a call per
rule; one listing (a page per 100 rules) answers all of them. A listing younger than ``max_age``
seconds is reused and this process's own writes are applied to it as they happen, so ownership
is decided on data at most that old (3 s by default, ``edgio:listingSeconds``); writes by other
processes show up once it ages out. Races between two writers of one host + path end at the
vendor, which refuses a second rule for it (edgio-config-api.md §5, emulated as 409).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

DEFAULT_MAX_AGE = 3.0
Rule = dict[str, Any]


class RuleListings:
    def __init__(self, lister: Callable[[str], list[Rule]], *, max_age: float = DEFAULT_MAX_AGE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lister, self._max_age, self._clock = lister, max_age, clock
        self._taken: dict[str, tuple[float, dict[str, Rule]]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, shortname: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(shortname, threading.Lock())

    def rules(self, shortname: str) -> dict[str, Rule]:
        """uuid -> rule of every rule of the shortname, listed now when the listing is too old."""
        with self._lock(shortname):
            taken = self._taken.get(shortname)
            if taken is None or self._clock() - taken[0] > self._max_age:
                started = self._clock()  # the age counts from before the listing began
                taken = (started, {str(r["uuid"]): r for r in self._lister(shortname) if r.get("uuid")})
                self._taken[shortname] = taken
            return dict(taken[1])

    def matching(self, shortname: str, host: str, path: str) -> list[Rule]:
        """Rules whose published host and path are exactly these."""
        return [r for r in self.rules(shortname).values()
                if (r.get("body") or {}).get("publishedHostname") == host
                and _path((r.get("body") or {}).get("publishedUrlPath")) == _path(path)]

    def put(self, shortname: str, rule: Rule) -> None:
        with self._lock(shortname):
            if shortname in self._taken and rule.get("uuid"):
                self._taken[shortname][1][str(rule["uuid"])] = rule

    def drop(self, shortname: str, uuid: str) -> None:
        with self._lock(shortname):
            if shortname in self._taken:
                self._taken[shortname][1].pop(uuid, None)


def _path(value: Any) -> str:
    text = str(value or "")
    return text if text.startswith("/") else "/" + text
