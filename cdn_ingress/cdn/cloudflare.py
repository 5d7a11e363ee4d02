"""Cloudflare behind the seam: per origin name one unproxied CNAME of the zone to it (an Origin
Rule's DNS override must name a host of the zone), per published host one proxied record, per
route one Origin Rule to the alias and the NodePort. Rules take effect at once: no deployment
wait; a status is written once the rule and its host record exist (docs/api/cloudflare.md)."""

from __future__ import annotations

from typing import Any

import pulumi

from cdn_ingress.cdn.base import Published, Wiring
from cdn_ingress.cdn.cloudflare_refusals import refusals
from cdn_ingress.errors import Problem
from cdn_ingress.manifests import Document
from cdn_ingress.model import Backend, Route
from cloudflare_provider import DnsRecord, DnsRecordArgs, OriginRule, OriginRuleArgs, origin_alias


class Cloudflare:
    exact_paths = True  # an Origin Rule's expression can match one path exactly

    def __init__(self, zone: str) -> None:
        self.zone = zone

    def refusals(self, routes: list[Route]) -> list[Problem]:
        return refusals(routes, self.zone)

    def publish(self, wiring: Wiring, routes: list[Route]) -> Published:
        published = Published()
        backends = {(r.backend.namespace, r.backend.service): r.backend for r in routes}  # each once
        aliases = {key: self._alias(wiring, backend) for key, backend in backends.items()}
        hosts = {host: self._host(wiring, host, routes, aliases) for host in dict.fromkeys(r.host for r in routes)}
        published.records = [*aliases.values(), *hosts.values()]
        for route in routes:
            alias = aliases[(route.backend.namespace, route.backend.service)]
            rule = self._rule(wiring, route, alias, hosts[route.host])
            published.rules[route.key] = rule
            published.urls[route.key] = rule.published_url
            published.ids[route.key] = {"rule_id": rule.id}
        return published

    def deployment(self, wiring: Wiring, doc: Document, rules: list[pulumi.CustomResource]
                   ) -> pulumi.Resource | None:
        return None  # an Origin Rule is live once written: nothing to wait for

    def _origin_name(self, wiring: Wiring, backend: Backend) -> str:
        return f"{backend.service}.{wiring.settings.origin_domain}"

    def _args(self, wiring: Wiring, **values: Any) -> dict[str, Any]:
        return {**values, "zone": self.zone, "adopt": wiring.settings.adopt_existing, "owner": wiring.owner}

    def _alias(self, wiring: Wiring, backend: Backend) -> DnsRecord:
        origin = self._origin_name(wiring, backend)
        args = DnsRecordArgs(**self._args(wiring, name=origin_alias(origin, self.zone), content=origin,
                                          type="CNAME", proxied=False))
        return DnsRecord(f"alias/{backend.namespace}/{backend.service}", args,
                         wiring.vendor_options(depends_on=[*wiring.origin(backend).sets]))

    def _host(self, wiring: Wiring, host: str, routes: list[Route], aliases: dict[tuple[str, str], DnsRecord]
              ) -> DnsRecord:
        """Proxied to the alias of the host's '/' route (any of its routes when it has none): the
        record only has to exist for Cloudflare to proxy the host; the rules choose the origin."""
        own = sorted((r for r in routes if r.host == host), key=lambda r: (r.path != "/", r.path))
        backend = own[0].backend
        alias = aliases[(backend.namespace, backend.service)]
        args = DnsRecordArgs(**self._args(wiring, name=host, content=origin_alias(
            self._origin_name(wiring, backend), self.zone), type="CNAME", proxied=True))
        return DnsRecord(f"host/{host}", args, wiring.vendor_options(depends_on=[alias]))

    def _rule(self, wiring: Wiring, route: Route, alias: DnsRecord, host: DnsRecord) -> OriginRule:
        backend = route.backend
        args = OriginRuleArgs(**self._args(
            wiring, host=route.host, path=route.path, origin_host=origin_alias(self._origin_name(wiring, backend),
                                                                               self.zone),
            origin_port=wiring.node_port(backend), match="exact" if route.path_type == "Exact" else "prefix"))
        depends: list[Any] = [wiring.object_of(route.ingress), alias, host, *wiring.origin(backend).sets]
        return OriginRule(route.key, args, wiring.vendor_options(depends_on=depends))
