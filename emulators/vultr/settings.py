"""Every choice the Vultr emulator makes where the contract (vultr-dns-api.md) is silent or only
inferred, in one place. Each is a flag of ``python -m emulators serve`` (``--vultr-<name>``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VultrSettings:
    #: [S] 200 per the spec's create-domain response; 201 would also be plausible [?].
    create_domain_status: int = 200
    #: [?] TTL given to a record created without one (300 matches the records Vultr seeds).
    default_ttl: int = 300
    #: [?] Lowest and highest TTL accepted; nothing documents bounds.
    min_ttl: int = 1
    max_ttl: int = 2_147_483_647
    #: [I] A submitted name ending in ".<zone>" is stored relative (external-dns relies on it).
    strip_zone_suffix: bool = True
    #: [?] "@" is accepted as the apex and stored as "".
    accept_at_apex: bool = True
    #: [?] Two records with identical name, type and data: allowed (no error seen anywhere).
    reject_identical_duplicates: bool = False
    #: [S] per_page default and maximum; a larger value is clamped [?], zero or less is a 400 [?].
    default_per_page: int = 100
    max_per_page: int = 500
    #: [S] 30 requests per second per client address, answered with 429.
    rate_limit_per_second: float = 30.0
