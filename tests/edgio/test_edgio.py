"""Edgio signing, client and DeliveryRule provider against the emulator on loopback."""

from __future__ import annotations

import json
import time
from typing import Any, TypeVar

import pytest
import requests
from pulumi.dynamic import Config, ConfigureRequest, ResourceProvider

from edgio_provider import EdgioAuthError, EdgioBadRequest, EdgioClient, EdgioConflict, EdgioError, EdgioNotFound
from edgio_provider.client import make_signer, signature
from edgio_provider.provider import DeliveryRuleProvider
from edgio_provider.rules import payload
from restkit import RetryPolicy
from tests.conftest import EDGIO_TEST_KEY, EDGIO_TEST_USER
from tests.support.emulator import Emulators
from tests.support.provider_server import ProviderServer, secret, urn

KEY = bytes.fromhex(EDGIO_TEST_KEY)
STAMP = "1700000000000"
FAST = RetryPolicy(base_delay=0.01, max_delay=0.05, deadline=10)
TYPE = "pulumi-python:dynamic/edgio:DeliveryRule"


@pytest.mark.parametrize(("method", "url", "query", "body", "expected"), [
    ("GET", "https://apis.llnw.com/config-api/v1/svcinst/delivery/shortname/acme", "size=10&page=1", b"",
     "1cce2171beea556239fa64bf7e24b32d10acdf964ebcc21a5d17cb81eab0f71c"),
    ("POST", "https://apis.llnw.com/config-api/v1/svcinst/delivery", "",
     b'{"accounts": [{"shortname": "acme"}], "body": {"serviceKey": {"name": "delivery"}}}',
     "98973ccc4abf8740da863c52fee89c7ae4de2f34679e16d973b1174891638873"),
    ("DELETE", "https://apis.llnw.com/config-api/v1/svcinst/delivery/78df6c87-b19f-42cb-bee7-263ec58e3950", "",
     b"null", "369587d8896836ea5780573de5f956b9b4d843381d0ee088149cda7471681b59"),
], ids=["get", "post", "delete"])
def test_contract_vectors(method: str, url: str, query: str, body: bytes, expected: str) -> None:
    assert signature(KEY, method, url, query, STAMP, body) == expected


def signed(emulators: Emulators, method: str, path: str, *, body: bytes = b"", query: str = "",
           key: bytes = KEY, clock: float | None = None, tamper: dict[str, Any] | None = None) -> requests.Response:
    url = emulators.edgio + path + (f"?{query}" if query else "")
    prepared = requests.Request(method, url, data=body or None,
                                headers={"Content-Type": "application/json"}).prepare()
    make_signer(EDGIO_TEST_USER, key, clock=(lambda: clock) if clock else time.time)(prepared)
    for name, value in (tamper or {}).items():
        setattr(prepared, name, value)
    with requests.Session() as session:
        return session.send(prepared, timeout=10)


@pytest.mark.parametrize("case", ["tampered-body", "tampered-query", "wrong-key", "expired", "wrong-host"])
def test_bad_signatures_are_401(emulators: Emulators, case: str) -> None:
    path, query, body = "/svcinst/delivery/validate", "", b'{"a": 1}'
    kwargs: dict[str, Any] = {}
    if case == "tampered-body":
        kwargs["tamper"] = {"body": b'{"a": 2}'}
    elif case == "tampered-query":
        path, body, query = "/svcinst/delivery/shortname/acme", b"", "size=10"
        kwargs["tamper"] = {"url": emulators.edgio + path + "?size=11"}
    elif case == "wrong-key":
        kwargs["key"] = bytes(16)
    elif case == "expired":
        kwargs["clock"] = time.time() - 301
    else:
        kwargs["tamper"] = {"url": emulators.edgio.replace("127.0.0.1", "localhost") + path}
    method = "GET" if case == "tampered-query" else "POST"
    response = signed(emulators, method, path, body=body, query=query, **kwargs)
    assert response.status_code == 401, response.text
    assert EDGIO_TEST_KEY not in response.text


def test_delete_with_null_body_verifies(emulators: Emulators) -> None:
    assert signed(emulators, "DELETE", "/svcinst/delivery/nope", body=b"null").status_code == 404


def client(emulators: Emulators, key: str = EDGIO_TEST_KEY) -> EdgioClient:
    return EdgioClient(EDGIO_TEST_USER, key, endpoint=emulators.edgio, requests_per_second=500, retry=FAST)


def test_foreign_shortname_is_403(emulators: Emulators) -> None:
    with pytest.raises(EdgioAuthError, match="403 for GET /svcinst/delivery/shortname/nobody"):
        client(emulators).list_rules("nobody")


def test_wrong_key_message_has_no_key(emulators: Emulators) -> None:
    with pytest.raises(EdgioAuthError) as caught:
        client(emulators, key="ff" * 16).list_rules("acme")
    assert "ff" * 16 not in str(caught.value) and "401" in str(caught.value)


