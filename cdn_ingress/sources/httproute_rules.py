"""One HTTPRoute rule, read as a CDN rule: its paths, its one backend, its header options and
rewrite; or the reason the CDN cannot serve it (docs/gateway-api-contract.md §4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cdn_ingress.annotations import hidden_character
from cdn_ingress.manifests import Document
from cdn_ingress.model import Backend, Findings, mapping
from cdn_ingress.sources.backends import Services, is_int

HEADER_OPTIONS = {"RequestHeaderModifier": ("requestHeaderModifier", "req_send_header"),
                  "ResponseHeaderModifier": ("responseHeaderModifier", "reply_send_header")}


class Unserved(Exception):
    """The rule cannot be served: ``field`` and why; the rule is dropped."""

    def __init__(self, field: str, value: Any, why: str) -> None:
        super().__init__(why)
        self.field, self.value, self.why = field, value, why


@dataclass(frozen=True)
class ServedRule:
    paths: list[tuple[str, str, str]]  # (path, 'Prefix' or 'Exact', field)
    backend: Backend
    options: tuple[dict[str, Any], ...]
    source_path: str | None  # a URLRewrite ReplacePrefixMatch


class RuleReader:
    def __init__(self, findings: Findings, services: Services) -> None:
        self.findings = findings
        self.services = services

    def read(self, doc: Document) -> tuple[list[ServedRule], list[str]]:
        """The rules served, and one "rule: why" line per rule dropped (each also a warning)."""
        rules = mapping(doc.body.get("spec")).get("rules")
        served, dropped = [], []
        for i, rule in enumerate(rules if isinstance(rules, list) else [{}]):
            at, rule = f"spec.rules[{i}]", mapping(rule)
            try:
                found = self.rule(doc, at, rule)
            except Unserved as why:
                name = f" ({rule['name']})" if isinstance(rule.get("name"), str) else ""
                self.findings.warn(doc, why.field, why.value, f"the rule is not published: {why.why}")
                dropped.append(f"{at}{name}: {why.field}: {why.why}")
                continue
            if found is not None:
                served.append(found)
        return served, dropped

    def rule(self, doc: Document, at: str, rule: dict[str, Any]) -> ServedRule | None:
        if "timeouts" in rule:
            raise Unserved(f"{at}.timeouts", rule["timeouts"], "no CDN option is known for timeouts")
        paths = self.paths(doc, at, rule.get("matches"))
        options, source_path = self.filters(at, rule.get("filters"), paths)
        backend = self.backend(doc, at, rule.get("backendRefs"))
        return None if backend is None else ServedRule(paths, backend, options, source_path)

    def paths(self, doc: Document, at: str, matches: Any) -> list[tuple[str, str, str]]:
        if not isinstance(matches, list) or not matches:
            return [("/", "Prefix", at)]  # no matches: a prefix match on '/'
        return [self.path(doc, f"{at}.matches[{m}]", mapping(match)) for m, match in enumerate(matches)]

    def path(self, doc: Document, at: str, match: dict[str, Any]) -> tuple[str, str, str]:
        for key in ("headers", "queryParams", "method"):
            if key in match:
                raise Unserved(f"{at}.{key}", match[key], "a CDN rule matches host and path only")
        path = mapping(match.get("path"))
        kind, value = path.get("type", "PathPrefix"), path.get("value", "/")
        if kind not in ("PathPrefix", "Exact"):
            raise Unserved(f"{at}.path.type", kind, "the CDN matches literal path prefixes: use PathPrefix")
        if not isinstance(value, str) or not value.startswith("/") or any(c.isspace() for c in value):
            raise Unserved(f"{at}.path.value", value, "must start with '/' and contain no spaces")
        if (hidden := hidden_character(value)) is not None:
            raise Unserved(f"{at}.path.value", value, hidden)
        if kind == "Exact" and not self.findings.exact_paths:
            self.findings.warn(doc, f"{at}.path.type", kind, f"published as a prefix: the CDN matches by "
                               f"prefix, so {value!r} also serves the paths below it")
        return value, "Prefix" if kind == "PathPrefix" else "Exact", at

    def filters(self, at: str, filters: Any, paths: list[tuple[str, str, str]]
                ) -> tuple[tuple[dict[str, Any], ...], str | None]:
        options: list[dict[str, Any]] = []
        source_path = None
        for f, entry in enumerate(filters if isinstance(filters, list) else []):
            entry, where = mapping(entry), f"{at}.filters[{f}]"
            kind = entry.get("type")
            if isinstance(kind, str) and kind in HEADER_OPTIONS:
                options.extend(_headers(where, *HEADER_OPTIONS[str(kind)], entry))
            elif kind == "URLRewrite":
                source_path = _rewrite(where, mapping(entry.get("urlRewrite")), paths)
            else:
                raise Unserved(f"{where}.type", kind, "only RequestHeaderModifier, ResponseHeaderModifier "
                               "and URLRewrite are served, and a filter may not be skipped")
        return tuple(options), source_path

    def backend(self, doc: Document, at: str, refs: Any) -> Backend | None:
        if not isinstance(refs, list) or len(refs) != 1:
            raise Unserved(f"{at}.backendRefs", refs if refs is not None else [],
                           "a CDN rule has exactly one origin: give one backendRef")
        ref, where = mapping(refs[0]), f"{at}.backendRefs[0]"
        checks = [("group", "", "InvalidKind: the CDN reaches core Services only"),
                  ("kind", "Service", "InvalidKind: the CDN reaches Services only"),
                  ("namespace", doc.namespace, "RefNotPermitted: ReferenceGrants are not read; use a Service "
                   "in the route's namespace")]
        for key, default, why in checks:
            if ref.get(key, default) != default:
                raise Unserved(f"{where}.{key}", ref[key], why)
        if ref.get("weight", 1) == 0 or "filters" in ref:
            key = "weight" if ref.get("weight", 1) == 0 else "filters"
            raise Unserved(f"{where}.{key}", ref[key], "no traffic split or per-backend filter on a CDN rule")
        port = ref.get("port")
        if not is_int(port):
            self.findings.refuse(doc, f"{where}.port", port, "a Service backendRef needs its port number")
            return None
        return self.services.resolve(doc, at=f"{where}.name", name=ref.get("name"), port_at=f"{where}.port",
                                     port_field="number", wanted=port)


def _headers(at: str, key: str, option: str, entry: dict[str, Any]) -> list[dict[str, Any]]:
    modifier = mapping(entry.get(key))
    if modifier.get("remove"):
        raise Unserved(f"{at}.{key}.remove", modifier["remove"], "no CDN option removes a header")
    lists = [modifier.get(verb) for verb in ("set", "add")]
    if any(found is not None and not isinstance(found, list) for found in lists):
        raise Unserved(f"{at}.{key}", modifier, "set and add must be lists of name/value headers")
    headers = [mapping(h) for found in lists for h in found or []]
    for header in headers:
        if not isinstance(header.get("name"), str) or not isinstance(header.get("value"), str):
            raise Unserved(f"{at}.{key}", header, "each header needs a string name and value")
        hidden = hidden_character(header["name"] + header["value"])
        if hidden is not None:
            raise Unserved(f"{at}.{key}", header, hidden)
    return [{"name": option, "parameters": [h["name"], h["value"]]} for h in headers]


def _rewrite(at: str, rewrite: dict[str, Any], paths: list[tuple[str, str, str]]) -> str:
    if "hostname" in rewrite:
        raise Unserved(f"{at}.urlRewrite.hostname", rewrite["hostname"], "the origin host is the Service's")
    path = mapping(rewrite.get("path"))
    if path.get("type") != "ReplacePrefixMatch" or not isinstance(path.get("replacePrefixMatch"), str):
        raise Unserved(f"{at}.urlRewrite.path", path, "the CDN maps a path prefix to a source prefix: "
                       "use ReplacePrefixMatch")
    if any(kind != "Prefix" for _, kind, _ in paths):
        raise Unserved(f"{at}.urlRewrite.path", path, "ReplacePrefixMatch needs PathPrefix matches (the spec)")
    return str(path["replacePrefixMatch"])
