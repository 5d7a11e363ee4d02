"""The Cloudflare emulator driven by the official ``cloudflare`` library (the one Cloudflare generates
from its API schema): every call the provider makes, with the library's own models and errors."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import cloudflare
import pytest
import requests
from cloudflare import Cloudflare

from tests.conftest import CLOUDFLARE_TEST_TOKEN
from tests.emulators.conftest import CREDENTIALS
from tests.support.emulator import Emulators

PHASE = "http_request_origin"


@pytest.fixture()
def cf(emulators: Emulators) -> Cloudflare:
    return Cloudflare(api_token=CLOUDFLARE_TEST_TOKEN, base_url=emulators.cloudflare, max_retries=0)


@pytest.fixture()
def zone_id(cf: Cloudflare) -> str:
    return str(next(iter(cf.zones.list(name="example.com"))).id)


def errors(exc: cloudflare.APIStatusError) -> list[dict[str, Any]]:
    assert isinstance(exc.body, dict) and exc.body["success"] is False and exc.body["result"] is None
    return list(exc.body["errors"])


def test_token_verify(cf: Cloudflare) -> None:
    answer = cf.user.tokens.verify()
    assert answer is not None and answer.status == "active"


def test_wrong_token_is_refused_without_echoing_it(emulators: Emulators) -> None:
    wrong = Cloudflare(api_token="not-the-token", base_url=emulators.cloudflare, max_retries=0)
    with pytest.raises(cloudflare.AuthenticationError) as verify:
        wrong.user.tokens.verify()
    assert errors(verify.value) == [{"code": 1000, "message": "Invalid API Token"}]
    with pytest.raises(cloudflare.PermissionDeniedError) as listing:
        list(wrong.zones.list())
    assert errors(listing.value)[0]["code"] == 10000
    assert "not-the-token" not in str(listing.value.body)


def test_zone_lookup_by_name(cf: Cloudflare) -> None:
    zones = list(cf.zones.list(name="example.net"))
    assert [(z.name, z.status) for z in zones] == [("example.net", "active")]
    assert list(cf.zones.list(name="absent.example")) == []


def test_dns_record_lifecycle(cf: Cloudflare, zone_id: str) -> None:
    made = cf.dns.records.create(zone_id=zone_id, name="www", type="CNAME", content="o-pywai.example.com",
                                 proxied=True, ttl=1, comment="cdn-ingress:p/s/t")
    assert made is not None
    assert (made.name, made.proxied, made.comment) == ("www.example.com", True, "cdn-ingress:p/s/t")
    edited = cf.dns.records.edit(made.id, zone_id=zone_id, content="other.example.com", type="CNAME", name="www",
                                 ttl=1)
    assert edited is not None and edited.content == "other.example.com" and edited.proxied is True
    replaced = cf.dns.records.update(made.id, zone_id=zone_id, name="www", type="A", content="192.0.2.1", ttl=300)
    assert replaced is not None and (replaced.type, replaced.proxied, replaced.ttl) == ("A", False, 300)
    assert cf.dns.records.delete(made.id, zone_id=zone_id) is not None
    with pytest.raises(cloudflare.NotFoundError) as gone:
        cf.dns.records.get(made.id, zone_id=zone_id)
    assert errors(gone.value)[0]["code"] == 81044


def test_list_filters_by_exact_name_and_pages(cf: Cloudflare, zone_id: str) -> None:
    for index in range(5):
        cf.dns.records.create(zone_id=zone_id, name=f"h{index}", type="A", content=f"192.0.2.{index + 1}", ttl=1)
    first = cf.dns.records.list(zone_id=zone_id, per_page=2)
    assert first.result_info is not None and (first.result_info.total_count, first.result_info.total_pages) == (5, 3)
    assert len(list(cf.dns.records.list(zone_id=zone_id, per_page=2))) == 5  # the library walks the pages
    exact = cf.dns.records.list(zone_id=zone_id, name={"exact": "h3.example.com"})
    assert [r.name for r in exact] == ["h3.example.com"]


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"name": "www", "type": "CNAME", "content": "a.example.com", "comment": "x" * 101, "ttl": 1}, 9100, "comment"),
    ({"name": "www", "type": "TXT", "content": "v", "proxied": True, "ttl": 1}, 9003, "proxied"),
    ({"name": "www", "type": "A", "content": "not-an-address", "ttl": 1}, 9006, "content"),
    ({"name": "www", "type": "A", "content": "192.0.2.1", "ttl": 5}, 9021, "ttl"),
], ids=["comment-too-long", "txt-proxied", "bad-address", "ttl-too-low"])
def test_bad_records_name_the_field(cf: Cloudflare, zone_id: str, fields: dict[str, Any], code: int,
                                    field: str) -> None:
    with pytest.raises(cloudflare.BadRequestError) as refused:
        cf.dns.records.create(zone_id=zone_id, **fields)
    (error,) = errors(refused.value)
    assert error["code"] == code and f": {field}:" in error["message"]


def test_cname_shares_its_name_with_nothing(cf: Cloudflare, zone_id: str) -> None:
    first = cf.dns.records.create(zone_id=zone_id, name="www", type="A", content="192.0.2.1", ttl=1)
    with pytest.raises(cloudflare.BadRequestError) as refused:
        cf.dns.records.create(zone_id=zone_id, name="www", type="CNAME", content="a.example.com", ttl=1)
    (error,) = errors(refused.value)
    assert error["code"] == 81053 and first is not None and first.id in error["message"]


def route(host: str, port: int, **extra: Any) -> dict[str, Any]:
    return {"action": "route", "expression": f'(http.host eq "{host}")',
            "action_parameters": {"origin": {"host": "o-pywai.example.com", "port": port}}, **extra}


def test_origin_rules_one_at_a_time(cf: Cloudflare, zone_id: str) -> None:
    with pytest.raises(cloudflare.NotFoundError):
        cf.rulesets.phases.get(PHASE, zone_id=zone_id)
    ruleset = cf.rulesets.create(zone_id=zone_id, kind="zone", phase=PHASE, name="origin rules", rules=[])
    theirs = cf.rulesets.rules.create(ruleset["id"], zone_id=zone_id, **route("a.example.com", 8080, ref="theirs"))
    ours = cf.rulesets.rules.create(ruleset["id"], zone_id=zone_id, **route("www.example.com", 30080, ref="ours"),
                                    description="cdn-ingress owner=p/s/t", position={"before": ""})
    assert [r["ref"] for r in ours["rules"]] == ["ours", "theirs"]
    ours_id = ours["rules"][0]["id"]
    edited = cf.rulesets.rules.edit(ours_id, ruleset_id=ruleset["id"], zone_id=zone_id,
                                    **route("www.example.com", 30081, ref="ours"))
    entry = cf.rulesets.phases.get(PHASE, zone_id=zone_id)
    assert [(r.ref, r.action_parameters.origin.port) for r in entry.rules] == [("ours", 30081), ("theirs", 8080)]  # type: ignore[union-attr]
    assert edited["rules"][1] == theirs["rules"][0]
    left = cf.rulesets.rules.delete(ours_id, ruleset_id=ruleset["id"], zone_id=zone_id)
    assert left["rules"] == theirs["rules"]


@pytest.mark.parametrize(("rule", "pointer"), [
    (route("www.example.com", 70000), "/rules/0/action_parameters/origin/port"),
    ({**route("www.example.com", 80), "action": "block"}, "/rules/0/action"),
    ({**route("www.example.com", 80), "expression": '(http.host eq "x"'}, "/rules/0/expression"),
    ({**route("www.example.com", 80), "action_parameters": {"origin": {"host": "origin.vultr.example"}}},
     "/rules/0/action_parameters/origin/host"),
], ids=["port", "action", "expression", "origin-outside-zone"])
def test_bad_rules_point_at_the_field(cf: Cloudflare, zone_id: str, rule: dict[str, Any], pointer: str) -> None:
    ruleset = cf.rulesets.create(zone_id=zone_id, kind="zone", phase=PHASE, name="origin rules", rules=[])
    with pytest.raises(cloudflare.BadRequestError) as refused:
        cf.rulesets.rules.create(ruleset["id"], zone_id=zone_id, **rule)
    assert errors(refused.value)[0]["source"] == {"pointer": pointer}
    assert cf.rulesets.phases.get(PHASE, zone_id=zone_id).rules == []


def test_second_entrypoint_of_a_phase_is_refused(cf: Cloudflare, zone_id: str) -> None:
    cf.rulesets.create(zone_id=zone_id, kind="zone", phase=PHASE, name="one", rules=[])
    with pytest.raises(cloudflare.BadRequestError) as refused:
        cf.rulesets.create(zone_id=zone_id, kind="zone", phase=PHASE, name="two", rules=[])
    assert errors(refused.value)[0]["code"] == 20217


def test_rate_limit_headers_and_429(emulators: Emulators, cf: Cloudflare) -> None:
    emulators.settings("cloudflare", rate_limit_requests=3, rate_limit_window_seconds=60.0)
    raw = cf.user.tokens.with_raw_response.verify()
    assert raw.headers["Ratelimit-Policy"] == '"default";q=3;w=60'
    assert raw.headers["Ratelimit"].startswith('"default";r=2;t=')
    cf.user.tokens.verify()
    cf.user.tokens.verify()
    with pytest.raises(cloudflare.RateLimitError) as limited:
        cf.user.tokens.verify()
    assert 1 <= int(limited.value.response.headers["Retry-After"]) <= 60
    assert errors(limited.value)[0]["code"] == 971


def test_injected_server_error_keeps_the_envelope(emulators: Emulators, cf: Cloudflare) -> None:
    emulators.faults("cloudflare", error_rate=1.0, error_statuses=[503])
    with pytest.raises(cloudflare.InternalServerError) as failed:
        cf.user.tokens.verify()
    assert failed.value.status_code == 503 and errors(failed.value)[0]["code"] == 10001


def test_unknown_path_and_bad_auth_header(emulators: Emulators) -> None:
    missing = requests.get(emulators.cloudflare + "/zones", timeout=10)
    assert missing.status_code == 400 and missing.json()["errors"][0]["code"] == 6003
    unknown = requests.get(emulators.cloudflare + "/nowhere", timeout=10,
                           headers={"Authorization": f"Bearer {CLOUDFLARE_TEST_TOKEN}"})
    assert unknown.status_code == 404 and unknown.json()["success"] is False


def test_served_beside_the_others_only_with_a_token(spawn: Any) -> None:
    without = spawn(*CREDENTIALS)
    assert (bool(without.vultr), bool(without.edgio), without.cloudflare) == (True, True, "")
    alone = spawn("--only", "cloudflare", "--cloudflare-api-token", CLOUDFLARE_TEST_TOKEN,
                  "--cloudflare-zone", "example.org")
    assert alone.cloudflare.endswith("/client/v4") and (alone.vultr, alone.edgio) == ("", "")
    cf = Cloudflare(api_token=CLOUDFLARE_TEST_TOKEN, base_url=alone.cloudflare, max_retries=0)
    assert [z.name for z in cf.zones.list()] == ["example.org"]


def test_only_cloudflare_without_a_token_exits_2() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMULATOR_")}
    done = subprocess.run([sys.executable, "-m", "emulators", "serve", "--only", "cloudflare"], capture_output=True,
                          text=True, timeout=60, env=env)
    assert done.returncode == 2 and "needs an API token: --cloudflare-api-token" in done.stderr
    assert "Traceback" not in done.stderr