OWNER = "cdn-ingress/dev/5f3a9c"
P = TypeVar("P", bound=ResourceProvider)


def inputs(**changes: Any) -> dict[str, Any]:
    return {"shortname": "acme", "published_hostname": "www.acme.s.llnwi.net", "published_path": "/shop",
            "source_hostname": "pywai.origin.example.com", "source_port": 30080, "owner": OWNER, **changes}


def configured(p: P, emulators: Emulators) -> P:
    """``p`` configured as the engine would, for the emulator on loopback."""
    p.configure(ConfigureRequest(Config({"edgio:username": EDGIO_TEST_USER, "edgio:sharedKey": EDGIO_TEST_KEY,
                                         "edgio:endpoint": emulators.edgio, "edgio:requestsPerSecond": "500",
                                         "edgio:pollSeconds": "0.01"}, "cdn-ingress")))
    return p


def provider(emulators: Emulators) -> DeliveryRuleProvider:
    return configured(DeliveryRuleProvider(), emulators)


def test_lifecycle_directly(emulators: Emulators) -> None:
    p = provider(emulators)
    created = p.create(p.check({}, inputs()).inputs)
    assert created.outs["state"] == "PROCESSING" and created.outs["version"] == 1  # no waiting in a write
    assert created.outs["published_url"] == "https://www.acme.s.llnwi.net/shop"
    updated = p.update(created.id, created.outs, inputs(source_port=30081)).outs
    assert updated["version"] == 2
    assert client(emulators).get(created.id)["body"]["protocolSets"][0]["sourcePort"] == 30081
    p.delete(created.id, updated)
    with pytest.raises(EdgioNotFound):
        client(emulators).get(created.id)
    assert p.read(created.id, updated).id == ""


def test_foreign_rule_is_a_conflict_naming_its_uuid(emulators: Emulators) -> None:
    p = provider(emulators)
    theirs = payload(p.check({}, inputs(owner="")).inputs)  # made by hand: no claim
    theirs["body"]["sourceHostname"] = "their-origin.example.net"
    foreign = client(emulators).create(theirs)
    with pytest.raises(EdgioConflict, match=f"uuid={foreign['uuid']}"):
        p.create(p.check({}, inputs()).inputs)
    with pytest.raises(EdgioBadRequest, match="409"):
        client(emulators).create(payload(p.check({}, inputs()).inputs))
    assert client(emulators).get(foreign["uuid"])["body"]["sourceHostname"] == "their-origin.example.net"


def test_update_whose_own_put_landed_unseen_is_not_a_conflict(emulators: Emulators) -> None:
    p = provider(emulators)
    created = p.create(p.check({}, inputs()).inputs)
    wanted = p.check(created.outs, inputs(source_port=1)).inputs
    client(emulators).update(created.id, payload(wanted))  # the PUT landed; its answer never came
    done = p.update(created.id, created.outs, wanted)  # the re-run, from the old state (version 1)
    assert (done.outs["version"], done.outs["source_port"]) == (2, 1)
    assert client(emulators).get(created.id)["revision"]["versionNumber"] == 2  # not written again


def test_check_asks_the_vendor_only_about_changed_inputs(emulators: Emulators) -> None:
    p = provider(emulators)
    checked = p.check({}, inputs()).inputs

    def validations() -> int:
        return sum(c["path"].endswith("/validate") for c in emulators.calls("edgio"))

    emulators.admin("edgio", "DELETE", "calls")
    assert p.check(checked, inputs()).failures == []
    assert validations() == 0
    assert p.check(checked, inputs(source_port=1)).failures == []
    assert validations() == 1


def test_rule_left_by_a_killed_run_is_taken_over_not_duplicated(emulators: Emulators) -> None:
    p = provider(emulators)
    wanted = p.check({}, inputs()).inputs
    left = client(emulators).create(payload(wanted))  # created, then the run died before Pulumi saved it
    created = p.create(wanted)
    assert created.id == left["uuid"]
    assert len(client(emulators).search(wanted["shortname"], wanted["published_hostname"],
                                        wanted["published_path"])) == 1


def test_concurrent_edit_is_refused_until_refresh(emulators: Emulators) -> None:
    p = provider(emulators)
    created = p.create(p.check({}, inputs()).inputs)
    live = client(emulators).get(created.id)
    live["body"]["sourceHostname"] = "elsewhere.example.com"
    client(emulators).update(created.id, {"accounts": live["accounts"], "body": live["body"]})
    with pytest.raises(EdgioConflict, match="state has version 1, live is version 2"):
        p.update(created.id, created.outs, inputs(source_port=1))
    refreshed = provider(emulators).read(created.id, created.outs)  # a refresh is a run of its own
    assert refreshed.inputs["source_hostname"] == "elsewhere.example.com"
    assert p.update(created.id, refreshed.outs, inputs(source_port=1)).outs["version"] == 3


