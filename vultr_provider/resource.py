"""The ``DnsRecordSet`` resource: ``<name>.<domain>`` with one record per address."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi.dynamic import Resource

from vultr_provider.provider import DnsRecordSetProvider


@dataclass(frozen=True)
class DnsRecordSetArgs:
    domain: pulumi.Input[str]
    """The Vultr DNS zone, e.g. ``origin.example.com``."""
    name: pulumi.Input[str]
    """Name relative to the zone; ``""`` is the apex."""
    addresses: pulumi.Input[Sequence[pulumi.Input[str]]]
    """One record per address (round robin)."""
    type: pulumi.Input[str] = "A"
    """``A`` or ``AAAA``."""
    ttl: pulumi.Input[int] = 120
    """Seconds, 60..86400; one TTL for the whole set."""
    adopt: pulumi.Input[bool] = False
    """Take over existing records with the same name, type and data instead of failing."""
    owner: pulumi.Input[str] = ""
    """Who owns the set: the stack instance (``<project>/<stack>/<token>``). When set, a TXT marker
    ``_cdn-ingress.<name>`` records the claim, so a run killed halfway is repaired by the next one
    and records of other owners are a conflict."""
    set_key: pulumi.Input[str] = ""
    """Which of the owner's sets this is (the program passes the resource name): two sets of one
    owner at one name, as while a Service moves between namespaces, never share records."""
    shared: pulumi.Input[bool] = False
    """Several owners (stacks of other clusters) may contribute addresses to this name, each its
    own records and marker; refused unless every owner at the name sets it."""


class DnsRecordSet(Resource, module="vultr", name="DnsRecordSet"):
    """A round-robin name on Vultr DNS that owns exactly the records it created (or adopted)."""

    domain: pulumi.Output[str]
    name: pulumi.Output[str]
    type: pulumi.Output[str]
    addresses: pulumi.Output[list[str]]
    ttl: pulumi.Output[int]
    adopt: pulumi.Output[bool]
    fqdn: pulumi.Output[str]
    """``<name>.<domain>``."""
    record_ids: pulumi.Output[dict[str, str]]
    """Record id per address: what this resource owns."""
    owner: pulumi.Output[str]
    set_key: pulumi.Output[str]
    shared: pulumi.Output[bool]
    marker_id: pulumi.Output[str]
    """Id of the TXT ownership marker ('' without an owner)."""

    def __init__(self, resource_name: str, args: DnsRecordSetArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props = {"domain": args.domain, "name": args.name, "addresses": args.addresses,
                 "type": args.type, "ttl": args.ttl, "adopt": args.adopt, "owner": args.owner,
                 "set_key": args.set_key, "shared": args.shared, "fqdn": None, "record_ids": None, "marker_id": None}
        super().__init__(DnsRecordSetProvider(), resource_name, props, opts)
