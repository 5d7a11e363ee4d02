"""The policies on a Cloudflare stack's resources: Origin Rules count as CDN rules (route
ceiling, unique host + path, protection), an origin alias must point into the origin zone."""

from __future__ import annotations

from typing import Any

import pytest
from cdn_policy import resources, stack

from tests.policy.kit import RULE, member, resource, rule, violations
from tests.policy.kit import stack as stack_args

ORIGIN_RULE = "pulumi-python:dynamic/cloudflare:OriginRule"
CF_RECORD = "pulumi-python:dynamic/cloudflare:DnsRecord"
ZONE = {"originDomain": "origin.example.com"}


def origin_rule(**props: Any) -> dict[str, Any]:
    return {"host": "www.acme.test", "path": "/api", "match": "prefix", "origin_host": "o-shop-1a2b3c4d.acme.test",
            "origin_port": 30080, "zone": "acme.test", **props}


def alias(**props: Any) -> dict[str, Any]:
    return {"name": "o-shop-1a2b3c4d.acme.test", "content": "shop.origin.example.com", "type": "CNAME",
            "proxied": False, "zone": "acme.test", **props}


def messages(validate: Any, args: Any) -> list[str]:
    return [message for message, _ in violations(validate, args)]


def test_origin_alias_in_zone_passes() -> None:
    assert messages(resources.origin_in_zone, resource(CF_RECORD, "alias/default/shop", alias(), config=ZONE)) == []


def test_origin_alias_outside_zone_fails() -> None:
    args = resource(CF_RECORD, "alias/default/shop", alias(content="shop.elsewhere.net"), config=ZONE)
    assert messages(resources.origin_in_zone, args) == [
        "DnsRecord 'alias/default/shop' content='shop.elsewhere.net': the origin alias must point to a name in "
        "the stack's origin zone; allowed: '<name>.origin.example.com'"]


def test_a_published_host_record_is_not_an_origin() -> None:
    host = alias(name="www.acme.test", content="o-shop-1a2b3c4d.acme.test", proxied=True)
    assert messages(resources.origin_in_zone, resource(CF_RECORD, "host/www.acme.test", host, config=ZONE)) == []


def test_same_host_and_path_across_both_cdns_fails() -> None:
    second = member(ORIGIN_RULE, "www.acme.test/api/", origin_rule(host="WWW.acme.test", path="/api/"))
    args = stack_args([member(ORIGIN_RULE, "www.acme.test/api", origin_rule()), second])
    assert violations(stack.unique_host_path, args) == [(
        "OriginRule 'www.acme.test/api/' host+path='WWW.acme.test/api/': OriginRule 'www.acme.test/api' "
        "publishes the same host + path; allowed: one rule per host + path", second.urn)]


def test_distinct_origin_rules_pass() -> None:
    args = stack_args([member(ORIGIN_RULE, "a", origin_rule()), member(ORIGIN_RULE, "b", origin_rule(path="/b"))])
    assert violations(stack.unique_host_path, args) == []


def test_origin_rules_count_towards_the_ceiling() -> None:
    rules = [member(ORIGIN_RULE, f"www.acme.test/p{i}", origin_rule(path=f"/p{i}")) for i in range(3)]
    rules.append(member(RULE, "shop.example.com/x", rule(published_path="/x")))
    assert violations(stack.route_ceiling, stack_args(rules, {"maxRoutes": 3})) == [(
        "stack routes=4: 4 DeliveryRules and OriginRules (CDN routes), over the ceiling by 1, e.g. "
        "'shop.example.com/x'; allowed: at most 3 (policy config maxRoutes)", None)]


@pytest.mark.parametrize("typ", [ORIGIN_RULE, CF_RECORD], ids=["origin-rule", "dns-record"])
def test_unprotected_cloudflare_object_in_protected_stack_fails(typ: str) -> None:
    args = resource(typ, "x", origin_rule(), config={"protected": True})
    assert len(messages(resources.protected, args)) == 1
    assert messages(resources.protected, resource(typ, "x", origin_rule(), protect=True,
                                                  config={"protected": True})) == []
