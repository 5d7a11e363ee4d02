"""The component that wires Kubernetes outputs into the DNS and CDN resources.

Per backend Service: the origin name ``<service>.<origin-domain>``, a ``DnsRecordSet`` of A records
for the IPv4 origin addresses and one of AAAA records for the IPv6 ones. Per Ingress host + path:
one ``DeliveryRule`` to that name and the Service's NodePort, created once the sets exist.
Per CDN Ingress: one ``IngressStatus`` once its rules exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from cdn_ingress import kube
from cdn_ingress.identity import StackIdentity
from cdn_ingress.nodes import by_record_type
from cdn_ingress.route_status import GatewayApiStatus
from cdn_ingress.routes import Plan, Route
from cdn_ingress.settings import Settings
from cdn_ingress.sources.httproute import RouteStatus
from cdn_ingress.status import IngressStatus
from edgio_provider import DeliveryRule, DeliveryRuleArgs, RuleDeployment
from vultr_provider import DnsRecordSet, DnsRecordSetArgs

COMPONENT_TYPE = "cdn-ingress:index:CdnIngressApp"


@dataclass(frozen=True)
class Origin:
    """The origin name of one backend Service: its A set, its AAAA set, or both."""

    sets: tuple[DnsRecordSet, ...]

    @property
    def fqdn(self) -> pulumi.Output[str]:
        """The name, depending on every set: a rule is only created once all of them exist."""
        return pulumi.Output.all(*[s.fqdn for s in self.sets]).apply(lambda names: str(names[0]))


class CdnIngressApp(pulumi.ComponentResource):
    routes: pulumi.Output[dict[str, Any]]

    def __init__(self, name: str, *, plan: Plan, settings: Settings, origin_addresses: Sequence[str],
                 shared: Mapping[tuple[str, str], int] | None = None,
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
        # A stack that only contributes origin addresses to names another stack routes to has no rule.
        routes = plan.routes if settings.manage_rules else []
        self.rules = {route.key: self._rule(route) for route in routes}
        self.deployments = {id(doc): self._deployment(doc, plan) for doc in plan.cdn_ingresses
                            if settings.wait_for_deploy and settings.manage_rules}
        self.statuses: list[pulumi.Resource] = []
        if settings.write_ingress_status and settings.manage_rules:
            self.statuses = [self._status(doc, plan) for doc in plan.cdn_ingresses if doc.kind == "Ingress"]
            self.statuses += [self._route_status(status, plan) for status in plan.route_statuses]
            self.statuses += [self._gateway_status(key, hosts, plan) for key, hosts in plan.gateway_hosts.items()]
        self.routes = pulumi.Output.all(**{
            route.key: pulumi.Output.all(
                published_url=self.rules[route.key].published_url,
                origin=self.origins[(route.backend.namespace, route.backend.service)].fqdn,
                rule_uuid=self.rules[route.key].uuid,
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

    def _rule(self, route: Route) -> DeliveryRule:
        backend, options = route.backend, route.options
        svc = self._object("Service", backend.namespace, backend.service)
        ingress = self._object(route.ingress.kind, route.ingress.namespace, route.ingress.name)
        index = backend.port_index
        node_port = svc.spec.apply(lambda spec: spec["ports"][index].get("nodePort"))
        args = DeliveryRuleArgs(
            shortname=options.shortname or self._settings.shortname,
            published_hostname=route.host,
            published_path=route.path,
            # The name from the Service, known in preview: a record set update (its outputs unknown
            # until it runs) must not show every rule of that origin as changing.
            source_hostname=svc.metadata.apply(lambda m: f"{m['name']}.{self._settings.origin_domain}"),
            source_port=node_port,
            source_path=options.source_path or route.path,
            published_protocols=list(options.published_protocols),
            source_protocol=options.source_protocol,
            profile_name=options.profile or self._settings.profile,
            options=[dict(option) for option in options.options],
            adopt=self._settings.adopt_existing,
            owner=self._owner,
        )
        origin = self.origins[(backend.namespace, backend.service)]
        return DeliveryRule(route.key, args, self._vendor_options(depends_on=[ingress, *origin.sets]))

    def _vendor_options(self, **extra: Any) -> pulumi.ResourceOptions:
        """Objects that live at a vendor take the stack's deletion safety (protect, retainOnDelete)."""
        return pulumi.ResourceOptions(parent=self, protect=self._settings.protect,
                                      retain_on_delete=self._settings.retain_on_delete, **extra)

    def _deployment(self, doc: Any, plan: Plan) -> RuleDeployment:
        """Waits for the Ingress's rules together: no rule write holds a worker while it deploys."""
        rules = [self.rules[route.key] for route in plan.routes if route.ingress is doc]
        entries = [pulumi.Output.all(uuid=r.uuid, version=r.version, shortname=r.shortname,
                                     label=r.published_url) for r in rules]
        # An Ingress keeps the name it always had; other kinds say theirs (an HTTPRoute may share a name).
        name = kube.resource_name(doc) if doc.kind == "Ingress" else f"{doc.kind}/{kube.resource_name(doc)}"
        return RuleDeployment(name, rules=pulumi.Output.all(*entries),
                              timeout_seconds=self._settings.deploy_timeout_seconds,
                              opts=pulumi.ResourceOptions(parent=self))

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
