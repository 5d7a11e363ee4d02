"""The HTTPRoute source: HTTPRoutes attached to Gateways of our class become ``Route``s, as
docs/gateway-api-contract.md says; a rule the CDN cannot serve is dropped with a warning and a
status condition, never served wrongly."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cdn_ingress.annotations import PREFIX, RuleOptions, parse_rule_options
from cdn_ingress.manifests import Document
from cdn_ingress.model import Findings, Route, is_fqdn, mapping
from cdn_ingress.sources.backends import Services
from cdn_ingress.sources.fields import unknown_fields
from cdn_ingress.sources.gateway_fields import HTTPROUTE
from cdn_ingress.sources.gateways import GROUP, V1, VERSIONS, Gateways, Listener, intersect
from cdn_ingress.sources.httproute_rules import RuleReader, ServedRule


@dataclass
class ParentStatus:
    """One ``status.parents[]`` entry of ours: the parentRef as written and its conditions."""

    parent_ref: dict[str, Any]
    accepted: bool
    reason: str
    message: str
    dropped: list[str] = field(default_factory=list)  # "rule <name or index>: why"

    def conditions(self) -> list[dict[str, str]]:
        out = [{"type": "Accepted", "status": str(self.accepted), "reason": self.reason, "message": self.message},
               {"type": "ResolvedRefs", "status": "True", "reason": "ResolvedRefs", "message": ""}]
        if self.accepted and self.dropped:
            out.append({"type": "PartiallyInvalid", "status": "True", "reason": "UnsupportedValue",
                        "message": "Dropped Rule " + "; ".join(self.dropped)})
        return out


@dataclass
class RouteStatus:
    route: Document
    parents: list[ParentStatus]


class HTTPRouteSource:
    def __init__(self, documents: list[Document], findings: Findings, services: Services, *,
                 default_host: str | None) -> None:
        self.documents = documents
        self.findings = findings
        self.gateways = Gateways(documents, findings)
        self.rules = RuleReader(findings, services)
        self.default_host = default_host
        self.statuses: list[RouteStatus] = []
        self.gateway_hosts: dict[tuple[str, str], set[str]] = {key: set() for key in self.gateways.listeners}

    def routes(self) -> list[Route]:
        routes: list[Route] = []
        for doc in self.documents:
            if doc.kind == "HTTPRoute" and str(doc.body.get("apiVersion")).startswith(GROUP + "/"):
                routes.extend(self.route_routes(doc))
        return routes

    def our_parents(self, doc: Document) -> Iterator[tuple[dict[str, Any], list[Listener]]]:
        refs = mapping(doc.body.get("spec")).get("parentRefs")
        for ref in refs if isinstance(refs, list) else []:
            ref = mapping(ref)
            if ref.get("group", GROUP) != GROUP or ref.get("kind", "Gateway") != "Gateway":
                continue
            key = (str(ref.get("namespace", doc.namespace)), str(ref.get("name")))
            if key in self.gateways.listeners:
                yield ref, self.gateways.listeners[key]

    def route_routes(self, doc: Document) -> list[Route]:
        parents = list(self.our_parents(doc))
        if not parents:
            return []  # another controller's route
        if doc.body.get("apiVersion") not in VERSIONS:
            self.findings.refuse(doc, "apiVersion", doc.body.get("apiVersion"), "the Gateway API CRDs (standard "
                                 f"channel) serve {list(VERSIONS)}")
            return []
        for at, value in unknown_fields(doc.body, HTTPROUTE):
            self.findings.refuse(doc, at, value, f"not a field of HTTPRoute {V1} (standard channel); the fields "
                                 "the CDN serves, warns or refuses are listed in docs/routes.md")
        if doc.body.get("status"):
            self.findings.warn(doc, "status", doc.body["status"], HTTPROUTE["status"].how)
        hostnames = mapping(doc.body.get("spec")).get("hostnames")
        if hostnames is not None and not isinstance(hostnames, list):
            self.findings.refuse(doc, "spec.hostnames", hostnames, "must be a list of hostnames")
        options, problems = parse_rule_options(mapping(doc.metadata.get("annotations")))
        for key, value, allowed in problems:
            self.findings.refuse(doc, f"metadata.annotations[{key!r}]", value, allowed)
        attached = [(ref, *self.attach(doc, ref, listeners)) for ref, listeners in parents]
        hosts: dict[str, set[str]] = {}
        for _, _, pairs in attached:
            for host, protocol in pairs:
                hosts.setdefault(host, set()).add(protocol)
        # A route no listener accepts publishes nothing: its rules and backends are not read.
        served, dropped = self.rules.read(doc) if hosts else ([], [])
        self.finish(doc, [status for _, status, _ in attached], served, dropped)
        for ref, _, pairs in attached if served else []:
            parent = (str(ref.get("namespace", doc.namespace)), str(ref.get("name")))
            self.gateway_hosts[parent].update(host for host, _ in pairs)
        return [route for host, protocols in hosts.items() for rule in served
                for route in self.host_routes(doc, host, protocols, rule, options)]

    def attach(self, doc: Document, ref: dict[str, Any], listeners: list[Listener]
               ) -> tuple[ParentStatus, list[tuple[str, str]]]:
        """The (host, protocol) pairs this parentRef publishes, and its status."""
        chosen = [li for li in listeners if ref.get("sectionName", li.name) == li.name
                  and ref.get("port", li.port) == li.port]
        if not chosen:
            return ParentStatus(ref, False, "NoMatchingParent", "no listener matches sectionName/port"), []
        allowed = [li for li in chosen if li.allows(doc, self.gateways.namespaces)]
        if not allowed:
            return ParentStatus(ref, False, "NotAllowedByListeners", "no listener's allowedRoutes admits the route"), []
        given = mapping(doc.body.get("spec")).get("hostnames")
        hostnames = [h for h in given if isinstance(h, str)] if isinstance(given, list) else []
        pairs = [(h, li.protocol) for li in allowed for h in intersect(li.hostname, hostnames)]
        if hostnames and not pairs:
            return ParentStatus(ref, False, "NoMatchingListenerHostname", "no hostname matches a listener's"), []
        return self.published(doc, ref, pairs, [li.protocol for li in allowed])

    def published(self, doc: Document, ref: dict[str, Any], pairs: list[tuple[str, str]], protocols: list[str]
                  ) -> tuple[ParentStatus, list[tuple[str, str]]]:
        if not pairs and self.default_host is None:
            message = "no hostname on the route or its listeners; set cdn-ingress:defaultHost"
            self.findings.warn(doc, "spec.hostnames", [], "nothing is published: " + message)
            return ParentStatus(ref, False, "UnsupportedValue", message), []
        pairs = pairs or [(str(self.default_host), p) for p in protocols]
        for host in sorted({h for h, _ in pairs if not is_fqdn(h)}):
            self.findings.warn(doc, "spec.hostnames", host, "a wildcard is not published: a CDN rule publishes "
                               "one FQDN; list the hosts")
        kept = [(h, p) for h, p in pairs if is_fqdn(h)]
        if not kept:
            return ParentStatus(ref, False, "UnsupportedValue", "only wildcard hostnames; list the hosts"), []
        return ParentStatus(ref, True, "Accepted", "published on the CDN"), kept

    def finish(self, doc: Document, statuses: list[ParentStatus], served: list[ServedRule],
               dropped: list[str]) -> None:
        for status in statuses:
            status.dropped = dropped
            if status.accepted and not served and dropped:
                status.accepted, status.reason = False, "UnsupportedValue"
                status.message = "no rule the CDN can serve: " + "; ".join(dropped)
        self.statuses.append(RouteStatus(doc, statuses))

    def host_routes(self, doc: Document, host: str, protocols: set[str], rule: ServedRule,
                    options: RuleOptions) -> Iterator[Route]:
        given = f"{PREFIX}published-protocols" in mapping(doc.metadata.get("annotations"))
        published = options.published_protocols if given else tuple(p for p in ("http", "https") if p in protocols)
        for path, path_type, at in rule.paths:
            chosen = RuleOptions(published_protocols=published, source_protocol=options.source_protocol,
                                 source_path=rule.source_path or options.source_path or path,
                                 profile=options.profile, shortname=options.shortname,
                                 options=options.options + rule.options, rules=options.rules)
            yield Route(doc, host, path, path_type, rule.backend, chosen, at)

