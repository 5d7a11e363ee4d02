"""What a Cloudflare stack refuses before anything is registered: route options only Edgio serves
(an Origin Rule sends host + path to an origin name and port, nothing more) and hosts outside the
stack's zone. Each problem names file, object, field and value (docs/routes.md, Cloudflare)."""

from __future__ import annotations

import re
from typing import Any

from cdn_ingress.annotations import PREFIX, RULES
from cdn_ingress.errors import Problem
from cdn_ingress.manifests import Document
from cdn_ingress.model import Route, mapping
from cdn_ingress.sources.foreign_annotations import SERVED_KEYS, read_foreign

ANNOTATION_REFUSED = (
    "an Edgio rule option: a Cloudflare stack (cdn-ingress:cdn=cloudflare) sends host + path to the origin "
    "name and NodePort only (an Origin Rule sets no profile, account, path rewrite, header or cache time; "
    "the published and origin protocols are the zone's SSL/TLS settings); remove it, or use an Edgio stack")
FILTER_REFUSED = (
    "a Cloudflare Origin Rule cannot rewrite the path or set headers (those are Cloudflare Transform Rules, "
    "which this program does not write); remove the filter on a Cloudflare stack")
OPTIONS_REFUSED = "route options a Cloudflare Origin Rule cannot serve (path rewrite, headers, profile, account)"
_RULE = re.compile(r"^spec\.rules\[(\d+)\]")
_FILTERS = ("RequestHeaderModifier", "ResponseHeaderModifier", "URLRewrite")


def refusals(routes: list[Route], zone: str) -> list[Problem]:
    problems: dict[tuple[int, str], Problem] = {}  # one per object and field, however many routes share it
    for route in (r for r in routes if r.options.rules):  # rules off: nothing published here to refuse
        found = [*_annotations(route.ingress), *_filters(route), *_host(route, zone)]
        if not found and _needs_edgio(route):
            found = [Problem(route.ingress.file, route.ingress.label, route.at, route.key, OPTIONS_REFUSED)]
        for problem in found:
            problems.setdefault((id(route.ingress), problem.field), problem)
    return list(problems.values())


def _annotations(doc: Document) -> list[Problem]:
    annotations = mapping(doc.metadata.get("annotations"))
    ours = {k: v for k, v in annotations.items() if isinstance(k, str) and k.startswith(PREFIX) and k != RULES}
    keys = sorted(ours) + [k for k in sorted(SERVED_KEYS) if k in annotations and _has_effect(k, annotations, ours)]
    return [Problem(doc.file, doc.label, f"metadata.annotations[{key!r}]", annotations[key], ANNOTATION_REFUSED)
            for key in keys]


def _has_effect(key: str, annotations: dict[str, Any], ours: dict[str, Any]) -> bool:
    """Another controller's key the sources turned into a rule option (not one they refused)."""
    found = read_foreign({key: annotations[key], **ours})
    return bool(found.source_path or found.published_protocols or found.source_protocol or found.options)


def _filters(route: Route) -> list[Problem]:
    doc, at = route.ingress, _RULE.match(route.at)
    if doc.kind != "HTTPRoute" or at is None:
        return []
    rules = mapping(doc.body.get("spec")).get("rules")
    rule = mapping(rules[int(at.group(1))]) if isinstance(rules, list) and int(at.group(1)) < len(rules) else {}
    given = rule.get("filters")
    filters = given if isinstance(given, list) else []
    return [Problem(doc.file, doc.label, f"{at.group(0)}.filters[{index}]", mapping(entry).get("type"),
                    FILTER_REFUSED)
            for index, entry in enumerate(filters) if mapping(entry).get("type") in _FILTERS]


def _host(route: Route, zone: str) -> list[Problem]:
    if route.host == zone or route.host.endswith("." + zone):
        return []
    at = _RULE.match(route.at)
    field = "spec.hostnames" if route.ingress.kind == "HTTPRoute" else f"{at.group(0)}.host" if at else route.at
    return [Problem(route.ingress.file, route.ingress.label, field, route.host,
                    f"a Cloudflare stack publishes hosts of its zone {zone!r} (cloudflare:zoneName) only")]


def _needs_edgio(route: Route) -> bool:
    """A last net: an option no field above explains still refuses the route (nothing is dropped)."""
    options = route.options
    return bool(options.options or options.profile or options.shortname
                or (options.source_path or route.path) != route.path)
