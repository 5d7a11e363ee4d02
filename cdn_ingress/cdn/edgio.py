"""Edgio behind the seam: per route one ``DeliveryRule`` to the origin name and NodePort, and per
route object one ``RuleDeployment`` that waits until its rules report COMPLETED."""

from __future__ import annotations

from typing import Any

import pulumi

from cdn_ingress import kube
from cdn_ingress.cdn.base import Published, Wiring
from cdn_ingress.errors import Problem
from cdn_ingress.manifests import Document
from cdn_ingress.model import Route
from edgio_provider import DeliveryRule, DeliveryRuleArgs, RuleDeployment


class Edgio:
    """Serves every route option the sources produce: nothing to refuse."""

    exact_paths = False  # a Delivery Rule matches by prefix

    def refusals(self, routes: list[Route]) -> list[Problem]:
        return []

    def publish(self, wiring: Wiring, routes: list[Route]) -> Published:
        published = Published()
        for route in routes:
            rule = _rule(wiring, route)
            published.rules[route.key] = rule
            published.urls[route.key] = rule.published_url
            published.ids[route.key] = {"rule_uuid": rule.uuid}
        return published

    def deployment(self, wiring: Wiring, doc: Document, rules: list[pulumi.CustomResource]
                   ) -> pulumi.Resource | None:
        """Waits for the object's rules together: no rule write holds a worker while it deploys."""
        if not wiring.settings.wait_for_deploy:
            return None
        entries = [pulumi.Output.all(uuid=r.uuid, version=r.version, shortname=r.shortname, label=r.published_url)
                   for r in rules if isinstance(r, DeliveryRule)]
        # An Ingress keeps the name it always had; other kinds say theirs (an HTTPRoute may share a name).
        name = kube.resource_name(doc) if doc.kind == "Ingress" else f"{doc.kind}/{kube.resource_name(doc)}"
        return RuleDeployment(name, rules=pulumi.Output.all(*entries),
                              timeout_seconds=wiring.settings.deploy_timeout_seconds,
                              opts=pulumi.ResourceOptions(parent=wiring.parent))


def _rule(wiring: Wiring, route: Route) -> DeliveryRule:
    backend, options, settings = route.backend, route.options, wiring.settings
    svc = wiring.service(backend)
    args = DeliveryRuleArgs(
        shortname=options.shortname or settings.shortname,
        published_hostname=route.host,
        published_path=route.path,
        # The name from the Service, known in preview: a record set update (its outputs unknown
        # until it runs) must not show every rule of that origin as changing.
        source_hostname=svc.metadata.apply(lambda m: f"{m['name']}.{settings.origin_domain}"),
        source_port=wiring.node_port(backend),
        source_path=options.source_path or route.path,
        published_protocols=list(options.published_protocols),
        source_protocol=options.source_protocol,
        profile_name=options.profile or settings.profile,
        options=[dict(option) for option in options.options],
        adopt=settings.adopt_existing,
        owner=wiring.owner,
    )
    depends: list[Any] = [wiring.object_of(route.ingress), *wiring.origin(backend).sets]
    return DeliveryRule(route.key, args, wiring.vendor_options(depends_on=depends))
