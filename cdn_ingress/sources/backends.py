"""Backends every source shares: a Service of type NodePort declared in the manifests, by port
name or number."""

from __future__ import annotations

from typing import Any

from cdn_ingress.manifests import Document
from cdn_ingress.model import Backend, Findings, mapping


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Services:
    def __init__(self, documents: list[Document], findings: Findings) -> None:
        self.by_name = {(d.namespace, d.name): d for d in documents if d.kind == "Service"}
        self.findings = findings

    def resolve(self, doc: Document, *, at: str, name: Any, port_at: str, port_field: str, wanted: Any
                ) -> Backend | None:
        """The backend ``name`` port ``wanted`` (``port_field`` 'name' or 'number'), or None once
        refused; ``at`` is the field that names the Service, ``port_at`` the one that names the port."""
        if not isinstance(name, str) or not name:
            self.findings.refuse(doc, at, name, "must be a string: the CDN reaches Services only, "
                                 "name a Service declared in the manifests")
            return None
        ports = self._node_port_service(doc, at, name)
        if ports is None:
            return None
        key = "name" if port_field == "name" else "port"
        known = [p.get(key) for p in ports if p.get(key) is not None]
        for index, candidate in enumerate(ports):
            if candidate.get(key) == wanted:
                return Backend(doc.namespace, name, index, str(wanted))
        self.findings.refuse(doc, port_at, wanted, f"no port with that {port_field} on Service "
                             f"{doc.namespace}/{name}; allowed: {known}")
        return None

    def _node_port_service(self, doc: Document, at: str, name: str) -> list[dict[str, Any]] | None:
        target = self.by_name.get((doc.namespace, name))
        if target is None:
            declared = sorted(n for ns, n in self.by_name if ns == doc.namespace)
            self.findings.refuse(doc, at, name,
                                 f"no Service of that name in namespace {doc.namespace!r}; declared: {declared}")
            return None
        spec = mapping(target.body.get("spec"))  # a Service of the wrong shape is reported on its own
        if spec.get("type") != "NodePort":
            self.findings.refuse(doc, at, name, f"Service {doc.namespace}/{name} ({target.file}) has type "
                                 f"{spec.get('type', 'ClusterIP')!r}; the CDN needs type 'NodePort'")
            return None
        ports = spec.get("ports")
        return [mapping(p) for p in ports] if isinstance(ports, list) else None
