"""One listing of a zone shared by every record set a provider process handles.

Vultr can only list a whole zone (no filter by name), so each record set listing it for itself
costs pages x sets. A snapshot younger than ``max_age`` seconds is reused, and this process's
own writes are applied to it as they happen; writes by other processes show up once it ages out
(``restkit.listings``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from restkit.listings import SharedListings
from vultr_provider.types import DnsRecord

DEFAULT_MAX_AGE = 10.0


class ZoneSnapshots(SharedListings[DnsRecord]):
    def __init__(self, lister: Callable[[str], list[DnsRecord]], *, max_age: float = DEFAULT_MAX_AGE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(lister, key="id", max_age=max_age, clock=clock)

    def records(self, domain: str, *, fresh: bool = False, not_before: float | None = None) -> list[DnsRecord]:
        """The zone's records (``SharedListings.items``)."""
        return self.items(domain, fresh=fresh, not_before=not_before)
