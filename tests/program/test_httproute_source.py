"""HTTPRoutes attached to Gateways of our class become the same Routes as Ingresses; what the
CDN cannot serve is dropped per rule with a warning and a status condition."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cdn_ingress.routes import Plan
from tests.program.gateway_kit import backend, gateway, gateway_class, httproute, listener, rule
from tests.program.ingress_kit import planned, refused, warnings

HOST = "shop.example.com"


def plan_of(tmp_path: Path, *docs: dict[str, Any], **options: Any) -> Plan:
    return planned(tmp_path, gateway_class(), *docs, **options)


def conditions(result: Plan) -> list[dict[str, str]]:
    return [c for status in result.route_statuses for p in status.parents for c in p.conditions()]


def test_route_becomes_rules_with_the_request_path_kept(tmp_path: Path) -> None:
    result = plan_of(tmp_path, gateway(), httproute("web", rule("/api", "/docs"), hostnames=[HOST]))
    assert [(r.key, r.options.source_path, r.options.published_protocols) for r in result.routes] == [
        ("shop.example.com/api", "/api", ("https",)), ("shop.example.com/docs", "/docs", ("https",))]
    assert conditions(result)[0] == {"type": "Accepted", "status": "True", "reason": "Accepted",
                                     "message": "published on the CDN"}
    assert result.gateway_hosts == {("default", "edge"): [HOST]}


def test_http_and_https_listeners_publish_both_protocols(tmp_path: Path) -> None:
    gw = gateway("edge", listener("http", "HTTP"), listener("https", "HTTPS"))
    result = plan_of(tmp_path, gw, httproute("web", hostnames=[HOST]))
    assert [r.options.published_protocols for r in result.routes] == [("http", "https")]


def test_gateway_of_another_class_is_left_alone(tmp_path: Path) -> None:
    result = plan_of(tmp_path, gateway(class_name="nginx"), httproute("web", hostnames=[HOST]))
    assert (result.routes, result.route_statuses) == ([], [])


@pytest.mark.parametrize(("listeners", "hostnames", "expected"), [
    ([listener(hostname="very.specific.com")], ["non.matching.com", "very.specific.com"], ["very.specific.com"]),
    ([listener(hostname="*.wildcard.io")], ["wildcard.io", "foo.wildcard.io"], ["foo.wildcard.io"]),
    ([listener(hostname="a.example.com")], ["*.example.com"], ["a.example.com"]),
    ([listener(hostname="a.example.com")], [], ["a.example.com"]),
], ids=["precise", "listener-wildcard", "route-wildcard", "route-without-hostnames"])
def test_hostnames_are_intersected_as_the_spec_says(tmp_path: Path, listeners: list[dict[str, Any]],
                                                    hostnames: list[str], expected: list[str]) -> None:
    result = plan_of(tmp_path, gateway("edge", *listeners), httproute("web", hostnames=hostnames))
    assert [r.host for r in result.routes] == expected


@pytest.mark.parametrize(("parent", "listeners", "reason"), [
    ({"name": "edge", "sectionName": "nope"}, [listener()], "NoMatchingParent"),
    ({"name": "edge"}, [listener(allowedRoutes={"namespaces": {"from": "Same"}})], "NotAllowedByListeners"),
    ({"name": "edge"}, [listener(hostname="other.example.com")], "NoMatchingListenerHostname"),
], ids=["section-name", "namespace", "hostname"])
def test_detached_route_gets_accepted_false(tmp_path: Path, parent: dict[str, Any],
                                            listeners: list[dict[str, Any]], reason: str) -> None:
    route = httproute("web", hostnames=[HOST], parents=[{**parent, "namespace": "default"}])
    if reason == "NotAllowedByListeners":
        route["metadata"]["namespace"] = "shop"
    result = plan_of(tmp_path, gateway("edge", *listeners), route)
    assert result.routes == []
    assert (conditions(result)[0]["status"], conditions(result)[0]["reason"]) == ("False", reason)


@pytest.mark.parametrize(("bad_rule", "field", "why"), [
    (rule("/a", path_type="RegularExpression"), "spec.rules[1].matches[0].path.type", "use PathPrefix"),
    ({**rule("/a"), "matches": [{"path": {"value": "/a"}, "headers": [{"name": "x", "value": "1"}]}]},
     "spec.rules[1].matches[0].headers", "matches host and path only"),
    ({**rule("/a"), "backendRefs": [backend(), backend(weight=3)]}, "spec.rules[1].backendRefs",
     "exactly one origin"),
    (rule("/a", filters=[{"type": "RequestRedirect", "requestRedirect": {"scheme": "https"}}]),
     "spec.rules[1].filters[0].type", "a filter may not be skipped"),
    (rule("/a", filters=[{"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplaceFullPath",
                                                                         "replaceFullPath": "/x"}}}]),
     "spec.rules[1].filters[0].urlRewrite.path", "use ReplacePrefixMatch"),
    (rule("/a", timeouts={"request": "10s"}), "spec.rules[1].timeouts", "no CDN option"),
], ids=["regex", "headers", "weights", "redirect", "full-path-rewrite", "timeouts"])
def test_unservable_rule_is_dropped_with_warning_and_status(tmp_path: Path, bad_rule: dict[str, Any],
                                                             field: str, why: str) -> None:
    result = plan_of(tmp_path, gateway(), httproute("web", rule("/ok"), bad_rule, hostnames=[HOST]))
    assert [r.path for r in result.routes] == ["/ok"]
    assert any(f"{field}=" in w and why in w and "the rule is not published" in w for w in warnings(result))
    partially = [c for c in conditions(result) if c["type"] == "PartiallyInvalid"]
    assert partially and partially[0]["message"].startswith("Dropped Rule spec.rules[1]")


def test_route_with_no_servable_rule_is_not_accepted(tmp_path: Path) -> None:
    result = plan_of(tmp_path, gateway(), httproute("web", rule("/a", path_type="RegularExpression"),
                                                    hostnames=[HOST]))
    accepted = conditions(result)[0]
    assert (accepted["status"], accepted["reason"]) == ("False", "UnsupportedValue")
    assert accepted["message"].startswith("no rule the CDN can serve: spec.rules[0]")


def test_header_modifiers_and_prefix_rewrite_are_rule_options(tmp_path: Path) -> None:
    filters = [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "X-A", "value": "1"}]}},
               {"type": "ResponseHeaderModifier", "responseHeaderModifier": {"add": [{"name": "X-B", "value": "2"}]}},
               {"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch",
                                                              "replacePrefixMatch": "/v2"}}}]
    result = plan_of(tmp_path, gateway(), httproute("web", rule("/api", filters=filters), hostnames=[HOST]))
    options = result.routes[0].options
    assert options.source_path == "/v2"
    assert options.options == ({"name": "req_send_header", "parameters": ["X-A", "1"]},
                               {"name": "reply_send_header", "parameters": ["X-B", "2"]})


def test_exact_match_is_a_prefix_with_a_warning(tmp_path: Path) -> None:
    result = plan_of(tmp_path, gateway(), httproute("web", rule("/a", path_type="Exact"), hostnames=[HOST]))
    assert "spec.rules[0].matches[0].path.type='Exact': published as a prefix" in warnings(result)[0]


def test_no_hostname_anywhere_uses_the_default_host(tmp_path: Path) -> None:
    result = plan_of(tmp_path, gateway(), httproute("web"), default_host="www.acme.s.llnwi.net")
    assert [r.key for r in result.routes] == ["www.acme.s.llnwi.net/"]


def test_missing_service_stops_the_preview(tmp_path: Path) -> None:
    route = httproute("web", {"backendRefs": [{"name": "gone", "port": 80}]}, hostnames=[HOST])
    found = refused(tmp_path, gateway_class(), gateway(), route)
    assert "spec.rules[0].backendRefs[0].name='gone': no Service of that name" in found[0]


def test_ingress_and_httproute_on_the_same_host_and_path_are_refused(tmp_path: Path) -> None:
    from tests.program.ingress_kit import ingress, path
    from tests.program.ingress_kit import rule as ingress_rule

    found = refused(tmp_path, gateway_class(), gateway(), httproute("web", hostnames=[HOST]),
                    ingress(rules=[ingress_rule(HOST, path("/"))]))
    assert "already claimed by" in found[0] and "one Ingress or HTTPRoute only" in found[0]


def test_gateway_listener_protocol_the_cdn_cannot_serve_is_refused(tmp_path: Path) -> None:
    found = refused(tmp_path, gateway_class(), gateway("edge", listener("tcp", "TCP")), httproute("web"))
    assert "spec.listeners[0].protocol='TCP': the CDN serves ['HTTP', 'HTTPS'] only" in found[0]


def test_gateway_class_parameters_are_refused(tmp_path: Path) -> None:
    params = {"group": "example.com", "kind": "Config", "name": "x"}
    found = refused(tmp_path, gateway_class(parametersRef=params), gateway(), httproute("web"))
    assert "spec.parametersRef=" in found[0] and "no per-class settings object" in found[0]


def test_v1beta1_objects_are_read_as_v1(tmp_path: Path) -> None:
    beta = "gateway.networking.k8s.io/v1beta1"
    docs = [gateway_class(), gateway(), httproute("web", rule("/api"), hostnames=[HOST])]
    for doc in docs:
        doc["apiVersion"] = beta
    assert [r.key for r in planned(tmp_path, *docs).routes] == ["shop.example.com/api"]


def test_route_of_an_unserved_version_is_refused(tmp_path: Path) -> None:
    route = httproute("web", hostnames=[HOST])
    route["apiVersion"] = "gateway.networking.k8s.io/v1alpha2"
    found = refused(tmp_path, gateway_class(), gateway(), route)
    assert "apiVersion='gateway.networking.k8s.io/v1alpha2': the Gateway API CRDs (standard channel) serve" in found[0]


def test_hostnames_not_a_list_is_refused(tmp_path: Path) -> None:
    route = httproute("web")
    route["spec"]["hostnames"] = "shop.example.com"
    found = refused(tmp_path, gateway_class(), gateway(), route)
    assert "spec.hostnames='shop.example.com': must be a list of hostnames" in found[0]


def test_cdn_annotations_work_on_an_httproute(tmp_path: Path) -> None:
    annotations = {"cdn-ingress.io/published-protocols": "http,https", "cdn-ingress.io/cache-max-seconds": "300"}
    route = httproute("web", rule("/api"), hostnames=[HOST], annotations=annotations)
    options = plan_of(tmp_path, gateway(), route).routes[0].options
    assert options.published_protocols == ("http", "https")
    assert options.options == ({"name": "refresh_absmax", "parameters": [300]},)


def test_bad_cdn_annotation_on_an_httproute_is_refused(tmp_path: Path) -> None:
    route = httproute("web", hostnames=[HOST], annotations={"cdn-ingress.io/cache-ttl": "60"})
    found = refused(tmp_path, gateway_class(), gateway(), route)
    assert "metadata.annotations['cdn-ingress.io/cache-ttl']='60': unknown annotation" in found[0]
