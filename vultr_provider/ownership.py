"""Who owns which records at one name: the TXT ownership markers and the split of a zone
listing into this set's records, a sibling set's, and everyone else's.

A marker ``_cdn-ingress.<name>`` TXT
``heritage=cdn-ingress owner=<owner> set=<key> type=<type> records=<id>,<id>`` claims the records
of one type at one name for one record set (``key``) of one owner (a stack instance:
``<project>/<stack>/<token>``), and names the ids of the records that set owns, so a hand-over
moves exactly those and a delete never removes a record another claim names. Vultr records carry
no tag or description, so a marker record is the only place such a claim can live (external-dns
keeps its TXT registry the same way).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vultr_provider.types import DnsRecord

MARKER_PREFIX = "_cdn-ingress"
MARKER_TTL = 300
RETIME_PREFIX = f"{MARKER_PREFIX}-retime"
_PARKED = re.compile(rf"^{re.escape(RETIME_PREFIX)}-[0-9a-f]{{12}}(\.|$)")
_MARKER = re.compile(r"^heritage=cdn-ingress owner=(?P<owner>\S+)(?: set=(?P<key>\S+))? type=(?P<type>\S+)"
                     r"(?: shared=(?P<shared>yes))?(?: port=(?P<port>[0-9]{1,5}))?"
                     r"(?: records=(?P<records>\S*))?(?: pending=(?P<pending>\S*))?$")


@dataclass(frozen=True)
class Claim:
    """One parsed ownership marker."""

    record_id: str
    owner: str
    key: str
    type: str
    records: frozenset[str] | None = None
    """The ids the claim names; None for a marker written before markers named them (it claims
    every record of its type at the name)."""
    data: str = ""
    """The marker's text as it was read: what an undone hand-over writes back."""
    shared: bool = False
    """The owner contributes to a name other stacks may contribute to as well."""
    pending: frozenset[str] = frozenset()
    """Addresses a shared set is adding now: records of these it made may not be named yet."""
    port: int = 0
    """The port a shared name's contributor serves the origin on (its Services' NodePort), 0 unsaid."""

    def names(self, record_id: str) -> bool:
        return self.records is None or record_id in self.records

    def holds(self, record: DnsRecord) -> bool:
        """Names the record, or (a shared set mid-write) announced its address."""
        return self.names(str(record["id"])) or record["data"] in self.pending


def marker_name(name: str) -> str:
    return f"{MARKER_PREFIX}.{name}" if name else MARKER_PREFIX


def parking_name(name: str, record_id: str) -> str:
    """Where a re-timing parks one record of ``name`` (a name of its own: no mixed TTLs)."""
    label = f"{RETIME_PREFIX}-{record_id.replace('-', '')[:12]}"
    return f"{label}.{name}" if name else label


def marker_data(owner: str, key: str, type_: str, records: Iterable[str] = (), *, shared: bool = False,
                port: int = 0, pending: Iterable[str] = ()) -> str:
    """The marker's TXT data, quoted as Vultr stores TXT values."""
    text = f"heritage=cdn-ingress owner={owner}{f' set={key}' if key else ''} type={type_}"
    text += f"{' shared=yes' if shared else ''}{f' port={port}' if shared and port else ''}"
    text += f" records={','.join(sorted(records))}"
    waiting = ",".join(sorted(pending))
    return f'"{text}{f" pending={waiting}" if waiting else ""}"'


def parse_marker(record: DnsRecord | dict[str, Any]) -> Claim | None:
    if record.get("type") != "TXT":
        return None
    match = _MARKER.match(str(record.get("data", "")).strip('"'))
    if match is None:
        return None
    listed = match["records"]
    records = None if listed is None else frozenset(i for i in listed.split(",") if i)
    pending = frozenset(a for a in (match["pending"] or "").split(",") if a)
    return Claim(str(record["id"]), match["owner"], match["key"] or "", match["type"], records,
                 str(record.get("data", "")), bool(match["shared"]), pending, int(match["port"] or 0))


@dataclass
class NameView:
    """The records at one (name, type) as this set sees them."""

    mine: Claim | None = None
    siblings: list[Claim] = field(default_factory=list)
    foreign_claims: list[Claim] = field(default_factory=list)
    records: list[DnsRecord] = field(default_factory=list)
    parked: list[DnsRecord] = field(default_factory=list)
    """Records of this type a re-timing left at a parking name of this name."""

    @property
    def claims(self) -> list[Claim]:
        return ([self.mine] if self.mine else []) + self.siblings + self.foreign_claims

    @property
    def all_records(self) -> list[DnsRecord]:
        return self.records + self.parked


def view(zone: Iterable[DnsRecord], *, name: str, type_: str, owner: str, key: str) -> NameView:
    """Split the zone's records at ``name``/``type_`` and the markers that claim them."""
    out = NameView()
    for record in zone:
        if (record["name"], record["type"]) == (name, type_):
            out.records.append(record)
            continue
        if record["type"] == type_ and _PARKED.match(record["name"]) and \
                record["name"].partition(".")[2] == name:
            out.parked.append(record)
            continue
        if record["name"] != marker_name(name):
            continue
        claim = parse_marker(record)
        if claim is None or claim.type != type_:
            continue
        if owner and (claim.owner, claim.key) == (owner, key):
            out.mine = out.mine or claim
        elif owner and claim.owner == owner:
            out.siblings.append(claim)
        else:
            out.foreign_claims.append(claim)
    return out
