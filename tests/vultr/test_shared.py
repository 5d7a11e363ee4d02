"""A shared origin name: several stacks (clusters) each contribute their own addresses to one
round robin, each writes and deletes only its own records and marker, and sharing is refused
unless every owner at the name opted in. Against the emulator over loopback."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.emulator import Emulators
from tests.vultr.test_claims import STACK_A, STACK_B, a_records, markers
from tests.vultr.test_vultr import ZONE, client, props, provider
from vultr_provider import VultrConflict

EU = ["198.51.100.1", "198.51.100.2"]
US = ["203.0.113.5"]


def shared(owner: str, addresses: list[str], **changes: Any) -> dict[str, Any]:
    return props(owner=owner, set_key="default/pywai", addresses=addresses, shared=True, **changes)


def test_two_stacks_share_one_name_each_with_its_own_records(emulators: Emulators) -> None:
    eu = provider(emulators).create(shared(STACK_A, EU))
    us = provider(emulators).create(shared(STACK_B, US))
    assert sorted(a_records(emulators).values()) == sorted(EU + US)
    by_owner = {m["data"].split()[1]: m["data"] for m in markers(emulators)}
    assert set(by_owner) == {f"owner={STACK_A}", f"owner={STACK_B}"}
    for outs, owner in ((eu.outs, STACK_A), (us.outs, STACK_B)):
        assert f"records={','.join(sorted(outs['record_ids'].values()))}" in by_owner[f"owner={owner}"]
        assert "shared=yes" in by_owner[f"owner={owner}"]


def test_a_node_change_in_one_cluster_moves_only_its_addresses(emulators: Emulators) -> None:
    eu = provider(emulators).create(shared(STACK_A, EU))
    us = provider(emulators).create(shared(STACK_B, US))
    emulators.admin("vultr", "DELETE", "calls")
    moved = provider(emulators).update(us.id, us.outs, shared(STACK_B, ["203.0.113.6"]))
    live = a_records(emulators)
    assert {i: live[i] for i in eu.outs["record_ids"].values()} == {v: k for k, v in eu.outs["record_ids"].items()}
    assert sorted(live.values()) == sorted([*EU, "203.0.113.6"])
    touched = {c["path"].rsplit("/", 1)[-1] for c in emulators.calls("vultr") if c["method"] != "GET"}
    assert touched.isdisjoint(eu.outs["record_ids"].values()) and eu.outs["marker_id"] not in touched
    assert moved.outs["marker_id"] == us.outs["marker_id"]


def test_each_contributor_sees_the_others_for_the_preview(emulators: Emulators) -> None:
    """The outputs name the other contributors and their addresses as this run saw them (a create or
    update) and as a refresh sees them: the preview, which has no vendor key, shows them from state."""
    eu = provider(emulators).create(shared(STACK_A, EU, port=30080))
    us = provider(emulators).create(shared(STACK_B, US, port=30080))
    assert eu.outs["contributors"] == []
    assert us.outs["contributors"] == [{"owner": STACK_A, "port": 30080, "addresses": EU}]
    seen = provider(emulators).read(eu.id, eu.outs).outs
    assert seen["contributors"] == [{"owner": STACK_B, "port": 30080, "addresses": US}]
    assert "contributors" not in provider(emulators).create(props(name="solo", owner=STACK_A)).outs


def test_destroying_one_stack_leaves_the_others_addresses(emulators: Emulators) -> None:
    eu = provider(emulators).create(shared(STACK_A, EU))
    us = provider(emulators).create(shared(STACK_B, US))
    provider(emulators).delete(eu.id, eu.outs)
    assert a_records(emulators) == {v: k for k, v in us.outs["record_ids"].items()}
    assert [m["id"] for m in markers(emulators)] == [us.outs["marker_id"]]


@pytest.mark.parametrize(("first", "second"), [(False, True), (True, False)],
                         ids=["owner-not-shared", "newcomer-not-shared"])
def test_sharing_needs_every_owner_to_opt_in(emulators: Emulators, first: bool, second: bool) -> None:
    provider(emulators).create(props(owner=STACK_A, set_key="default/pywai", addresses=EU, shared=first))
    before = sorted(client(emulators).list_records(ZONE), key=lambda r: r["id"])
    with pytest.raises(VultrConflict, match=f"claimed by owner {STACK_A}") as caught:
        provider(emulators).create(props(owner=STACK_B, set_key="default/pywai", addresses=US, shared=second))
    assert "shared" in str(caught.value)
    assert sorted(client(emulators).list_records(ZONE), key=lambda r: r["id"]) == before


def test_a_shared_name_has_one_ttl(emulators: Emulators) -> None:
    provider(emulators).create(shared(STACK_A, EU, ttl=300))
    with pytest.raises(VultrConflict, match="TTL 300"):
        provider(emulators).create(shared(STACK_B, US, ttl=120))
    assert sorted(a_records(emulators).values()) == EU


def test_a_hand_made_record_at_a_shared_name_is_a_conflict(emulators: Emulators) -> None:
    provider(emulators).create(shared(STACK_A, EU))
    theirs = client(emulators).create_record(ZONE, name="pywai", type="A", data="192.0.2.9", ttl=120)["id"]
    with pytest.raises(VultrConflict, match=f"id={theirs} "):
        provider(emulators).create(shared(STACK_B, US))


def test_records_a_contributor_is_still_writing_are_not_taken_for_strangers(emulators: Emulators) -> None:
    eu = provider(emulators).create(shared(STACK_A, EU))
    c = client(emulators)
    # Stack B is mid-create: its marker announces the address, its record is not named yet.
    c.create_record(ZONE, name="_cdn-ingress.pywai", type="TXT", ttl=300,
                    data=f'"heritage=cdn-ingress owner={STACK_B} set=default/pywai type=A shared=yes records= '
                         f'pending=203.0.113.5"')
    in_flight = c.create_record(ZONE, name="pywai", type="A", data="203.0.113.5", ttl=120)["id"]
    provider(emulators).update(eu.id, eu.outs, shared(STACK_A, ["198.51.100.1"]))
    assert sorted(a_records(emulators).values()) == ["198.51.100.1", "203.0.113.5"]
    assert in_flight in a_records(emulators)


def test_every_contributor_serves_the_shared_name_on_one_port(emulators: Emulators) -> None:
    provider(emulators).create(shared(STACK_A, EU, port=30080))
    with pytest.raises(VultrConflict, match=f"{STACK_A} \\(port 30080\\).*port=30081"):
        provider(emulators).create(shared(STACK_B, US, port=30081))
    assert "port=30080" in markers(emulators)[0]["data"]
    provider(emulators).create(shared(STACK_B, US, port=30080))
    assert sorted(a_records(emulators).values()) == sorted(EU + US)
