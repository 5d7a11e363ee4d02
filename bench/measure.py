"""One emulator process for the whole benchmark, set up per run, and each phase's calls counted
from the emulators' own request logs."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

from bench.ours import Endpoints
from bench.workload import CLOUDFLARE_ZONE, DOMAIN, SHORTNAME, foreign_records
from tests.support.emulator import Emulators

VULTR_LIMIT = 30.0  # requests per second per address, Vultr's documented limit
EDGIO_PACE = 5.0  # the Edgio provider's default pace (edgio:requestsPerSecond); no vendor number is published
CLOUDFLARE_PACE = 4.0  # 1,200 requests per 5 minutes (cloudflare:requestsPerSecond's default, docs/api/cloudflare.md)
VENDORS = ("vultr", "edgio", "cloudflare")  # every emulator the bench serves; a run uses Vultr and one CDN


@dataclass(frozen=True)
class Conditions:
    latency_ms: float = 30.0
    pending_seconds: float = 30.0
    foreign: int = 0


@dataclass(frozen=True)
class Tally:
    """One vendor's answered calls in a phase, and the 429s it refused."""

    reads: int = 0
    writes: int = 0
    throttled: int = 0

    @property
    def calls(self) -> int:
        return self.reads + self.writes


def tally(calls: list[dict[str, Any]]) -> Tally:
    answered = [c for c in calls if c["status"] != 429]
    return Tally(reads=sum(c["method"] == "GET" for c in answered), writes=sum(c["method"] != "GET" for c in answered),
                 throttled=len(calls) - len(answered))


@dataclass(frozen=True)
class Measure:
    reads: int
    writes: int
    throttled: int
    seconds: float
    vultr_calls: int
    edgio_calls: int
    rule_gets: int  # GET of one rule by uuid
    rule_listings: int  # GET of a shortname's rule list
    rule_writes: int  # POST/PUT of an Edgio rule (each starts a deploy)
    cloudflare_calls: int = 0
    vendors: dict[str, Tally] = field(default_factory=dict)  # per vendor: reads, writes, 429s

    @property
    def calls(self) -> int:
        return self.reads + self.writes

    def bound(self, pending_seconds: float) -> float:
        """One deploy time when Edgio rules were written (a Cloudflare rule is live when written),
        plus the calls at the slower vendor's pace."""
        deploy = pending_seconds if self.rule_writes else 0.0
        return deploy + max(self.vultr_calls / VULTR_LIMIT, self.edgio_calls / EDGIO_PACE,
                            self.cloudflare_calls / CLOUDFLARE_PACE)

    def of(self, vendor: str) -> Tally:
        return self.vendors.get(vendor, Tally())


class Bench:
    """The emulators (Vultr, Edgio, Cloudflare with the zone ``CLOUDFLARE_ZONE``) with fresh random
    credentials; ``prepare`` resets them for one run."""

    def __init__(self) -> None:
        self.endpoints_args = {"vultr_key": secrets.token_hex(16), "edgio_user": "bench@example.com",
                               "edgio_key": secrets.token_hex(16), "cloudflare_token": secrets.token_urlsafe(30)}
        self.emulators = Emulators(
            "--vultr-api-key", self.endpoints_args["vultr_key"], "--vultr-domain", DOMAIN,
            "--edgio-username", self.endpoints_args["edgio_user"],
            "--edgio-shared-key", self.endpoints_args["edgio_key"], "--edgio-shortname", SHORTNAME,
            "--cloudflare-port", "0", "--cloudflare-api-token", self.endpoints_args["cloudflare_token"],
            "--cloudflare-zone", CLOUDFLARE_ZONE)
        self.endpoints = Endpoints(vultr=self.emulators.vultr, edgio=self.emulators.edgio,
                                   cloudflare=self.emulators.cloudflare, **self.endpoints_args)

    def close(self) -> None:
        self.emulators.stop()

    def prepare(self, conditions: Conditions) -> None:
        """Empty vendors, the zone's foreign records (written unthrottled), then the run's conditions."""
        self.emulators.reset()
        for vendor in VENDORS:
            self.emulators.faults(vendor, latency_ms=0, rate_limit_per_second=0)
        self._seed(conditions.foreign)
        self.emulators.settings("edgio", pending_seconds=conditions.pending_seconds, pending_reads=0)
        self.emulators.faults("vultr", latency_ms=conditions.latency_ms, rate_limit_per_second=VULTR_LIMIT)
        # Cloudflare's own limit (1,200 requests per 5 minutes per token) stays on: the emulator's default.
        for vendor in ("edgio", "cloudflare"):
            self.emulators.faults(vendor, latency_ms=conditions.latency_ms)

    def _seed(self, count: int) -> None:
        session = requests.Session()
        session.trust_env = False
        url = f"{self.emulators.vultr}/domains/{DOMAIN}/records"
        headers = {"Authorization": f"Bearer {self.endpoints.vultr_key}"}

        def post(record: dict[str, Any]) -> None:
            session.post(url, json=record, headers=headers, timeout=30).raise_for_status()
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(post, foreign_records(count)))

    def measure(self, phase: Callable[[], None]) -> Measure:
        for vendor in VENDORS:
            self.emulators.admin(vendor, "DELETE", "calls")
        started = time.monotonic()
        phase()
        seconds = time.monotonic() - started
        logs = {vendor: self._calls(vendor) for vendor in VENDORS}
        vendors = {vendor: tally(calls) for vendor, calls in logs.items()}
        rules = [c for c in logs["edgio"] if c["status"] != 429]
        return Measure(
            reads=sum(t.reads for t in vendors.values()), writes=sum(t.writes for t in vendors.values()),
            throttled=sum(t.throttled for t in vendors.values()), seconds=seconds,
            vultr_calls=vendors["vultr"].calls, edgio_calls=vendors["edgio"].calls,
            cloudflare_calls=vendors["cloudflare"].calls, vendors=vendors,
            rule_gets=sum(c["method"] == "GET" and _is_rule(c["path"]) for c in rules),
            rule_listings=sum(c["method"] == "GET" and c["path"].endswith(f"/shortname/{SHORTNAME}") for c in rules),
            rule_writes=sum(c["method"] in ("POST", "PUT") and (c["path"].endswith("/svcinst/delivery")
                                                                or _is_rule(c["path"])) for c in rules))

    def _calls(self, vendor: str) -> list[dict[str, Any]]:
        """The vendor's call log since the phase began; a log that dropped calls would undercount."""
        log = self.emulators.admin(vendor, "GET", "calls")
        if log.get("dropped"):
            raise RuntimeError(f"the {vendor} emulator's call log dropped {log['dropped']} calls "
                               f"(over {log['max_bytes']} bytes): the phase's count would be wrong")
        return list(log["calls"])


def _is_rule(path: str) -> bool:
    """``.../svcinst/delivery/<uuid>`` (not a listing, search or validate)."""
    head, _, last = path.rpartition("/")
    return head.endswith("/svcinst/delivery") and last not in ("validate", "inheritance", "shortname")
