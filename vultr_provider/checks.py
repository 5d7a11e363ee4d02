"""Pure checks of ``DnsRecordSet`` inputs: every problem at once, as ``CheckFailure``s that name
the field and the value and say what is allowed; defaults and canonical address order."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from pulumi.dynamic import CheckFailure
from pulumi.output import Unknown

INPUTS = ("domain", "name", "type", "addresses", "ttl", "adopt", "owner", "set_key", "shared")
DEFAULTS: dict[str, Any] = {"type": "A", "ttl": 120, "adopt": False, "owner": "", "set_key": "", "shared": False}
_OWNER = re.compile(r"^[A-Za-z0-9._/-]{1,200}$")
TYPES = {"A": 4, "AAAA": 6}
TTL_RANGE = (60, 86400)
_LABEL = r"([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)"
_DOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})+$")
_NAME = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")


def known(value: Any) -> bool:
    return not isinstance(value, Unknown)


def check_inputs(news: dict[str, Any]) -> list[CheckFailure]:
    """Every problem of the inputs; values not yet known (preview) are not judged."""
    failures: list[CheckFailure] = []

    def fail(field: str, reason: str) -> None:
        failures.append(CheckFailure(field, f"{field}={news.get(field)!r}: {reason}"))

    domain, name, rtype = news.get("domain"), news.get("name"), news.get("type", "A")
    if known(domain) and not (isinstance(domain, str) and _DOMAIN.match(domain)):
        fail("domain", "must be the zone's lower-case FQDN without a trailing dot, e.g. 'example.com'")
    if known(name) and not (isinstance(name, str) and (name == "" or _NAME.match(name))):
        fail("name", "must be a lower-case name relative to the zone ('' for the apex), e.g. 'www'")
    elif isinstance(name, str) and known(domain) and isinstance(domain, str) and name.endswith("." + domain):
        fail("name", f"must be relative to the zone: drop the trailing '.{domain}'")
    if known(rtype) and rtype not in TYPES:
        fail("type", f"must be one of {sorted(TYPES)}")
    addresses = news.get("addresses")
    if known(addresses):
        failures.extend(_check_addresses(addresses, TYPES.get(rtype, 4) if known(rtype) else None))
    ttl = news.get("ttl", 120)
    if known(ttl) and (isinstance(ttl, bool) or not isinstance(ttl, int | float) or int(ttl) != ttl
                        or not TTL_RANGE[0] <= ttl <= TTL_RANGE[1]):
        fail("ttl", f"must be a whole number of seconds from {TTL_RANGE[0]} to {TTL_RANGE[1]}")
    for flag in ("adopt", "shared"):
        value = news.get(flag, False)
        if known(value) and not isinstance(value, bool):
            fail(flag, "must be true or false")
    for field in ("owner", "set_key"):
        value = news.get(field, "")
        if known(value) and not (value == "" or (isinstance(value, str) and _OWNER.match(value))):
            fail(field, "must be empty or 1..200 characters of letters, digits, '.', '_', '/', '-'")
    if known(news.get("set_key", "")) and news.get("set_key") and not news.get("owner"):
        fail("set_key", "needs an owner: a set key names one of the owner's record sets")
    if news.get("shared") is True and known(news.get("owner", "")) and not news.get("owner"):
        fail("shared", "needs an owner: each contributor to a shared name is told apart by its owner")
    return failures


def _check_addresses(addresses: Any, version: int | None) -> list[CheckFailure]:
    if not isinstance(addresses, list) or not addresses:
        return [CheckFailure("addresses", f"addresses={addresses!r}: must be a non-empty list of IP addresses")]
    failures, seen = [], set()
    for index, address in enumerate(addresses):
        if not known(address):
            continue
        try:
            parsed = ipaddress.ip_address(address)
        except (ValueError, TypeError):
            failures.append(CheckFailure("addresses", f"addresses[{index}]={address!r}: not an IP address"))
            continue
        if version is not None and parsed.version != version:
            failures.append(CheckFailure(
                "addresses", f"addresses[{index}]={address!r}: must be an IPv{version} address for this type"))
        if str(parsed) in seen:
            failures.append(CheckFailure("addresses", f"addresses[{index}]={address!r}: listed twice"))
        seen.add(str(parsed))
    return failures




def normal(news: dict[str, Any]) -> dict[str, Any]:
    """Inputs with defaults applied and addresses in canonical, sorted form."""
    out = {**DEFAULTS, **{k: news[k] for k in INPUTS if k in news}}
    addresses = out.get("addresses")
    if known(addresses) and isinstance(addresses, list) and all(known(a) for a in addresses):
        out["addresses"] = sorted({str(ipaddress.ip_address(a)) for a in addresses}, key=sort_key)
    if known(out["ttl"]) and isinstance(out["ttl"], float):
        out["ttl"] = int(out["ttl"])
    return out


def sort_key(address: str) -> Any:
    try:
        parsed = ipaddress.ip_address(address)
        return (parsed.version, parsed)
    except ValueError:
        return (9, address)
