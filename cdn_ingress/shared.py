"""Origin names shared with other stacks (other clusters serving the same app): which backend
Services' names are shared, and the explicit NodePort each must state (docs/operations.md).

A shared name's records come from every cluster that shares it, and the CDN rule sends every
request to one port, so each cluster's Service must give that port explicitly (``nodePort``):
a port the cluster picks at random could not agree. The port goes into the name's ownership
marker, where a contributor on another port is refused at ``up``.
"""

from __future__ import annotations

from typing import Any

from cdn_ingress.errors import MISSING, ManifestError, Problem
from cdn_ingress.manifests import Document
from cdn_ingress.model import mapping
from cdn_ingress.routes import Plan

ANNOTATION = "cdn-ingress.io/shared-origin"


def shared_origins(plan: Plan, *, default: bool) -> dict[tuple[str, str], int]:
    """(namespace, service) -> the NodePort of every backend Service whose origin name is shared:
    all of them when ``default`` (``cdn-ingress:sharedOrigins``), else those annotated
    ``cdn-ingress.io/shared-origin: "true"`` (the annotation wins either way). Raises ManifestError
    listing every shared origin that lacks an explicit nodePort or routes to two ports."""
    services = {(d.namespace, d.name): d for d in plan.documents if d.kind == "Service"}
    problems: list[Problem] = []
    out: dict[tuple[str, str], int] = {}
    for key in plan.backend_services:
        doc = services[key]
        if not _is_shared(doc, default, problems):
            continue
        indexes = sorted({r.backend.port_index for r in plan.routes
                          if (r.backend.namespace, r.backend.service) == key})
        if len(indexes) != 1:
            problems.append(Problem(doc.file, doc.label, "spec.ports", [f"ports[{i}]" for i in indexes],
                                    "the routes to a shared origin name must all use one Service port: the "
                                    "CDN rules of every cluster sharing it reach one NodePort"))
            continue
        port = _node_port(doc, indexes[0])
        if port is None:
            problems.append(Problem(doc.file, doc.label, f"spec.ports[{indexes[0]}].nodePort",
                                    _ports(doc)[indexes[0]].get("nodePort", MISSING) if _ports(doc) else MISSING,
                                    "a shared origin name needs an explicit nodePort (30000-32767): every "
                                    "cluster sharing the name must serve the same port"))
            continue
        out[key] = port
    if problems:
        raise ManifestError(problems)
    return out


def _is_shared(doc: Document, default: bool, problems: list[Problem]) -> bool:
    raw = mapping(doc.metadata.get("annotations")).get(ANNOTATION)
    if raw is None:
        return default
    if raw not in ("true", "false"):
        problems.append(Problem(doc.file, doc.label, f"metadata.annotations.{ANNOTATION}", raw,
                                "must be \"true\" or \"false\" (quoted)"))
        return False
    return bool(raw == "true")


def _ports(doc: Document) -> list[dict[str, Any]]:
    spec = doc.body.get("spec")
    ports = spec.get("ports") if isinstance(spec, dict) else None
    return [p if isinstance(p, dict) else {} for p in ports] if isinstance(ports, list) else []


def _node_port(doc: Document, index: int) -> int | None:
    ports = _ports(doc)
    value = ports[index].get("nodePort") if index < len(ports) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535 else None

