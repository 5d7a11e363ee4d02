"""Vendor calls at the floor: creates, refreshes and deletes of many rules share one listing of the
shortname instead of a search or a read per rule, without weakening ownership."""

from __future__ import annotations

from typing import Any

import pytest

from edgio_provider import EdgioError
from edgio_provider.rules import payload
from tests.edgio.test_edgio import client, inputs, provider
from tests.support.emulator import Emulators

PATHS = [f"/p{i}" for i in range(6)]


def calls(emulators: Emulators) -> list[tuple[str, str]]:
    """(method, last path segment) of each Edgio call since the log was cleared."""
    return [(c["method"], c["path"].rstrip("/").rsplit("/", 1)[-1]) for c in emulators.calls("edgio")]


def create_all(emulators: Emulators) -> list[Any]:
    p = provider(emulators)
    return [p.create(p.check({}, inputs(published_path=path)).inputs) for path in PATHS]


def test_creates_share_one_listing_and_never_search(emulators: Emulators) -> None:
    p = provider(emulators)
    wanted = [p.check({}, inputs(published_path=path)).inputs for path in PATHS]  # check validates each
    emulators.admin("edgio", "DELETE", "calls")
    for w in wanted:
        p.create(w)
    assert calls(emulators) == [("GET", "acme")] + [("POST", "delivery")] * len(PATHS)


def test_a_refresh_lists_the_shortname_once_not_a_read_per_rule(emulators: Emulators) -> None:
    created = create_all(emulators)
    emulators.admin("edgio", "DELETE", "calls")
    p = provider(emulators)
    assert [p.read(c.id, c.outs).id for c in created] == [c.id for c in created]
    assert calls(emulators) == [("GET", "acme")]


def test_a_destroy_lists_once_then_deletes_each_rule(emulators: Emulators) -> None:
    created = create_all(emulators)
    emulators.admin("edgio", "DELETE", "calls")
    p = provider(emulators)
    for c in created:
        p.delete(c.id, c.outs)
    assert calls(emulators) == [("GET", "acme")] + [("DELETE", c.id) for c in created]
    assert client(emulators).list_rules("acme") == []


def test_a_rule_the_listing_misses_is_read_by_uuid_before_it_is_called_gone(emulators: Emulators) -> None:
    created = create_all(emulators)
    client(emulators).delete(created[1].id)
    p = provider(emulators)
    p.read(created[0].id, created[0].outs)  # the listing is taken now
    late = client(emulators).create(payload(p.check({}, inputs(published_path="/late")).inputs))
    emulators.admin("edgio", "DELETE", "calls")
    assert p.read(late["uuid"], {**created[0].outs, "published_path": "/late"}).id == late["uuid"]
    assert p.read(created[1].id, created[1].outs).id == ""
    assert calls(emulators) == [("GET", late["uuid"]), ("GET", created[1].id)]


def test_a_rule_another_stack_wrote_after_the_listing_is_refused_by_the_vendor(emulators: Emulators) -> None:
    p = provider(emulators)
    p.read("none", {"shortname": "acme"})  # the listing is taken now, the host + path is free
    theirs = client(emulators).create(payload(p.check({}, inputs(owner="other/prod/77aa00")).inputs))
    with pytest.raises(EdgioError, match=theirs["uuid"]):
        p.create(p.check({}, inputs()).inputs)
    assert [r["uuid"] for r in client(emulators).list_rules("acme")] == [theirs["uuid"]]
