"""One listing of a shortname's rules shared by every ``DeliveryRule`` a provider process handles.

Searching the vendor for each rule's host + path, or reading each rule by uuid, costs a call per
rule; one listing (a page per 100 rules) answers all of them. A listing younger than ``max_age``
seconds is reused and this process's own writes are applied to it as they happen, so ownership
is decided on data at most that old (3 s by default, ``edgio:listingSeconds``); writes by other
processes show up once it ages out. Races between two writers of one host + path end at the
vendor, which refuses a second rule for it (edgio-config-api.md §5, emulated as 409).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from restkit.listings import SharedListings

DEFAULT_MAX_AGE = 3.0
Rule = dict[str, Any]


class RuleListings(SharedListings[Rule]):
    def __init__(self, lister: Callable[[str], list[Rule]], *, max_age: float = DEFAULT_MAX_AGE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(lister, key="uuid", max_age=max_age, clock=clock)

    def matching(self, shortname: str, host: str, path: str) -> list[Rule]:
        """Rules whose published host and path are exactly these."""
        return [r for r in self.items(shortname)
                if (r.get("body") or {}).get("publishedHostname") == host
                and _path((r.get("body") or {}).get("publishedUrlPath")) == _path(path)]


def _path(value: Any) -> str:
    text = str(value or "")
    return text if text.startswith("/") else "/" + text
