"""Helpers both resources share: unknown values in preview, numbers back from the engine's doubles,
and the owner claim text that marks every object this program writes."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from pulumi.dynamic import CheckFailure

from restkit.values import known

CLAIM_PREFIX = "cdn-ingress owner="
OWNER = re.compile(r"^[A-Za-z0-9._/-]{1,80}$")
FQDN = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
ZONE_ID = re.compile(r"^[0-9a-f]{32}$")




def claim(owner: str) -> str:
    return f"{CLAIM_PREFIX}{owner}" if owner else ""


def claim_of(text: Any) -> str:
    """The owner a comment or description names ('' for none)."""
    if isinstance(text, str) and text.startswith(CLAIM_PREFIX):
        return text[len(CLAIM_PREFIX):].split(" ", 1)[0]
    return ""


def is_address(value: Any, version: int) -> bool:
    try:
        return isinstance(value, str) and ipaddress.ip_address(value).version == version
    except ValueError:
        return False


def outside_zone(name: Any, zone: Any) -> bool:
    """True when ``zone`` is a zone name and ``name`` is not that zone or a name under it."""
    if not (isinstance(name, str) and isinstance(zone, str) and zone and not ZONE_ID.match(zone)):
        return False
    zone = zone.rstrip(".").lower()
    return name != zone and not name.endswith("." + zone)


Rule = Callable[[str, bool, str], None]


def checker(p: dict[str, Any]) -> tuple[list[CheckFailure], Rule]:
    """The failures of one ``check`` and the function that adds one when a known value is not ``ok``."""
    failures: list[CheckFailure] = []

    def rule(field: str, ok: bool, allowed: str) -> None:
        if known(p.get(field)) and not ok:
            failures.append(CheckFailure(field, f"{field}={p.get(field)!r}: {allowed}"))

    return failures, rule


def check_zone(p: dict[str, Any], rule: Rule) -> None:
    zone = p.get("zone")
    rule("zone", zone == "" or (isinstance(zone, str) and bool(ZONE_ID.match(zone) or FQDN.match(zone))),
         "must be a zone id (32 hex digits), a zone name, or empty for cloudflare:zoneId / cloudflare:zoneName")
