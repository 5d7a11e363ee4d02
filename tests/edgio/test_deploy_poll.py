"""The shared deploy poll against the emulator while another stack changes the same shortname:
a rule is called gone only when a read of it by uuid says so."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from edgio_provider import EdgioDeployError
from edgio_provider.client import PAGE_SIZE
from edgio_provider.rules import payload
from tests.edgio.test_edgio import client, inputs, provider
from tests.edgio.test_ownership import deployment, edgio_with, group
from tests.support.emulator import Emulators

LATENCY = 1.5  # seconds every Edgio request takes: wide enough to land a delete between two pages


@pytest.fixture()
def deployed_at_once() -> Iterator[Emulators]:
    yield from edgio_with("--edgio-pending-reads", "0")


def listing_order(calls: list[dict[str, object]]) -> list[str]:
    """The listing pages and deletes in the order the emulator answered them."""
    return [f"{c['method']} {c['query'] or str(c['path']).rsplit('/', 1)[-1]}" for c in calls
            if c["method"] == "DELETE" or str(c["path"]).endswith("/shortname/acme")]


def test_a_rule_skipped_by_a_shifting_listing_is_not_gone(deployed_at_once: Emulators) -> None:
    """Another stack deletes one of its rules between the two pages of our poll's listing: every
    rule after it moves up one place, and the first rule of page 2 is on neither page."""
    emulators, c, p = deployed_at_once, client(deployed_at_once), provider(deployed_at_once)
    theirs = [c.create(payload(p.check({}, inputs(owner="other/prod/9d0e11", published_path=f"/t{i}")).inputs))
              for i in range(PAGE_SIZE - 2)]
    ours = [p.create(p.check({}, inputs(published_path=f"/o{i}")).inputs).outs for i in range(3)]
    assert [r["uuid"] for r in c.list_rules("acme")][PAGE_SIZE] == ours[2]["uuid"]  # opens page 2
    emulators.admin("edgio", "DELETE", "calls")
    emulators.faults("edgio", latency_ms=LATENCY * 1000)
    with ThreadPoolExecutor(max_workers=1) as pool:
        waiting = pool.submit(deployment(emulators).create, group(ours, timeout=60))
        time.sleep(LATENCY / 2)  # page 1 is on its way: the delete is answered after it, before page 2
        c.delete(theirs[0]["uuid"])
        states = waiting.result(timeout=60).outs["states"]
    order = listing_order(emulators.calls("edgio"))
    assert order[:3] == [f"GET size={PAGE_SIZE}&page=1", f"DELETE {theirs[0]['uuid']}",
                         f"GET size={PAGE_SIZE}&page=2"], order  # the race this test is about happened
    assert states == {o["uuid"]: "COMPLETED" for o in ours}


@pytest.mark.parametrize("count", [1, 3], ids=["read-by-uuid", "listing"])
def test_a_deleted_rule_is_gone_after_a_read_by_uuid(deployed_at_once: Emulators, count: int) -> None:
    p = provider(deployed_at_once)
    ours = [p.create(p.check({}, inputs(published_path=f"/o{i}")).inputs).outs for i in range(count)]
    client(deployed_at_once).delete(ours[0]["uuid"])
    deployed_at_once.admin("edgio", "DELETE", "calls")
    with pytest.raises(EdgioDeployError, match=f"/o0 \\(uuid={ours[0]['uuid']}\\) is GONE"):
        deployment(deployed_at_once).create(group(ours))
    reads = [c["path"] for c in deployed_at_once.calls("edgio") if c["method"] == "GET"]
    assert reads[-1].endswith(f"/svcinst/delivery/{ours[0]['uuid']}")
