"""Vultr client and DnsRecordSet provider against the emulator on loopback, directly and
through the SDK's provider server over gRPC."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from restkit import RetryPolicy
from tests.conftest import VULTR_TEST_KEY
from tests.support.emulator import Emulators
from tests.support.provider_server import UNKNOWN, ProviderServer, secret, urn
from vultr_provider import VultrAuthError, VultrBadRequest, VultrClient, VultrConflict, VultrNotFound, VultrRateLimited
from vultr_provider.checks import normal as _normal
from vultr_provider.errors import VultrError
from vultr_provider.provider import DnsRecordSetProvider

ZONE = "origin.example.com"
TYPE = "pulumi-python:dynamic/vultr:DnsRecordSet"
FAST = RetryPolicy(base_delay=0.01, max_delay=0.05, deadline=10)


def client(emulators: Emulators, key: str = VULTR_TEST_KEY) -> VultrClient:
    return VultrClient(key, endpoint=emulators.vultr, requests_per_second=500, retry=FAST)


def provider(emulators: Emulators) -> DnsRecordSetProvider:
    emulators.faults("vultr", rate_limit_per_second=0)  # the limit has a test of its own
    p = DnsRecordSetProvider()
    p.configure(ConfigureRequest(Config({"vultr:apiKey": VULTR_TEST_KEY, "vultr:endpoint": emulators.vultr,
                                         "vultr:requestsPerSecond": "500"}, "cdn-ingress")))
    return p


def props(**changes: Any) -> dict[str, Any]:
    return {"domain": ZONE, "name": "pywai", "type": "A", "addresses": ["198.51.100.2", "198.51.100.1"],
            "ttl": 120, "adopt": False, **changes}


def test_wrong_key_is_401_without_the_key_in_the_message(emulators: Emulators) -> None:
    with pytest.raises(VultrAuthError) as caught:
        client(emulators, key="wrong-key-123").list_domains()
    assert "Vultr list_domains failed: 401 for GET /domains" in str(caught.value)
    assert "wrong-key-123" not in str(caught.value)


@pytest.mark.parametrize(("kwargs", "error", "text"), [
    ({"data": "not-an-ip"}, VultrBadRequest, "must be an IP address"),
    ({"data": "198.51.100.9", "ttl": 999}, VultrBadRequest, "must share one TTL"),
], ids=["bad-data", "mixed-ttl"])
def test_client_400s(emulators: Emulators, kwargs: dict[str, Any], error: type, text: str) -> None:
    c = client(emulators)
    c.create_record(ZONE, name="www", type="A", data="198.51.100.8", ttl=120)
    with pytest.raises(error, match=text):
        c.create_record(ZONE, name="www", type="A", **{"data": "x", "ttl": 120, **kwargs})


def test_missing_record_is_404(emulators: Emulators) -> None:
    with pytest.raises(VultrNotFound, match=r"404 for GET /domains/origin\.example\.com/records/nope"):
        client(emulators).get_record(ZONE, "nope")


def test_rate_limit_429_after_retries(emulators: Emulators) -> None:
    emulators.faults("vultr", burst_429_rate=1.0, burst_429_length=100)
    with pytest.raises(VultrRateLimited, match="429"):
        client(emulators).list_domains()


def test_listing_walks_past_500_records(emulators: Emulators) -> None:
    emulators.faults("vultr", rate_limit_per_second=0)
    c = client(emulators)
    for i in range(520):
        c.create_record(ZONE, name=f"n{i}", type="A", data="198.51.100.1", ttl=120, known_ids=set())
    emulators.admin("vultr", "DELETE", "calls")
    assert len(c.list_records(ZONE)) == 520
    pages = [call for call in emulators.calls("vultr") if call["method"] == "GET"]
    assert len(pages) == 2


def test_create_read_update_delete_directly(emulators: Emulators) -> None:
    p = provider(emulators)
    foreign = client(emulators).create_record(ZONE, name="other", type="A", data="203.0.113.7", ttl=120)
    created = p.create(props())
    assert created.id == f"{ZONE}/pywai/A"
    assert created.outs["fqdn"] == f"pywai.{ZONE}"
    assert sorted(created.outs["record_ids"]) == ["198.51.100.1", "198.51.100.2"]
    updated = p.update(created.id, created.outs, props(addresses=["198.51.100.2", "198.51.100.3"])).outs
    assert sorted(updated["record_ids"]) == ["198.51.100.2", "198.51.100.3"]
    assert updated["record_ids"]["198.51.100.2"] == created.outs["record_ids"]["198.51.100.2"]
    retimed = p.update(created.id, updated, props(addresses=updated["addresses"], ttl=300)).outs
    live = client(emulators).list_records(ZONE)
    assert {r["ttl"] for r in live if r["id"] in retimed["record_ids"].values()} == {300}
    p.delete(created.id, retimed)
    left = client(emulators).list_records(ZONE)
    assert [r["id"] for r in left] == [foreign["id"]]


def test_update_creates_before_it_deletes(emulators: Emulators) -> None:
    p = provider(emulators)
    created = p.create(props(addresses=["198.51.100.1"]))
    emulators.admin("vultr", "DELETE", "calls")
    p.update(created.id, created.outs, props(addresses=["198.51.100.5"]))
    writes = [c["method"] for c in emulators.calls("vultr") if c["method"] in ("POST", "DELETE")]
    assert writes == ["POST", "DELETE"]


def test_collision_with_a_foreign_record_names_it(emulators: Emulators) -> None:
    foreign = client(emulators).create_record(ZONE, name="pywai", type="A", data="198.51.100.1", ttl=120)
    with pytest.raises(VultrConflict, match=f"id={foreign['id']} pywai.{ZONE} A 198.51.100.1"):
        provider(emulators).create(props())
    adopted = provider(emulators).create(props(adopt=True))
    assert adopted.outs["record_ids"]["198.51.100.1"] == foreign["id"]


def test_refresh_shows_out_of_band_changes_and_gone(emulators: Emulators) -> None:
    p = provider(emulators)
    created = p.create(props())
    gone_id = created.outs["record_ids"]["198.51.100.1"]
    client(emulators).delete_record(ZONE, gone_id)
    read = p.read(created.id, created.outs)
    assert read.outs["addresses"] == ["198.51.100.2"] and read.inputs["addresses"] == ["198.51.100.2"]
    client(emulators).delete_record(ZONE, created.outs["record_ids"]["198.51.100.2"])
    assert p.read(created.id, created.outs).id == ""


def test_check_reports_every_problem() -> None:
    result = DnsRecordSetProvider().check({}, props(domain="bad domain", name="x.origin.example.com",
                                                    addresses=["1.2.3.4", "zz"], ttl=5))
    reasons = [f.reason for f in result.failures]
    assert ("domain='bad domain': must be the zone's lower-case FQDN without a trailing dot, "
            "e.g. 'example.com'") in reasons
    assert "addresses[1]='zz': not an IP address" in reasons
    assert "ttl=5: must be a whole number of seconds from 60 to 86400" in reasons


def test_diff_uses_old_outputs() -> None:
    outs = {**props(), "addresses": ["198.51.100.1", "198.51.100.2"], "fqdn": "x", "record_ids": {}}
    p = DnsRecordSetProvider()
    assert p.diff("id", outs, props()).changes is False
    assert p.diff("id", outs, props(ttl=300)).replaces == []
    assert p.diff("id", outs, props(name="other")).replaces == ["name"]


def test_through_the_provider_server(emulators: Emulators) -> None:
    with ProviderServer(DnsRecordSetProvider()) as server:
        server.configure({"vultr:apiKey": secret(VULTR_TEST_KEY), "vultr:endpoint": emulators.vultr,
                          "vultr:requestsPerSecond": "500"})
        name = urn(TYPE, "default/pywai")
        inputs, failures = server.check(name, {}, props(addresses=UNKNOWN))
        assert failures == []
        inputs, failures = server.check(name, {}, props())
        assert failures == [] and inputs["addresses"] == ["198.51.100.1", "198.51.100.2"]
        id_, outs = server.create(name, inputs)
        assert outs["fqdn"] == f"pywai.{ZONE}"
        diff = server.diff(name, id_, outs, props(addresses=["198.51.100.1"]))
        assert list(diff.replaces) == [] and diff.changes == diff.DIFF_SOME
        outs = server.update(name, id_, outs, props(addresses=["198.51.100.1"]))
        read_id, read_outs, _ = server.read(name, id_, outs)
        assert read_id == id_ and read_outs["addresses"] == ["198.51.100.1"]
        server.delete(name, id_, outs)
    assert client(emulators).list_records(ZONE) == []
    assert VULTR_TEST_KEY not in server.stderr()
    assert VULTR_TEST_KEY not in server.provider_blob


def test_fault_run_ends_with_exactly_the_intended_records(emulators: Emulators) -> None:
    c = client(emulators)
    foreign = [c.create_record(ZONE, name=f"keep{i}", type="A", data="203.0.113.9", ttl=120)["id"] for i in range(5)]
    emulators.faults("vultr", error_rate=0.1, burst_429_rate=0.02, drop_rate=0.03, lost_response_rate=0.1, seed=7)
    p, states = provider(emulators), {}
    operations = record_operations = failed = 0
    sets, rounds = 10, 13  # each round moves two of a set's three addresses: 4 record writes
    for round_ in range(rounds):
        for i in range(sets):
            addresses = [f"198.51.100.{(2 * round_ + i + k) % 50 + 1}" for k in range(3)]
            before = set(states[i]["addresses"]) if i in states else set()
            record_operations += len(before ^ set(addresses))
            for _ in range(5):  # a failed operation is run again, as the next `pulumi up` would
                operations += 1
                try:
                    if i in states:
                        states[i] = p.update("x", states[i], props(name=f"set{i}", addresses=addresses)).outs
                    else:
                        states[i] = p.create(props(name=f"set{i}", addresses=addresses)).outs
                    break
                except VultrError:
                    failed += 1
            else:
                raise AssertionError(f"set{i} did not converge in 5 runs")
    emulators.faults("vultr", error_rate=0, burst_429_rate=0, drop_rate=0, lost_response_rate=0)
    live = c.list_records(ZONE)
    calls = len(emulators.calls("vultr"))
    ours = {rid for s in states.values() for rid in s["record_ids"].values()}
    intended = {(f"set{i}", a) for i, s in states.items() for a in s["addresses"]}
    actual = {(r["name"], r["data"]) for r in live if r["id"] not in foreign}
    lost, extra = intended - actual, len(live) - len(foreign) - len(intended)
    foreign_left = sum(1 for r in live if r["id"] in foreign)
    print(f"\nvultr fault run: {operations} resource operations ({failed} failed and were run again), "
          f"{record_operations} record writes, "
          f"{calls} HTTP calls; lost={len(lost)} duplicated={extra} "
          f"foreign_touched={len(foreign) - foreign_left}")
    assert record_operations >= 500
    assert (lost, extra, foreign_left) == (set(), 0, len(foreign))
    assert ours == {r["id"] for r in live if r["id"] not in foreign}


def test_owner_marker_is_written_first_and_removed_last(emulators: Emulators) -> None:
    p, c = provider(emulators), client(emulators)
    foreign = c.create_record(ZONE, name="pywai", type="TXT", data='"someone else"', ttl=300)["id"]
    emulators.admin("vultr", "DELETE", "calls")
    created = p.create(props(owner="proj/dev"))
    zone = c.list_records(ZONE)
    marker = [r for r in zone if r["id"] == created.outs["marker_id"]]
    ids = ",".join(sorted(created.outs["record_ids"].values()))
    assert [(r["name"], r["type"], r["data"]) for r in marker] == [
        ("_cdn-ingress.pywai", "TXT", f'"heritage=cdn-ingress owner=proj/dev type=A records={ids}"')]
    writes = [(c_["method"], c_["path"].rsplit("/", 1)[-1]) for c_ in emulators.calls("vultr")
              if c_["method"] in ("POST", "PATCH")]
    # the marker (naming no record yet), the two addresses, then the marker names them
    assert writes == [("POST", "records")] * 3 + [("PATCH", created.outs["marker_id"])]
    p.delete(created.id, created.outs)
    assert [r["id"] for r in c.list_records(ZONE)] == [foreign]


def test_records_left_by_a_killed_run_are_taken_over_by_their_owner(emulators: Emulators) -> None:
    p, c = provider(emulators), client(emulators)
    # A run wrote its marker and one of two records, then died before Pulumi saved anything.
    c.create_record(ZONE, name="_cdn-ingress.pywai", type="TXT", data='"heritage=cdn-ingress owner=proj/dev type=A"',
                    ttl=300)
    left = c.create_record(ZONE, name="pywai", type="A", data="198.51.100.1", ttl=120)["id"]
    created = p.create(props(owner="proj/dev"))
    assert created.outs["record_ids"]["198.51.100.1"] == left
    zone = c.list_records(ZONE)
    ids = ",".join(sorted(created.outs["record_ids"].values()))
    assert sorted((r["name"], r["type"], r["data"]) for r in zone) == [
        ("_cdn-ingress.pywai", "TXT", f'"heritage=cdn-ingress owner=proj/dev type=A records={ids}"'),
        ("pywai", "A", "198.51.100.1"), ("pywai", "A", "198.51.100.2")]


def test_another_owners_marker_does_not_make_records_ours(emulators: Emulators) -> None:
    p, c = provider(emulators), client(emulators)
    c.create_record(ZONE, name="_cdn-ingress.pywai", type="TXT", data='"heritage=cdn-ingress owner=proj/prod type=A"',
                    ttl=300)
    theirs = c.create_record(ZONE, name="pywai", type="A", data="198.51.100.1", ttl=120)["id"]
    with pytest.raises(VultrConflict, match=f"id={theirs}"):
        p.create(props(owner="proj/dev"))
    assert len(c.list_records(ZONE)) == 2  # nothing of ours was left behind, nothing of theirs touched


def test_undo_removes_a_record_whose_create_answer_was_lost_and_nothing_else(emulators: Emulators) -> None:
    p, c = provider(emulators), client(emulators)
    before = c.create_record(ZONE, name="pywai", type="A", data="198.51.100.1", ttl=120)["id"]  # not ours
    known = {r["id"] for r in c.list_records(ZONE)}
    # Our create landed, but neither its answer nor the look-up after it reached the provider.
    lost = c.create_record(ZONE, name="pywai", type="A", data="198.51.100.2", ttl=120)["id"]
    p._writer(_normal(props())).undo({"198.51.100.1", "198.51.100.2"}, known)
    assert [r["id"] for r in c.list_records(ZONE)] == [before]
    assert lost not in {r["id"] for r in c.list_records(ZONE)}

