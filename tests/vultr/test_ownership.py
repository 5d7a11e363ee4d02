"""The guarantees a production zone needs from ``DnsRecordSet``, each against the emulator over
loopback: two sets never share records, foreign records are a conflict, a TTL change never
shrinks the set, and credentials never reach a message."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.emulator import Emulators
from tests.vultr.test_vultr import ZONE, client, props, provider
from vultr_provider import VultrConflict
from vultr_provider.errors import VultrError

OWNER = "cdn-ingress/dev/5f3a9c"


def live_at(emulators: Emulators, name: str = "pywai", type_: str = "A") -> list[dict[str, Any]]:
    return [r for r in client(emulators).list_records(ZONE) if (r["name"], r["type"]) == (name, type_)]


def test_namespace_move_hands_the_records_over_without_a_gap(emulators: Emulators) -> None:
    p = provider(emulators)
    old = p.create(props(owner=OWNER, set_key="default/pywai"))
    emulators.admin("vultr", "DELETE", "calls")
    # Pulumi creates the new resource first, then deletes the old one.
    new = p.create(props(owner=OWNER, set_key="web/pywai"))
    assert sorted(r["id"] for r in live_at(emulators)) == sorted(old.outs["record_ids"].values())
    p.delete(old.id, old.outs)
    assert [c["method"] for c in emulators.calls("vultr") if c["method"] in ("DELETE", "POST")] == []
    live = live_at(emulators)
    assert {r["id"]: r["data"] for r in live} == {v: k for k, v in new.outs["record_ids"].items()}
    assert p.read(new.id, new.outs).id == new.id
    assert p.read(old.id, old.outs).id == ""  # the old resource no longer owns anything
    markers = live_at(emulators, "_cdn-ingress.pywai", "TXT")
    assert [m["id"] for m in markers] == [new.outs["marker_id"]]
    assert "set=web/pywai" in markers[0]["data"]
    p.delete(new.id, new.outs)
    assert client(emulators).list_records(ZONE) == []


def test_a_copy_of_the_stack_on_another_backend_does_not_take_the_records(emulators: Emulators) -> None:
    p = provider(emulators)
    first = p.create(props(owner=OWNER, set_key="default/pywai"))
    copy_owner = "cdn-ingress/dev/0b71d2"  # same project and stack, another state backend
    with pytest.raises(VultrConflict) as caught:
        p.create(props(owner=copy_owner, set_key="default/pywai"))
    for record_id in [*first.outs["record_ids"].values(), first.outs["marker_id"]]:
        assert f"id={record_id}" in str(caught.value)
    assert len(client(emulators).list_records(ZONE)) == 3  # nothing of the copy's was left behind


@pytest.mark.parametrize("marker", [None, '"heritage=cdn-ingress owner=other/prod/aa11 set=x/pywai type=A"'],
                         ids=["hand-made", "other-owner"])
def test_records_of_other_addresses_are_a_conflict_not_a_merge(emulators: Emulators, marker: str | None) -> None:
    c, p = client(emulators), provider(emulators)
    if marker:
        c.create_record(ZONE, name="_cdn-ingress.pywai", type="TXT", data=marker, ttl=300)
    theirs = c.create_record(ZONE, name="pywai", type="A", data="203.0.113.77", ttl=120)["id"]
    with pytest.raises(VultrConflict, match=f"id={theirs} pywai.{ZONE} A 203.0.113.77"):
        p.create(props(owner=OWNER, set_key="default/pywai"))
    assert [r["id"] for r in live_at(emulators)] == [theirs]


def test_foreign_record_appearing_later_stops_an_update(emulators: Emulators) -> None:
    p = provider(emulators)
    created = p.create(props(owner=OWNER, set_key="default/pywai"))
    theirs = client(emulators).create_record(ZONE, name="pywai", type="A", data="203.0.113.77", ttl=120)["id"]
    fresh = provider(emulators)  # the next run: its own process, its own listing
    with pytest.raises(VultrConflict, match=f"id={theirs}"):
        fresh.update(created.id, created.outs, props(owner=OWNER, set_key="default/pywai",
                                                     addresses=["198.51.100.1", "198.51.100.3"]))


def test_adopt_ends_exactly_as_declared_even_with_another_ttl(emulators: Emulators) -> None:
    c, p = client(emulators), provider(emulators)
    kept = c.create_record(ZONE, name="pywai", type="A", data="198.51.100.1", ttl=300)["id"]
    c.create_record(ZONE, name="pywai", type="A", data="203.0.113.77", ttl=300)
    created = p.create(props(owner=OWNER, set_key="default/pywai", adopt=True, ttl=120))
    live = live_at(emulators)
    assert sorted((r["data"], r["ttl"]) for r in live) == [("198.51.100.1", 120), ("198.51.100.2", 120)]
    assert created.outs["record_ids"]["198.51.100.1"] == kept


def test_ttl_change_keeps_every_record_and_id(emulators: Emulators) -> None:
    p = provider(emulators)
    three = ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
    created = p.create(props(owner=OWNER, addresses=three))
    emulators.admin("vultr", "DELETE", "calls")
    updated = p.update(created.id, created.outs, props(owner=OWNER, addresses=three, ttl=300))
    assert updated.outs["record_ids"] == created.outs["record_ids"]
    assert sorted((r["data"], r["ttl"]) for r in live_at(emulators)) == [(a, 300) for a in three]
    assert {c["method"] for c in emulators.calls("vultr")} <= {"GET", "PATCH"}  # nothing deleted


def test_failed_ttl_changes_never_empty_the_name_nor_lose_a_record(emulators: Emulators) -> None:
    """Faults hit the re-timing writes (retries used up); after each failure at least one declared
    record still answers at the name, every record in state is still live (parked at worst), none
    was added, and the next run brings the full set back."""
    p = provider(emulators)
    three = ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
    state = p.create(props(owner=OWNER, addresses=three)).outs
    failures = full_after_failure = 0
    for ttl in [300, 120, 600, 120, 3600, 60, 900, 120] * 2:
        emulators.faults("vultr", error_rate=0.6, seed=ttl + failures)
        try:
            state = p.update("x", state, props(owner=OWNER, addresses=three, ttl=ttl)).outs
        except VultrError:
            failures += 1
        emulators.faults("vultr", error_rate=0)
        live = [r for r in client(emulators).list_records(ZONE) if r["type"] == "A"]
        at_name = [r for r in live if r["name"] == "pywai"]
        assert at_name, "the name was left without records"
        assert {r["id"] for r in live} == set(state["record_ids"].values())
        full_after_failure += len(at_name) == 3
    assert failures >= 3  # the faults really hit TTL changes
    state = p.update("x", state, props(owner=OWNER, addresses=three, ttl=120)).outs
    assert sorted((r["data"], r["ttl"]) for r in live_at(emulators)) == [(a, 120) for a in three]
