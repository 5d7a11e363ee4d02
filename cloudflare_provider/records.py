"""Pure parts of ``DnsRecord``: input checks and defaults, the record written (its ``comment`` is
the owner's claim), the way back from a live record to inputs, and which records at a name collide."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure

from cloudflare_provider.common import (
    FQDN,
    OWNER,
    check_zone,
    checker,
    claim,
    claim_of,
    is_address,
    outside_zone,
)
from cloudflare_provider.types import DnsRecordWire
from restkit.values import known, whole

INPUTS = ("zone", "name", "type", "content", "proxied", "ttl", "adopt", "owner")
DEFAULTS: dict[str, Any] = {"zone": "", "type": "CNAME", "proxied": True, "ttl": 1, "adopt": False, "owner": ""}
REPLACE_ON = ("zone",)
NO_DIFF = ("adopt",)
TYPES = ("A", "AAAA", "CNAME")
#: [S] a comment holds 100 characters on the Free plan: the claim must fit.
COMMENT_LIMIT = 100


def normal(props: dict[str, Any]) -> dict[str, Any]:
    p = {**DEFAULTS, **{k: whole(props[k]) for k in INPUTS if k in props and props[k] is not None}}
    for key in ("name", "content"):
        if isinstance(p.get(key), str) and (key == "name" or p.get("type") == "CNAME"):
            p[key] = p[key].strip().rstrip(".").lower()
    return p


def check_inputs(p: dict[str, Any]) -> list[CheckFailure]:
    failures, rule = checker(p)
    check_zone(p, rule)
    zone = p.get("zone")
    rule("name", isinstance(p.get("name"), str) and bool(FQDN.match(p["name"])), "must be a lower-case FQDN")
    rule("name", not (known(zone) and outside_zone(p.get("name"), zone)), f"must be inside the zone {zone!r}")
    rule("type", p.get("type") in TYPES, f"must be one of {list(TYPES)}")
    content, rtype = p.get("content"), p.get("type")
    ok = {"A": is_address(content, 4), "AAAA": is_address(content, 6),
          "CNAME": isinstance(content, str) and bool(FQDN.match(content))}.get(str(rtype), True)
    rule("content", ok, f"must be {'a host name' if rtype == 'CNAME' else 'an IP address'} for a {rtype} record")
    rule("proxied", isinstance(p.get("proxied"), bool), "must be true or false")
    ttl = p.get("ttl")
    rule("ttl", isinstance(ttl, int) and not isinstance(ttl, bool) and (ttl == 1 or 60 <= ttl <= 86400),
         "must be 1 (automatic) or 60..86400 seconds")
    rule("adopt", isinstance(p.get("adopt"), bool), "must be true or false")
    owner = p.get("owner")
    rule("owner", owner == "" or (isinstance(owner, str) and bool(OWNER.match(owner))
                                  and len(claim(owner)) <= COMMENT_LIMIT),
         f"must be empty or letters, digits, '.', '_', '/', '-' short enough for a {COMMENT_LIMIT}-character comment")
    return failures


def fields(p: dict[str, Any]) -> dict[str, Any]:
    """The body of a create or PUT: the whole record, its claim in ``comment``."""
    return {"name": p["name"], "type": p["type"], "content": p["content"], "proxied": p["proxied"],
            "ttl": 1 if p["proxied"] else p["ttl"], "comment": claim(p["owner"])}


def inputs_from_live(record: DnsRecordWire, base: dict[str, Any]) -> dict[str, Any]:
    return normal({**base, "name": record.get("name"), "type": record.get("type"), "content": record.get("content"),
                   "proxied": record.get("proxied"), "ttl": record.get("ttl"),
                   "owner": claim_of(record.get("comment")) or base.get("owner", "")})


def same(record: DnsRecordWire, p: dict[str, Any]) -> bool:
    live = inputs_from_live(record, p)
    return all(live[k] == p[k] for k in ("name", "type", "content", "proxied")) and (
        p["proxied"] or live["ttl"] == p["ttl"])


def collides(record: DnsRecordWire, rtype: str) -> bool:
    """[S] a CNAME shares its name with nothing; A and AAAA collide with a CNAME and with their own
    type (a second address would join the answer and take traffic nobody declared)."""
    other = record.get("type")
    return rtype == "CNAME" or other == "CNAME" or other == rtype
