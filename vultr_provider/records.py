"""Bringing the records one set owns to the declared addresses and TTL without a gap.

Order matters for traffic: new records are created before unwanted ones go, so at every moment
at least one declared address resolves. Vultr refuses mixed TTLs within a (name, type) set, so a
TTL change moves each record but one to a name of its own, re-times it there and moves it back:
record ids never change (state stays true even when a step fails), and the one record left at the
name keeps answering. A step that fails brings every moved record back at the TTL the anchor has.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from vultr_provider.checks import sort_key
from vultr_provider.client import VultrClient
from vultr_provider.errors import VultrNotFound
from vultr_provider.ownership import parking_name
from vultr_provider.types import DnsRecord
from vultr_provider.zone import ZoneSnapshots


@dataclass
class SetWriter:
    client: VultrClient
    zones: ZoneSnapshots
    domain: str
    name: str
    type: str
    made: list[str] = field(default_factory=list)
    """Ids this writer created: what an undo removes."""

    # -- single writes, mirrored into the zone snapshot ------------------------------------------
    def create(self, data: str, ttl: int, known: set[str]) -> DnsRecord:
        return self.create_at(self.name, self.type, data, ttl, known)

    def create_at(self, name: str, type_: str, data: str, ttl: int, known: set[str]) -> DnsRecord:
        record = self.client.create_record(self.domain, name=name, type=type_, data=data, ttl=ttl,
                                           known_ids=known)
        self.made.append(str(record["id"]))
        self.zones.put(self.domain, record)
        return record

    def patch(self, record: DnsRecord, **changes: object) -> None:
        self.patch_id(str(record["id"]), **changes)
        record.update(changes)  # type: ignore[typeddict-item]

    def patch_id(self, record_id: str, **changes: object) -> None:
        self.client.update_record(self.domain, record_id, **changes)
        self.zones.patch(self.domain, record_id, **changes)

    def delete(self, record_id: str) -> None:
        with contextlib.suppress(VultrNotFound):  # gone already: the goal of a delete
            self.client.delete_record(self.domain, record_id)
        self.zones.drop(self.domain, record_id)

    # -- the set ---------------------------------------------------------------------------------
    def converge(self, owned: list[DnsRecord], addresses: list[str], ttl: int, known: set[str]
                 ) -> dict[str, str]:
        """Make the owned records exactly ``addresses`` at ``ttl``; returns address -> id."""
        self.unpark(owned)
        if any(r["ttl"] != ttl for r in owned):
            self.retime(owned, ttl, addresses)
        keep: dict[str, DnsRecord] = {}
        extra: list[DnsRecord] = []
        for record in sorted(owned, key=lambda r: str(r["id"])):
            if record["data"] in addresses and record["data"] not in keep:
                keep[record["data"]] = record
            else:  # not declared, or a second record of one address
                extra.append(record)
        for address in sorted(set(addresses) - set(keep), key=sort_key):
            keep[address] = self.create(address, ttl, known)
        for record in extra:  # only once every declared address has its record: no gap
            self.delete(str(record["id"]))
        return {address: str(keep[address]["id"]) for address in sorted(keep, key=sort_key)}

    def unpark(self, owned: list[DnsRecord]) -> None:
        """Records a failed re-time left at their parking names come home first."""
        parked = [r for r in owned if r["name"] != self.name]
        if parked:
            home = [r for r in owned if r["name"] == self.name]
            self._home(parked, home[0]["ttl"] if home else parked[0]["ttl"])

    def retime(self, owned: list[DnsRecord], ttl: int, addresses: list[str]) -> None:
        wanted = [r for r in owned if r["data"] in addresses]
        anchor = min(wanted or owned, key=lambda r: sort_key(r["data"]))
        others = [r for r in owned if r is not anchor]
        parked: list[DnsRecord] = []
        try:
            for record in others:
                self.patch(record, name=parking_name(self.name, str(record["id"])))
                parked.append(record)
            self.patch(anchor, ttl=ttl)
        finally:
            self._home(parked, anchor["ttl"])

    def _home(self, parked: list[DnsRecord], ttl: int) -> None:
        for record in parked:
            if record["ttl"] != ttl:
                self.patch(record, ttl=ttl)
            self.patch(record, name=self.name)

    def undo(self, attempted: set[str], known: set[str]) -> None:
        """Delete what this writer made, and any record with our name, type and one of the
        addresses tried that appeared meanwhile (a create whose answer was lost). Records there
        before it started (``known``) are never touched. Best effort, a few passes: the error the
        user must see is the one that made the undo necessary."""
        for _ in range(3):
            try:
                live = self.zones.records(self.domain, fresh=True)
                appeared = {str(r["id"]) for r in live if r["id"] not in known and r["data"] in attempted
                            and (r["name"], r["type"]) == (self.name, self.type)}
                live_ids = {str(r["id"]) for r in live}
                for record_id in sorted(((set(self.made) - known) | appeared) & live_ids):
                    self.delete(record_id)
                return
            except Exception:  # retried, then given up on purpose
                continue
