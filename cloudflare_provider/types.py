"""Wire shapes of the Cloudflare API v4 objects the provider reads (docs/api/cloudflare.md)."""

from __future__ import annotations

from typing import Any, TypedDict


class DnsRecordWire(TypedDict, total=False):
    id: str
    name: str
    type: str
    content: str
    proxied: bool
    ttl: int
    comment: str | None
    tags: list[str]
    modified_on: str


class OriginWire(TypedDict, total=False):
    host: str
    port: int


class RouteParametersWire(TypedDict, total=False):
    host_header: str
    origin: OriginWire
    sni: dict[str, str]


class RuleWire(TypedDict, total=False):
    id: str
    ruleset_id: str  # not on the wire: the ruleset the rule was found in
    ref: str
    version: str
    action: str
    action_parameters: RouteParametersWire
    expression: str
    description: str
    enabled: bool
    position: dict[str, Any]


class RulesetWire(TypedDict, total=False):
    id: str
    name: str
    kind: str
    phase: str
    version: str
    rules: list[RuleWire]