def test_check_and_diff() -> None:
    p = DeliveryRuleProvider()
    reasons = [f.reason for f in p.check({}, inputs(published_path="shop", source_port=0)).failures]
    assert "published_path='shop': must start with '/' and contain no spaces" in reasons
    assert "source_port=0: must be a port number from 1 to 65535" in reasons
    outs = {**p.check({}, inputs()).inputs, "uuid": "u", "version": 1}
    assert p.diff("u", outs, inputs()).changes is False
    assert p.diff("u", outs, inputs(profile_name="Other")).replaces == ["profile_name"]
    assert p.diff("u", outs, inputs(adopt=True)).changes is False


def test_through_the_provider_server(emulators: Emulators) -> None:
    with ProviderServer(DeliveryRuleProvider()) as server:
        server.configure({"edgio:username": EDGIO_TEST_USER, "edgio:sharedKey": secret(EDGIO_TEST_KEY),
                          "edgio:endpoint": emulators.edgio, "edgio:requestsPerSecond": "500",
                          "edgio:pollSeconds": "0.01"})
        name = urn(TYPE, "www.acme.s.llnwi.net/shop")
        checked, failures = server.check(name, {}, inputs())
        assert failures == []
        id_, outs = server.create(name, checked)
        assert outs["version"] == 1
        _, _read_outs, read_inputs = server.read(name, id_, outs)
        assert read_inputs["source_port"] == 30080
        server.delete(name, id_, outs)
    assert EDGIO_TEST_KEY not in server.stderr() and EDGIO_TEST_KEY not in server.provider_blob
    calls = json.dumps(emulators.calls("edgio"))
    assert EDGIO_TEST_KEY not in calls


def test_fault_run_ends_with_exactly_the_intended_rules(emulators: Emulators) -> None:
    """Over 300 provider operations under 5xx, 429 bursts, dropped connections and lost answers.
    A failed operation is run again, as the next `pulumi up` would (after `pulumi refresh` when
    the rule changed under it)."""
    c = client(emulators)
    foreign_payload = payload(provider(emulators).check({}, inputs(published_path="/theirs")).inputs)
    foreign_payload["body"]["sourceHostname"] = "their-origin.example.net"
    foreign = c.create(foreign_payload)["uuid"]
    emulators.faults("edgio", error_rate=0.1, burst_429_rate=0.02, drop_rate=0.03, lost_response_rate=0.1,
                     seed=11)
    p = provider(emulators)
    states: dict[int, tuple[str, dict[str, Any]]] = {}
    operations = failed = 0

    def run(i: int, wanted: dict[str, Any] | None) -> None:
        nonlocal operations, failed
        for _ in range(6):
            operations += 1
            try:
                if wanted is None:
                    p.delete(*states.pop(i))
                elif i in states:
                    uuid, outs = states[i]
                    states[i] = (uuid, p.update(uuid, outs, p.check(outs, wanted).inputs).outs)
                else:
                    done = p.create(p.check({}, wanted).inputs)
                    states[i] = (done.id, done.outs)
                return
            except EdgioConflict:
                failed += 1
                uuid, outs = states[i]
                states[i] = (uuid, p.read(uuid, outs).outs)  # pulumi refresh
            except EdgioError:
                failed += 1
        raise AssertionError(f"rule {i} did not converge in 6 runs")

    rules, rounds = 20, 15
    for round_ in range(rounds):
        for i in range(rules):
            run(i, inputs(published_path=f"/r{i}", source_port=30000 + round_))
    for i in range(0, rules, 2):
        run(i, None)
    emulators.faults("edgio", error_rate=0, burst_429_rate=0, drop_rate=0, lost_response_rate=0)

    live = c.list_rules("acme")
    calls = len(emulators.calls("edgio"))
    ours = {r["uuid"]: r for r in live if r["uuid"] != foreign}
    intended = {f"/r{i}": 30000 + rounds - 1 for i in range(1, rules, 2)}
    actual = {r["body"]["publishedUrlPath"]: r["body"]["protocolSets"][0]["sourcePort"] for r in ours.values()}
    lost = {path for path in intended if path not in actual}
    duplicated = len(ours) - len(set(actual))
    extra = set(actual) - set(intended)
    foreign_now = c.get(foreign)
    foreign_touched = int(foreign_now["revision"]["versionNumber"] != 1)
    print(f"\nedgio fault run: {operations} resource operations ({failed} failed and were run again), "
          f"{calls} HTTP calls; lost={len(lost)} duplicated={duplicated} left_over={len(extra)} "
          f"foreign_touched={foreign_touched}")
    assert operations >= 300
    assert (lost, duplicated, extra, foreign_touched) == (set(), 0, set(), 0)
    assert actual == intended
    assert {uuid for uuid, _ in states.values()} == set(ours)
