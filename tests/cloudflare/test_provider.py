"""``DnsRecord`` and ``OriginRule`` against the Cloudflare emulator: lifecycle, ownership, drift,
refusals, and the same through the SDK's provider server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cloudflare_provider import CloudflareConflict, origin_alias
from cloudflare_provider.client import rule_by_ref
from cloudflare_provider.provider import DnsRecordProvider
from cloudflare_provider.rule_provider import OriginRuleProvider
from cloudflare_provider.rules import definition, misplaced, ref
from tests.cloudflare.kit import (
    OWNER,
    alias,
    client,
    config,
    configured,
    official,
    origin_rules,
    record,
    route,
    zone_id,
)
from tests.conftest import CLOUDFLARE_TEST_TOKEN
from tests.support.emulator import Emulators
from tests.support.provider_server import ProviderServer, secret, urn


def dns(emulators: Emulators) -> DnsRecordProvider:
    return configured(DnsRecordProvider(), emulators)


def rules(emulators: Emulators) -> OriginRuleProvider:
    return configured(OriginRuleProvider(), emulators)


def test_record_lifecycle(emulators: Emulators) -> None:
    p = dns(emulators)
    made = p.create(p.check({}, record()).inputs)
    live = client(emulators).get_record(zone_id(emulators), made.id)
    wanted = (True, "o-pywai.example.com", f"cdn-ingress owner={OWNER}")
    assert (live["proxied"], live["content"], live["comment"]) == wanted
    updated = p.update(made.id, made.outs, record(content="o-other.example.com")).outs
    assert client(emulators).get_record(zone_id(emulators), made.id)["content"] == "o-other.example.com"
    p.delete(made.id, updated)
    assert p.read(made.id, updated).id == ""


def test_foreign_record_is_a_conflict_naming_it_and_untouched(emulators: Emulators) -> None:
    theirs = client(emulators).create_record(zone_id(emulators), {"name": "www.example.com", "type": "A",
                                                                  "content": "192.0.2.9", "ttl": 1, "comment": ""})
    p = dns(emulators)
    with pytest.raises(CloudflareConflict, match=f"has record\\(s\\) this stack does not own: id={theirs['id']} A "
                                                 "192.0.2.9; set adopt"):
        p.create(p.check({}, record()).inputs)
    assert client(emulators).get_record(zone_id(emulators), theirs["id"])["content"] == "192.0.2.9"
    adopted = p.create(p.check({}, record(adopt=True)).inputs)
    assert adopted.id == theirs["id"]
    assert client(emulators).get_record(zone_id(emulators), theirs["id"])["type"] == "CNAME"


def test_record_left_by_a_killed_run_is_taken_over(emulators: Emulators) -> None:
    p = dns(emulators)
    first = p.create(p.check({}, alias()).inputs)
    again = p.create(p.check({}, alias()).inputs)  # the state lost the first create
    assert again.id == first.id
    assert len(client(emulators).list_records(zone_id(emulators), "o-pywai.example.com")) == 1


def test_record_drift_is_seen_by_refresh_and_blocks_up(emulators: Emulators) -> None:
    p = dns(emulators)
    made = p.create(p.check({}, alias()).inputs)
    official(emulators).dns.records.edit(made.id, zone_id=zone_id(emulators), content="elsewhere.example.org",
                                         type="CNAME", name="o-pywai", ttl=300)
    read = p.read(made.id, made.outs)
    assert read.inputs is not None and read.inputs["content"] == "elsewhere.example.org"
    with pytest.raises(CloudflareConflict, match="was changed outside this stack; run `pulumi refresh`"):
        p.update(made.id, made.outs, alias(ttl=600))
    p.update(made.id, read.outs, alias(ttl=600))  # after refresh: written knowingly
    assert client(emulators).get_record(zone_id(emulators), made.id)["content"] == "pywai.origin.example.org"


def test_record_adopted_by_another_stack_is_neither_read_nor_deleted(emulators: Emulators) -> None:
    p = dns(emulators)
    made = p.create(p.check({}, alias()).inputs)
    p.create(p.check({}, alias(owner="cdn-ingress/other/abcdefabcdef", adopt=True)).inputs)
    assert p.read(made.id, made.outs).id == ""
    p.delete(made.id, made.outs)
    assert client(emulators).get_record(zone_id(emulators), made.id)["comment"].endswith("other/abcdefabcdef")


def test_rule_lifecycle_and_order(emulators: Emulators) -> None:
    p = rules(emulators)
    shop = p.create(p.check({}, route()).inputs)
    root = p.create(p.check({}, route(path="/", origin_port=30090)).inputs)
    exact = p.create(p.check({}, route(path="/shop/cart", match="exact", origin_port=30091)).inputs)
    order = [r["id"] for r in origin_rules(emulators)]
    assert order == [root.id, shop.id, exact.id]  # later rules win: the most specific is last
    live = origin_rules(emulators)[1]
    assert live["expression"] == ('(http.host eq "www.example.com" and (http.request.uri.path eq "/shop" or '
                                  'starts_with(http.request.uri.path, "/shop/")))')
    assert live["action_parameters"] == {"origin": {"host": "o-pywai.example.com", "port": 30080}}
    assert "host_header" not in live["action_parameters"]  # the request keeps its Host and its path
    updated = p.update(shop.id, shop.outs, route(origin_port=30081)).outs
    assert origin_rules(emulators)[1]["action_parameters"]["origin"]["port"] == 30081
    p.delete(shop.id, updated)
    assert [r["id"] for r in origin_rules(emulators)] == [root.id, exact.id]


def test_rules_of_others_in_the_phase_are_never_touched(emulators: Emulators) -> None:
    zone = zone_id(emulators)
    ruleset = client(emulators).ensure_entrypoint(zone)
    theirs = rule_by_ref(client(emulators).create_rule(zone, ruleset["id"], {
        "action": "route", "expression": '(http.host eq "api.example.com")', "ref": "theirs",
        "action_parameters": {"origin": {"port": 8443}}}), "theirs")
    p = rules(emulators)
    made = p.create(p.check({}, route()).inputs)
    p.update(made.id, made.outs, route(origin_port=30099))
    p.delete(made.id, made.outs)
    assert origin_rules(emulators) == [{k: v for k, v in theirs.items() if k != "ruleset_id"}]
    calls = [c for c in emulators.calls("cloudflare") if c["method"] == "PUT"]
    assert calls == []  # the ruleset itself is never replaced


def test_foreign_rule_on_our_route_is_a_conflict(emulators: Emulators) -> None:
    p = rules(emulators)
    other = p.create(p.check({}, route(owner="cdn-ingress/other/abcdefabcdef")).inputs)
    with pytest.raises(CloudflareConflict, match=f"exists already and is not managed by this stack: id={other.id} "
                                                 "\\(claimed by owner cdn-ingress/other/abcdefabcdef\\)"):
        p.create(p.check({}, route()).inputs)
    adopted = p.create(p.check({}, route(adopt=True)).inputs)
    assert adopted.id == other.id and len(origin_rules(emulators)) == 1


def test_rule_drift_is_seen_by_refresh(emulators: Emulators) -> None:
    p = rules(emulators)
    made = p.create(p.check({}, route()).inputs)
    zone = zone_id(emulators)
    live = origin_rules(emulators)[0]
    official(emulators).rulesets.rules.edit(made.id, ruleset_id=made.outs["ruleset_id"], zone_id=zone,
                                            action="route", expression=live["expression"], ref=live["ref"],
                                            description=live["description"],
                                            action_parameters={"origin": {"host": "o-pywai.example.com", "port": 1}})
    read = p.read(made.id, made.outs)
    assert read.inputs is not None and read.inputs["origin_port"] == 1
    with pytest.raises(CloudflareConflict, match="changed outside this stack"):
        p.update(made.id, made.outs, route(origin_port=30081))


@pytest.mark.parametrize(("changes", "field", "text"), [
    ({"rewrite_path": "/"}, "rewrite_path", "cannot rewrite the path"),
    ({"request_headers": {"X-A": "1"}}, "request_headers", "cannot set headers"),
    ({"options": [{"name": "refresh_absmin", "parameters": [60]}]}, "options", "['refresh_absmin'] have no Cloudflare"),
    ({"path": 'shop"'}, "path", "must start with '/'"),
    ({"origin_port": 0}, "origin_port", "1 to 65535"),
    ({"match": "regex"}, "match", "['prefix', 'exact']"),
], ids=["rewrite", "headers", "edgio-option", "path", "port", "match"])
def test_check_refuses_what_an_origin_rule_cannot_do(changes: dict[str, Any], field: str, text: str) -> None:
    failures = OriginRuleProvider().check({}, route(**changes)).failures
    assert [f.property for f in failures] == [field] and text in failures[0].reason


def test_check_refuses_an_owner_too_long_for_a_comment() -> None:
    failures = DnsRecordProvider().check({}, record(owner="p/" + "s" * 90)).failures
    assert [f.property for f in failures] == ["owner"]


def test_missing_token_is_named_without_values(emulators: Emulators) -> None:
    p = DnsRecordProvider()
    p.settings.configure({"cloudflare:zoneName": "example.com"})
    with pytest.raises(Exception, match="no Cloudflare API token: set `pulumi config set --secret cloudflare:apiToken"):
        p.create(p.check({}, record()).inputs)


def test_through_the_provider_server(emulators: Emulators) -> None:
    with ProviderServer(OriginRuleProvider()) as server:
        server.configure({**config(emulators), "cloudflare:apiToken": secret(CLOUDFLARE_TEST_TOKEN)})
        name = urn("pulumi-python:dynamic/cloudflare:OriginRule", "www.example.com/shop")
        checked, failures = server.check(name, {}, route())
        assert failures == []
        id_, outs = server.create(name, checked)
        assert outs["origin_port"] == 30080 and outs["ref"].startswith("cdn_ingress_")
        assert outs["published_url"] == "https://www.example.com/shop"
        _, _outs, read_inputs = server.read(name, id_, outs)
        assert read_inputs["path"] == "/shop"
        server.delete(name, id_, outs)
    assert origin_rules(emulators) == []
    assert CLOUDFLARE_TEST_TOKEN not in server.stderr() and CLOUDFLARE_TEST_TOKEN not in server.provider_blob
    assert CLOUDFLARE_TEST_TOKEN not in json.dumps(outs)


def test_record_through_the_provider_server(emulators: Emulators) -> None:
    with ProviderServer(DnsRecordProvider()) as server:
        server.configure({**config(emulators), "cloudflare:apiToken": secret(CLOUDFLARE_TEST_TOKEN)})
        name = urn("pulumi-python:dynamic/cloudflare:DnsRecord", "www.example.com")
        checked, _ = server.check(name, {}, record())
        id_, outs = server.create(name, checked)
        server.delete(name, id_, outs)
    assert CLOUDFLARE_TEST_TOKEN not in server.stderr() + server.provider_blob + json.dumps(outs)


@pytest.mark.parametrize(("origin", "expected"), [
    ("pywai.origin.example.org", "o-pywai-"),
    ("PyWai.Origin.Example.org.", "o-pywai-"),
    ("x" * 63 + ".origin.example.org", "o-" + "x" * 52 + "-"),
], ids=["plain", "case-and-dot", "long-label"])
def test_origin_alias_is_one_label_in_the_zone(origin: str, expected: str) -> None:
    alias_name = origin_alias(origin, "example.com")
    label, _, zone = alias_name.partition(".")
    assert alias_name.startswith(expected) and zone == "example.com" and len(label) <= 63
    assert OriginRuleProvider().check({}, route(origin_host=alias_name)).failures == []
    assert origin_alias("pywai.origin.example.net", "example.com") != origin_alias(origin.lower(), "example.com")


@pytest.mark.parametrize(("provider", "props", "field"), [
    (DnsRecordProvider, record(zone="example.com", name="www.example.net"), "name"),
    (OriginRuleProvider, route(zone="example.com", origin_host="pywai.origin.example.org"), "origin_host"),
], ids=["record", "rule-origin"])
def test_names_outside_a_named_zone_are_refused(provider: Any, props: dict[str, Any], field: str) -> None:
    failures = provider().check({}, props).failures
    assert [f.property for f in failures] == [field] and "inside the zone 'example.com'" in failures[0].reason


def test_rule_appended_out_of_order_is_moved_after_the_write(emulators: Emulators) -> None:
    """A killed run (or a writer racing us) appended "/" after "/shop": the next create of "/"
    takes its rule over and moves it before the more specific one, touching no other rule."""
    p = rules(emulators)
    shop = p.create(p.check({}, route()).inputs)
    zone = zone_id(emulators)
    ruleset_id = str(shop.outs["ruleset_id"])
    root_inputs = p.check({}, route(path="/", origin_port=30090)).inputs
    left = rule_by_ref(client(emulators).create_rule(zone, ruleset_id, {**definition(root_inputs),
                                                                        "position": {"after": ""}}), ref(root_inputs))
    assert [r["id"] for r in origin_rules(emulators)] == [shop.id, left["id"]]
    root = p.create(root_inputs)
    assert root.id == left["id"]
    assert [r["id"] for r in origin_rules(emulators)] == [root.id, shop.id]


@pytest.mark.parametrize(("order", "moved", "expected"), [
    (["/", "/shop", "/shop/cart"], "/shop", None),
    (["/shop", "/"], "/shop", {"after": "/"}),
    (["/shop", "/"], "/", {"before": "/shop"}),
    (["/shop/cart", "/", "/shop"], "/shop", {"before": "/shop/cart"}),
], ids=["in-order", "less-specific-later", "more-specific-earlier", "between"])
def test_misplaced_moves_only_the_rule_written(order: list[str], moved: str,
                                              expected: dict[str, str] | None) -> None:
    live: list[Any] = [{**definition(OriginRuleProvider().check({}, route(path=path)).inputs), "id": path}
                       for path in order]
    assert misplaced(live, moved, OriginRuleProvider().check({}, route(path=moved)).inputs) == expected
