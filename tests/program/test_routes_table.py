"""docs/routes.md's tables hold the program: every field of the Ingress and IngressClass OpenAPI
shapes has a row, every row is in the docs as written in the code, and a manifest setting each
field is served (no warning, no problem), warned (a warning names it) or refused (a problem does)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from cdn_ingress.errors import ManifestError
from cdn_ingress.sources.fields import INGRESS_CLASS, INGRESS_V1, INGRESS_V1BETA1, METADATA, REFUSED, SERVED, Field
from tests.program.ingress_kit import SERVICE, ingress, path, planned, rule

DOCS = Path(__file__).resolve().parents[2] / "docs" / "routes.md"
HOST = "shop.example.com"
# The leaf fields of the OpenAPI shapes (kubernetes/kubernetes api/openapi-spec/v3/
# apis__networking.k8s.io__v1_openapi.json: IngressSpec, IngressBackend, IngressServiceBackend,
# ServiceBackendPort, TypedLocalObjectReference, IngressRule, HTTPIngressPath, IngressTLS,
# IngressStatus, IngressClassSpec, IngressClassParametersReference).
_BACKEND = ("resource.apiGroup", "resource.kind", "resource.name", "service.name", "service.port.name",
            "service.port.number")
OPENAPI_INGRESS = (
    "spec.ingressClassName", *(f"spec.defaultBackend.{b}" for b in _BACKEND), "spec.rules[].host",
    "spec.rules[].http.paths[].path", "spec.rules[].http.paths[].pathType",
    *(f"spec.rules[].http.paths[].backend.{b}" for b in _BACKEND), "spec.tls[].hosts[]", "spec.tls[].secretName",
    "status.loadBalancer.ingress[].hostname", "status.loadBalancer.ingress[].ip",
    "status.loadBalancer.ingress[].ports[].port", "status.loadBalancer.ingress[].ports[].protocol",
    "status.loadBalancer.ingress[].ports[].error",
)
OPENAPI_INGRESS_CLASS = ("spec.controller", "spec.parameters.apiGroup", "spec.parameters.kind",
                         "spec.parameters.name", "spec.parameters.namespace", "spec.parameters.scope")


def covered(leaf: str, table: dict[str, Field]) -> bool:
    return any(leaf == row or leaf.startswith((row + ".", row + "[]")) for row in table)


@pytest.mark.parametrize("leaf", OPENAPI_INGRESS)
def test_every_ingress_field_has_a_row(leaf: str) -> None:
    assert covered(leaf, INGRESS_V1), leaf


@pytest.mark.parametrize("leaf", OPENAPI_INGRESS_CLASS)
def test_every_ingress_class_field_has_a_row(leaf: str) -> None:
    assert covered(leaf, INGRESS_CLASS), leaf


TABLES = {"v1": INGRESS_V1, "v1beta1": INGRESS_V1BETA1, "class": INGRESS_CLASS, "metadata": METADATA}


@pytest.mark.parametrize(("table", "row"), [(t, r) for t, rows in TABLES.items() for r in rows])
def test_every_row_is_in_the_docs_as_the_code_has_it(table: str, row: str) -> None:
    field = TABLES[table][row]
    assert f"| `{row}` | {field.verdict} | {field.how} |" in DOCS.read_text(), (table, row)


def _set(doc: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    node = doc
    *parents, last = dotted.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[last] = value
    return doc


BASE = ingress(rules=[rule(HOST, path("/"))])
P0 = "spec.rules.0.http.paths.0"
BUCKET = {"resource": {"kind": "Bucket", "name": "b"}}


def service(port: dict[str, Any]) -> dict[str, Any]:
    return {"service": {"name": SERVICE, "port": port}}


SAMPLES: dict[str, tuple[str, Any, str]] = {  # row -> (where to set it in BASE, value, field the finding names)
    "spec.ingressClassName": ("spec.ingressClassName", "edgio", ""),
    "spec.defaultBackend.service.name": ("spec.defaultBackend", service({"number": 8000}), ""),
    "spec.defaultBackend.service.port.name": ("spec.defaultBackend", service({"name": "http"}), ""),
    "spec.defaultBackend.service.port.number": ("spec.defaultBackend", service({"number": 8000}), ""),
    "spec.defaultBackend.resource": ("spec.defaultBackend", BUCKET, "spec.defaultBackend.resource"),
    "spec.rules[].host": ("spec.rules.0.host", "www.example.com", ""),
    "spec.rules[].http.paths[].path": (f"{P0}.path", "/api", ""),
    "spec.rules[].http.paths[].pathType": (f"{P0}.pathType", "Prefix", ""),
    "spec.rules[].http.paths[].backend.service.name": (f"{P0}.backend.service.name", SERVICE, ""),
    "spec.rules[].http.paths[].backend.service.port.name": (f"{P0}.backend", service({"name": "http"}), ""),
    "spec.rules[].http.paths[].backend.service.port.number": (f"{P0}.backend", service({"number": 8000}), ""),
    "spec.rules[].http.paths[].backend.resource": (f"{P0}.backend", BUCKET,
                                                   "spec.rules[0].http.paths[0].backend.resource"),
    "spec.tls[].hosts": ("spec.tls", [{"hosts": [HOST]}], ""),
    "spec.tls[].secretName": ("spec.tls", [{"hosts": [HOST], "secretName": "shop-tls"}], "spec.tls[0].secretName"),
    "status": ("status", {"loadBalancer": {"ingress": [{"hostname": "lb.example.com"}]}}, "status"),
}


def outcome(tmp_path: Path, doc: dict[str, Any]) -> tuple[str, list[str]]:
    try:
        result = planned(tmp_path, doc)
    except ManifestError as error:
        return REFUSED, [p.field for p in error.problems]
    return SERVED, [w.field for w in result.warnings]


@pytest.mark.parametrize("row", list(INGRESS_V1))
def test_each_ingress_field_is_served_warned_or_refused_as_the_table_says(tmp_path: Path, row: str) -> None:
    where, value, named = SAMPLES[row]
    verdict, fields = outcome(tmp_path, _set(BASE, where, value))
    expected = INGRESS_V1[row].verdict
    if expected == SERVED:
        assert (verdict, fields) == (SERVED, []), row
    else:
        assert verdict == expected if expected == REFUSED else verdict == SERVED, row
        assert named in fields, (row, fields)
