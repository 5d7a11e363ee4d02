"""Shared pieces of the Cloudflare provider tests: providers configured for the emulator, inputs,
and a client of the official library to look at (and tamper with) the zone behind their back."""

from __future__ import annotations

from typing import Any, TypeVar

from cloudflare import Cloudflare
from pulumi.dynamic import Config, ConfigureRequest, ResourceProvider

from cloudflare_provider import CloudflareClient
from restkit import RetryPolicy
from tests.conftest import CLOUDFLARE_TEST_TOKEN
from tests.support.emulator import Emulators

ZONE = "example.com"
OWNER = "cdn-ingress/test/0123456789ab"
FAST = RetryPolicy(base_delay=0.01, max_delay=0.05, deadline=10)
P = TypeVar("P", bound=ResourceProvider)


def config(emulators: Emulators, **extra: Any) -> dict[str, Any]:
    return {"cloudflare:apiToken": CLOUDFLARE_TEST_TOKEN, "cloudflare:endpoint": emulators.cloudflare,
            "cloudflare:zoneName": ZONE, "cloudflare:requestsPerSecond": "500", **extra}


def configured(p: P, emulators: Emulators) -> P:
    p.configure(ConfigureRequest(Config(config(emulators), "cdn-ingress")))
    return p


def client(emulators: Emulators, token: str = CLOUDFLARE_TEST_TOKEN) -> CloudflareClient:
    return CloudflareClient(token, endpoint=emulators.cloudflare, requests_per_second=500, retry=FAST)


def official(emulators: Emulators) -> Cloudflare:
    return Cloudflare(api_token=CLOUDFLARE_TEST_TOKEN, base_url=emulators.cloudflare, max_retries=0)


def zone_id(emulators: Emulators) -> str:
    return client(emulators).zone_id(ZONE)


def record(**changes: Any) -> dict[str, Any]:
    return {"name": "www.example.com", "type": "CNAME", "content": "o-pywai.example.com", "proxied": True,
            "ttl": 1, "zone": "", "adopt": False, "owner": OWNER, **changes}


def alias(**changes: Any) -> dict[str, Any]:
    return record(**{"name": "o-pywai.example.com", "content": "pywai.origin.example.org", "proxied": False,
                     "ttl": 300, **changes})


def route(**changes: Any) -> dict[str, Any]:
    return {"host": "www.example.com", "path": "/shop", "match": "prefix", "origin_host": "o-pywai.example.com",
            "origin_port": 30080, "host_header": "", "sni": "", "rewrite_path": "", "request_headers": {},
            "response_headers": {}, "options": [], "zone": "", "adopt": False, "owner": OWNER, **changes}


def origin_rules(emulators: Emulators) -> list[dict[str, Any]]:
    ruleset = client(emulators).entrypoint(zone_id(emulators))
    return [dict(r) for r in (ruleset or {}).get("rules", [])]
