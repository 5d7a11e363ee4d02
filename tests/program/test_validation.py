"""Every kind of bad manifest is reported with file, object, field, value and what is allowed,
all problems at once, before anything is registered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cdn_ingress.errors import ManifestError
from cdn_ingress.manifests import load_documents
from cdn_ingress.routes import plan
from tests.program.manifests_kit import ingress, shipped, write


def problems_for(tmp_path: Path, files: dict[str, Any]) -> str:
    with pytest.raises(ManifestError) as caught:
        plan(load_documents(write(tmp_path / "m", files), root=tmp_path))
    return str(caught.value)


def with_ingress(**changes: Any) -> dict[str, Any]:
    files: dict[str, Any] = shipped()
    files["pywai-ingress.yaml"] = [ingress("shop", "shop.example.com", "/", **changes)]
    return files


def test_shipped_manifests_are_valid() -> None:
    result = plan(load_documents(Path("manifests")))
    assert sorted(r.key for r in result.routes) == [
        "cstradtman.s.llnwi.net/bob", "cstradtman.s.llnwi.net/mark/and/fred/"]


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    files: dict[str, Any] = {**shipped(), "broken.yaml": "kind: Service\nmetadata:\n  name: [x\n"}
    message = problems_for(tmp_path, files)
    assert "m/broken.yaml: YAML syntax line 4 column 1" in message
    assert "must be valid YAML" in message


def test_document_that_is_not_an_object(tmp_path: Path) -> None:
    message = problems_for(tmp_path, {**shipped(), "list.yaml": "- a\n- b\n"})
    assert "m/list.yaml: document at line 1: document='list'" in message


@pytest.mark.parametrize(("host", "reason"), [
    ("localhost", "single label"), ("*.example.com", "wildcard"), ("10.0.0.1", "IP address"),
    ("Shop.Example.com", "upper case"), ("https://shop.example.com", "scheme"),
], ids=["single-label", "wildcard", "ip", "upper-case", "scheme"])
def test_host_not_fqdn(tmp_path: Path, host: str, reason: str) -> None:
    files = shipped()
    files["pywai-ingress.yaml"] = [ingress("shop", host, "/")]
    message = problems_for(tmp_path, files)
    assert f"Ingress default/shop (line 1): spec.rules[0].host={host!r}" in message, reason
    assert "a lower-case FQDN" in message


def test_rule_without_host(tmp_path: Path) -> None:
    files = shipped()
    doc = ingress("shop", "shop.example.com", "/")
    del doc["spec"]["rules"][0]["host"]
    files["pywai-ingress.yaml"] = [doc]
    assert "spec.rules[0].host=(missing): a rule without host matches every host" in problems_for(tmp_path, files)


def test_path_must_start_with_slash(tmp_path: Path) -> None:
    files = shipped()
    files["pywai-ingress.yaml"] = [ingress("shop", "shop.example.com", "api")]
    message = problems_for(tmp_path, files)
    assert "m/pywai-ingress.yaml: Ingress default/shop (line 1): spec.rules[0].http.paths[0].path='api': must start with '/'" in message


def test_unsupported_path_type(tmp_path: Path) -> None:
    files = shipped()
    doc = ingress("shop", "shop.example.com", "/")
    doc["spec"]["rules"][0]["http"]["paths"][0]["pathType"] = "Regex"
    files["pywai-ingress.yaml"] = [doc]
    message = problems_for(tmp_path, files)
    assert "pathType='Regex': must be one of ['Exact', 'Prefix', 'ImplementationSpecific']" in message


def test_backend_service_missing(tmp_path: Path) -> None:
    files = shipped()
    files["pywai-ingress.yaml"] = [ingress("shop", "shop.example.com", "/", service="nope")]
    message = problems_for(tmp_path, files)
    assert "backend.service.name='nope': no Service of that name in namespace 'default'; declared: ['pywai-inline-service']" in message


@pytest.mark.parametrize(("port", "expected"), [
    ({"name": "pywai-port"}, "port.name='pywai-port': no port with that name on Service default/pywai-inline-service; allowed: ['http']"),
    ({"number": 80}, "port.number=80: no port with that number on Service default/pywai-inline-service; allowed: [8000]"),
    ({"name": "http", "number": 8000}, "give exactly one of 'name' or 'number'"),
], ids=["name", "number", "both"])
def test_backend_port_not_on_service(tmp_path: Path, port: dict[str, Any], expected: str) -> None:
    files = shipped()
    files["pywai-ingress.yaml"] = [ingress("shop", "shop.example.com", "/", port=port)]
    assert expected in problems_for(tmp_path, files)


def test_service_not_nodeport(tmp_path: Path) -> None:
    files = shipped()
    files["pywai-service.yaml"][0]["spec"]["type"] = "ClusterIP"
    message = problems_for(tmp_path, files)
    assert "has type 'ClusterIP'; the CDN needs type 'NodePort'" in message


def test_two_ingresses_claim_same_host_and_path(tmp_path: Path) -> None:
    files = shipped()
    files["extra.yaml"] = [ingress("copy", "cstradtman.s.llnwi.net", "/bob")]
    message = problems_for(tmp_path, files)
    assert "Ingress default/external-pywai-inline-ingress (line 1): host+path='cstradtman.s.llnwi.net/bob': already claimed by Ingress default/copy (line 1) in m/extra.yaml" in message


def test_duplicate_object_names(tmp_path: Path) -> None:
    files = shipped()
    files["zz-again.yaml"] = files["pywai-service.yaml"]
    message = problems_for(tmp_path, files)
    assert "m/zz-again.yaml: Service default/pywai-inline-service (line 1): metadata.name='pywai-inline-service': names must be unique per kind and namespace; also declared in m/pywai-service.yaml at line 1" in message


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("cdn-ingress.io/published-protocols", "ftp", "must be 'https', 'http' or 'http,https'"),
    ("cdn-ingress.io/source-protocol", "gopher", "must be 'http' or 'https'"),
    ("cdn-ingress.io/cache-max-seconds", "soon", "must be a whole number of seconds"),
    ("cdn-ingress.io/request-headers", "no-colon", "must be 'Header-Name: value' pairs"),
    ("cdn-ingress.io/cache-ttl", "60", "unknown annotation; allowed: ["),
], ids=["protocols", "source-protocol", "seconds", "headers", "unknown"])
def test_bad_annotation(tmp_path: Path, key: str, value: str, expected: str) -> None:
    message = problems_for(tmp_path, with_ingress(annotations={key: value}))
    assert f"metadata.annotations[{key!r}]={value!r}: {expected}" in message


def test_cache_min_above_max(tmp_path: Path) -> None:
    annotations = {"cdn-ingress.io/cache-min-seconds": "600", "cdn-ingress.io/cache-max-seconds": "60"}
    message = problems_for(tmp_path, with_ingress(annotations=annotations))
    assert "cache-min-seconds']='600': must not exceed cdn-ingress.io/cache-max-seconds (60)" in message


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    files = shipped()
    files["pywai-ingress.yaml"] = [ingress("a", "localhost", "x"), ingress("b", "b.example.com", "/", service="gone")]
    message = problems_for(tmp_path, files)
    assert message.startswith("3 problem(s) in the manifests; nothing was changed:")


def test_non_cdn_ingress_is_not_validated_for_the_cdn(tmp_path: Path) -> None:
    files = shipped()
    other = ingress("internal", "localhost", "x")
    other["spec"]["ingressClassName"] = "nginx"
    files["internal.yaml"] = [other]
    result = plan(load_documents(write(tmp_path / "m", files), root=tmp_path))
    assert all(r.ingress.name != "internal" for r in result.routes)


@pytest.mark.parametrize("selector", ["class", "label", "annotation"])
def test_cdn_selection(tmp_path: Path, selector: str) -> None:
    files = shipped()
    doc = ingress("shop", "shop.example.com", "/")
    del doc["spec"]["ingressClassName"]
    if selector == "class":
        doc["spec"]["ingressClassName"] = "edgio"
    elif selector == "label":
        doc["metadata"]["labels"] = {"cdn": "edgio"}
    else:
        doc["metadata"]["annotations"] = {"kubernetes.io/ingress.class": "edgio"}
    files["pywai-ingress.yaml"] = [doc]
    result = plan(load_documents(write(tmp_path / "m", files), root=tmp_path))
    assert [r.key for r in result.routes if r.ingress.name == "shop"] == ["shop.example.com/"]
