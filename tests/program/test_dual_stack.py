"""IPv4 origin addresses go to an A set, IPv6 ones to an AAAA set at the same name; the A set keeps
the resource name it always had, and each rule waits for whichever sets exist."""

from __future__ import annotations

from typing import Any

import pytest

from cdn_ingress.nodes import by_record_type, select_addresses
from tests.program.manifests_kit import SHIPPED
from tests.program.mocks_kit import ORIGIN_DOMAIN, RECORDS, RULE, run_program

V4 = ["198.51.100.1", "198.51.100.2"]
V6 = ["2001:db8::1", "2001:db8::2"]
PREFIX = "urn:pulumi:test::cdn-ingress::cdn-ingress:index:CdnIngressApp$"


def record_sets(addresses: list[str]) -> tuple[dict[str, dict[str, Any]], Any]:
    run = run_program(SHIPPED, originAddresses=addresses)
    return {r.name: dict(r.inputs) for r in run.mocks.of_type(RECORDS)}, run


def set_urn(name: str) -> str:
    return f"{PREFIX}{RECORDS}::{name}"


def test_ipv4_only_keeps_the_a_set_and_its_name() -> None:
    sets, _ = record_sets(V4)
    assert list(sets) == ["default/pywai-inline-service"]
    assert sets["default/pywai-inline-service"]["type"] == "A"
    assert sets["default/pywai-inline-service"]["addresses"] == V4


def test_ipv6_only_is_an_aaaa_set_and_the_rules_use_it() -> None:
    sets, run = record_sets(V6)
    assert list(sets) == ["default/pywai-inline-service/AAAA"]
    aaaa = sets["default/pywai-inline-service/AAAA"]
    assert (aaaa["type"], aaaa["addresses"], aaaa["name"]) == ("AAAA", V6, "pywai-inline-service")
    for rule in run.mocks.of_type(RULE):
        assert rule.inputs["source_hostname"] == f"pywai-inline-service.{ORIGIN_DOMAIN}"
        assert set_urn("default/pywai-inline-service/AAAA") in run.mocks.dependencies[(RULE, rule.name)]


def test_dual_stack_is_two_sets_at_one_name_and_rules_wait_for_both() -> None:
    sets, run = record_sets([V6[1], V4[1], V6[0], V4[0]])
    assert {name: (s["type"], s["addresses"]) for name, s in sets.items()} == {
        "default/pywai-inline-service": ("A", V4),
        "default/pywai-inline-service/AAAA": ("AAAA", V6),
    }
    assert {s["name"] for s in sets.values()} == {"pywai-inline-service"}
    for rule in run.mocks.of_type(RULE):
        deps = run.mocks.dependencies[(RULE, rule.name)]
        assert {set_urn("default/pywai-inline-service"), set_urn("default/pywai-inline-service/AAAA")} <= set(deps)


def test_ipv6_spellings_are_one_address() -> None:
    assert by_record_type(["2001:DB8:0::1", "2001:db8::1", "198.51.100.1"]) == {
        "A": ["198.51.100.1"], "AAAA": ["2001:db8::1"]}


class _Node:
    def __init__(self, name: str, *addresses: str) -> None:
        self.metadata = type("M", (), {"name": name})()
        ready = type("C", (), {"type": "Ready", "status": "True"})()
        entries = [type("A", (), {"type": "ExternalIP", "address": a})() for a in addresses]
        self.status = type("S", (), {"conditions": [ready], "addresses": entries})()
        self.spec = None


@pytest.mark.parametrize(("nodes", "expected"), [
    ([_Node("n1", "2001:db8::a"), _Node("n2", "2001:db8::b")], {"A": [], "AAAA": ["2001:db8::a", "2001:db8::b"]}),
    ([_Node("n1", "203.0.113.1", "2001:db8::a")], {"A": ["203.0.113.1"], "AAAA": ["2001:db8::a"]}),
], ids=["single-stack-v6", "dual-stack"])
def test_node_addresses_of_both_families(nodes: list[_Node], expected: dict[str, list[str]]) -> None:
    addresses, skipped = select_addresses(nodes, "ExternalIP")
    assert skipped == []
    found = by_record_type(addresses)
    assert {t: found.get(t, []) for t in ("A", "AAAA")} == expected
