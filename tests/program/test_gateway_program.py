"""The program under mocks with Ingress-only, HTTPRoute-only and mixed manifests: the same rules,
statuses for the kinds that have them, and an Ingress moved to an HTTPRoute is the same rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.program.gateway_kit import gateway, gateway_class, httproute, listener, rule
from tests.program.ingress_kit import files_with, ingress, path
from tests.program.ingress_kit import rule as ingress_rule
from tests.program.manifests_kit import write
from tests.program.mocks_kit import DEPLOYMENT, RULE, STATUS, run_program

HOST = "shop.example.com"
ROUTE_STATUS = "pulumi-python:dynamic/cdn:GatewayApiStatus"


def run(tmp_path: Path, *docs: dict[str, Any]) -> Any:
    return run_program(write(tmp_path / "m", files_with(*docs)))


def inputs_of(run_result: Any, typ: str) -> dict[str, dict[str, Any]]:
    return {r.name: r.inputs for r in run_result.mocks.of_type(typ)}


def test_httproute_only(tmp_path: Path) -> None:
    gw = gateway("edge", listener("http", "HTTP"), listener("https", "HTTPS"))
    result = run(tmp_path, gateway_class(), gw, httproute("web", rule("/api"), hostnames=[HOST]))
    rules = inputs_of(result, RULE)
    assert list(rules) == ["shop.example.com/api"]
    assert (rules["shop.example.com/api"]["source_path"], rules["shop.example.com/api"]["published_protocols"]) \
        == ("/api", ["http", "https"])
    statuses = inputs_of(result, ROUTE_STATUS)
    assert statuses["HTTPRoute/default/web"]["status"]["parents"][0]["conditions"][0]["status"] == "True"
    assert statuses["Gateway/default/edge"]["status"]["addresses"] == [{"type": "Hostname", "value": HOST}]
    assert list(inputs_of(result, DEPLOYMENT)) == ["HTTPRoute/default/web"]
    assert inputs_of(result, STATUS) == {}


def test_httproute_and_gateway_skip_await(tmp_path: Path) -> None:
    """And the GatewayClass is cluster-scoped: declared without a namespace."""
    result = run(tmp_path, gateway_class(), gateway(), httproute("web", hostnames=[HOST]))
    declared = {r.name: r.inputs for r in result.mocks.registered if r.typ.startswith("kubernetes:gateway")}
    assert {name: inputs["metadata"].get("annotations", {}).get("pulumi.com/skipAwait") for name, inputs
            in declared.items()} == {"cdn": None, "default/edge": "true", "default/web": "true"}


def test_mixed_manifests(tmp_path: Path) -> None:
    result = run(tmp_path, gateway_class(), gateway(), httproute("web", rule("/api"), hostnames=[HOST]),
                 ingress(rules=[ingress_rule(HOST, path("/shop"))]))
    assert sorted(inputs_of(result, RULE)) == ["shop.example.com/api", "shop.example.com/shop"]
    assert list(inputs_of(result, STATUS)) == ["default/shop"]
    assert sorted(inputs_of(result, ROUTE_STATUS)) == ["Gateway/default/edge", "HTTPRoute/default/web"]


def test_ingress_moved_to_httproute_is_the_same_rule(tmp_path: Path) -> None:
    before = inputs_of(run(tmp_path / "a", ingress(rules=[ingress_rule(HOST, path("/api"))])), RULE)
    after = inputs_of(run(tmp_path / "b", gateway_class(), gateway(), httproute("web", rule("/api"),
                                                                                hostnames=[HOST])), RULE)
    assert list(before) == list(after) == ["shop.example.com/api"]
    assert before == after  # same name, same inputs: no replacement, no moment without the rule
