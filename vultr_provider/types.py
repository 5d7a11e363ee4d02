"""Wire shapes of Vultr DNS v2 (vultr-dns-api.md §2)."""

from __future__ import annotations

from typing import TypedDict


class DnsRecord(TypedDict):
    id: str
    type: str
    name: str  # relative to the zone, "" = apex
    data: str
    priority: int
    ttl: int


class Domain(TypedDict):
    domain: str
    date_created: str
    dns_sec: str
