"""The component that wires Kubernetes outputs into the DNS and CDN resources.

Per backend Service: one ``DnsRecordSet`` ``<service>.<origin-domain>`` (one A record per origin
address). Per Ingress host + path: one ``DeliveryRule`` to that name and the Service's NodePort.
Per CDN Ingress: one ``IngressStatus`` once its rules exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi

from cdn_ingress import kube
from cdn_ingress.routes import Plan, Route
from cdn_ingress.settings import Settings
from cdn_ingress.status import IngressStatus
from edgio_provider import DeliveryRule, DeliveryRuleArgs
from vultr_provider import DnsRecordSet, DnsRecordSetArgs

COMPONENT_TYPE = "cdn-ingress:index:CdnIngressApp"


class CdnIngressApp(pulumi.ComponentResource):
    routes: pulumi.Output[dict[str, Any]]

    def __init__(self, name: str, *, plan: Plan, settings: Settings, origin_addresses: Sequence[str],
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(COMPONENT_TYPE, name, None, opts)
        self._settings = settings
        child = pulumi.ResourceOptions(parent=self)
        cdn_ingresses = {id(doc) for doc in plan.cdn_ingresses}
        self.objects = {
            (doc.kind, doc.namespace, doc.name): kube.declare(doc, skip_await=id(doc) in cdn_ingresses, opts=child)
            for doc in plan.documents
        }
        self.origins = {
            backend: self._origin(*backend, origin_addresses) for backend in plan.backend_services
        }
        self.rules = {route.key: self._rule(route) for route in plan.routes}
        self.statuses = [self._status(doc, plan) for doc in plan.cdn_ingresses] if settings.write_ingress_status else []
        self.routes = pulumi.Output.all(**{
            route.key: pulumi.Output.all(
                published_url=self.rules[route.key].published_url,
                origin=self.origins[(route.backend.namespace, route.backend.service)].fqdn,
                rule_uuid=self.rules[route.key].uuid,
            )
            for route in plan.routes
        })
        self.register_outputs({"routes": self.routes})

    def _object(self, kind: str, namespace: str, name: str) -> Any:
        return self.objects[(kind, namespace, name)]

    def _origin(self, namespace: str, service: str, addresses: Sequence[str]) -> DnsRecordSet:
        svc = self._object("Service", namespace, service)
        args = DnsRecordSetArgs(
            domain=self._settings.origin_domain,
            name=svc.metadata.apply(lambda m: m.name),
            addresses=list(addresses),
            ttl=self._settings.origin_ttl,
            adopt=self._settings.adopt_existing,
            owner=f"{pulumi.get_project()}/{pulumi.get_stack()}",
        )
        return DnsRecordSet(f"{namespace}/{service}", args, self._vendor_options())

    def _rule(self, route: Route) -> DeliveryRule:
        backend, options = route.backend, route.options
        if route.path_type == "Exact":
            pulumi.log.warn(f"{route.ingress.label}: path {route.path!r} has pathType Exact; CDN rules "
                            "match by path prefix, so it is published as a prefix", self)
        svc = self._object("Service", backend.namespace, backend.service)
        ingress = self._object("Ingress", route.ingress.namespace, route.ingress.name)
        node_port = svc.spec.apply(lambda spec, i=backend.port_index: spec.ports[i].node_port)
        args = DeliveryRuleArgs(
            shortname=options.shortname or self._settings.shortname,
            published_hostname=route.host,
            published_path=route.path,
            source_hostname=self.origins[(backend.namespace, backend.service)].fqdn,
            source_port=node_port,
            source_path=options.source_path,
            published_protocols=list(options.published_protocols),
            source_protocol=options.source_protocol,
            profile_name=options.profile or self._settings.profile,
            options=[dict(option) for option in options.options],
            adopt=self._settings.adopt_existing,
            wait_for_deploy=self._settings.wait_for_deploy,
            deploy_timeout_seconds=self._settings.deploy_timeout_seconds,
        )
        return DeliveryRule(route.key, args, self._vendor_options(depends_on=[ingress]))

    def _vendor_options(self, **extra: Any) -> pulumi.ResourceOptions:
        """Objects that live at a vendor take the stack's deletion safety (protect, retainOnDelete)."""
        return pulumi.ResourceOptions(parent=self, protect=self._settings.protect,
                                      retain_on_delete=self._settings.retain_on_delete, **extra)

    def _status(self, doc: Any, plan: Plan) -> IngressStatus:
        ingress = self._object("Ingress", doc.namespace, doc.name)
        own = [route for route in plan.routes if route.ingress is doc]
        return IngressStatus(
            kube.resource_name(doc),
            namespace=ingress.metadata.apply(lambda m: m.namespace),
            ingress=ingress.metadata.apply(lambda m: m.name),
            hostnames=sorted({route.host for route in own}),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.rules[r.key] for r in own]),
        )
