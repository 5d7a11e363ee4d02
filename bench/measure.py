"""One emulator process for the whole benchmark, set up per run, and each phase's calls counted
from the emulators' own request logs."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from bench.ours import Endpoints
from bench.workload import DOMAIN, SHORTNAME, foreign_records
from tests.support.emulator import Emulators

VULTR_LIMIT = 30.0  # requests per second per address, Vultr's documented limit
EDGIO_PACE = 5.0  # the Edgio provider's default pace (edgio:requestsPerSecond); no vendor number is published


@dataclass(frozen=True)
class Conditions:
    latency_ms: float = 30.0
    pending_seconds: float = 30.0
    foreign: int = 0


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
    rule_writes: int  # POST/PUT of a rule (each starts a deploy)

    @property
    def calls(self) -> int:
        return self.reads + self.writes

    def bound(self, pending_seconds: float) -> float:
        """One deploy time when rules were written, plus the calls at the slower vendor's pace."""
        deploy = pending_seconds if self.rule_writes else 0.0
        return deploy + max(self.vultr_calls / VULTR_LIMIT, self.edgio_calls / EDGIO_PACE)


class Bench:
    """The emulators with fresh random credentials; ``prepare`` resets them for one run."""

    def __init__(self) -> None:
        self.endpoints_args = {"vultr_key": secrets.token_hex(16), "edgio_user": "bench@example.com",
                               "edgio_key": secrets.token_hex(16)}
        self.emulators = Emulators(
            "--vultr-api-key", self.endpoints_args["vultr_key"], "--vultr-domain", DOMAIN,
            "--edgio-username", self.endpoints_args["edgio_user"],
            "--edgio-shared-key", self.endpoints_args["edgio_key"], "--edgio-shortname", SHORTNAME)
        self.endpoints = Endpoints(vultr=self.emulators.vultr, edgio=self.emulators.edgio, **self.endpoints_args)

    def close(self) -> None:
        self.emulators.stop()

    def prepare(self, conditions: Conditions) -> None:
        """Empty vendors, the zone's foreign records (written unthrottled), then the run's conditions."""
        self.emulators.reset()
        for vendor in ("vultr", "edgio"):
            self.emulators.faults(vendor, latency_ms=0, rate_limit_per_second=0)
        self._seed(conditions.foreign)
        self.emulators.settings("edgio", pending_seconds=conditions.pending_seconds, pending_reads=0)
        self.emulators.faults("vultr", latency_ms=conditions.latency_ms, rate_limit_per_second=VULTR_LIMIT)
        self.emulators.faults("edgio", latency_ms=conditions.latency_ms)

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
        for vendor in ("vultr", "edgio"):
            self.emulators.admin(vendor, "DELETE", "calls")
        started = time.monotonic()
        phase()
        seconds = time.monotonic() - started
        vultr, edgio = self.emulators.calls("vultr"), self.emulators.calls("edgio")
        answered = [c for c in vultr + edgio if c["status"] != 429]
        rules = [c for c in edgio if c["status"] != 429]
        return Measure(
            reads=sum(c["method"] == "GET" for c in answered), writes=sum(c["method"] != "GET" for c in answered),
            throttled=len(vultr) + len(edgio) - len(answered), seconds=seconds,
            vultr_calls=sum(c["status"] != 429 for c in vultr), edgio_calls=len(rules),
            rule_gets=sum(c["method"] == "GET" and _is_rule(c["path"]) for c in rules),
            rule_listings=sum(c["method"] == "GET" and c["path"].endswith(f"/shortname/{SHORTNAME}") for c in rules),
            rule_writes=sum(c["method"] in ("POST", "PUT") and (c["path"].endswith("/svcinst/delivery")
                                                                or _is_rule(c["path"])) for c in rules))


def _is_rule(path: str) -> bool:
    """``.../svcinst/delivery/<uuid>`` (not a listing, search or validate)."""
    head, _, last = path.rpartition("/")
    return head.endswith("/svcinst/delivery") and last not in ("validate", "inheritance", "shortname")
