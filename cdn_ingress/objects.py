"""Shape checks every object passes before anything reads it: JSON types only, string keys, and
the metadata (and the few kind-specific fields) the program relies on having the right type."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Any

from cdn_ingress.errors import MISSING
from cdn_ingress.manifests import Document

Report = Callable[[Document, str, Any, str], None]
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_STRING_MAPS = {"ConfigMap": ("data", "binaryData"), "Secret": ("data", "stringData")}
NOT_JSON = ("must be a string, number, boolean, null, list or mapping (quote dates, timestamps "
            "and binary values in YAML)")


def field_path(parent: str, key: Any) -> str:
    if isinstance(key, str) and _PLAIN_KEY.match(key):
        return f"{parent}.{key}" if parent else key
    return f"{parent}[{key!r}]"


def _walk(value: Any, at: str = "") -> Iterator[tuple[str, Any, str]]:
    """(field, value, what is allowed) for each key or value JSON cannot carry."""
    stack: list[tuple[Any, str]] = [(value, at)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if not isinstance(key, str):
                    yield field_path(where, key), item, "keys must be strings (quote them in YAML)"
                else:
                    stack.append((item, field_path(where, key)))
        elif isinstance(node, list):
            stack.extend((item, f"{where}[{index}]") for index, item in enumerate(node))
        elif isinstance(node, float) and not math.isfinite(node):
            yield where, node, "must be a finite number"
        elif node is not None and not isinstance(node, (str, int, float, bool)):
            yield where, node, NOT_JSON


def check_object(doc: Document, report: Report) -> None:
    """Report every problem of one object's shape; the caller has the route checks."""
    for where, value, allowed in sorted(_walk(doc.body), key=lambda item: item[0]):
        report(doc, where, value, allowed)
    for key in ("apiVersion", "kind"):
        if not isinstance(doc.body.get(key), str) or not doc.body.get(key):
            report(doc, key, doc.body.get(key, MISSING), "every object needs a string " + key)
    metadata = doc.body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        report(doc, "metadata", metadata, "must be a mapping with at least a name")
    else:
        _check_metadata(doc, metadata or {}, report)
    if "spec" in doc.body and not isinstance(doc.body["spec"], dict):
        report(doc, "spec", doc.body["spec"], "must be a mapping")
    for key in _STRING_MAPS.get(doc.kind, ()):
        _string_map(doc, key, doc.body.get(key), report, "values must be strings")
    if doc.kind == "Service" and isinstance(doc.body.get("spec"), dict):
        _check_ports(doc, doc.body["spec"].get("ports"), report)


def _check_metadata(doc: Document, metadata: dict[str, Any], report: Report) -> None:
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        report(doc, "metadata.name", name if name is not None else MISSING,
               "every object needs a name (generateName is not supported)")
    namespace = metadata.get("namespace")
    if namespace is not None and not isinstance(namespace, str):
        report(doc, "metadata.namespace", namespace, "must be a string")
    for key in ("labels", "annotations"):
        _string_map(doc, f"metadata.{key}", metadata.get(key), report,
                    "values must be strings (quote numbers and booleans in YAML)")


def _string_map(doc: Document, at: str, value: Any, report: Report, allowed: str) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        report(doc, at, value, "must be a mapping of strings")
        return
    for key, item in value.items():
        if isinstance(key, str) and _is_json_but_not_string(item):
            report(doc, f"{at}[{key!r}]", item, allowed)


def _is_json_but_not_string(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)  # a NaN is reported as such by the walk
    return value is None or isinstance(value, (int, bool, list, dict))


def _check_ports(doc: Document, ports: Any, report: Report) -> None:
    if ports is None:
        return
    if not isinstance(ports, list):
        report(doc, "spec.ports", ports, "must be a list of port mappings")
        return
    for index, port in enumerate(ports):
        if not isinstance(port, dict):
            report(doc, f"spec.ports[{index}]", port, "must be a mapping with a port number")


# Built-in kinds that live outside namespaces (kubectl api-resources --namespaced=false).
CLUSTER_KINDS = frozenset({
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
    "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass", "CSIDriver", "CSINode", "VolumeAttachment",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding", "APIService", "CertificateSigningRequest", "FlowSchema",
    "PriorityLevelConfiguration", "ComponentStatus",
    "GatewayClass",  # gateway.networking.k8s.io: a *.k8s.io group, so counted with the built-in ones
})


def group_of(api_version: str) -> str:
    return api_version.rpartition("/")[0]


def is_built_in(group: str) -> bool:
    """Kubernetes' own API groups: core (""), single words (apps, batch) and *.k8s.io; a CRD's
    group always has a dot."""
    return "." not in group or group.endswith(".k8s.io")


def crd_names(doc: Document) -> tuple[str, str, str] | None:
    """(group, kind, scope) that a CustomResourceDefinition defines, if it says."""
    spec, api_version = doc.body.get("spec"), doc.body.get("apiVersion")
    is_crd = doc.kind == "CustomResourceDefinition" and str(api_version).startswith("apiextensions.k8s.io/")
    if not is_crd or not isinstance(spec, dict):
        return None
    names = spec.get("names")
    group, kind = spec.get("group"), names.get("kind") if isinstance(names, dict) else None
    if not isinstance(group, str) or not isinstance(kind, str):
        return None
    return group, kind, str(spec.get("scope") or "Namespaced")


def cluster_scoped_kinds(documents: list[Document]) -> set[tuple[str, str]]:
    """(group, kind) of the custom resources that the manifests' CRDs declare cluster-scoped."""
    defined = (crd_names(doc) for doc in documents)
    return {(group, kind) for group, kind, scope in filter(None, defined) if scope == "Cluster"}


def namespace_of(doc: Document, cluster: set[tuple[str, str]]) -> str | None:
    """The namespace the object lives in; None for a cluster-scoped object."""
    api_version = doc.body.get("apiVersion")
    group = group_of(api_version) if isinstance(api_version, str) else ""
    if (is_built_in(group) and doc.kind in CLUSTER_KINDS) or (group, doc.kind) in cluster:
        return None
    return doc.namespace
