"""docs/routes.md's Gateway API tables hold the program: every leaf field of the standard-channel
CRDs (v1.6.1) has a row, every row is in the docs as the code has it, and an HTTPRoute setting
each field is served, warned, or has its rule dropped (refused) as the row says."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from cdn_ingress.errors import ManifestError
from cdn_ingress.sources.fields import REFUSED, SERVED, WARNED, Field
from cdn_ingress.sources.gateway_fields import GATEWAY, GATEWAY_CLASS, HTTPROUTE
from tests.program.gateway_kit import backend, gateway, gateway_class, httproute, rule
from tests.program.ingress_kit import planned

DOCS = Path(__file__).resolve().parents[2] / "docs" / "routes.md"
# Leaf fields of config/crd/standard/gateway.networking.k8s.io_*.yaml at v1.6.1 (kubernetes-sigs/gateway-api),
# filters[] written F.
_F = ("cors.allowCredentials", "cors.allowHeaders[]", "cors.allowMethods[]", "cors.allowOrigins[]",
      "cors.exposeHeaders[]", "cors.maxAge", "extensionRef.group", "extensionRef.kind", "extensionRef.name",
      "requestHeaderModifier.add[].name", "requestHeaderModifier.add[].value", "requestHeaderModifier.remove[]",
      "requestHeaderModifier.set[].name", "requestHeaderModifier.set[].value", "requestMirror.backendRef.name",
      "requestMirror.fraction.numerator", "requestMirror.percent", "requestRedirect.hostname",
      "requestRedirect.path.type", "requestRedirect.port", "requestRedirect.scheme", "requestRedirect.statusCode",
      "responseHeaderModifier.add[].name", "responseHeaderModifier.remove[]", "responseHeaderModifier.set[].value",
      "type", "urlRewrite.hostname", "urlRewrite.path.replaceFullPath", "urlRewrite.path.replacePrefixMatch",
      "urlRewrite.path.type")
CRD_HTTPROUTE = (
    *(f"spec.rules[].filters[].{f}" for f in _F), "spec.hostnames[]", "spec.parentRefs[].group",
    "spec.parentRefs[].kind", "spec.parentRefs[].name", "spec.parentRefs[].namespace", "spec.parentRefs[].port",
    "spec.parentRefs[].sectionName", "spec.rules[].backendRefs[].group", "spec.rules[].backendRefs[].kind",
    "spec.rules[].backendRefs[].name", "spec.rules[].backendRefs[].namespace", "spec.rules[].backendRefs[].port",
    "spec.rules[].backendRefs[].weight", "spec.rules[].backendRefs[].filters[].type",
    "spec.rules[].matches[].headers[].name", "spec.rules[].matches[].headers[].type",
    "spec.rules[].matches[].headers[].value", "spec.rules[].matches[].method", "spec.rules[].matches[].path.type",
    "spec.rules[].matches[].path.value", "spec.rules[].matches[].queryParams[].name", "spec.rules[].name",
    "spec.rules[].timeouts.backendRequest", "spec.rules[].timeouts.request",
)
CRD_GATEWAY = (
    "spec.addresses[].type", "spec.addresses[].value", "spec.allowedListeners.namespaces.from",
    "spec.gatewayClassName", "spec.infrastructure.annotations", "spec.infrastructure.parametersRef.name",
    "spec.listeners[].allowedRoutes.kinds[].group", "spec.listeners[].allowedRoutes.kinds[].kind",
    "spec.listeners[].allowedRoutes.namespaces.from",
    "spec.listeners[].allowedRoutes.namespaces.selector.matchExpressions[].key",
    "spec.listeners[].allowedRoutes.namespaces.selector.matchLabels", "spec.listeners[].hostname",
    "spec.listeners[].name", "spec.listeners[].port", "spec.listeners[].protocol",
    "spec.listeners[].tls.certificateRefs[].name", "spec.listeners[].tls.mode", "spec.listeners[].tls.options",
    "spec.tls.backend.clientCertificateRef.name", "spec.tls.frontend.perPort[].port",
)
CRD_GATEWAY_CLASS = ("spec.controllerName", "spec.description", "spec.parametersRef.group",
                     "spec.parametersRef.kind", "spec.parametersRef.name", "spec.parametersRef.namespace")


def covered(leaf: str, table: dict[str, Field]) -> bool:
    return any(leaf == row or leaf.startswith((row + ".", row + "[]")) for row in table)


@pytest.mark.parametrize(("leaf", "table"), [
    *((leaf, HTTPROUTE) for leaf in CRD_HTTPROUTE), *((leaf, GATEWAY) for leaf in CRD_GATEWAY),
    *((leaf, GATEWAY_CLASS) for leaf in CRD_GATEWAY_CLASS)])
def test_every_crd_field_has_a_row(leaf: str, table: dict[str, Field]) -> None:
    assert covered(leaf, table), leaf


TABLES = {"class": GATEWAY_CLASS, "gateway": GATEWAY, "httproute": HTTPROUTE}


@pytest.mark.parametrize(("table", "row"), [(t, r) for t, rows in TABLES.items() for r in rows])
def test_every_row_is_in_the_docs_as_the_code_has_it(table: str, row: str) -> None:
    field = TABLES[table][row]
    assert f"| `{row}` | {field.verdict} | {field.how} |" in DOCS.read_text(), (table, row)


HOST = "shop.example.com"
R0 = ("spec", "rules", 0)
M0 = (*R0, "matches", 0)
B0 = (*R0, "backendRefs", 0)


def _filter(kind: str, key: str, value: Any) -> tuple[tuple[Any, ...], Any]:
    return ((*R0, "filters"), [{"type": kind, key: value}])


HEADERS = [{"name": "X-A", "value": "1"}]
SAMPLES: dict[str, tuple[tuple[Any, ...], Any]] = {  # row -> (where in the route, value)
    "spec.parentRefs[].group": (("spec", "parentRefs", 0, "group"), "gateway.networking.k8s.io"),
    "spec.parentRefs[].kind": (("spec", "parentRefs", 0, "kind"), "Gateway"),
    "spec.parentRefs[].name": (("spec", "parentRefs", 0, "name"), "edge"),
    "spec.parentRefs[].namespace": (("spec", "parentRefs", 0, "namespace"), "default"),
    "spec.parentRefs[].sectionName": (("spec", "parentRefs", 0, "sectionName"), "https"),
    "spec.parentRefs[].port": (("spec", "parentRefs", 0, "port"), 443),
    "spec.hostnames": (("spec", "hostnames"), [HOST]),
    "spec.rules[].name": ((*R0, "name"), "main"),
    "spec.rules[].matches[].path.type": ((*M0, "path", "type"), "PathPrefix"),
    "spec.rules[].matches[].path.value": ((*M0, "path", "value"), "/api"),
    "spec.rules[].matches[].headers": ((*M0, "headers"), [{"name": "x", "value": "1"}]),
    "spec.rules[].matches[].queryParams": ((*M0, "queryParams"), [{"name": "q", "value": "1"}]),
    "spec.rules[].matches[].method": ((*M0, "method"), "GET"),
    "spec.rules[].filters[].type": _filter("RequestHeaderModifier", "requestHeaderModifier", {"set": HEADERS}),
    "spec.rules[].filters[].requestHeaderModifier.set": _filter("RequestHeaderModifier", "requestHeaderModifier",
                                                                {"set": HEADERS}),
    "spec.rules[].filters[].requestHeaderModifier.add": _filter("RequestHeaderModifier", "requestHeaderModifier",
                                                                {"add": HEADERS}),
    "spec.rules[].filters[].requestHeaderModifier.remove": _filter("RequestHeaderModifier",
                                                                   "requestHeaderModifier", {"remove": ["X-A"]}),
    "spec.rules[].filters[].responseHeaderModifier.set": _filter("ResponseHeaderModifier",
                                                                 "responseHeaderModifier", {"set": HEADERS}),
    "spec.rules[].filters[].responseHeaderModifier.add": _filter("ResponseHeaderModifier",
                                                                 "responseHeaderModifier", {"add": HEADERS}),
    "spec.rules[].filters[].responseHeaderModifier.remove": _filter("ResponseHeaderModifier",
                                                                    "responseHeaderModifier", {"remove": ["X"]}),
    "spec.rules[].filters[].urlRewrite.path": _filter("URLRewrite", "urlRewrite", {"path": {
        "type": "ReplacePrefixMatch", "replacePrefixMatch": "/v2"}}),
    "spec.rules[].filters[].urlRewrite.hostname": _filter("URLRewrite", "urlRewrite", {"hostname": "a.example.com"}),
    "spec.rules[].filters[].requestRedirect": _filter("RequestRedirect", "requestRedirect", {"scheme": "https"}),
    "spec.rules[].filters[].requestMirror": _filter("RequestMirror", "requestMirror", {"backendRef": backend()}),
    "spec.rules[].filters[].cors": _filter("CORS", "cors", {"allowOrigins": ["https://a.example.com"]}),
    "spec.rules[].filters[].extensionRef": _filter("ExtensionRef", "extensionRef", {"group": "x.io", "kind": "K",
                                                                                     "name": "n"}),
    "spec.rules[].backendRefs[].name": ((*B0, "name"), "pywai-inline-service"),
    "spec.rules[].backendRefs[].port": ((*B0, "port"), 8000),
    "spec.rules[].backendRefs[].group": ((*B0, "group"), ""),
    "spec.rules[].backendRefs[].kind": ((*B0, "kind"), "Service"),
    "spec.rules[].backendRefs[].namespace": ((*B0, "namespace"), "default"),
    "spec.rules[].backendRefs[].weight": ((*B0, "weight"), 1),
    "spec.rules[].backendRefs[].filters": ((*B0, "filters"), [{"type": "RequestHeaderModifier"}]),
    "spec.rules[].timeouts": ((*R0, "timeouts"), {"request": "10s"}),
    "status": (("status",), {"parents": []}),
}


def _set(doc: dict[str, Any], where: tuple[Any, ...], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    node: Any = doc
    for part in where[:-1]:
        node = node[part] if isinstance(part, int) else node.setdefault(part, {})
    node[where[-1]] = value
    return doc


@pytest.mark.parametrize("row", list(HTTPROUTE))
def test_each_httproute_field_is_served_warned_or_refused_as_the_table_says(tmp_path: Path, row: str) -> None:
    base = httproute("web", rule("/"), hostnames=[HOST])
    where, value = SAMPLES[row]
    try:
        result = planned(tmp_path, gateway_class(), gateway(), _set(base, where, value))
    except ManifestError as error:
        pytest.fail(f"{row}: {error}")
    expected = HTTPROUTE[row].verdict
    if expected == SERVED:
        assert (len(result.routes), result.warnings) == (1, []), row
    elif expected == WARNED:
        assert len(result.routes) == 1 and [w.field for w in result.warnings] == [row], row
    else:
        assert expected == REFUSED
        assert result.routes == [] and any("the rule is not published" in w.allowed for w in result.warnings), row
