"""Record data checked per type, as Vultr's OpenAPI document lists the types (A, AAAA, CNAME, NS,
MX, SRV, TXT, CAA, SSHFP) and as vultr-dns-api.md §4 describes each one's ``data``."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

TYPES = ("A", "AAAA", "CNAME", "NS", "MX", "SRV", "TXT", "CAA", "SSHFP")
PRIORITY_TYPES = ("MX", "SRV")  # [S] "DNS priority ... (Only required for MX and SRV)"
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)"
                       r"(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$")
_CAA = re.compile(r'^(\d{1,3})\s+([A-Za-z0-9]{1,15})\s+("?)([^\s"]+)\3$')  # RFC 8659 §4.1.1
_SSHFP_ALGORITHMS = (1, 2, 3, 4, 6)  # RSA, DSA, ECDSA, Ed25519, Ed448 (RFC 4255, 6594, 7479, 8709)
_SSHFP_HEX_LENGTH = {1: 40, 2: 64}  # SHA-1, SHA-256


class RecordError(ValueError):
    """Record input the API refuses with 400; the message is the vendor's ``error`` text."""


def check_data(rtype: str, value: Any) -> str:
    """The data as stored and returned, or RecordError saying what the type allows."""
    if not isinstance(value, str) or not value.strip():
        raise RecordError("Record data must be a non-empty string.")
    value = value.strip()
    checks = {"A": _address, "AAAA": _address, "TXT": _txt, "CNAME": _target, "NS": _target,
              "MX": _mx, "SRV": _srv, "CAA": _caa, "SSHFP": _sshfp}
    return checks[rtype](rtype, value)


def check_priority(rtype: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError("Invalid priority: must be an integer.")
    if rtype in PRIORITY_TYPES and not 0 <= value <= 65535:
        raise RecordError(f"Invalid priority {value} for {rtype}: allowed 0..65535.")
    return value


def _address(rtype: str, value: str) -> str:
    try:
        address = ipaddress.ip_address(value)
    except ValueError as exc:
        raise RecordError(f"Invalid {rtype} record data {value!r}: must be an IP address.") from exc
    if address.version != (4 if rtype == "A" else 6):
        raise RecordError(f"Invalid {rtype} record data {value!r}: wrong address family.")
    return str(address)


def _txt(rtype: str, value: str) -> str:
    # [C] trimmed, balanced outer quotes stripped, stored and returned quoted
    if value.startswith('"') != value.endswith('"') or value == '"':
        raise RecordError("Unable to add record: Record data must be enclosed in quotes")
    inner = value[1:-1] if value.startswith('"') else value
    if '"' in inner:
        raise RecordError("Unable to add record: Quotes may only appear at the beginning and end of the data")
    return f'"{inner}"'


def _hostname(rtype: str, value: str, what: str, allow_root: bool = False) -> str:
    host = value[:-1] if value.endswith(".") and value != "." else value  # [C] stored without the dot
    if (host == "." and allow_root) or _HOSTNAME.match(host):
        return host
    allowed = "a host name" + (" or '.'" if allow_root else "")
    raise RecordError(f"Invalid {rtype} record {what} {value!r}: must be {allowed}.")


def _target(rtype: str, value: str) -> str:
    return _hostname(rtype, value, "data")


def _mx(rtype: str, value: str) -> str:
    return _hostname(rtype, value, "data", allow_root=True)  # [C] "." is a null MX


def _srv(rtype: str, value: str) -> str:
    parts = value.split()
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() and int(p) <= 65535 for p in parts[:2]):
        raise RecordError(f"Invalid SRV record data {value!r}: must be '<weight> <port> <target>' "
                          "with weight and port 0..65535.")
    target = _hostname(rtype, parts[2], "target", allow_root=True)
    return f"{int(parts[0])} {int(parts[1])} {target}"


def _caa(rtype: str, value: str) -> str:
    found = _CAA.match(value)
    if not found or int(found.group(1)) > 255:
        raise RecordError(f"Invalid CAA record data {value!r}: must be '<flag 0..255> <tag> \"<value>\"' "
                          "with an alphanumeric tag and no whitespace in the value.")
    return f'{int(found.group(1))} {found.group(2)} "{found.group(4)}"'  # [I] value returned quoted


def _sshfp(rtype: str, value: str) -> str:
    parts = value.split()
    ok = len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts[:2])
    algorithm, kind = (int(parts[0]), int(parts[1])) if ok else (0, 0)
    length = _SSHFP_HEX_LENGTH.get(kind)
    if not ok or algorithm not in _SSHFP_ALGORITHMS or length is None or len(parts[2]) != length \
            or not re.fullmatch(r"[0-9A-Fa-f]+", parts[2]):
        raise RecordError(f"Invalid SSHFP record data {value!r}: must be '<algorithm> <type> <fingerprint>' "
                          f"with algorithm in {list(_SSHFP_ALGORITHMS)}, type 1 (40 hex digits) "
                          "or 2 (64 hex digits).")
    return f"{algorithm} {kind} {parts[2].lower()}"
