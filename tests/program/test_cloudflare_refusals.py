"""The Cloudflare refusals as a pure function of routes: one problem per object and field, and a
route option no field explains is still refused at the route (nothing is dropped silently). And
where the CDN matches an Exact path exactly, no warning calls it a prefix."""

from __future__ import annotations

from pathlib import Path

from cdn_ingress.annotations import RuleOptions
from cdn_ingress.cdn.cloudflare_refusals import OPTIONS_REFUSED, refusals
from cdn_ingress.manifests import Document
from cdn_ingress.model import Backend, Route
from tests.program.gateway_kit import gateway, gateway_class, httproute
from tests.program.gateway_kit import rule as gateway_rule
from tests.program.ingress_kit import ingress as ingress_doc
from tests.program.ingress_kit import path as ingress_path
from tests.program.ingress_kit import planned, warnings
from tests.program.ingress_kit import rule as ingress_rule

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


def test_an_exact_path_is_not_called_a_prefix_where_the_cdn_matches_exactly(tmp_path: Path) -> None:
    doc = ingress_doc(rules=[ingress_rule("www.acme.test", ingress_path("/x", "Exact"))])
    assert [w for w in warnings(planned(tmp_path / "edgio", doc)) if "published as a prefix" in w]
    assert [w for w in warnings(planned(tmp_path / "cf", doc, exact_paths=True)) if "published as a prefix" in w] == []
    route = httproute("web", gateway_rule("/x", path_type="Exact"), hostnames=["www.acme.test"])
    gateway_docs = [gateway_class(), gateway(), route]
    assert [w for w in warnings(planned(tmp_path / "e2", *gateway_docs)) if "published as a prefix" in w]
    assert [w for w in warnings(planned(tmp_path / "c2", *gateway_docs, exact_paths=True))
            if "published as a prefix" in w] == []
