"""``DeliveryRule`` ownership and deploys against the emulator: a claim per stack instance, no
rule live outside state when a deploy fails, and waits that poll all rules together."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from edgio_provider import EdgioConflict, EdgioDeployError
from edgio_provider.deployment import RuleDeploymentProvider
from edgio_provider.rules import payload
from tests.conftest import EDGIO_TEST_KEY, EDGIO_TEST_USER
from tests.edgio.test_edgio import OWNER, client, configured, inputs, provider
from tests.support.emulator import Emulators


def deployment(emulators: Emulators) -> RuleDeploymentProvider:
    return configured(RuleDeploymentProvider(), emulators)


def group(outs: list[dict[str, object]], timeout: float = 5) -> dict[str, object]:
    return {"rules": [{"uuid": o["uuid"], "version": o["version"], "shortname": o["shortname"],
                       "label": f"{o['published_hostname']}{o['published_path']}"} for o in outs],
            "timeout_seconds": timeout}


@pytest.mark.parametrize("other", ["other/prod/9d0e11", "cdn-ingress/dev/0b71d2"], ids=["other-stack", "copy"])
def test_same_user_same_content_is_not_enough_to_take_a_rule(emulators: Emulators, other: str) -> None:
    p = provider(emulators)
    theirs = p.create(p.check({}, inputs(owner=other)).inputs)  # identical content, same API user
    with pytest.raises(EdgioConflict, match=f"uuid={theirs.id} \\(claimed by owner {other}\\)"):
        p.create(p.check({}, inputs()).inputs)
    assert client(emulators).get(theirs.id)["revision"]["versionNumber"] == 1  # untouched


def test_own_claim_is_taken_over_after_a_killed_run(emulators: Emulators) -> None:
    p = provider(emulators)
    wanted = p.check({}, inputs()).inputs
    left = client(emulators).create(payload(wanted))
    assert p.create(wanted).id == left["uuid"]


def test_refresh_and_delete_leave_a_rule_another_stack_adopted(emulators: Emulators) -> None:
    p = provider(emulators)
    ours = p.create(p.check({}, inputs()).inputs)
    p.create(p.check({}, inputs(owner="other/prod/9d0e11", adopt=True)).inputs)  # they adopt it
    assert p.read(ours.id, ours.outs).id == ""
    p.delete(ours.id, ours.outs)
    assert client(emulators).get(ours.id)["uuid"] == ours.id


def test_deployment_waits_for_every_rule_with_one_listing_per_poll(deployed_on_listing: Emulators) -> None:
    emulators = deployed_on_listing
    p = provider(emulators)
    outs = [p.create(p.check({}, inputs(published_path=f"/p{i}")).inputs).outs for i in range(6)]
    emulators.admin("edgio", "DELETE", "calls")
    done = deployment(emulators).create(group(outs)).outs
    assert set(done["states"].values()) == {"COMPLETED"}
    reads = [c for c in emulators.calls("edgio") if c["method"] == "GET"]
    listings = sum("/shortname/acme" in c["path"] for c in reads)
    # While more than two are pending, one listing per poll covers them all; a read per rule per
    # poll would cost six per cycle for the half second the rules stay pending.
    assert listings >= 2 and len(reads) - listings <= 2 * len(outs)


def edgio_with(*flags: str) -> Iterator[Emulators]:
    emulators = Emulators("--edgio-username", EDGIO_TEST_USER, "--edgio-shared-key", EDGIO_TEST_KEY,
                          "--edgio-shortname", "acme", "--vultr-api-key", "unused-key-0", *flags)
    yield emulators
    emulators.stop()


@pytest.fixture()
def failing() -> Iterator[Emulators]:
    yield from edgio_with("--edgio-failure-state", "FAILED")


@pytest.fixture()
def deployed_on_listing() -> Iterator[Emulators]:
    yield from edgio_with("--edgio-pending-reads", "0", "--edgio-pending-seconds", "0.5")


def test_failed_deploy_names_the_rule_and_leaves_it_in_state(failing: Emulators) -> None:
    p = provider(failing)
    created = p.create(p.check({}, inputs()).inputs)  # returns once written: the rule is in state
    with pytest.raises(EdgioDeployError, match=f"www.acme.s.llnwi.net/shop \\(uuid={created.id}\\) is FAILED"):
        deployment(failing).create(group([created.outs]))
    p.delete(created.id, created.outs)  # what `destroy` does with the state the failed run left
    assert client(failing).list_rules("acme") == []


def test_deploy_timeout_names_the_pending_rule(emulators: Emulators) -> None:
    p = provider(emulators)
    created = p.create(p.check({}, inputs()).inputs)
    emulators.faults("edgio", latency_ms=0)
    with pytest.raises(EdgioDeployError, match=r"not deployed after 1e-06 s .*www.acme.s.llnwi.net/shop"):
        deployment(emulators).create(group([created.outs], timeout=0.000001))
    assert OWNER in str(client(emulators).get(created.id)["body"]["protocolSets"])


@pytest.fixture()
def prefix_search() -> Iterator[Emulators]:
    yield from edgio_with("--edgio-search-prefix-match", "true")


@pytest.mark.parametrize("changes", [{}, {"owner": "", "adopt": True}], ids=["own-claim", "adopt"])
def test_only_an_exact_host_and_path_is_taken(prefix_search: Emulators, changes: dict[str, object]) -> None:
    """The vendor's search may match by prefix: /shop/cart is never taken for /shop."""
    p = provider(prefix_search)
    longer = client(prefix_search).create(payload(p.check({}, inputs(published_path="/shop/cart", **changes)).inputs))
    created = p.create(p.check({}, inputs(adopt=bool(changes))).inputs)
    assert created.id != longer["uuid"]
    kept = client(prefix_search).get(longer["uuid"])
    assert (kept["body"]["publishedUrlPath"], kept["revision"]["versionNumber"]) == ("/shop/cart", 1)


