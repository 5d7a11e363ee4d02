"""DNS records of a zone (``/zones/{zone_id}/dns_records``): the checks Cloudflare makes on a
record's name, type, content, TTL, proxy status and comment, and the name conflicts it refuses."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from emulators.cloudflare.envelope import CloudflareError
from emulators.cloudflare.settings import CloudflareSettings

TYPES = ("A", "AAAA", "CNAME", "TXT", "MX", "NS", "CAA", "SRV")
PROXIABLE = ("A", "AAAA", "CNAME")  # [S] only these can be proxied
_HOST = re.compile(r"^(?=.{1,253}$)(\*|[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*$")
FIELDS = ("type", "name", "content", "ttl", "proxied", "comment", "tags")


def bad(field: str, message: str, code: int = 9000) -> CloudflareError:
    return CloudflareError(400, code, f"DNS Validation Error: {field}: {message}")


def fqdn(zone: str, name: Any) -> str:
    """A record name as Cloudflare stores it: lower-case, absolute, inside the zone [S]."""
    if not isinstance(name, str) or not name.strip():
        raise bad("name", "required, a host name (or @ for the apex)", 9005)
    text = name.strip().rstrip(".").lower()
    text = zone if text in ("@", zone) else text if text.endswith("." + zone) else f"{text}.{zone}"
    if not _HOST.match(text):
        raise bad("name", f"{name[:80]!r} is not a valid host name", 9005)
    return text


def content(rtype: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise bad("content", "required, a string", 9007)
    if rtype in ("A", "AAAA"):
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            address = None
        if address is None or address.version != (4 if rtype == "A" else 6):
            raise bad("content", f"{value[:80]!r} is not a valid IPv{4 if rtype == 'A' else 6} address", 9006)
        return str(address)
    if rtype in ("CNAME", "NS", "MX"):
        target = value.rstrip(".").lower()
        if not _HOST.match(target):
            raise bad("content", f"{value[:80]!r} is not a valid host name", 9007)
        return target
    return value


def checked(zone: str, body: dict[str, Any], settings: CloudflareSettings, old: dict[str, Any] | None = None
            ) -> dict[str, Any]:
    """The record ``body`` describes (merged over ``old`` for a PATCH), or a 400 naming the field."""
    unknown = sorted(set(body) - set(FIELDS) - {"id", "priority", "data", "settings", "zone_id", "zone_name"})
    if unknown:
        raise bad(unknown[0], f"unknown field; allowed: {', '.join(FIELDS)}", 9000)
    merged = {**(old or {}), **body}
    rtype = merged.get("type")
    if rtype not in TYPES:
        raise bad("type", f"{str(rtype)[:20]!r} is not supported; allowed: {', '.join(TYPES)}", 9004)
    proxied = merged.get("proxied", False)
    if not isinstance(proxied, bool):
        raise bad("proxied", "must be true or false", 9003)
    if proxied and rtype not in PROXIABLE:
        raise bad("proxied", f"a {rtype} record cannot be proxied; allowed: {', '.join(PROXIABLE)}", 9003)
    ttl = merged.get("ttl", 1)
    if isinstance(ttl, float) and ttl.is_integer():
        ttl = int(ttl)
    in_range = isinstance(ttl, int) and (ttl == 1 or settings.min_ttl <= ttl <= settings.max_ttl)
    if isinstance(ttl, bool) or not in_range:
        raise bad("ttl", f"{ttl!r} must be 1 (automatic) or {settings.min_ttl}..{settings.max_ttl}", 9021)
    comment = merged.get("comment") or ""
    if not isinstance(comment, str) or len(comment) > settings.comment_max_length:
        raise bad("comment", f"must be a string of at most {settings.comment_max_length} characters", 9100)
    tags = merged.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and ":" in t for t in tags):
        raise bad("tags", "must be a list of 'name:value' strings", 9101)
    return {"type": rtype, "name": fqdn(zone, merged.get("name")), "content": content(rtype, merged.get("content")),
            "ttl": 1 if proxied else ttl, "proxied": proxied, "proxiable": rtype in PROXIABLE,
            "comment": comment or None, "tags": tags}


def check_conflicts(record: dict[str, Any], others: list[dict[str, Any]]) -> None:
    """[S] a CNAME shares its name with no A, AAAA or CNAME; [U] codes 81053 / 81054 / 81057."""
    for other in others:
        if other["name"] != record["name"] or other["id"] == record.get("id"):
            continue
        pair = {record["type"], other["type"]}
        if record["type"] == "CNAME" and other["type"] in PROXIABLE:
            raise CloudflareError(400, 81053, "An A, AAAA, or CNAME record with that host already exists. "
                                              f"(existing record id {other['id']})")
        if other["type"] == "CNAME" and pair <= set(PROXIABLE):
            raise CloudflareError(400, 81054, "A CNAME record with that host already exists. "
                                              f"(existing record id {other['id']})")
        if (other["type"], other["content"]) == (record["type"], record["content"]):
            raise CloudflareError(400, 81057, "Record already exists.")


def matches(record: dict[str, Any], query: dict[str, list[str]]) -> bool:
    """The list filters the provider and the library send: name, type, content, comment (exact)."""
    def one(*names: str) -> str | None:
        for name in names:
            if query.get(name):
                return query[name][-1]
        return None

    name = one("name", "name.exact")
    checks = [(name, record["name"], True), (one("type"), record["type"], False),
              (one("content", "content.exact"), record["content"], True),
              (one("comment", "comment.exact"), record.get("comment") or "", False)]
    return all(want is None or (have.lower() == want.lower().rstrip(".") if fold else have == want)
               for want, have, fold in checks)
