"""Every choice the Vultr emulator makes where the contract (vultr-dns-api.md) is silent or only
inferred, in one place. Each is a flag of ``python -m emulators serve`` (``--vultr-<name>``), an
environment variable ``EMULATOR_VULTR_<NAME>`` and a name for ``POST /_emulator/settings``.

Tags: [S] Vultr's OpenAPI document or docs, [C] client code or tests, [U] user reports,
[I] inference, [?] unknown (a guess)."""

from __future__ import annotations

from dataclasses import dataclass

START_ONLY = ("rate_limit_per_second",)  # read once at start; at run time use /_emulator/faults


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
    #: [S] "priority ... Only required for MX and SRV": a create of either without one is a 400.
    require_mx_srv_priority: bool = True
    #: [C] SOA of a new zone: govultr's tests answer nsprimary ns1.vultr.com, email dnsadm@vultr.com.
    soa_nsprimary: str = "ns1.vultr.com"
    soa_email: str = "dnsadm@vultr.com"
    #: [?] GET /domains/{d}/dnssec of a zone with DNSSEC disabled lists its keys anyway (else []).
    dnssec_keys_when_disabled: bool = False

    def check(self) -> None:
        """Values no server could have; raises ValueError naming the setting."""
        if self.create_domain_status not in (200, 201):
            raise ValueError(f"create_domain_status={self.create_domain_status} must be 200 or 201")
        if not 0 <= self.min_ttl <= self.max_ttl:
            raise ValueError(f"min_ttl={self.min_ttl} and max_ttl={self.max_ttl} must satisfy 0 <= min <= max")
        if not self.min_ttl <= self.default_ttl <= self.max_ttl:
            raise ValueError(f"default_ttl={self.default_ttl} must lie in min_ttl..max_ttl")
        if not 1 <= self.default_per_page <= self.max_per_page:
            raise ValueError(f"default_per_page={self.default_per_page} must be 1..max_per_page={self.max_per_page}")
        if self.rate_limit_per_second < 0:
            raise ValueError(f"rate_limit_per_second={self.rate_limit_per_second:g} must be >= 0")
