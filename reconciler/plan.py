"""What a pass does, from the nodes' addresses and the record sets in the stack's state (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cdn_ingress.nodes import by_record_type

RECORD_SET_TYPE = "pulumi-python:dynamic/vultr:DnsRecordSet"
NONE, KEEP, TARGETED, FULL, UNDEPLOYED = "none", "keep", "targeted", "full", "undeployed"


@dataclass(frozen=True)
class RecordSet:
    """One origin record set as the stack's last run left it."""

    urn: str
    fqdn: str
    type: str
    """``A`` or ``AAAA``."""
    addresses: tuple[str, ...]

    @property
    def name(self) -> str:
        """What damping counts writes by: the DNS name and its record type."""
        return f"{self.fqdn} {self.type}"


@dataclass(frozen=True)
class Decision:
    action: str
    """``none`` (DNS already right), ``keep`` (no usable address: nothing runs), ``targeted`` (an
    ``up`` of ``targets`` only), ``full`` (an ``up`` of the whole program) or ``undeployed`` (the
    stack has no resources: nothing runs, its first deploy is not the reconciler's)."""
    targets: tuple[RecordSet, ...]
    reason: str


def record_sets(resources: Sequence[dict[str, Any]]) -> list[RecordSet]:
    """The DnsRecordSets among a stack export's resources (deleted ones and pending ones left out)."""
    found = []
    for res in resources:
        if res.get("type") != RECORD_SET_TYPE or res.get("delete"):
            continue
        outs = res.get("outputs") or {}
        found.append(RecordSet(urn=str(res["urn"]), fqdn=str(outs.get("fqdn", "")), type=str(outs.get("type", "A")),
                               addresses=tuple(str(a) for a in outs.get("addresses") or [])))
    return found


def decide(desired: Sequence[str], sets: Sequence[RecordSet], *, deployed: bool = True) -> Decision:
    """Which run brings the record sets to ``desired`` (the nodes' addresses, as the program reads
    them); ``deployed``: the stack's state holds any resource."""
    if not deployed:
        return Decision(UNDEPLOYED, (), "the stack has no resources: its first deploy is `pulumi up` (make up), "
                                        "not the reconciler's")
    if not desired:
        return Decision(KEEP, (), "no Ready, uncordoned node has an address: the records stay as they are")
    if not sets:
        return Decision(FULL, (), "no origin record set is in the stack's state yet")
    families = by_record_type(desired)
    have = {s.type for s in sets}
    if have != set(families):
        return Decision(FULL, (), f"record types change from {sorted(have)} to {sorted(families)}")
    changed = tuple(s for s in sets if sorted(by_record_type(s.addresses).get(s.type, [])) != families[s.type])
    if not changed:
        return Decision(NONE, (), f"DNS already holds {', '.join(desired)}")
    names = ", ".join(s.name for s in changed)
    return Decision(TARGETED, changed, f"{names} -> {', '.join(desired)}")
