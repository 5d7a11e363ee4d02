"""The in-zone alias of an origin name: a DNS record override must name a host of the zone
(docs/api/cloudflare.md §5), so each origin name outside it gets one CNAME inside it."""

from __future__ import annotations

import hashlib

_LABEL = 63


def origin_alias(origin_name: str, zone: str) -> str:
    """``o-<first label>-<8 hex>.<zone>``: stable per origin name, distinct for names that share a
    first label, and one DNS label however long the origin name is."""
    name = origin_name.strip().rstrip(".").lower()
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    first = name.split(".", 1)[0][: _LABEL - len(digest) - 3].strip("-")
    return f"o-{first}-{digest}.{zone.strip().rstrip('.').lower()}"
