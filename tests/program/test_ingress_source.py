"""Ingress as people write it: every field served, warned or refused as docs/routes.md says."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.program.ingress_kit import backend, ingress, path, planned, refused, rule, warnings

HOST = "shop.example.com"


def test_request_path_is_the_source_path(tmp_path: Path) -> None:
    result = planned(tmp_path, ingress(rules=[rule(HOST, path("/api"), path("/"))]))
    assert [(r.path, r.options.source_path) for r in result.routes] == [("/api", "/api"), ("/", "/")]


def test_source_path_annotation_is_the_rewrite(tmp_path: Path) -> None:
    doc = ingress(rules=[rule(HOST, path("/api"))], annotations={"cdn-ingress.io/source-path": "/v2"})
    assert [r.options.source_path for r in planned(tmp_path, doc).routes] == ["/v2"]


def test_implementation_specific_is_a_prefix_with_a_warning(tmp_path: Path) -> None:
    result = planned(tmp_path, ingress(rules=[rule(HOST, path("/api", "ImplementationSpecific"))]))
    assert [(r.key, r.path_type) for r in result.routes] == [("shop.example.com/api", "ImplementationSpecific")]
    assert warnings(result) == [
        "m/app.yaml: Ingress default/shop (line 1): spec.rules[0].http.paths[0].pathType='ImplementationSpecific': "
        "published as a prefix: the CDN matches by prefix, so '/api' also serves the paths below it"]


def test_exact_is_a_prefix_with_a_warning(tmp_path: Path) -> None:
    result = planned(tmp_path, ingress(rules=[rule(HOST, path("/api", "Exact"))]))
    assert "pathType='Exact': published as a prefix" in warnings(result)[0]


@pytest.mark.parametrize("value", ["/api/.*", "/*", "/foo(/|$)(.*)", "/[a-z]+", "/end$", "/^start", "/a{2}"],
                         ids=["dot-star", "glob", "groups", "class", "dollar", "caret", "braces"])
def test_regex_and_glob_paths_are_refused(tmp_path: Path, value: str) -> None:
    found = refused(tmp_path, ingress(rules=[rule(HOST, path(value, "ImplementationSpecific"))]))
    assert len(found) == 1
    assert f"spec.rules[0].http.paths[0].path={value!r}: looks like a regular expression or glob" in found[0]
    assert "write the literal prefix" in found[0]


def test_use_regex_annotation_is_refused(tmp_path: Path) -> None:
    doc = ingress(rules=[rule(HOST, path("/api"))], annotations={"nginx.ingress.kubernetes.io/use-regex": "true"})
    assert "use-regex']='true': the CDN matches literal path prefixes" in refused(tmp_path, doc)[0]


def test_rule_without_host_is_refused_without_default_host(tmp_path: Path) -> None:
    found = refused(tmp_path, ingress(rules=[rule(None, path("/"))]))
    assert found == ["m/app.yaml: Ingress default/shop (line 1): spec.rules[0].host=(missing): a rule without "
                     "host matches every host, and the CDN publishes named hosts: give the rule a host, or set "
                     "cdn-ingress:defaultHost"]


def test_rule_without_host_is_published_on_the_default_host(tmp_path: Path) -> None:
    result = planned(tmp_path, ingress(rules=[rule(None, path("/a"))]), default_host="www.acme.s.llnwi.net")
    assert [r.key for r in result.routes] == ["www.acme.s.llnwi.net/a"]


def test_default_backend_is_the_catch_all_of_each_host(tmp_path: Path) -> None:
    doc = ingress(rules=[rule(HOST, path("/api")), rule("b.example.com", path("/")), {"host": "c.example.com"}],
                  defaultBackend=backend({"number": 8000}))
    result = planned(tmp_path, doc)
    assert sorted((r.key, r.at) for r in result.routes) == [
        ("b.example.com/", "spec.rules[1].http.paths[0]"), ("c.example.com/", "spec.defaultBackend"),
        ("shop.example.com/", "spec.defaultBackend"), ("shop.example.com/api", "spec.rules[0].http.paths[0]")]


def test_lone_default_backend_goes_on_the_default_host(tmp_path: Path) -> None:
    doc = ingress(defaultBackend=backend())
    assert [r.key for r in planned(tmp_path, doc, default_host="d.example.com").routes] == ["d.example.com/"]
    assert "spec.defaultBackend={'service'" in refused(tmp_path, doc)[0]


def test_rule_without_paths_and_no_default_backend_is_refused(tmp_path: Path) -> None:
    found = refused(tmp_path, ingress(rules=[rule(HOST, path("/")), {"host": "b.example.com"}]))
    assert found == ["m/app.yaml: Ingress default/shop (line 1): spec.rules[1].http=(missing): a rule without "
                     "paths sends its host to spec.defaultBackend, and this Ingress has none: add paths or a "
                     "defaultBackend"]


def test_duplicate_host_and_path_in_one_ingress(tmp_path: Path) -> None:
    found = refused(tmp_path, ingress(rules=[rule(HOST, path("/a")), rule(HOST, path("/a", "Exact"))]))
    assert found == ["m/app.yaml: Ingress default/shop (line 1): spec.rules[1].http.paths[0]='shop.example.com/a': "
                     "the same host + path as spec.rules[0].http.paths[0] of this object; each host + path is one "
                     "CDN rule: keep one of the two"]


def test_resource_backend_is_refused(tmp_path: Path) -> None:
    entry = {"path": "/", "pathType": "Prefix", "backend": {"resource": {"kind": "StorageBucket", "name": "b"}}}
    found = refused(tmp_path, ingress(rules=[rule(HOST, entry)]))
    assert "spec.rules[0].http.paths[0].backend.resource={'kind'" in found[0]
    assert "the CDN reaches Services only" in found[0]


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    doc = ingress(rules=[rule(HOST, path("/"))])
    doc["spec"]["rules"][0]["http"]["paths"][0]["timeout"] = "5s"
    found = refused(tmp_path, doc)
    assert found == ["m/app.yaml: Ingress default/shop (line 1): spec.rules[0].http.paths[0].timeout='5s': not a "
                     "field of Ingress networking.k8s.io/v1; the fields the CDN serves, warns or refuses are listed "
                     "in docs/routes.md"]
