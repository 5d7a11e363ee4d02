"""The renderer on logs no real preview here produces: policy results, plaintext secrets (as
``--show-secrets`` would write them), plans too big for one comment, the gate's decisions."""

from __future__ import annotations

import pytest

from preview import LIMIT, Target, gate, parse, render
from preview.kinds import CDN_TYPE
from preview.md import utf16_len
from tests.preview.kit import dns_step, lines, policy, prelude, records, rule, rule_step, secret, step, urn

TARGET = Target("cdn-ingress", "test")
KNOWN_SECRET = "hunter2-do-not-print-7f3a"


def test_secret_values_never_render_even_as_plaintext() -> None:
    old = rule("/api", options=[{"name": "header", "parameters": ["X-Token", secret()]}])
    new = rule("/api", options=[{"name": "header", "parameters": ["X-Token", secret(KNOWN_SECRET)]}],
               shortname=secret(KNOWN_SECRET))
    created = rule("/new", __provider="gASVpickled-provider-not-marked-secret")
    text = render(parse(lines(rule_step("update", "/api", old, new), rule_step("create", "/new", None, created))),
                  TARGET)
    assert KNOWN_SECRET not in text
    assert "[secret]" in text
    assert "__provider" not in text and "gASV" not in text


def test_policy_results_sit_next_to_their_resource_and_in_the_policy_section() -> None:
    target_urn = urn(CDN_TYPE, "shop.example.com/api")
    text = render(parse(lines(rule_step("create", "/api", None, rule("/api")),
                              policy(target_urn, "mandatory", "published over plain http"),
                              policy("", "advisory", "stack has no owner tag", name="owner-tag"))), TARGET)
    section = text.split("#### Policy results", 1)[1].split("####", 1)[0]
    assert "⛔ **mandatory** `cdn-ingress-policies/no-plain-http` on `shop.example.com/api`" in section
    assert "`cdn-ingress-policies/owner-tag` on the stack" in section
    resource = text.split("#### Resources", 1)[1]
    assert "⛔ 1 policy</summary>" in resource
    assert "published over plain http" in resource.split("</summary>", 1)[1].split("</details>", 1)[0]


def test_policy_on_an_unchanged_resource_still_lists_it() -> None:
    same = rule_step("same", "/api", rule("/api"), rule("/api"))
    text = render(parse(lines(same, policy(urn(CDN_TYPE, "shop.example.com/api"), "advisory", "cache too short"))),
                  TARGET)
    assert "no changes" not in text
    assert "unchanged</b> DeliveryRule <code>shop.example.com/api</code> ⚠️ 1 policy" in text


def test_a_plan_too_big_for_one_comment_keeps_summary_and_traffic_and_says_so() -> None:
    bulky = [{"name": "header", "parameters": ["X-Pad", "x" * 200]}] * 5
    events = [rule_step("create", f"/p{i}", None, rule(f"/p{i}", options=bulky)) for i in range(200)]
    text = render(parse(lines(*events)), TARGET)
    assert utf16_len(text) < LIMIT
    assert "| CDN rules | 200 |" in text
    assert "`shop.example.com/p199` will be served by the CDN" in text
    assert "Left out to stay under GitHub's 65,536-character limit: the property diffs of 200 resource(s)" in text
    assert "```diff" not in text


def test_an_enormous_plan_cuts_the_traffic_lists_and_counts_what_it_cut() -> None:
    events = [rule_step("delete", f"/gone/{i:05}", rule(f"/gone/{i:05}", port=30000 + i), None) for i in range(3000)]
    text = render(parse(lines(*events)), TARGET)
    assert utf16_len(text) < LIMIT
    assert "| CDN rules | · | · | · | 3000 |" in text
    assert "more (left out for size)" in text
    assert "and the tail of long traffic lists" in text


@pytest.mark.parametrize(("config", "protect", "labels", "blocked"), [
    ({"cdn-ingress:protect": "true"}, False, frozenset(), True),
    ({}, True, frozenset(), True),
    ({"cdn-ingress:protect": "true"}, False, frozenset({"allow-cdn-deletion"}), False),
    ({}, False, frozenset(), False),
], ids=["config-protects", "state-protects", "label-allows", "unprotected"])
def test_deletion_gate(config: dict[str, str], protect: bool, labels: frozenset[str], blocked: bool) -> None:
    log = parse(lines(prelude(config), rule_step("delete", "/api", rule("/api"), None, protect=protect)))
    assert gate(log, labels).blocked is blocked
    text = render(log, Target("cdn-ingress", "prod", labels))
    assert ("Deletion gate: blocked" in text) is blocked
    assert ("Deletion gate: allowed" in text) is (labels != frozenset())


