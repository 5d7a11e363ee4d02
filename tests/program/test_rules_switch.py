"""The per-object rule switch, ``cdn-ingress.io/rules: "off"``: an Ingress or HTTPRoute that contributes
its backend's origin name only (another stack, in another cluster, writes the CDN rule). Under
Pulumi's mocks: no rule, no deployment wait, no status for that object; its origin still there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cdn_ingress.annotations import RULES
from tests.program.gateway_kit import gateway, gateway_class, httproute
from tests.program.gateway_kit import rule as route_rule
from tests.program.ingress_kit import files_with, ingress, path, refused, rule
from tests.program.manifests_kit import write
from tests.program.mocks_kit import DEPLOYMENT, RECORDS, RULE, STATUS, run_program

HOST = "shop.example.com"
ROUTE_STATUS = "pulumi-python:dynamic/cdn:GatewayApiStatus"
OFF = {RULES: "off"}


def run(tmp_path: Path, *docs: dict[str, Any], **config: Any) -> Any:
    return run_program(write(tmp_path / "m", files_with(*docs)), **config)


def names(result: Any, typ: str) -> list[str]:
    return sorted(r.name for r in result.mocks.of_type(typ))


def test_an_ingress_with_rules_off_has_its_origin_and_no_rule(tmp_path: Path) -> None:
    result = run(tmp_path, ingress(rules=[rule(HOST, path("/shop"))], annotations=OFF))
    assert [r.inputs["addresses"] for r in result.mocks.of_type(RECORDS)] == [["198.51.100.1", "198.51.100.2"]]
    assert names(result, RULE) == names(result, DEPLOYMENT) == names(result, STATUS) == []
    assert result.routes == {}


def test_rules_off_on_one_ingress_leaves_the_others_rules(tmp_path: Path) -> None:
    result = run(tmp_path, ingress(name="shop", rules=[rule(HOST, path("/shop"))]),
                 ingress(name="api", rules=[rule(HOST, path("/api"))], annotations=OFF))
    assert names(result, RULE) == ["shop.example.com/shop"]
    assert names(result, STATUS) == names(result, DEPLOYMENT) == ["default/shop"]
    assert names(result, RECORDS) == ["default/pywai-inline-service"]


def test_rules_on_is_the_default(tmp_path: Path) -> None:
    result = run(tmp_path, ingress(rules=[rule(HOST, path("/shop"))], annotations={RULES: "on"}))
    assert names(result, RULE) == ["shop.example.com/shop"]
    assert names(result, STATUS) == ["default/shop"]


def test_an_ingress_with_rules_off_still_skips_the_load_balancer_await(tmp_path: Path) -> None:
    """No status is written for it, and nothing else would: a waiting Ingress would hang the run."""
    result = run(tmp_path, ingress(rules=[rule(HOST, path("/shop"))], annotations=OFF))
    declared = [r for r in result.mocks.registered if r.typ == "kubernetes:networking.k8s.io/v1:Ingress"]
    assert [d.inputs["metadata"]["annotations"].get("pulumi.com/skipAwait") for d in declared] == ["true"]


def test_an_httproute_with_rules_off_has_its_origin_and_no_rule_or_status(tmp_path: Path) -> None:
    result = run(tmp_path, gateway_class(), gateway(),
                 httproute("web", route_rule("/api"), hostnames=[HOST], annotations=OFF))
    assert names(result, RECORDS) == ["default/pywai-inline-service"]
    assert names(result, RULE) == names(result, DEPLOYMENT) == names(result, ROUTE_STATUS) == []


def test_an_httproute_with_rules_off_beside_one_with_rules(tmp_path: Path) -> None:
    result = run(tmp_path, gateway_class(), gateway(),
                 httproute("web", route_rule("/api"), hostnames=[HOST], annotations=OFF),
                 httproute("shop", route_rule("/shop"), hostnames=[HOST]))
    assert names(result, RULE) == ["shop.example.com/shop"]
    assert names(result, ROUTE_STATUS) == ["Gateway/default/edge", "HTTPRoute/default/shop"]


def test_a_shared_origin_contributed_by_an_ingress_with_rules_off(tmp_path: Path) -> None:
    files = files_with(ingress(rules=[rule(HOST, path("/shop"))], annotations=OFF))
    files["pywai-service.yaml"][0]["spec"]["ports"][0]["nodePort"] = 30080
    result = run_program(write(tmp_path / "m", files), sharedOrigins="true")
    assert [(r.inputs["shared"], r.inputs["port"]) for r in result.mocks.of_type(RECORDS)] == [(True, 30080)]
    assert names(result, RULE) == []


def test_rules_off_is_served_on_a_cloudflare_stack(tmp_path: Path) -> None:
    result = run(tmp_path, ingress(rules=[rule("www.acme.test", path("/shop"))], annotations=OFF),
                 cdn="cloudflare", other_config={"cloudflare:zoneName": "acme.test"})
    assert names(result, "pulumi-python:dynamic/cloudflare:OriginRule") == []
    assert names(result, RECORDS) == ["default/pywai-inline-service"]


@pytest.mark.parametrize("value", ["false", "Off", "no", ""], ids=["false", "capital", "no", "empty"])
def test_rules_takes_on_or_off_only(tmp_path: Path, value: str) -> None:
    assert refused(tmp_path, ingress(rules=[rule(HOST, path("/shop"))], annotations={RULES: value})) == [
        f"m/app.yaml: Ingress default/shop (line 1): metadata.annotations['cdn-ingress.io/rules']={value!r}: "
        "must be \"on\" (the default: the object's CDN rules are written) or \"off\" (its origin only, no CDN "
        "rule: another stack writes the rules)"]


def test_rules_on_an_httproute_is_checked_too(tmp_path: Path) -> None:
    found = refused(tmp_path, gateway_class(), gateway(),
                    httproute("web", route_rule("/api"), hostnames=[HOST], annotations={RULES: "none"}))
    assert found == [
        "m/app.yaml: HTTPRoute default/web (line 19): metadata.annotations['cdn-ingress.io/rules']='none': "
        "must be \"on\" (the default: the object's CDN rules are written) or \"off\" (its origin only, no CDN "
        "rule: another stack writes the rules)"]


def test_a_route_with_no_published_rule_still_gets_its_status(tmp_path: Path) -> None:
    """Not switched off, only detached (a listener that does not exist): its status says why."""
    result = run(tmp_path, gateway_class(), gateway(),
                 httproute("web", route_rule("/api"), hostnames=[HOST],
                           parents=[{"name": "edge", "sectionName": "nope"}]))
    assert names(result, RULE) == []
    assert names(result, ROUTE_STATUS) == ["Gateway/default/edge", "HTTPRoute/default/web"]


def test_a_gateway_with_no_route_keeps_its_status(tmp_path: Path) -> None:
    result = run(tmp_path, gateway_class(), gateway())
    assert names(result, ROUTE_STATUS) == ["Gateway/default/edge"]
