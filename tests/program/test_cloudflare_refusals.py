"""The Cloudflare refusals as a pure function of routes: one problem per object and field, and a
route option no field explains is still refused at the route (nothing is dropped silently)."""

from __future__ import annotations

from cdn_ingress.annotations import RuleOptions
from cdn_ingress.cdn.cloudflare_refusals import OPTIONS_REFUSED, refusals
from cdn_ingress.manifests import Document
from cdn_ingress.model import Backend, Route

DOC = Document("m/app.yaml", 3, {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                                 "metadata": {"name": "shop", "namespace": "default"}})
BACKEND = Backend("default", "web", 0, "http")
PLAIN = RuleOptions()


def route(path: str, options: RuleOptions = PLAIN, host: str = "www.acme.test") -> Route:
    return Route(DOC, host, path, "Prefix", BACKEND, options, f"spec.rules[0].http.paths[{len(path)}]")


def test_plain_routes_in_the_zone_pass() -> None:
    assert refusals([route("/"), route("/api", RuleOptions(source_path="/api"))], "acme.test") == []


def test_an_option_no_field_explains_is_refused_at_the_route() -> None:
    found = refusals([route("/api", RuleOptions(source_path="/v2"))], "acme.test")
    assert [str(p) for p in found] == [f"m/app.yaml: Ingress default/shop (line 3): spec.rules[0].http.paths[4]="
                                       f"'www.acme.test/api': {OPTIONS_REFUSED}"]


def test_one_problem_per_object_and_field() -> None:
    found = refusals([route("/a", host="x.other.test"), route("/b", host="x.other.test")], "acme.test")
    assert [p.field for p in found] == ["spec.rules[0].host"]
