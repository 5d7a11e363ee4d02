"""Deciding which records at a name one set may own, and writing (or taking back) its claim.

The decision is pure (``decide``); the claim is written before any address record and checked
again on a listing that began after the write (``verify``), so two stacks racing for one name end
with one owner: a claim that meets another owner's is withdrawn. Every claim write can be undone
(``withdraw``), so a failed create or update leaves no marker that no state owns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vultr_provider.errors import VultrConflict
from vultr_provider.ownership import MARKER_TTL, Claim, NameView, marker_data, marker_name
from vultr_provider.records import SetWriter
from vultr_provider.types import DnsRecord


@dataclass(frozen=True)
class StateClaim:
    """What the resource's state says about its claim (nothing at a create)."""

    record_ids: frozenset[str] = frozenset()
    marker_id: str = ""
    owner: str = ""
    key: str = ""

    @property
    def creating(self) -> bool:
        return not self.record_ids and not self.marker_id

    def is_ours(self, claim: Claim) -> bool:
        """The marker the state names, still as the state wrote it (an owner change rewrites it)."""
        return claim.record_id == self.marker_id and (claim.owner, claim.key) == (self.owner, self.key)


@dataclass
class Decision:
    owned: list[DnsRecord]
    """The records at the name (or parked) this set owns from now on."""
    taken: list[Claim] = field(default_factory=list)
    """Claims this set takes over: a sibling's (a hand-over), its own under an old identity, or with
    adopt everyone's. The first is rewritten to name this set, the others go once it converged."""


@dataclass
class ClaimStep:
    """What this run wrote to claim the name, and how to take it back."""

    marker_id: str | None
    data: str = ""
    """The marker's text as it stands now."""
    created: bool = False
    previous: str | None = None
    """A rewritten marker's text before the rewrite."""
    surplus: list[str] = field(default_factory=list)
    written_at: float | None = None
    """When the claim was written: the fresh check needs a listing that began after it."""


def decide(p: dict[str, Any], names: NameView, state: StateClaim) -> Decision:
    """The records this set may own; raises VultrConflict naming every record and claim it may not."""
    others = [c for c in names.claims if (c.owner, c.key) != (p["owner"], p["set_key"])]
    takeable = [c for c in others if (p["owner"] and c.owner == p["owner"]) or state.is_ours(c)]
    partners = [c for c in others if c not in takeable and p["shared"] and c.shared]
    foreign = [c for c in others if c not in takeable and c not in partners]
    if p["adopt"]:  # everything but what another contributor to a shared name holds
        return Decision([r for r in names.all_records if not _held(r, partners)], takeable + foreign)
    if foreign:
        theirs = [r for r in names.records if r["id"] not in state.record_ids]
        raise VultrConflict(conflict_message(p, theirs, foreign))
    allowed = set(state.record_ids)
    for claim in takeable:
        if claim.records is None and not state.is_ours(claim):
            raise VultrConflict(_legacy_message(p, claim))
        allowed |= claim.records or set()
    mine = names.mine
    if mine is not None:
        allowed |= mine.records or set()

    def ours(record: DnsRecord, at_name: bool) -> bool:
        """In state or a claim this set holds; or what a killed run of this set left: at a create
        everything (its marker was only kept after the name was checked free), at an update
        records of declared addresses."""
        if record["id"] in allowed:
            return True
        leftover = mine is not None and (state.creating or (at_name and record["data"] in p["addresses"]))
        return leftover and not _held(record, partners)

    strangers = [r for r in names.records if not ours(r, True) and not _held(r, partners)]
    if strangers:
        raise VultrConflict(conflict_message(p, strangers, []))
    ports = sorted({c.port for c in partners if c.port and p["port"] and c.port != p["port"]})
    if ports:
        raise VultrConflict(_port_message(p, ports, partners))
    timed = sorted({r["ttl"] for r in names.records if _held(r, partners) and r["ttl"] != p["ttl"]})
    if timed:
        raise VultrConflict(_ttl_message(p, timed, partners))
    return Decision([r for r in names.records if ours(r, True)] + [r for r in names.parked if ours(r, False)],
                    takeable)


def verify(p: dict[str, Any], fresh: NameView, step: ClaimStep, decision: Decision) -> Decision:
    """The decision again on a listing that began after the claim was written: any other claim or
    record that appeared meanwhile stops the run (with adopt it is taken too); on a shared name,
    other contributors' claims and the records they hold are theirs."""
    ours = {str(r["id"]) for r in decision.owned}
    gone = {c.record_id for c in decision.taken}
    claims = [c for c in fresh.claims if c.record_id != step.marker_id and c.record_id not in gone]
    partners = [c for c in claims if p["shared"] and c.shared and c.owner != p["owner"]]
    claims = [c for c in claims if c not in partners]
    if p["adopt"]:
        return Decision([r for r in fresh.all_records if not _held(r, partners)], decision.taken + claims)
    strangers = [r for r in fresh.records if str(r["id"]) not in ours and not _held(r, partners)]
    if strangers or claims:
        raise VultrConflict(conflict_message(p, strangers, claims))
    return Decision([r for r in fresh.all_records if str(r["id"]) in ours], decision.taken)


