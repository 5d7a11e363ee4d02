"""IngressClass selection, spec.tls, other controllers' annotations and legacy Ingresses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.program.ingress_kit import SERVICE, ingress, path, planned, refused, rule, warnings

HOST = "shop.example.com"
NGINX = "nginx.ingress.kubernetes.io/"


def ingress_class(name: str, controller: str, *, default: bool = False, **spec: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if default:
        metadata["annotations"] = {"ingressclass.kubernetes.io/is-default-class": "true"}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": metadata,
            "spec": {"controller": controller, **spec}}


def unclassed() -> dict[str, Any]:
    doc = ingress(rules=[rule(HOST, path("/"))])
    del doc["spec"]["ingressClassName"]
    return doc


def test_default_ingress_class_of_ours_selects_an_unclassed_ingress(tmp_path: Path) -> None:
    result = planned(tmp_path, ingress_class("cdn", "cdn-ingress.io/edgio", default=True), unclassed())
    assert [r.key for r in result.routes] == ["shop.example.com/"]


def test_default_ingress_class_of_another_controller_leaves_it_alone(tmp_path: Path) -> None:
    result = planned(tmp_path, ingress_class("nginx", "k8s.io/ingress-nginx", default=True), unclassed())
    assert result.routes == []


def test_ingress_class_with_our_controller_selects_by_name(tmp_path: Path) -> None:
    doc = ingress(rules=[rule(HOST, path("/"))])
    doc["spec"]["ingressClassName"] = "cdn-public"
    result = planned(tmp_path, ingress_class("cdn-public", "cdn-ingress.io/edgio"), doc)
    assert [r.key for r in result.routes] == ["shop.example.com/"]


def test_ingress_class_parameters_are_refused(tmp_path: Path) -> None:
    params = {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external-lb"}
    found = refused(tmp_path, ingress_class("edgio", "cdn-ingress.io/edgio", parameters=params),
                    ingress(rules=[rule(HOST, path("/"))]))
    assert found == ["m/app.yaml: IngressClass default/edgio (line 1): spec.parameters={'apiGroup': "
                     "'k8s.example.com', 'kind': 'IngressParameters', 'name': 'external-lb'}: the CDN has no "
                     "per-class settings object; give options per Ingress with cdn-ingress.io/ annotations, or "
                     "per stack with config"]


def test_stack_class_with_another_controller_is_refused(tmp_path: Path) -> None:
    found = refused(tmp_path, ingress_class("edgio", "k8s.io/ingress-nginx"), ingress(rules=[rule(HOST, path("/"))]))
    assert "spec.controller='k8s.io/ingress-nginx': IngressClass 'edgio' is the stack's ingressClass" in found[0]


def test_tls_secret_and_hosts_are_warned(tmp_path: Path) -> None:
    tls = [{"hosts": [HOST, "other.example.com"], "secretName": "shop-tls"}]
    doc = ingress(rules=[rule(HOST, path("/")), rule("b.example.com", path("/"))], tls=tls)
    assert warnings(planned(tmp_path, doc)) == [
        "m/app.yaml: Ingress default/shop (line 1): spec.tls[0].hosts[1]='other.example.com': no rule of this "
        "Ingress publishes that host, so nothing is published for it",
        "m/app.yaml: Ingress default/shop (line 1): spec.tls[0].secretName='shop-tls': the CDN does not read "
        "Kubernetes Secrets: the published host is served with the certificate provisioned for it at the CDN, "
        "not this Secret's",
        "m/app.yaml: Ingress default/shop (line 1): spec.tls='b.example.com': the host is published on https "
        "like every CDN host, though spec.tls does not list it"]


def test_other_controllers_annotations_one_warning(tmp_path: Path) -> None:
    annotations = {NGINX + "proxy-body-size": "8m", "alb.ingress.kubernetes.io/scheme": "internet-facing",
                   "argocd.argoproj.io/sync-wave": "1", "cdn-ingress.io/profile": "LLNW-Generic"}
    result = planned(tmp_path, ingress(rules=[rule(HOST, path("/"))], annotations=annotations))
    assert warnings(result) == [
        "m/app.yaml: Ingress default/shop (line 1): metadata.annotations=['alb.ingress.kubernetes.io/scheme', "
        "'nginx.ingress.kubernetes.io/proxy-body-size']: other controllers' annotations that have no effect on "
        "the CDN (CDN options are annotations under 'cdn-ingress.io/', see docs/routes.md)"]


@pytest.mark.parametrize(("key", "value", "field", "expected"), [
    (NGINX + "rewrite-target", "/", "source_path", "/"),
    (NGINX + "ssl-redirect", "false", "published_protocols", ("http", "https")),
    (NGINX + "force-ssl-redirect", "true", "published_protocols", ("https",)),
    (NGINX + "backend-protocol", "HTTPS", "source_protocol", "https"),
], ids=["rewrite-target", "ssl-redirect", "force-ssl-redirect", "backend-protocol"])
def test_controller_annotation_with_a_cdn_meaning_is_served(tmp_path: Path, key: str, value: str, field: str,
                                                            expected: object) -> None:
    result = planned(tmp_path, ingress(rules=[rule(HOST, path("/api"))], annotations={key: value}))
    assert getattr(result.routes[0].options, field) == expected
    assert warnings(result) == []


def test_cdn_annotation_wins_and_the_other_is_named(tmp_path: Path) -> None:
    annotations = {NGINX + "rewrite-target": "/", "cdn-ingress.io/source-path": "/v1"}
    result = planned(tmp_path, ingress(rules=[rule(HOST, path("/api"))], annotations=annotations))
    assert result.routes[0].options.source_path == "/v1"
    named = "metadata.annotations=['nginx.ingress.kubernetes.io/rewrite-target']: other controllers'"
    assert named in warnings(result)[0]


@pytest.mark.parametrize(("key", "value", "expected"), [
    (NGINX + "rewrite-target", "/$2", "no capture groups ($1)"),
    (NGINX + "backend-protocol", "GRPC", "allowed: 'HTTP', 'HTTPS'"),
], ids=["capture-group", "grpc"])
def test_controller_annotation_the_cdn_cannot_serve_is_refused(tmp_path: Path, key: str, value: str,
                                                               expected: str) -> None:
    found = refused(tmp_path, ingress(rules=[rule(HOST, path("/api"))], annotations={key: value}))
    assert f"metadata.annotations[{key!r}]={value!r}: " in found[0]
    assert expected in found[0]


def legacy(api_version: str) -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": "Ingress",
            "metadata": {"name": "old", "annotations": {"kubernetes.io/ingress.class": "edgio"}},
            "spec": {"backend": {"serviceName": SERVICE, "servicePort": 8000},
                     "rules": [{"host": HOST, "http": {"paths": [
                         {"path": "/api", "backend": {"serviceName": SERVICE, "servicePort": "http"}}]}}]}}


@pytest.mark.parametrize("api_version", ["extensions/v1beta1", "networking.k8s.io/v1beta1"])
def test_legacy_ingress_is_served_and_declared_as_v1(tmp_path: Path, api_version: str) -> None:
    result = planned(tmp_path, legacy(api_version))
    assert sorted((r.key, r.path_type, r.backend.port) for r in result.routes) == [
        ("shop.example.com/", "Prefix", "8000"), ("shop.example.com/api", "ImplementationSpecific", "http")]
    declared = next(d for d in result.documents if d.kind == "Ingress")
    assert declared.body["apiVersion"] == "networking.k8s.io/v1"
    assert declared.body["spec"]["defaultBackend"] == {"service": {"name": SERVICE, "port": {"number": 8000}}}
    assert f"apiVersion={api_version!r}: declared as networking.k8s.io/v1" in warnings(result)[0]


def test_legacy_class_annotation_takes_precedence_over_the_field(tmp_path: Path) -> None:
    doc = ingress(rules=[rule(HOST, path("/"))], annotations={"kubernetes.io/ingress.class": "nginx"})
    assert planned(tmp_path, doc).routes == []


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("nginx.org/path-regex", "case_insensitive", "the CDN matches literal path prefixes"),
    ("nginx.org/rewrites", "serviceName=web rewrite=/v1", "per-Service rewrites are not served"),
    ("nginx.org/ssl-services", "web", "per-Service origin protocols are not served"),
    ("nginx.org/grpc-services", "web", "not gRPC"),
], ids=["path-regex", "rewrites", "ssl-services", "grpc-services"])
def test_nginx_inc_annotations_the_cdn_cannot_serve_are_refused(tmp_path: Path, key: str, value: str,
                                                                expected: str) -> None:
    found = refused(tmp_path, ingress(rules=[rule(HOST, path("/api"))], annotations={key: value}))
    assert f"metadata.annotations[{key!r}]={value!r}: " in found[0]
    assert expected in found[0]


def test_nginx_inc_redirect_to_https_is_served(tmp_path: Path) -> None:
    doc = ingress(rules=[rule(HOST, path("/"))], annotations={"nginx.org/redirect-to-https": "true"})
    result = planned(tmp_path, doc)
    assert (result.routes[0].options.published_protocols, warnings(result)) == (("https",), [])


def test_implementation_specific_without_path_is_every_path(tmp_path: Path) -> None:
    entry = {"pathType": "ImplementationSpecific", "backend": {"service": {"name": SERVICE, "port": {"number": 8000}}}}
    assert [r.key for r in planned(tmp_path, ingress(rules=[rule(HOST, entry)])).routes] == ["shop.example.com/"]


def test_tls_entry_without_hosts_covers_every_host(tmp_path: Path) -> None:
    doc = ingress(rules=[rule(HOST, path("/"))], tls=[{"secretName": "shop-tls"}])
    assert [w.split(": ")[2] for w in warnings(planned(tmp_path, doc))] == ["spec.tls[0].secretName='shop-tls'"]


def test_nginx_inc_proxy_set_headers_with_values_are_request_headers(tmp_path: Path) -> None:
    annotations = {"nginx.org/proxy-set-headers": "header-a:value-a,header-b: value b"}
    result = planned(tmp_path, ingress(rules=[rule(HOST, path("/"))], annotations=annotations))
    assert result.routes[0].options.options == ({"name": "req_send_header", "parameters": ["header-a", "value-a"]},
                                                {"name": "req_send_header", "parameters": ["header-b", "value b"]})
    assert warnings(result) == []


def test_nginx_inc_proxy_set_headers_without_a_value_is_refused(tmp_path: Path) -> None:
    annotations = {"nginx.org/proxy-set-headers": "X-Forwarded-ABC"}
    found = refused(tmp_path, ingress(rules=[rule(HOST, path("/"))], annotations=annotations))
    assert "proxy-set-headers']='X-Forwarded-ABC': a header without a value copies" in found[0]
