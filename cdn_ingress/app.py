"""The component that wires Kubernetes outputs into the DNS and CDN resources.

Per backend Service: the origin name ``<service>.<origin-domain>``, a ``DnsRecordSet`` of A records
for the IPv4 origin addresses and one of AAAA records for the IPv6 ones. Per host + path: the rule
of the stack's CDN (cdn_ingress/cdn/) to that name and the Service's NodePort, created once the
sets exist. Per route object: its status once its rules exist (and have deployed, where the CDN
deploys).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pulumi

from cdn_ingress import kube
from cdn_ingress.annotations import RULES
from cdn_ingress.cdn import Cdn, Origin, Wiring, cdn_for
from cdn_ingress.identity import StackIdentity
from cdn_ingress.manifests import Document
from cdn_ingress.model import mapping
from cdn_ingress.nodes import by_record_type
from cdn_ingress.route_status import GatewayApiStatus
from cdn_ingress.routes import Plan
from cdn_ingress.settings import Settings
from cdn_ingress.sources.httproute import RouteStatus
from cdn_ingress.status import IngressStatus
from vultr_provider import DnsRecordSet, DnsRecordSetArgs

COMPONENT_TYPE = "cdn-ingress:index:CdnIngressApp"
__all__ = ["COMPONENT_TYPE", "CdnIngressApp", "Origin"]


def ruled(plan: Plan, *, manage_rules: bool) -> Plan:
    """The part of the plan whose CDN rules this stack writes: none on a stack that only contributes
    origins (``cdn-ingress:manageRules: false``), and no route of an object annotated
    ``cdn-ingress.io/rules: "off"`` (another stack writes those rules); their origins stay. Every
    other status is written as before: a route with no rule to publish (detached from its Gateway)
    still says why, and a Gateway with no route still gets its own; a Gateway whose only hosts come
    from switched-off routes gets none (another stack publishes them)."""
    if not manage_rules:
        return replace(plan, routes=[], route_statuses=[], gateway_hosts={})
    routes = [r for r in plan.routes if r.options.rules]
    off = {r.host for r in plan.routes if not r.options.rules and r.ingress.kind == "HTTPRoute"}
    off -= {r.host for r in routes if r.ingress.kind == "HTTPRoute"}
    gateways = {key: [h for h in hosts if h not in off] for key, hosts in plan.gateway_hosts.items()}
    return replace(plan, routes=routes,
                   route_statuses=[s for s in plan.route_statuses if not _rules_off(s.route)],
                   gateway_hosts={k: h for k, h in gateways.items() if h or not plan.gateway_hosts[k]})


def _rules_off(doc: Document) -> bool:
    return mapping(doc.metadata.get("annotations")).get(RULES) == "off"


class CdnIngressApp(pulumi.ComponentResource):
    routes: pulumi.Output[dict[str, Any]]

    def __init__(self, name: str, *, plan: Plan, settings: Settings, origin_addresses: Sequence[str],
                 shared: Mapping[tuple[str, str], int] | None = None, cdn: Cdn | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(COMPONENT_TYPE, name, None, opts)
        self._settings = settings
        self._shared = dict(shared or {})  # (namespace, service) -> the NodePort of a shared origin name
        child = pulumi.ResourceOptions(parent=self)
        self._owner = StackIdentity("stack-identity", opts=child).owner()
        for warning in plan.warnings:  # fields served with a loss: shown, never silent
            pulumi.log.warn(str(warning), self)
        self.objects = kube.declare_all(plan.documents, skip_await=plan.controlled, opts=child)
        families = by_record_type(origin_addresses)
        self.origins = {
            backend: Origin(tuple(self._origin(*backend, rtype, found) for rtype, found in families.items()))
            for backend in plan.backend_services
        }
        # Origins come from every route; rules, deploys and statuses only from routes this stack writes.
        plan = ruled(plan, manage_rules=settings.manage_rules)
        routes = plan.routes
        self.cdn = cdn or cdn_for(settings)
        wiring = Wiring(settings, self._owner, self.objects, self.origins, self._vendor_options, self)
        published = self.cdn.publish(wiring, routes)
        self.rules, self.records = published.rules, published.records
        self.deployments = {id(doc): d for doc in plan.cdn_ingresses
                            for d in [self.cdn.deployment(wiring, doc, self._rules_of(doc, plan))] if d is not None}
        self.statuses: list[pulumi.Resource] = []
        if settings.write_ingress_status:
            self.statuses = [self._status(doc, plan) for doc in plan.cdn_ingresses if doc.kind == "Ingress"]
            self.statuses += [self._route_status(status, plan) for status in plan.route_statuses]
            self.statuses += [self._gateway_status(key, hosts, plan) for key, hosts in plan.gateway_hosts.items()]
        self.routes = pulumi.Output.all(**{
            route.key: pulumi.Output.all(
                published_url=published.urls[route.key],
                origin=self.origins[(route.backend.namespace, route.backend.service)].fqdn,
                **published.ids[route.key],
            )
            for route in routes
        })
        self.register_outputs({"routes": self.routes})

    def _object(self, kind: str, namespace: str, name: str) -> kube.KubeObject:
        return self.objects[(kind, namespace, name)]

    def _origin(self, namespace: str, service: str, record_type: str, addresses: Sequence[str]) -> DnsRecordSet:
        svc = self._object("Service", namespace, service)
        args = DnsRecordSetArgs(
            domain=self._settings.origin_domain,
            name=svc.metadata.apply(lambda m: m["name"]),
            addresses=list(addresses),
            type=record_type,
            ttl=self._settings.origin_ttl,
            adopt=self._settings.adopt_existing,
            owner=self._owner,
            set_key=f"{namespace}/{service}",
            shared=(namespace, service) in self._shared,
            port=self._shared.get((namespace, service), 0),
        )
        # The A set keeps the name it had before AAAA sets existed: no replacement of live records.
        name = f"{namespace}/{service}" if record_type == "A" else f"{namespace}/{service}/{record_type}"
        return DnsRecordSet(name, args, self._vendor_options())

    def _vendor_options(self, **extra: Any) -> pulumi.ResourceOptions:
        """Objects that live at a vendor take the stack's deletion safety (protect, retainOnDelete)."""
        return pulumi.ResourceOptions(parent=self, protect=self._settings.protect,
                                      retain_on_delete=self._settings.retain_on_delete, **extra)

    def _rules_of(self, doc: Any, plan: Plan) -> list[pulumi.CustomResource]:
        return [self.rules[route.key] for route in plan.routes if route.ingress is doc]

    def _status(self, doc: Any, plan: Plan) -> IngressStatus:
        ingress = self._object("Ingress", doc.namespace, doc.name)
        own = [route for route in plan.routes if route.ingress is doc]
        return IngressStatus(
            kube.resource_name(doc),
            namespace=ingress.metadata.apply(lambda m: m["namespace"]),
            ingress=ingress.metadata.apply(lambda m: m["name"]),
            hostnames=sorted({route.host for route in own}),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.rules[r.key] for r in own]
                                        + [d for d in [self.deployments.get(id(doc))] if d is not None]),
        )

    def _after(self, doc: Any, plan: Plan) -> pulumi.ResourceOptions:
        """A status is written once the object's rules exist (and have deployed, when waited for)."""
        rules = [self.rules[r.key] for r in plan.routes if r.ingress is doc]
        deployment = [d for d in [self.deployments.get(id(doc))] if d is not None]
        return pulumi.ResourceOptions(parent=self, depends_on=[*rules, *deployment])

    def _route_status(self, status: RouteStatus, plan: Plan) -> GatewayApiStatus:
        route = self._object("HTTPRoute", status.route.namespace, status.route.name)
        parents = [{"parentRef": p.parent_ref, "conditions": p.conditions()} for p in status.parents]
        return GatewayApiStatus(f"HTTPRoute/{kube.resource_name(status.route)}", plural="httproutes",
                                namespace=route.metadata.apply(lambda m: m["namespace"]),
                                name=route.metadata.apply(lambda m: m["name"]),
                                status={"parents": parents}, opts=self._after(status.route, plan))

    def _gateway_status(self, key: tuple[str, str], hosts: list[str], plan: Plan) -> GatewayApiStatus:
        gateway = self._object("Gateway", *key)
        conditions = [{"type": kind, "status": "True", "reason": kind, "message": "published on the CDN"}
                      for kind in ("Accepted", "Programmed")]
        rules = [self.rules[r.key] for r in plan.routes if r.ingress.kind == "HTTPRoute" and r.host in hosts]
        return GatewayApiStatus(f"Gateway/{key[0]}/{key[1]}", plural="gateways",
                                namespace=gateway.metadata.apply(lambda m: m["namespace"]),
                                name=gateway.metadata.apply(lambda m: m["name"]),
                                status={"addresses": [{"type": "Hostname", "value": h} for h in hosts],
                                        "conditions": conditions},
                                opts=pulumi.ResourceOptions(parent=self, depends_on=rules))
