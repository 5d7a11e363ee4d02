"""Each stack policy called directly with a stack's resources: once passing, once failing with its message."""

from __future__ import annotations

from cdn_policy import stack
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE

from tests.policy.kit import DNS, RULE, member, record_set, rule, violations
from tests.policy.kit import stack as stack_args


# -- unique-host-path -----------------------------------------------------------------------
def test_distinct_routes_pass() -> None:
    args = stack_args([member(RULE, "a", rule()), member(RULE, "b", rule(published_path="/web"))])
    assert violations(stack.unique_host_path, args) == []


def test_same_host_and_path_fails_on_the_second_rule() -> None:
    second = member(RULE, "b", rule(published_hostname="Shop.Example.com", published_path="/api/"))
    args = stack_args([member(RULE, "a", rule()), second])
    assert violations(stack.unique_host_path, args) == [(
        "DeliveryRule 'b' published_hostname+published_path='Shop.Example.com/api/': DeliveryRule 'a' publishes "
        "the same host + path; allowed: one rule per host + path", second.urn)]


# -- redundant-origins ----------------------------------------------------------------------
def test_origin_with_two_addresses_passes() -> None:
    assert violations(stack.redundant_origins, stack_args([member(DNS, "default/shop", record_set())])) == []


def test_a_and_aaaa_sets_of_one_name_count_together() -> None:
    sets = [member(DNS, "v4", record_set(addresses=["192.0.2.1"])),
            member(DNS, "v6", record_set(type="AAAA", addresses=["2001:db8::1"]))]
    assert violations(stack.redundant_origins, stack_args(sets)) == []


def test_addresses_unknown_in_preview_are_not_judged() -> None:
    args = stack_args([member(DNS, "default/shop", record_set(addresses=UNKNOWN_ARRAY_VALUE))])
    assert violations(stack.redundant_origins, args) == []


def test_single_address_origin_fails() -> None:
    lone = member(DNS, "default/shop", record_set(addresses=["192.0.2.1"]))
    assert violations(stack.redundant_origins, stack_args([lone])) == [(
        "DnsRecordSet 'default/shop' addresses=['192.0.2.1']: origin name shop.origin.example.com has 1 "
        "address(es); one node is not a CDN origin (cdn-ingress:originAddresses or more ready nodes); "
        "allowed: at least 2", lone.urn)]


def test_configured_minimum_applies() -> None:
    args = stack_args([member(DNS, "default/shop", record_set())], {"minAddresses": 3})
    assert len(violations(stack.redundant_origins, args)) == 1


# -- route-ceiling --------------------------------------------------------------------------
def rules(count: int) -> list[object]:
    return [member(RULE, f"shop.example.com/p{i}", rule(published_path=f"/p{i}")) for i in range(count)]


def test_routes_at_the_ceiling_pass() -> None:
    assert violations(stack.route_ceiling, stack_args(rules(3), {"maxRoutes": 3})) == []  # type: ignore[arg-type]


def test_routes_over_the_ceiling_fail() -> None:
    args = stack_args(rules(4), {"maxRoutes": 3})  # type: ignore[arg-type]
    assert violations(stack.route_ceiling, args) == [(
        "stack routes=4: 4 DeliveryRules (CDN routes), over the ceiling by 1, e.g. 'shop.example.com/p3'; "
        "allowed: at most 3 (policy config maxRoutes)", None)]


def test_default_ceiling_is_fifty() -> None:
    assert violations(stack.route_ceiling, stack_args(rules(50))) == []  # type: ignore[arg-type]
    assert len(violations(stack.route_ceiling, stack_args(rules(51)))) == 1  # type: ignore[arg-type]


# -- shared-origin-port ---------------------------------------------------------------------
def shared_set(**props: object) -> dict[str, object]:
    return record_set(**{"name": "pywai", "shared": True, "port": 30080, **props})


def test_a_shared_origin_and_its_rules_on_one_port_pass() -> None:
    args = stack_args([member(DNS, "default/pywai", shared_set()),
                       member(RULE, "r", rule(source_hostname="pywai.origin.example.com", source_port=30080))])
    assert violations(stack.shared_origin_port, args) == []


def test_a_rule_to_a_shared_origin_on_another_port_fails() -> None:
    other = member(RULE, "r", rule(source_hostname="pywai.origin.example.com", source_port=31000))
    args = stack_args([member(DNS, "default/pywai", shared_set()), other])
    assert violations(stack.shared_origin_port, args) == [(
        "DeliveryRule 'r' source_port=31000: shared origin name pywai.origin.example.com is served on port 30080 "
        "by every cluster sharing it; allowed: source_port 30080", other.urn)]


def test_a_shared_origin_without_a_port_fails() -> None:
    lone = member(DNS, "default/pywai", shared_set(port=0))
    assert len(violations(stack.shared_origin_port, stack_args([lone]))) == 1
