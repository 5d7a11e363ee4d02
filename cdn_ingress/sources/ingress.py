"""The Ingress source: CDN Ingresses (networking.k8s.io/v1, and the legacy v1beta1 ones, declared
as v1) become ``Route``s, every field served, warned or refused as docs/routes.md says."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from cdn_ingress.annotations import PREFIX, RuleOptions, parse_rule_options
from cdn_ingress.errors import MISSING
from cdn_ingress.manifests import Document
from cdn_ingress.model import Findings, Route, is_fqdn, mapping
from cdn_ingress.sources.backends import Services, is_int
from cdn_ingress.sources.fields import INGRESS_V1, INGRESS_V1BETA1, unknown_fields
from cdn_ingress.sources.foreign_annotations import read_foreign
from cdn_ingress.sources.ingress_class import ClassSelector
from cdn_ingress.sources.paths import check_path

V1 = "networking.k8s.io/v1"
LEGACY = ("extensions/v1beta1", "networking.k8s.io/v1beta1")
PATH_TYPES = ("Exact", "Prefix", "ImplementationSpecific")


class IngressSource:
    def __init__(self, documents: list[Document], findings: Findings, *, ingress_class: str,
                 default_host: str | None) -> None:
        self.documents = documents
        self.findings = findings
        self.services = Services(documents, findings)
        self.selector = ClassSelector(documents, ingress_class, findings)
        self.default_host = default_host
        self.declared_as: dict[int, Document] = {}  # id of a legacy Ingress -> its v1 form

    def routes(self) -> list[Route]:
        routes: list[Route] = []
        for doc in self.documents:
            if doc.kind == "Ingress" and self.selector.selects(doc):
                routes.extend(self.ingress_routes(doc))
        return routes

    def ingress_routes(self, doc: Document) -> list[Route]:
        v1 = self.as_v1(doc)
        if v1 is None:
            return []
        options = self.options(v1)
        spec = v1.body.get("spec")
        if not isinstance(spec, dict):
            return []  # reported with the object's shape
        routes = list(self.rule_routes(v1, spec, options))
        routes.extend(self.default_routes(v1, spec, options, routes))
        self.check_tls(v1, spec, routes)
        return routes

    def as_v1(self, doc: Document) -> Document | None:
        api_version = doc.body.get("apiVersion")
        table = INGRESS_V1 if api_version == V1 else INGRESS_V1BETA1 if api_version in LEGACY else None
        if table is None:
            self.findings.refuse(doc, "apiVersion", api_version, f"must be {V1!r} (or the legacy {list(LEGACY)})")
            return None
        for at, value in unknown_fields(doc.body, table):
            self.findings.refuse(doc, at, value, f"not a field of Ingress {api_version}; the fields the CDN "
                                 "serves, warns or refuses are listed in docs/routes.md")
        if doc.body.get("status"):
            self.findings.warn(doc, "status", doc.body["status"], table["status"].how)
        if api_version == V1:
            return doc
        converted = Document(doc.file, doc.line, to_v1(doc.body))
        self.declared_as[id(doc)] = converted
        self.findings.warn(doc, "apiVersion", api_version,
                           f"declared as {V1} (the API server no longer serves {api_version}): spec.backend "
                           "becomes spec.defaultBackend, serviceName/servicePort service.name/port")
        return converted

    def options(self, doc: Document) -> RuleOptions:
        annotations = mapping(doc.metadata.get("annotations"))
        options, problems = parse_rule_options(annotations)
        for key, value, allowed in problems:
            self.findings.refuse(doc, f"metadata.annotations[{key!r}]", value, allowed)
        foreign = read_foreign(annotations)
        for key, value, allowed in foreign.refused:
            self.findings.refuse(doc, f"metadata.annotations[{key!r}]", value, allowed)
        if foreign.no_effect:
            self.findings.warn(doc, "metadata.annotations", foreign.no_effect,
                               "other controllers' annotations that have no effect on the CDN "
                               f"(CDN options are annotations under {PREFIX!r}, see docs/routes.md)")
        return replace(options, source_path=foreign.source_path or options.source_path,
                       published_protocols=foreign.published_protocols or options.published_protocols,
                       source_protocol=foreign.source_protocol or options.source_protocol,
                       options=options.options + foreign.options)

    def rule_routes(self, doc: Document, spec: dict[str, Any], options: RuleOptions) -> Iterator[Route]:
        rules = spec.get("rules")
        if not rules and spec.get("defaultBackend") is not None:
            return
        if not isinstance(rules, list) or not rules:
            self.findings.refuse(doc, "spec.rules", rules if rules is not None else MISSING,
                                 "a CDN Ingress needs at least one rule with a host and paths, "
                                 "or a spec.defaultBackend")
            return
        for r, rule in enumerate(rules):
            checked = self.findings.checked_mapping(doc, f"spec.rules[{r}]", rule)
            if checked is not None:
                yield from self.paths(doc, f"spec.rules[{r}]", checked, options)

    def host(self, doc: Document, at: str, rule: dict[str, Any]) -> str | None:
        host = rule.get("host")
        if host is None:
            if self.default_host is None:
                self.findings.refuse(doc, f"{at}.host", MISSING,
                                     "a rule without host matches every host, and the CDN publishes named "
                                     "hosts: give the rule a host, or set cdn-ingress:defaultHost")
            return self.default_host
        if not is_fqdn(host):
            self.findings.refuse(doc, f"{at}.host", host,
                                 "the CDN publishes a host: a lower-case FQDN such as 'www.example.com' "
                                 "(no wildcard, IP address, scheme or port)")
            return None
        return str(host)

    def paths(self, doc: Document, at: str, rule: dict[str, Any], options: RuleOptions) -> Iterator[Route]:
        host = self.host(doc, at, rule)
        http = self.findings.checked_mapping(doc, f"{at}.http", rule.get("http"))
        if http is None:
            return
        paths = http.get("paths")
        if paths is None and "http" not in rule:
            if mapping(doc.body.get("spec")).get("defaultBackend") is None:
                self.findings.refuse(doc, f"{at}.http", MISSING, "a rule without paths sends its host to "
                                     "spec.defaultBackend, and this Ingress has none: add paths or a defaultBackend")
            return
        if not isinstance(paths, list) or not paths:
            self.findings.refuse(doc, f"{at}.http.paths", paths if paths is not None else MISSING,
                                 "a CDN rule needs at least one path")
            return
        for p, entry in enumerate(paths):
            entry_at = f"{at}.http.paths[{p}]"
            checked = self.findings.checked_mapping(doc, entry_at, entry)
            route = None if checked is None else self.path_route(doc, entry_at, host, checked, options)
            if route is not None:
                yield route

    def path_route(self, doc: Document, at: str, host: str | None, entry: dict[str, Any],
                   options: RuleOptions) -> Route | None:
        path, path_type = entry.get("path", MISSING), entry.get("pathType", MISSING)
        if path is MISSING and path_type == "ImplementationSpecific":
            path = "/"  # the path is required for Exact and Prefix only; without one, every path matches
        path_ok = check_path(self.findings, doc, f"{at}.path", path)
        type_ok = path_type in PATH_TYPES
        if not type_ok:
            self.findings.refuse(doc, f"{at}.pathType", path_type, f"must be one of {list(PATH_TYPES)}")
        backend = self.backend(doc, f"{at}.backend", entry.get("backend"))
        if not (path_ok and type_ok) or backend is None or host is None:
            return None
        if path_type != "Prefix" and not (path_type == "Exact" and self.findings.exact_paths):
            self.findings.warn(doc, f"{at}.pathType", path_type,
                               f"published as a prefix: the CDN matches by prefix, so {path!r} also "
                               "serves the paths below it")
        return Route(doc, host, str(path), str(path_type), backend, _final(options, str(path)), at)

    def backend(self, doc: Document, at: str, value: Any) -> Any:
        backend = self.findings.checked_mapping(doc, at, value)
        if backend is None:
            return None
        if "resource" in backend:
            self.findings.refuse(doc, f"{at}.resource", backend["resource"],
                                 INGRESS_V1["spec.defaultBackend.resource"].how)
            return None
        service = self.findings.checked_mapping(doc, f"{at}.service", backend.get("service"))
        if service is None:
            return None
        port = self.findings.checked_mapping(doc, f"{at}.service.port", service.get("port"))
        if port is None:
            return None
        if ("name" in port) == ("number" in port):
            self.findings.refuse(doc, f"{at}.service.port", port or MISSING, "give exactly one of 'name' or 'number'")
            return None
        field, wanted = ("name", port["name"]) if "name" in port else ("number", port["number"])
        if not (isinstance(wanted, str) if field == "name" else is_int(wanted)):
            self.findings.refuse(doc, f"{at}.service.port.{field}", wanted,
                                 "must be a string" if field == "name" else "must be an integer")
            return None
        return self.services.resolve(doc, at=f"{at}.service.name", name=service.get("name", MISSING),
                                     port_at=f"{at}.service.port.{field}", port_field=field, wanted=wanted)

    def default_routes(self, doc: Document, spec: dict[str, Any], options: RuleOptions,
                       routes: list[Route]) -> Iterable[Route]:
        """spec.defaultBackend: the catch-all '/' of each host the Ingress publishes that has none."""
        if spec.get("defaultBackend") is None:
            return []
        hosts = list(dict.fromkeys(h for h in self.rule_hosts(doc, spec) if h is not None))
        if not hosts and self.default_host is None:
            self.findings.refuse(doc, "spec.defaultBackend", spec["defaultBackend"],
                                 "with no rule host to publish it on, the default backend needs "
                                 "cdn-ingress:defaultHost; or add a rule with a host")
            return []
        backend = self.backend(doc, "spec.defaultBackend", spec["defaultBackend"])
        if backend is None:
            return []
        taken = {(r.host, r.path) for r in routes}
        return [Route(doc, host, "/", "Prefix", backend, _final(options, "/"), "spec.defaultBackend")
                for host in hosts or [str(self.default_host)] if (host, "/") not in taken]

    def rule_hosts(self, doc: Document, spec: dict[str, Any]) -> Iterator[str | None]:
        rules = spec.get("rules")
        for rule in rules if isinstance(rules, list) else []:
            host = mapping(rule).get("host", self.default_host)
            yield host if is_fqdn(host) else None

    def check_tls(self, doc: Document, spec: dict[str, Any], routes: list[Route]) -> None:
        tls = spec.get("tls")
        if not isinstance(tls, list) or not tls:
            return
        published = {r.host for r in routes}
        named: set[str] = set()
        for t, entry in enumerate(tls):
            named.update(self.check_tls_entry(doc, f"spec.tls[{t}]", mapping(entry), published))
            if not mapping(entry).get("hosts"):
                named.update(published)  # no hosts: the entry covers every host of the Ingress
        for host in sorted(published - named):
            self.findings.warn(doc, "spec.tls", host, "the host is published on https like every CDN host, "
                               "though spec.tls does not list it")

    def check_tls_entry(self, doc: Document, at: str, entry: dict[str, Any], published: set[str]) -> set[str]:
        hosts = entry.get("hosts")
        hosts = hosts if isinstance(hosts, list) else []
        for h, host in enumerate(hosts):
            if not isinstance(host, str) or host not in published:
                self.findings.warn(doc, f"{at}.hosts[{h}]", host, "no rule of this Ingress "
                                   "publishes that host, so nothing is published for it")
        if entry.get("secretName") is not None:
            self.findings.warn(doc, f"{at}.secretName", entry["secretName"],
                               "the CDN does not read Kubernetes Secrets: the published host is served "
                               "with the certificate provisioned for it at the CDN, not this Secret's")
        return {h for h in hosts if isinstance(h, str)}


def _final(options: RuleOptions, path: str) -> RuleOptions:
    """The request path reaches the backend as sent, unless a source path (a rewrite) was asked for."""
    return replace(options, source_path=options.source_path or path)


def to_v1(body: dict[str, Any]) -> dict[str, Any]:
    """A legacy Ingress in the v1 shape (what ``kubectl convert`` does); shape errors pass through
    for the v1 checks to report."""
    out = copy.deepcopy(body)
    out["apiVersion"] = V1
    spec = out.get("spec")
    if not isinstance(spec, dict):
        return out
    if "backend" in spec:
        spec["defaultBackend"] = _backend_v1(spec.pop("backend"))
    rules = spec.get("rules")
    for rule in rules if isinstance(rules, list) else []:
        paths = mapping(mapping(rule).get("http")).get("paths")
        for entry in paths if isinstance(paths, list) else []:
            if isinstance(entry, dict):
                entry.setdefault("pathType", "ImplementationSpecific")
                if "backend" in entry:
                    entry["backend"] = _backend_v1(entry["backend"])
    return out


def _backend_v1(backend: Any) -> Any:
    if not isinstance(backend, dict) or "resource" in backend:
        return backend
    port = backend.get("servicePort")
    return {"service": {"name": backend.get("serviceName", MISSING),
                        "port": {"number": port} if is_int(port) else {"name": port}}}
