"""Every choice the Cloudflare emulator makes where the contract (docs/api/cloudflare.md) is silent
or only inferred, in one place. Each is a flag of ``python -m emulators serve``
(``--cloudflare-<name>``), an environment variable ``EMULATOR_CLOUDFLARE_<NAME>`` and a name for
``POST /_emulator/settings``.

Tags: [S] Cloudflare's docs or API schema, [C] the official library's code, [U] user reports,
[I] inference, [?] unknown (a guess)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CloudflareSettings:
    #: [S] 1,200 requests per five minutes per user (here: per token), then 429 for the window.
    rate_limit_requests: int = 1200
    rate_limit_window_seconds: float = 300.0
    #: [S] zones: per_page default 20, 5..50; [S] DNS records: default 100 [?] largest 5,000,000.
    zones_default_per_page: int = 20
    zones_max_per_page: int = 50
    records_default_per_page: int = 100
    records_max_per_page: int = 5_000_000
    #: [S] a DNS record comment holds 100 characters on the Free plan (500 on paid plans).
    comment_max_length: int = 100
    #: [S] TTL 1 means automatic; otherwise 60..86400 (30 on Enterprise).
    min_ttl: int = 60
    max_ttl: int = 86400
    #: [I] the issue's reading of the docs: a DNS record override (origin.host) must name a host
    #: inside the zone; [S] the docs say "on the same Cloudflare account".
    origin_host_in_zone: bool = True
    #: [S] Origin Rules per zone: Free 10, Pro 25, Business 50, Enterprise 300 [?].
    max_rules_per_ruleset: int = 300
    #: [?] length limit of a rule expression (characters).
    max_expression_length: int = 4096
    #: [U] HTTP status of a well-formed token that is not valid (10000 Authentication error).
    bad_token_status: int = 403

    def check(self) -> None:
        """Values no server could have; raises ValueError naming the setting."""
        if self.rate_limit_requests < 0 or self.rate_limit_window_seconds <= 0:
            raise ValueError(f"rate_limit_requests={self.rate_limit_requests} must be >= 0 (0 = none) and "
                             f"rate_limit_window_seconds={self.rate_limit_window_seconds:g} > 0")
        for low, high in (("zones_default_per_page", "zones_max_per_page"),
                          ("records_default_per_page", "records_max_per_page"), ("min_ttl", "max_ttl")):
            if not 1 <= getattr(self, low) <= getattr(self, high):
                raise ValueError(f"{low}={getattr(self, low)} must be 1..{high}={getattr(self, high)}")
        if self.bad_token_status not in (400, 401, 403):
            raise ValueError(f"bad_token_status={self.bad_token_status} must be 400, 401 or 403")
