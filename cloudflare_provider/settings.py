"""Provider settings from ``configure()`` (stack config, then the environment): the API token, the
zone and the endpoint. Never pickled into state, never in a message."""

from __future__ import annotations

import os
import threading
from typing import Any

from cloudflare_provider.client import DEFAULT_ENDPOINT, DEFAULT_RATE, CloudflareClient, rules_of
from cloudflare_provider.common import ZONE_ID
from cloudflare_provider.errors import CloudflareConfigError
from restkit import clean_credential, positive_setting
from restkit.listings import SharedListings

#: How old a listing a refresh may read from: the zone's records, the entry point's rules.
LISTING_SECONDS = 3.0


class CloudflareSettings:
    def __init__(self) -> None:
        self.token: str | None = None
        self.zone = ""
        self.endpoint = DEFAULT_ENDPOINT
        self.rate, self.timeout = DEFAULT_RATE, 30.0
        self._client: CloudflareClient | None = None
        self._zones: dict[str, str] = {}
        self._lock = threading.Lock()
        self._lookup = threading.Lock()
        self._records: SharedListings[Any] | None = None
        self._rules: SharedListings[Any] | None = None

    def configure(self, c: Any) -> None:
        env = os.environ
        token = c.get("cloudflare:apiToken") or env.get("CLOUDFLARE_API_TOKEN")
        self.token = clean_credential(token, setting="cloudflare:apiToken", error=CloudflareConfigError) \
            if token else None
        self.zone = (c.get("cloudflare:zoneId") or c.get("cloudflare:zoneName") or env.get("CLOUDFLARE_ZONE_ID")
                     or env.get("CLOUDFLARE_ZONE_NAME") or "").strip().lower()
        self.endpoint = c.get("cloudflare:endpoint") or env.get("CLOUDFLARE_ENDPOINT") or DEFAULT_ENDPOINT
        self.rate = _positive(c, "cloudflare:requestsPerSecond", DEFAULT_RATE)
        self.timeout = _positive(c, "cloudflare:timeoutSeconds", 30.0)

    def client(self) -> CloudflareClient:
        with self._lock:
            if self._client is None:
                if not self.token:
                    raise CloudflareConfigError(
                        "no Cloudflare API token: set `pulumi config set --secret cloudflare:apiToken <token>` "
                        "(or CLOUDFLARE_API_TOKEN); it needs Zone Read, DNS Edit and Origin Rules Edit (Zone) "
                        "on the stack's zone")
                self._client = CloudflareClient(self.token, endpoint=self.endpoint, requests_per_second=self.rate,
                                                timeout=self.timeout)
            return self._client

    def records(self) -> SharedListings[Any]:
        """The zone's records, one listing shared by every record this process reads."""
        client = self.client()
        with self._lock:
            if self._records is None:
                self._records = SharedListings(client.zone_records, key="id", max_age=LISTING_SECONDS)
            return self._records

    def rules(self) -> SharedListings[Any]:
        """The origin phase's rules (with their ruleset's id), one read of the entry point shared by
        every rule this process reads."""
        client = self.client()
        with self._lock:
            if self._rules is None:
                self._rules = SharedListings(lambda zone: rules_of(client.entrypoint(zone)), key="id",
                                             max_age=LISTING_SECONDS)
            return self._rules

    def zone_id(self, zone: str) -> str:
        """The id of ``zone`` (an id, a name, or '' for the configured zone); names are looked up once."""
        wanted = zone or self.zone
        if not wanted:
            raise CloudflareConfigError("no Cloudflare zone: set `pulumi config set cloudflare:zoneId <id>` or "
                                        "cloudflare:zoneName <name> (or CLOUDFLARE_ZONE_ID / CLOUDFLARE_ZONE_NAME)")
        if ZONE_ID.match(wanted):
            return wanted
        with self._lookup:  # workers asking at once wait for the one lookup
            with self._lock:
                cached = self._zones.get(wanted)
            if cached is None:
                cached = self.client().zone_id(wanted)
                with self._lock:
                    self._zones[wanted] = cached
        return cached


def _positive(c: Any, setting: str, default: float) -> float:
    return positive_setting(c.get(setting), default, setting=setting, error=CloudflareConfigError)
