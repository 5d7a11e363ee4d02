"""From manifests to CDN routes: each source (cdn_ingress/sources/) turns its objects into
``Route``s; ``plan()`` joins them, pure: no I/O, no Pulumi.

``plan()`` validates everything first and raises one ManifestError listing every problem, so a
bad manifest stops ``pulumi preview`` before any resource is registered. Warnings (a field served
with a loss) travel in the ``Plan`` for the program to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cdn_ingress.errors import ManifestError, Problem
from cdn_ingress.manifests import Document
from cdn_ingress.model import Backend, Findings, Route, is_fqdn
from cdn_ingress.objects import check_object, cluster_scoped_kinds, namespace_of
from cdn_ingress.sources.backends import Services
from cdn_ingress.sources.httproute import HTTPRouteSource, RouteStatus
from cdn_ingress.sources.ingress import IngressSource

__all__ = ["DEFAULT_CLASS", "Backend", "Plan", "Route", "is_fqdn", "plan"]
DEFAULT_CLASS = "edgio"


@dataclass(frozen=True)
class Plan:
    documents: list[Document]  # as declared: a legacy CDN Ingress in its v1 form
    routes: list[Route]
    warnings: list[Problem] = field(default_factory=list)
    route_statuses: list[RouteStatus] = field(default_factory=list)  # of our HTTPRoutes
    gateway_hosts: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # our Gateways' published hosts

    @property
    def cdn_ingresses(self) -> list[Document]:
        """Every object that routes come from: Ingresses and HTTPRoutes."""
        seen: dict[int, Document] = {}
        for route in self.routes:
            seen.setdefault(id(route.ingress), route.ingress)
        return list(seen.values())

    @property
    def controlled(self) -> set[int]:
        """Ids of the objects whose status the program writes: no other controller would."""
        owned = [d for d in self.documents if d.kind == "Gateway" and (d.namespace, d.name) in self.gateway_hosts]
        return {id(d) for d in self.cdn_ingresses + owned + [s.route for s in self.route_statuses]}

    @property
    def backend_services(self) -> list[tuple[str, str]]:
        return list(dict.fromkeys((r.backend.namespace, r.backend.service) for r in self.routes))


def check_objects(documents: list[Document], findings: Findings) -> None:
    seen: dict[tuple[str, str, str], Document] = {}
    cluster = cluster_scoped_kinds(documents)
    for doc in documents:
        before = len(findings.problems)
        check_object(doc, findings.refuse)
        if len(findings.problems) > before or not doc.name:
            continue
        identity = (doc.kind, namespace_of(doc, cluster) or "", doc.name)
        if identity in seen:
            first = seen[identity]
            findings.refuse(doc, "metadata.name", doc.name, f"names must be unique per kind and namespace; "
                            f"also declared in {first.file} at line {first.line}")
        seen.setdefault(identity, doc)


def check_unique(routes: list[Route], findings: Findings) -> None:
    claimed: dict[str, Route] = {}
    for route in routes:
        first = claimed.setdefault(route.key, route)
        if first is route:
            continue
        if first.ingress is route.ingress:
            findings.refuse(route.ingress, route.at, route.key,
                            f"the same host + path as {first.at} of this object; each host + path is one "
                            "CDN rule: keep one of the two")
        else:
            findings.refuse(route.ingress, "host+path", route.key,
                            f"already claimed by {first.ingress.label} in {first.ingress.file}; "
                            "each host + path may belong to one Ingress or HTTPRoute only")
    origins: dict[str, str] = {}
    for route in routes:
        namespace = origins.setdefault(route.backend.service, route.backend.namespace)
        if namespace != route.backend.namespace:
            findings.refuse(route.ingress, "backend.service.name", route.backend.service,
                            f"a Service of that name in namespace {namespace!r} is a CDN backend too; "
                            "origin names are <service>.<origin-domain>, so they must differ")


def plan(documents: list[Document], ingress_class: str = DEFAULT_CLASS, *, default_host: str | None = None,
         refuse: Callable[[list[Route]], list[Problem]] | None = None, exact_paths: bool = False) -> Plan:
    """Validate the documents and derive the CDN routes; raises ManifestError on any problem,
    with those ``refuse`` finds in the routes (what the stack's CDN cannot serve). ``exact_paths``:
    the CDN matches an Exact path exactly, so no warning calls it a prefix."""
    findings = Findings(exact_paths=exact_paths)
    check_objects(documents, findings)
    ingresses = IngressSource(documents, findings, ingress_class=ingress_class, default_host=default_host)
    httproutes = HTTPRouteSource(documents, findings, Services(documents, findings), default_host=default_host)
    routes = ingresses.routes() + httproutes.routes()
    check_unique(routes, findings)
    findings.problems += refuse(routes) if refuse else []
    if findings.problems:
        raise ManifestError(findings.problems)
    declared = [ingresses.declared_as.get(id(doc), doc) for doc in documents]
    hosts = {key: sorted(found) for key, found in httproutes.gateway_hosts.items()}
    return Plan(declared, routes, findings.warnings, httproutes.statuses, hosts)