@pytest.fixture()
def slow_deploys() -> Iterator[Emulators]:
    yield from edgio_with("--edgio-pending-reads", "0", "--edgio-pending-seconds", "3")


def test_waiting_ingresses_share_one_poll_per_cycle(slow_deploys: Emulators) -> None:
    """Four Ingresses wait at once, as on the engine's four workers: one listing per poll cycle
    serves all of them, not one per Ingress."""
    emulators = slow_deploys
    p = provider(emulators)
    groups = [[p.create(p.check({}, inputs(published_path=f"/g{g}/p{i}")).inputs).outs for i in range(5)]
              for g in range(4)]
    emulators.admin("edgio", "DELETE", "calls")
    interval = 0.1
    config = ConfigureRequest(Config({"edgio:username": EDGIO_TEST_USER, "edgio:sharedKey": EDGIO_TEST_KEY,
                                      "edgio:endpoint": emulators.edgio, "edgio:requestsPerSecond": "500",
                                      "edgio:pollSeconds": str(interval)}, "cdn-ingress"))

    def wait(outs: list[dict[str, object]]) -> set[str]:
        d = RuleDeploymentProvider()
        d.configure(config)
        return set(d.create(group(outs, timeout=30)).outs["states"].values())

    time.sleep(0.5)  # all rules still pending (3 s): the waits overlap for most of their time
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(wait, groups)) == [{"COMPLETED"}] * 4
    cycles = (time.monotonic() - started) / interval
    listings = sum("/shortname/acme" in c["path"] for c in emulators.calls("edgio") if c["method"] == "GET")
    # Shared: one listing per interval at most (a poll starts an interval after the one before);
    # a poll loop per Ingress would make up to four, one for each waiting Ingress.
    assert 1 <= listings <= 1.2 * cycles + 1, f"{listings} listings in about {cycles:.0f} poll cycles"