def test_gate_ignores_creates_and_updates_on_a_protected_stack() -> None:
    log = parse(lines(prelude({"cdn-ingress:protect": "true"}), rule_step("create", "/new", None, rule("/new")),
                      dns_step("update", records(["203.0.113.11"]), records(["203.0.113.11", "203.0.113.12"]))))
    assert not gate(log).blocked


def test_retained_deletes_say_the_object_stays_at_the_vendor() -> None:
    text = render(parse(lines(rule_step("delete", "/api", rule("/api"), None, retain=True),
                              dns_step("delete", records(["203.0.113.11"]), None, retain=True))), TARGET)
    assert "CDN rule for `shop.example.com/api` leaves the program but is **retained** at Edgio" in text
    assert "Origin `pywai.origin.example.com` leaves the program but its records are **retained** at Vultr" in text
    assert "will stop being served" not in text


def test_unknown_values_read_as_known_after_apply() -> None:
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    text = render(parse(lines(rule_step("create", "/api", None, rule("/api", port=unknown)))), TARGET)
    assert "`pywai.origin.example.com:(known after apply)`" in text


def test_a_rule_update_names_each_setting_that_matters_for_traffic() -> None:
    old = rule("/api", published_protocols=["http", "https"], options=[{"name": "refresh_absmax", "parameters": [300]}])
    new = rule("/api", port=31999, source_protocol="https", options=[{"name": "refresh_absmax", "parameters": [600]}])
    text = render(parse(lines(rule_step("update", "/api", old, new))), TARGET)
    assert ("- ✏️ `shop.example.com/api`: origin port 30080 → 31999; published protocols http, https → https; "
            "origin protocol http → https; CDN option refresh_absmax 300 → 600\n") in text


def test_resources_of_other_types_get_a_row_per_type() -> None:
    deployment = step("update", "pulumi-python:dynamic/edgio:RuleDeployment", "default/web", {"rules": []},
                      {"rules": [{"uuid": "u1"}]})
    text = render(parse(lines(deployment)), TARGET)
    assert "| RuleDeployment | · | 1 | · | · | · |" in text
    assert "| CDN rules | · | · | · | · | · |" in text


def test_a_failed_preview_shows_its_errors_first() -> None:
    error = {"diagnosticEvent": {"urn": "", "message": "manifests/x.yaml: spec.rules[0].host='*.x': bad\n",
                                 "color": "never", "severity": "error"}}
    text = render(parse(lines(error, {"summaryEvent": {"result": "failed"}})), TARGET)
    headline = next(line for line in text.splitlines() if line.startswith("### "))
    assert "preview failed" in headline
    assert "spec.rules[0].host='*.x'" in text


def test_a_shared_origin_says_only_this_stacks_addresses_change() -> None:
    shared = {"shared": True, "port": 30080}
    text = render(parse(lines(dns_step("update", {**records(["203.0.113.11"]), **shared},
                                       {**records([]), **shared}))), TARGET)
    assert "no address of this stack is left (shared with other stacks, port 30080: only this stack's addresses " \
           "change, the other contributors' stay)" in text
    assert "no address is left" not in text


def test_a_shared_origin_names_its_other_contributors_as_last_seen() -> None:
    """The preview job has no vendor key: the contributors come from the state, as the last run saw them;
    a hostile owner text from a marker in the zone shows as typed, not as Markdown."""
    others = [{"owner": "cdn-ingress/prod-us/bb22bb", "port": 30080, "addresses": ["203.0.113.21", "203.0.113.22"]},
              {"owner": "@admin <b>x</b>", "port": 30080, "addresses": []}]
    old, new = ({**records(addresses), "shared": True, "port": 30080} for addresses in (["203.0.113.11"], []))
    text = render(parse(lines(dns_step("update", old, new, outputs={"contributors": others}))), TARGET)
    line = next(x for x in text.splitlines() if "other contributors as of the last run" in x)
    assert "as of the last run: cdn-ingress/prod-us/bb22bb (203.0.113.21, 203.0.113.22); " in line
    assert "<b>" not in line and "@admin" not in line and "(no address)" in line


def test_a_path_change_with_the_request_path_kept_reads_as_a_move() -> None:
    old, new = rule("/bob", source_path="/bob"), rule("/robert", source_path="/robert")
    text = render(parse(lines(rule_step("delete", "/bob", old, None), rule_step("create", "/robert", None, new))),
                  TARGET)
    assert "🔀 `shop.example.com/bob` → `shop.example.com/robert`: path changed" in text
