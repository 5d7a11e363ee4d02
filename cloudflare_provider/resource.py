"""The ``DnsRecord`` and ``OriginRule`` resources: a record in the stack's Cloudflare zone, and one
Origin Rule sending host + path to an origin name of the zone and a port."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from cloudflare_provider.provider import DnsRecordProvider
from cloudflare_provider.rule_provider import OriginRuleProvider


@dataclass(frozen=True)
class DnsRecordArgs:
    name: pulumi.Input[str]
    """The record's FQDN, inside the zone."""
    content: pulumi.Input[str]
    """A host name for a CNAME, an address for A / AAAA."""
    type: pulumi.Input[str] = "CNAME"
    proxied: pulumi.Input[bool] = True
    """Published hosts are proxied (traffic through Cloudflare); origin aliases are not."""
    ttl: pulumi.Input[int] = 1
    """1 = automatic (always for a proxied record), else 60..86400."""
    zone: pulumi.Input[str] = ""
    """Zone id or name; empty = ``cloudflare:zoneId`` / ``cloudflare:zoneName``."""
    adopt: pulumi.Input[bool] = False
    """Take over records at this name that are not this stack's instead of failing."""
    owner: pulumi.Input[str] = ""
    """The stack instance (``<project>/<stack>/<token>``) the record's comment names."""


@dataclass(frozen=True)
class OriginRuleArgs:
    host: pulumi.Input[str]
    """The published host (a proxied record of the zone)."""
    path: pulumi.Input[str]
    origin_host: pulumi.Input[str]
    """The origin alias: a CNAME of the zone to the origin name (a DNS record override must stay in
    the zone)."""
    origin_port: pulumi.Input[int]
    """The Service's NodePort."""
    match: pulumi.Input[str] = "prefix"
    """``prefix`` (Kubernetes Prefix: the path and everything under it) or ``exact``."""
    host_header: pulumi.Input[str] = ""
    """Empty keeps the request's Host header (the published host)."""
    sni: pulumi.Input[str] = ""
    rewrite_path: pulumi.Input[str] = ""
    """Must stay empty: an Origin Rule cannot rewrite the path (refused in check)."""
    request_headers: pulumi.Input[Mapping[str, str]] | None = None
    """Must stay empty: an Origin Rule cannot set headers (refused in check)."""
    response_headers: pulumi.Input[Mapping[str, str]] | None = None
    options: pulumi.Input[Sequence[Mapping[str, Any]]] = ()
    """Edgio options: any is refused in check with its name."""
    zone: pulumi.Input[str] = ""
    adopt: pulumi.Input[bool] = False
    owner: pulumi.Input[str] = ""


class DnsRecord(Resource, module="cloudflare", name="DnsRecord"):
    """One DNS record of the zone, owned by id."""

    name: pulumi.Output[str]
    type: pulumi.Output[str]
    content: pulumi.Output[str]
    proxied: pulumi.Output[bool]
    owner: pulumi.Output[str]
    zone_id: pulumi.Output[str]
    modified_on: pulumi.Output[str]
    """Cloudflare's ``modified_on`` as last written or refreshed."""

    def __init__(self, resource_name: str, args: DnsRecordArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        props: dict[str, Any] = {f.name: getattr(args, f.name) for f in fields(args)}
        props.update(zone_id=None, modified_on=None)
        super().__init__(DnsRecordProvider(), resource_name, props, opts)


class OriginRule(Resource, module="cloudflare", name="OriginRule"):
    """One rule of the zone's ``http_request_origin`` phase, owned by id."""

    host: pulumi.Output[str]
    path: pulumi.Output[str]
    match: pulumi.Output[str]
    origin_host: pulumi.Output[str]
    origin_port: pulumi.Output[int]
    owner: pulumi.Output[str]
    zone_id: pulumi.Output[str]
    ruleset_id: pulumi.Output[str]
    ref: pulumi.Output[str]
    version: pulumi.Output[str]
    expression: pulumi.Output[str]
    published_url: pulumi.Output[str]
    """``https://<host><path>``, for the Ingress status and the stack outputs."""

    def __init__(self, resource_name: str, args: OriginRuleArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        props: dict[str, Any] = {f.name: getattr(args, f.name) for f in fields(args)}
        props["options"] = list(props["options"]) if isinstance(props["options"], tuple) else props["options"]
        for key in ("request_headers", "response_headers"):
            props[key] = {} if props[key] is None else props[key]
        props.update(zone_id=None, ruleset_id=None, ref=None, version=None, expression=None, published_url=None)
        super().__init__(OriginRuleProvider(), resource_name, props, opts)
