"""Zone-level input and answers of Vultr DNS v2: create/update bodies, seeded records, SOA, DNSSEC.

Paths, bodies and statuses follow Vultr's OpenAPI document (``DnsApi`` of vultr-python-client);
behaviour the document does not give is tagged as in ``settings.py``.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re
from typing import Any

from emulators.vultr.records import RecordError

DNSSEC_VALUES = ("enabled", "disabled")  # [S] "Enable or disable DNSSEC. * enabled * disabled (default)"
HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def domain_name(value: Any) -> str:
    if not isinstance(value, str) or not HOST.match(value.lower().rstrip(".")):
        raise RecordError("Invalid domain name.")
    return value.lower().rstrip(".")


def dns_sec(value: Any) -> str:
    if value not in DNSSEC_VALUES:
        raise RecordError(f"Invalid dns_sec {value!r}: allowed values are 'enabled' or 'disabled'.")
    return str(value)


def seed_address(value: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The ``ip`` of a create-domain body: absent or empty means an empty zone [S]."""
    if value is None or value == "":
        return None
    message = f"Invalid ip {value!r}: must be an IPv4 or IPv6 address."
    if not isinstance(value, str):
        raise RecordError(message)
    try:
        return ipaddress.ip_address(value)
    except ValueError as exc:
        raise RecordError(message) from exc


def seeded_records(domain: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[dict[str, Any]]:
    """[U] Vultr seeds these five records at TTL 300 when a zone is created with an ip; an IPv6
    address gets an AAAA record in place of the A record [I]."""
    apex = "A" if address.version == 4 else "AAAA"
    return [{"type": rtype, "name": name, "data": data, "priority": priority, "ttl": 300}
            for rtype, name, data, priority in ((apex, "", str(address), 0), ("CNAME", "*", domain, 0),
                                                ("MX", "", domain, 10), ("NS", "", "ns1.vultr.com", 0),
                                                ("NS", "", "ns2.vultr.com", 0))]


def soa_changes(body: dict[str, Any]) -> dict[str, str]:
    """[S] Both fields optional; anything else in the body is ignored [?]."""
    changes: dict[str, str] = {}
    if "nsprimary" in body:
        value = body["nsprimary"]
        if not isinstance(value, str) or not HOST.match(value.rstrip(".")):
            raise RecordError(f"Invalid nsprimary {value!r}: must be a host name.")
        changes["nsprimary"] = value.rstrip(".")
    if "email" in body:
        value = body["email"]
        if not isinstance(value, str) or not _EMAIL.match(value):
            raise RecordError(f"Invalid email {value!r}: must be an email address.")
        changes["email"] = value
    return changes


def dnssec_records(domain: str) -> list[str]:
    """A KSK and its DS in presentation format, derived from the zone name so that reads agree."""
    key = base64.b64encode(hashlib.sha512(domain.encode()).digest()).decode()
    tag = int.from_bytes(hashlib.sha256(key.encode()).digest()[:2], "big")
    digest = hashlib.sha256(f"{domain}.{key}".encode()).hexdigest().upper()
    return [f"{domain} IN DNSKEY 257 3 13 {key}", f"{domain} IN DS {tag} 13 2 {digest}"]
