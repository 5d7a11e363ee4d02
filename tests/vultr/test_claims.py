"""Claims on an origin name, second round: an adoption takes the name over completely, a hand-over
takes only what the old set owned, a claim is decided on a fresh read so two racing stacks end
with one owner, and a failed create or update leaves no record or marker outside state. Each
against the emulator over loopback, each stack its own provider (its own process in real life)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.support.emulator import Emulators
from tests.vultr.test_ownership import live_at
from tests.vultr.test_vultr import ZONE, client, props, provider
from vultr_provider import VultrConflict
from vultr_provider.errors import VultrError

STACK_A = "cdn-ingress/prod-eu/aa11aa"
STACK_B = "cdn-ingress/prod-us/bb22bb"


def markers(emulators: Emulators) -> list[dict[str, Any]]:
    return live_at(emulators, "_cdn-ingress.pywai", "TXT")


def refuse_low_ttls(emulators: Emulators) -> None:
    """The vendor refuses TTLs under 60 from now on (nothing documents Vultr's bounds)."""
    emulators.settings("vultr", min_ttl=60)


def a_records(emulators: Emulators) -> dict[str, str]:
    return {r["id"]: r["data"] for r in live_at(emulators)}


# -- 1. adoption hands the name over completely ----------------------------------------------------
def test_adoption_leaves_exactly_one_claim_and_the_old_owner_deletes_nothing(emulators: Emulators) -> None:
    a, b = provider(emulators), provider(emulators)
    old = a.create(props(owner=STACK_A, set_key="default/pywai"))
    new = b.create(props(owner=STACK_B, set_key="default/pywai", adopt=True,
                         addresses=["198.51.100.1", "198.51.100.2", "198.51.100.3"]))
    claims = markers(emulators)
    assert len(claims) == 1 and f"owner={STACK_B}" in claims[0]["data"]
    a.delete(old.id, old.outs)  # the old stack is destroyed afterwards
    assert a_records(emulators) == {v: k for k, v in new.outs["record_ids"].items()}
    assert [m["id"] for m in markers(emulators)] == [new.outs["marker_id"]]
    assert provider(emulators).read(old.id, old.outs).id == ""  # refresh of the old stack: nothing is its


def test_the_old_owner_cannot_update_a_name_that_was_adopted(emulators: Emulators) -> None:
    a, b = provider(emulators), provider(emulators)
    old = a.create(props(owner=STACK_A, set_key="default/pywai"))
    b.create(props(owner=STACK_B, set_key="default/pywai", adopt=True))
    with pytest.raises(VultrConflict, match=f"claimed by owner {STACK_B}"):
        provider(emulators).update(old.id, old.outs, props(owner=STACK_A, set_key="default/pywai",
                                                           addresses=["198.51.100.1"]))
    assert len(markers(emulators)) == 1


def test_a_delete_leaves_records_another_owners_claim_names(emulators: Emulators) -> None:
    a = provider(emulators)
    old = a.create(props(owner=STACK_A, set_key="default/pywai"))
    ids = ",".join(sorted(old.outs["record_ids"].values()))
    client(emulators).create_record(  # a second claim naming our records (a racing or older adopter)
        ZONE, name="_cdn-ingress.pywai", type="TXT", ttl=300,
        data=f'"heritage=cdn-ingress owner={STACK_B} set=default/pywai type=A records={ids}"')
    provider(emulators).delete(old.id, old.outs)
    assert sorted(a_records(emulators)) == sorted(old.outs["record_ids"].values())


# -- 2. a hand-over takes only what the old set owned ----------------------------------------------
def test_a_hand_over_refuses_a_record_the_old_set_did_not_own(emulators: Emulators) -> None:
    p = provider(emulators)
    old = p.create(props(owner=STACK_A, set_key="default/pywai"))
    hand_made = client(emulators).create_record(ZONE, name="pywai", type="A", data="203.0.113.77", ttl=120)["id"]
    before = sorted((r["id"], r["data"]) for r in client(emulators).list_records(ZONE))
    with pytest.raises(VultrConflict, match=f"id={hand_made} pywai.{ZONE} A 203.0.113.77"):
        provider(emulators).create(props(owner=STACK_A, set_key="web/pywai"))
    assert sorted((r["id"], r["data"]) for r in client(emulators).list_records(ZONE)) == before
    p.delete(old.id, old.outs)  # the old set still owns its records and removes exactly them
    assert [r["id"] for r in client(emulators).list_records(ZONE)] == [hand_made]


def test_a_hand_over_refuses_a_hand_made_record_of_a_declared_address(emulators: Emulators) -> None:
    provider(emulators).create(props(owner=STACK_A, set_key="default/pywai", addresses=["198.51.100.1"]))
    twin = client(emulators).create_record(ZONE, name="pywai", type="A", data="198.51.100.2", ttl=120)["id"]
    with pytest.raises(VultrConflict, match=f"id={twin} "):
        provider(emulators).create(props(owner=STACK_A, set_key="web/pywai"))


# -- 3. ownership is decided on fresh data ---------------------------------------------------------
def test_a_claim_is_decided_on_a_fresh_read_not_a_snapshot(emulators: Emulators) -> None:
    a, b = provider(emulators), provider(emulators)
    assert b.zones().records(ZONE) == []  # B listed the zone while the name was free
    a.create(props(owner=STACK_A, set_key="default/pywai"))
    with pytest.raises(VultrConflict, match=f"claimed by owner {STACK_A}"):
        b.create(props(owner=STACK_B, set_key="default/pywai", addresses=["203.0.113.5"]))
    assert sorted(a_records(emulators).values()) == ["198.51.100.1", "198.51.100.2"]
    assert len(markers(emulators)) == 1


@pytest.mark.parametrize("round_", range(6))
def test_two_stacks_racing_for_one_name_end_with_one_owner(emulators: Emulators, round_: int) -> None:
    emulators.reset()
    stacks = {STACK_A: ["198.51.100.1"], STACK_B: ["203.0.113.5"]}
    providers = {owner: provider(emulators) for owner in stacks}
    for p in providers.values():
        p.zones().records(ZONE)  # both start from a snapshot of a free name
    results: dict[str, BaseException | None] = {}
    start = threading.Barrier(2)

    def run(owner: str) -> None:
        start.wait()
        try:
            providers[owner].create(props(owner=owner, set_key="default/pywai", addresses=stacks[owner]))
            results[owner] = None
        except VultrError as error:
            results[owner] = error

    threads = [threading.Thread(target=run, args=(owner,)) for owner in stacks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [owner for owner, error in results.items() if error is None]
    assert len(winners) == 1, f"owners of the name: {winners or 'none'}"
    assert all(isinstance(e, VultrConflict) for e in results.values() if e is not None)
    claims = markers(emulators)
    assert [w in claims[0]["data"] for w in winners] == [True] * len(winners)
    assert len(claims) == len(winners)
    assert sorted(a_records(emulators).values()) == sorted(a for w in winners for a in stacks[w])


# -- 4. a failed create or update leaves nothing outside state -------------------------------------
def test_a_failed_hand_over_gives_the_claim_back(emulators: Emulators) -> None:
    p = provider(emulators)
    old = p.create(props(owner=STACK_A, set_key="default/pywai"))
    state_before = sorted((r["id"], r["data"], r["ttl"]) for r in client(emulators).list_records(ZONE))
    refuse_low_ttls(emulators)
    with pytest.raises(VultrError):  # the vendor refuses the TTL once the claim was handed over
        provider(emulators).create(props(owner=STACK_A, set_key="web/pywai", ttl=30,
                                         addresses=["198.51.100.1", "198.51.100.2", "198.51.100.3"]))
    assert sorted((r["id"], r["data"], r["ttl"]) for r in client(emulators).list_records(ZONE)) == state_before
    assert "set=default/pywai" in markers(emulators)[0]["data"]
    provider(emulators).delete(old.id, old.outs)  # destroy of the old state removes everything
    assert client(emulators).list_records(ZONE) == []


def test_a_failed_create_leaves_no_marker(emulators: Emulators) -> None:
    refuse_low_ttls(emulators)
    with pytest.raises(VultrError):
        provider(emulators).create(props(owner=STACK_A, set_key="default/pywai", ttl=30))
    assert client(emulators).list_records(ZONE) == []


def test_a_failed_owner_change_keeps_the_old_claim(emulators: Emulators) -> None:
    p = provider(emulators)
    old = p.create(props(owner=STACK_A, set_key="default/pywai"))
    refuse_low_ttls(emulators)
    renamed = "cdn-ingress/prod-eu-renamed/aa11aa"  # `pulumi stack rename`: the owner changes
    with pytest.raises(VultrError):
        provider(emulators).update(old.id, old.outs, props(owner=renamed, set_key="default/pywai", ttl=30))
    assert [m["id"] for m in markers(emulators)] == [old.outs["marker_id"]]
    assert f"owner={STACK_A}" in markers(emulators)[0]["data"]
    provider(emulators).delete(old.id, old.outs)
    assert client(emulators).list_records(ZONE) == []


# -- claims written together are checked on one listing ---------------------------------------------
def test_claims_written_together_share_one_fresh_listing(emulators: Emulators) -> None:
    """Four sets created at once by one provider process (the engine's four workers): each claim must
    be checked on a listing begun after it, and one listing begun after all four serves them all."""
    p, c = provider(emulators), client(emulators)
    for i in range(600):  # two pages of the zone
        c.create_record(ZONE, name=f"foreign{i}", type="A", data="192.0.2.1", ttl=300)
    emulators.admin("vultr", "DELETE", "calls")
    emulators.faults("vultr", latency_ms=40)  # the writes overlap, as at a real vendor
    made: dict[int, str] = {}
    workers = [threading.Thread(target=lambda i=i: made.update(
        {i: p.create(props(name=f"set{i}", owner=STACK_A, set_key=f"default/set{i}")).id})) for i in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    emulators.faults("vultr", latency_ms=0)
    pages = [call for call in emulators.calls("vultr") if call["method"] == "GET"]
    assert len(made) == 4
    assert len(pages) == 4, f"{len(pages)} pages: the zone listed {len(pages) // 2} times, twice is enough"
