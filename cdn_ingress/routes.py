"""From manifests to CDN routes: which Ingresses are the CDN's, and what each path maps to.

``plan()`` validates everything first and raises one ManifestError listing every problem, so a
bad manifest stops ``pulumi preview`` before any resource is registered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cdn_ingress.annotations import RuleOptions, parse_rule_options
from cdn_ingress.errors import MISSING, ManifestError, Problem
from cdn_ingress.manifests import Document
from cdn_ingress.objects import check_object, cluster_scoped_kinds, namespace_of

DEFAULT_CLASS = "edgio"
PATH_TYPES = ("Exact", "Prefix")
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_FQDN = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})+$")


def is_fqdn(value: Any) -> bool:
    """A lower-case DNS name of two or more labels whose last label is not numeric (no IPs)."""
    return isinstance(value, str) and bool(_FQDN.match(value)) and not value.rsplit(".", 1)[-1].isdigit()


@dataclass(frozen=True)
class Backend:
    """A Service port that the CDN reaches through its NodePort."""

    namespace: str
    service: str
    port_index: int  # position in the Service's spec.ports: where its node_port output sits
    port: str  # as the Ingress named it: a port name or number


@dataclass(frozen=True)
class Route:
    ingress: Document
    host: str
    path: str
    path_type: str
    backend: Backend
    options: RuleOptions

    @property
    def key(self) -> str:
        return f"{self.host}{self.path}"


@dataclass(frozen=True)
class Plan:
    documents: list[Document]
    routes: list[Route]

    @property
    def cdn_ingresses(self) -> list[Document]:
        seen: dict[int, Document] = {}
        for route in self.routes:
            seen.setdefault(id(route.ingress), route.ingress)
        return list(seen.values())

    @property
    def backend_services(self) -> list[tuple[str, str]]:
        return list(dict.fromkeys((r.backend.namespace, r.backend.service) for r in self.routes))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def is_cdn_ingress(doc: Document, ingress_class: str = DEFAULT_CLASS) -> bool:
    if doc.kind != "Ingress":
        return False
    return (
        _mapping(doc.body.get("spec")).get("ingressClassName") == ingress_class
        or _mapping(doc.metadata.get("labels")).get("cdn") == ingress_class
        or _mapping(doc.metadata.get("annotations")).get("kubernetes.io/ingress.class") == ingress_class
    )


class _Checker:
    def __init__(self, documents: list[Document], ingress_class: str) -> None:
        self.documents = documents
        self.ingress_class = ingress_class
        self.problems: list[Problem] = []
        self.services = {(d.namespace, d.name): d for d in documents if d.kind == "Service"}

    def problem(self, doc: Document, field: str, value: Any, allowed: str) -> None:
        self.problems.append(Problem(doc.file, doc.label, field, value, allowed))

    def mapping(self, doc: Document, at: str, value: Any) -> dict[str, Any] | None:
        """The value if it is a mapping (absent: empty), else None after reporting it."""
        if value is None or isinstance(value, dict):
            return value or {}
        self.problem(doc, at, value, "must be a mapping")
        return None

    def check_objects(self) -> None:
        seen: dict[tuple[str, str, str], Document] = {}
        cluster = cluster_scoped_kinds(self.documents)
        for doc in self.documents:
            before = len(self.problems)
            check_object(doc, self.problem)
            if len(self.problems) > before or not doc.name:
                continue
            identity = (doc.kind, namespace_of(doc, cluster) or "", doc.name)
            if identity in seen:
                first = seen[identity]
                self.problem(doc, "metadata.name", doc.name,
                             f"names must be unique per kind and namespace; also declared in "
                             f"{first.file} at line {first.line}")
            seen.setdefault(identity, doc)

    def routes(self) -> list[Route]:
        routes: list[Route] = []
        for doc in self.documents:
            if is_cdn_ingress(doc, self.ingress_class):
                routes.extend(self.ingress_routes(doc))
        self.check_unique(routes)
        return routes

    def ingress_routes(self, doc: Document) -> Iterable[Route]:
        api_version = doc.body.get("apiVersion")
        if isinstance(api_version, str) and api_version != "networking.k8s.io/v1":
            self.problem(doc, "apiVersion", api_version, "must be 'networking.k8s.io/v1'")
        options, annotation_problems = parse_rule_options(_mapping(doc.metadata.get("annotations")))
        for key, value, allowed in annotation_problems:
            self.problem(doc, f"metadata.annotations[{key!r}]", value, allowed)
        spec = doc.body.get("spec")
        if spec is not None and not isinstance(spec, dict):
            return  # reported with the object's shape
        rules = _mapping(spec).get("rules")
        if not isinstance(rules, list) or not rules:
            self.problem(doc, "spec.rules", rules if rules is not None else MISSING,
                         "a CDN Ingress needs at least one rule with a host and paths")
            return
        for r, rule in enumerate(rules):
            at = f"spec.rules[{r}]"
            checked = self.mapping(doc, at, rule)
            if checked is not None:
                yield from self.rule_routes(doc, at, checked, options)

    def rule_routes(self, doc: Document, at: str, rule: dict[str, Any], options: RuleOptions
                    ) -> Iterable[Route]:
        host = rule.get("host", MISSING)
        host_ok = is_fqdn(host)
        if not host_ok:
            self.problem(doc, f"{at}.host", host,
                         "the CDN publishes a host: a lower-case FQDN such as 'www.example.com' "
                         "(no wildcard, IP address, scheme or port)")
        http = self.mapping(doc, f"{at}.http", rule.get("http"))
        if http is None:
            return
        paths = http.get("paths")
        if not isinstance(paths, list) or not paths:
            self.problem(doc, f"{at}.http.paths", paths if paths is not None else MISSING,
                         "a CDN rule needs at least one path")
            return
        for p, entry in enumerate(paths):
            entry_at = f"{at}.http.paths[{p}]"
            checked = self.mapping(doc, entry_at, entry)
            route = None if checked is None else self.path_route(doc, entry_at, host, checked, options)
            if route is not None and host_ok:
                yield route

    def path_route(self, doc: Document, at: str, host: Any, entry: dict[str, Any],
                   options: RuleOptions) -> Route | None:
        path, path_type = entry.get("path", MISSING), entry.get("pathType", MISSING)
        ok = True
        if not isinstance(path, str) or not path.startswith("/") or any(c.isspace() for c in path):
            self.problem(doc, f"{at}.path", path, "must start with '/' and contain no spaces")
            ok = False
        if path_type not in PATH_TYPES:
            self.problem(doc, f"{at}.pathType", path_type, f"must be one of {list(PATH_TYPES)}")
            ok = False
        backend = self.mapping(doc, f"{at}.backend", entry.get("backend"))
        backend_found = None if backend is None else self.backend(doc, f"{at}.backend", backend)
        if not ok or backend_found is None:
            return None
        return Route(doc, str(host), str(path), str(path_type), backend_found, options)

    def backend(self, doc: Document, at: str, backend: dict[str, Any]) -> Backend | None:
        service = self.mapping(doc, f"{at}.service", backend.get("service"))
        if service is None:
            return None
        name, port = service.get("name", MISSING), self.mapping(doc, f"{at}.service.port", service.get("port"))
        if not isinstance(name, str) or not name:
            self.problem(doc, f"{at}.service.name", name, "must be a string: the CDN reaches Services only, "
                         "name a Service declared in the manifests")
            return None
        target = self.services.get((doc.namespace, name))
        if target is None:
            declared = sorted(n for ns, n in self.services if ns == doc.namespace)
            self.problem(doc, f"{at}.service.name", name,
                         f"no Service of that name in namespace {doc.namespace!r}; declared: {declared}")
            return None
        spec = _mapping(target.body.get("spec"))  # a Service of the wrong shape is reported on its own
        if spec.get("type") != "NodePort":
            self.problem(doc, f"{at}.service.name", name,
                         f"Service {doc.namespace}/{name} ({target.file}) has type "
                         f"{spec.get('type', 'ClusterIP')!r}; the CDN needs type 'NodePort'")
            return None
        ports = spec.get("ports")
        if port is None or not isinstance(ports, list):
            return None
        return self.backend_port(doc, f"{at}.service.port", name, port, [_mapping(p) for p in ports])

    def backend_port(self, doc: Document, at: str, service: str, port: dict[str, Any],
                     ports: list[dict[str, Any]]) -> Backend | None:
        if ("name" in port) == ("number" in port):
            self.problem(doc, at, port or MISSING, "give exactly one of 'name' or 'number'")
            return None
        field, wanted = ("name", port["name"]) if "name" in port else ("number", port["number"])
        kind_ok = isinstance(wanted, str) if field == "name" else _is_int(wanted)
        if not kind_ok:
            self.problem(doc, f"{at}.{field}", wanted, "must be a string" if field == "name" else "must be an integer")
            return None
        known = [p.get("name") for p in ports if p.get("name")] if field == "name" else [p.get("port") for p in ports]
        for index, candidate in enumerate(ports):
            if candidate.get("name" if field == "name" else "port") == wanted:
                return Backend(doc.namespace, service, index, str(wanted))
        self.problem(doc, f"{at}.{field}", wanted,
                     f"no port with that {field} on Service {doc.namespace}/{service}; allowed: {known}")
        return None

    def check_unique(self, routes: list[Route]) -> None:
        claimed: dict[str, Route] = {}
        for route in routes:
            first = claimed.setdefault(route.key, route)
            if first is not route:
                self.problem(route.ingress, "host+path", route.key,
                             f"already claimed by {first.ingress.label} in {first.ingress.file}; "
                             "each host + path may belong to one Ingress only")
        origins: dict[str, str] = {}
        for route in routes:
            namespace = origins.setdefault(route.backend.service, route.backend.namespace)
            if namespace != route.backend.namespace:
                self.problem(route.ingress, "backend.service.name", route.backend.service,
                             f"a Service of that name in namespace {namespace!r} is a CDN backend "
                             "too; origin names are <service>.<origin-domain>, so they must differ")


def plan(documents: list[Document], ingress_class: str = DEFAULT_CLASS) -> Plan:
    """Validate the documents and derive the CDN routes; raises ManifestError on any problem."""
    checker = _Checker(documents, ingress_class)
    checker.check_objects()
    routes = checker.routes()
    if checker.problems:
        raise ManifestError(checker.problems)
    return Plan(documents, routes)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