def write(writer: SetWriter, p: dict[str, Any], names: NameView, decision: Decision) -> ClaimStep:
    """This set's marker: kept, taken over (rewritten in one write), or written now, before any
    address record, so a run killed after its first record is still recognised as this set's. A
    shared set also announces the addresses it is about to add (``pending``), so the other
    contributors do not take those records for strangers before the marker names them."""
    if not p["owner"]:
        return ClaimStep(None)
    taken = [c.record_id for c in decision.taken]
    have = {r["data"] for r in decision.owned}
    pending = [a for a in p["addresses"] if a not in have] if p["shared"] else []
    data = marker_data(p["owner"], p["set_key"], p["type"], (str(r["id"]) for r in decision.owned),
                       shared=p["shared"], port=p["port"], pending=pending)
    mine = names.mine
    if mine is not None:
        if not pending:
            return ClaimStep(mine.record_id, mine.data, surplus=taken)
        writer.patch_id(mine.record_id, data=data)
        return ClaimStep(mine.record_id, data, previous=mine.data, surplus=taken)
    with writer.zones.writing(writer.domain):  # the check after it shares a listing with claims in flight
        if decision.taken:
            first = decision.taken[0]
            writer.patch_id(first.record_id, data=data)
            return ClaimStep(first.record_id, data, previous=first.data, surplus=taken[1:],
                             written_at=writer.zones.now())
        # No record holds this data yet (else it would be ours): a lost answer is found by data.
        record = writer.create_at(marker_name(p["name"]), "TXT", data, MARKER_TTL, set())
        return ClaimStep(str(record["id"]), data, created=True, written_at=writer.zones.now())


def finish(writer: SetWriter, p: dict[str, Any], step: ClaimStep, owned: dict[str, str]) -> None:
    """The marker names exactly the records the set ends with; claims taken over go last."""
    if step.marker_id is None:
        return
    data = marker_data(p["owner"], p["set_key"], p["type"], owned.values(), shared=p["shared"], port=p["port"])
    if data != step.data:
        writer.patch_id(step.marker_id, data=data)
        step.data = data
    for record_id in step.surplus:
        writer.delete(record_id)


def withdraw(writer: SetWriter, step: ClaimStep) -> None:
    """Take back what ``write`` did: a new marker goes, a rewritten one gets its text back."""
    if step.marker_id is None:
        return
    if step.created:
        writer.delete(step.marker_id)
    elif step.previous is not None:
        writer.patch_id(step.marker_id, data=step.previous)


def _held(record: DnsRecord, partners: list[Claim]) -> bool:
    return any(c.holds(record) for c in partners)


def conflict_message(p: dict[str, Any], others: list[DnsRecord], claims: list[Claim]) -> str:
    fqdn = f"{p['name']}.{p['domain']}" if p["name"] else str(p["domain"])
    parts = [f"id={r['id']} {fqdn} {r['type']} {r['data']}" for r in others]
    parts += [f"id={c.record_id} {marker_name(p['name'])} TXT (claimed by owner {c.owner} set {c.key or '-'}"
              f"{', shared' if c.shared else ''})" for c in claims]
    message = (f"{fqdn} {p['type']} holds records this set does not own: {', '.join(parts)}; they would "
               "join its round robin. Remove them, or set adopt (cdn-ingress:adoptExisting) to take them over "
               "and make the set exactly as declared")
    if p["shared"] and any(not c.shared for c in claims):
        message += ("; a shared origin name needs every owner at the name to share it, and "
                    + ", ".join(sorted({c.owner for c in claims if not c.shared})) + " does not")
    elif any(c.shared for c in claims):
        message += "; the name is shared by its owners: this set may join only when it is shared too"
    return message


def _legacy_message(p: dict[str, Any], claim: Claim) -> str:
    return (f"{marker_name(p['name'])}.{p['domain']} TXT id={claim.record_id} (set {claim.key or '-'} of this "
            "stack) was written before markers named their records, so the records it owns cannot be told "
            "from others at the name. Run `pulumi up` once without moving the Service (any change of that set "
            "rewrites its marker), or set adopt (cdn-ingress:adoptExisting) to take every record at the name")


def _ttl_message(p: dict[str, Any], ttls: list[int], partners: list[Claim]) -> str:
    owners = ", ".join(sorted({c.owner for c in partners}))
    return (f"shared origin name {p['name']}.{p['domain']} {p['type']} answers with TTL "
            f"{', '.join(map(str, ttls))} (records of {owners}), this set asks for ttl={p['ttl']}: Vultr keeps one "
            "TTL per name, so every stack sharing it must set the same originTtl")


def _port_message(p: dict[str, Any], ports: list[int], partners: list[Claim]) -> str:
    owners = ", ".join(sorted(f"{c.owner} (port {c.port})" for c in partners if c.port in ports))
    return (f"shared origin name {p['name']}.{p['domain']} is served on another port by {owners}, this set "
            f"on port={p['port']}: the CDN rule sends every request to one port, so every cluster sharing the "
            "name must give its Service the same explicit nodePort")
