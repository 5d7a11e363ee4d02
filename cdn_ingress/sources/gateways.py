"""GatewayClasses and Gateways of our controller, and their listeners (docs/gateway-api-contract.md
§1-2): which routes a listener accepts and on which hosts and protocols it publishes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cdn_ingress.manifests import Document
from cdn_ingress.model import Findings, is_fqdn, mapping
from cdn_ingress.sources.fields import unknown_fields
from cdn_ingress.sources.gateway_fields import GATEWAY, GATEWAY_CLASS
from cdn_ingress.sources.ingress_class import CONTROLLER

GROUP = "gateway.networking.k8s.io"
V1 = f"{GROUP}/v1"
VERSIONS = (V1, f"{GROUP}/v1beta1")  # both served by the standard CRDs, with the same schema
PROTOCOLS = {"HTTP": "http", "HTTPS": "https"}
STANDARD_PORTS = {"HTTP": 80, "HTTPS": 443}


@dataclass(frozen=True)
class Listener:
    gateway: Document
    index: int
    name: str
    hostname: str | None
    port: Any
    protocol: str  # 'http' or 'https'
    allowed_from: str
    selector: dict[str, str]
    kinds_ok: bool

    def allows(self, route: Document, namespaces: dict[str, dict[str, str]]) -> bool:
        if not self.kinds_ok:
            return False
        if self.allowed_from == "All":
            return True
        if self.allowed_from == "Same":
            return route.namespace == self.gateway.namespace
        labels = namespaces.get(route.namespace, {})
        return self.allowed_from == "Selector" and all(labels.get(k) == v for k, v in self.selector.items())


class Gateways:
    """Our Gateways by (namespace, name), with their listeners; problems reported once."""

    def __init__(self, documents: list[Document], findings: Findings) -> None:
        self.findings = findings
        classes = [d for d in documents if d.kind == "GatewayClass" and d.body.get("apiVersion") in VERSIONS]
        ours = {d.name for d in classes if mapping(d.body.get("spec")).get("controllerName") == CONTROLLER}
        for doc in classes:
            if doc.name in ours:
                self._check(doc, GATEWAY_CLASS, "GatewayClass")
        self.listeners: dict[tuple[str, str], list[Listener]] = {}
        for doc in documents:
            class_name = mapping(doc.body.get("spec")).get("gatewayClassName")
            if doc.kind == "Gateway" and doc.body.get("apiVersion") in VERSIONS and \
                    isinstance(class_name, str) and class_name in ours:
                self._check(doc, GATEWAY, "Gateway")
                self.listeners[(doc.namespace, doc.name)] = list(self._listeners(doc))
        self.namespaces = {d.name: {k: str(v) for k, v in mapping(d.metadata.get("labels")).items()}
                           for d in documents if d.kind == "Namespace"}

    def _check(self, doc: Document, table: dict[str, Any], kind: str) -> None:
        for at, value in unknown_fields(doc.body, table):
            self.findings.refuse(doc, at, value, f"not a field of {kind} {V1} (standard channel); the fields "
                                 "the CDN serves, warns or refuses are listed in docs/routes.md")
        spec = mapping(doc.body.get("spec"))
        for key in ("parametersRef", "addresses", "allowedListeners", "tls"):
            if key in spec and f"spec.{key}" in table:
                self.findings.refuse(doc, f"spec.{key}", spec[key], table[f"spec.{key}"].how)
        if "infrastructure" in spec:
            self.findings.warn(doc, "spec.infrastructure", spec["infrastructure"], GATEWAY["spec.infrastructure"].how)
        if doc.body.get("status"):
            self.findings.warn(doc, "status", doc.body["status"], GATEWAY["status"].how)

    def _listeners(self, doc: Document) -> list[Listener]:
        listeners = mapping(doc.body.get("spec")).get("listeners")
        if not isinstance(listeners, list) or not listeners:
            self.findings.refuse(doc, "spec.listeners", listeners, "a Gateway needs at least one listener")
            return []
        found = (self._listener(doc, i, mapping(entry)) for i, entry in enumerate(listeners))
        return [listener for listener in found if listener is not None]

    def _listener(self, doc: Document, i: int, entry: dict[str, Any]) -> Listener | None:
        at = f"spec.listeners[{i}]"
        protocol, hostname = entry.get("protocol"), entry.get("hostname")
        if not isinstance(protocol, str) or protocol not in PROTOCOLS:
            self.findings.refuse(doc, f"{at}.protocol", protocol, f"the CDN serves {sorted(PROTOCOLS)} only")
            return None
        if hostname is not None and not (is_fqdn(hostname) or _is_wildcard(hostname)):
            self.findings.refuse(doc, f"{at}.hostname", hostname, "must be a lower-case FQDN or *.<FQDN>")
            return None
        if entry.get("port") != STANDARD_PORTS[str(protocol)]:
            self.findings.warn(doc, f"{at}.port", entry.get("port"), f"the CDN publishes {protocol} on port "
                               f"{STANDARD_PORTS[str(protocol)]}; clients use that port, not this one")
        self._check_tls(doc, at, mapping(entry.get("tls")))
        allowed = mapping(entry.get("allowedRoutes"))
        return Listener(doc, i, str(entry.get("name", "")), hostname, entry.get("port"), PROTOCOLS[str(protocol)],
                        *self._namespaces(doc, at, mapping(allowed.get("namespaces"))), _kinds_ok(allowed))

    def _check_tls(self, doc: Document, at: str, tls: dict[str, Any]) -> None:
        if tls.get("mode", "Terminate") != "Terminate":
            self.findings.refuse(doc, f"{at}.tls.mode", tls["mode"], "the CDN terminates TLS: 'Terminate' only")
        for key in ("certificateRefs", "options"):
            if tls.get(key):
                self.findings.warn(doc, f"{at}.tls.{key}", tls[key], GATEWAY[f"spec.listeners[].tls.{key}"].how)

    def _namespaces(self, doc: Document, at: str, namespaces: dict[str, Any]) -> tuple[str, dict[str, str]]:
        selector = mapping(namespaces.get("selector"))
        if "matchExpressions" in selector:
            self.findings.refuse(doc, f"{at}.allowedRoutes.namespaces.selector.matchExpressions",
                                 selector["matchExpressions"], "write matchLabels")
        labels = {str(k): str(v) for k, v in mapping(selector.get("matchLabels")).items()}
        return str(namespaces.get("from", "Same")), labels


def _kinds_ok(allowed: dict[str, Any]) -> bool:
    kinds = allowed.get("kinds")
    if not isinstance(kinds, list) or not kinds:
        return True
    return any(mapping(k).get("kind") == "HTTPRoute" and mapping(k).get("group", GROUP) == GROUP for k in kinds)


def _is_wildcard(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("*.") and is_fqdn(value[2:])


def host_matches(host: str, pattern: str) -> bool:
    """A precise host against a precise or wildcard name (suffix match, at least one more label)."""
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def intersect(listener: str | None, route: list[str]) -> list[str]:
    """The route hostnames a listener accepts (gateway-api-contract.md §3.2); wildcards stay."""
    if listener is None:
        return route
    if not route:
        return [listener]
    kept = [h for h in route if host_matches(h, listener) or (h.startswith("*.") and host_matches(listener, h))
            or (h.startswith("*.") and listener.startswith("*.") and listener.endswith(h[1:]))]
    return [listener if h.startswith("*.") and not listener.startswith("*.") else h for h in kept]
