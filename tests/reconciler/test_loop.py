"""The loop with a fake clock and a fake stack: debounce, damping, the last-address rule, retries."""

from __future__ import annotations

import itertools
import logging
import threading

import pytest

from reconciler.loop import Options, Reconciler
from reconciler.metrics import Metrics
from reconciler.plan import RecordSet
from reconciler.watch import NodeCache
from tests.reconciler.nodes import Clock, FakeStack, node

ADDRESSES = {"node-1": "203.0.113.11", "node-2": "203.0.113.12", "node-3": "203.0.113.13"}


def make(hold_down: float = 60, full_every: float = 0) -> tuple[Reconciler, FakeStack, NodeCache, Clock]:
    clock, cache = Clock(), NodeCache()
    cache.replace([node(n, a) for n, a in ADDRESSES.items()])
    stack = FakeStack(sorted(ADDRESSES.values()), clock)
    r = Reconciler(stack, cache, Options(debounce=2, hold_down=hold_down, full_every=full_every),
                   Metrics(), clock=clock)
    return r, stack, cache, clock


def change(r: Reconciler, cache: NodeCache, stack: FakeStack, name: str, *, ready: bool) -> None:
    """A node event as the watch reports it; the fake stack's next up writes what the cache says."""
    if cache.apply("MODIFIED", node(name, ADDRESSES[name], ready=ready)):
        r.on_change(f"node {name} Ready={ready}")
    stack.desired = cache.addresses("ExternalIP")[0]


def run_for(r: Reconciler, clock: Clock, seconds: float) -> None:
    end = clock.now + seconds
    while clock.now < end:
        r._drain()
        r.step()
        clock.now += 0.5


def sample(r: Reconciler, name: str, labels: dict[str, str] | None = None) -> float:
    return r.metrics.registry.get_sample_value(name, labels or {}) or 0.0


def test_a_burst_of_node_events_is_one_targeted_run() -> None:
    r, stack, cache, clock = make()
    for ready in (False, True, False, True, False):
        change(r, cache, stack, "node-2", ready=ready)
        clock.now += 0.3
    run_for(r, clock, 10)
    assert stack.ups == [["urn:pulumi:s::p::dns$shop"]]
    assert stack.addresses == ["203.0.113.11", "203.0.113.13"]


def test_a_flapping_node_writes_its_name_at_most_once_per_hold_down_and_ends_right() -> None:
    r, stack, cache, clock = make(hold_down=60)
    writes: list[float] = []
    for i in range(24):  # NotReady/Ready every 5 s for two minutes
        change(r, cache, stack, "node-2", ready=i % 2 == 1)
        before = list(stack.addresses)
        run_for(r, clock, 5)
        if stack.addresses != before:
            writes.append(clock.now)
    change(r, cache, stack, "node-2", ready=False)
    run_for(r, clock, 70)
    assert all(b - a >= 60 for a, b in itertools.pairwise(writes)), writes
    assert len(writes) <= 3
    assert stack.addresses == ["203.0.113.11", "203.0.113.13"]


def test_no_usable_node_keeps_the_records_runs_nothing_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    r, stack, cache, clock = make()
    for name in ADDRESSES:
        change(r, cache, stack, name, ready=False)
    with caplog.at_level(logging.INFO, logger="reconciler"):
        run_for(r, clock, 10)
    assert stack.ups == []
    assert stack.addresses == sorted(ADDRESSES.values())
    errors = [rec.getMessage() for rec in caplog.records if rec.levelno == logging.ERROR]
    assert errors == ["NO USABLE NODE, DNS LEFT AS IT IS (the last addresses are never removed): no Ready, "
                      "uncordoned node has an address: the records stay as they are (node-1: not Ready "
                      "(Ready=False); node-2: not Ready (Ready=False); node-3: not Ready (Ready=False))"]
    assert sample(r, "cdn_ingress_reconciler_last_address_kept_total") == 1


def test_a_failed_run_counts_and_is_tried_again_after_a_pause() -> None:
    r, stack, cache, clock = make()
    stack.fail = True
    change(r, cache, stack, "node-1", ready=False)
    run_for(r, clock, 10)
    assert len(stack.ups) == 1
    stack.fail = False
    run_for(r, clock, 15)
    assert len(stack.ups) == 2
    assert stack.addresses == ["203.0.113.12", "203.0.113.13"]
    assert sample(r, "cdn_ingress_reconciler_failures_total", {"kind": "targeted"}) == 1
    assert sample(r, "cdn_ingress_reconciler_runs_total", {"kind": "targeted"}) == 2


def test_event_to_dns_seconds_and_last_success_are_recorded() -> None:
    r, stack, cache, clock = make()
    change(r, cache, stack, "node-3", ready=False)
    run_for(r, clock, 10)
    assert sample(r, "cdn_ingress_reconciler_event_to_dns_seconds_count") == 1
    assert 5.0 <= sample(r, "cdn_ingress_reconciler_event_to_dns_seconds_sum") <= 6.0  # debounce 2 + up 3
    assert sample(r, "cdn_ingress_reconciler_last_success_timestamp_seconds") > 0


def test_the_periodic_full_run_runs_the_whole_program_but_never_with_no_usable_node() -> None:
    r, stack, cache, clock = make(full_every=600)
    run_for(r, clock, 601)
    assert stack.ups == [None]
    for name in ADDRESSES:
        cache.apply("MODIFIED", node(name, ADDRESSES[name], ready=False))
    run_for(r, clock, 601)
    assert stack.ups == [None]


class UnreachableState(FakeStack):
    def record_sets(self) -> list[RecordSet]:
        if self.fail:
            raise RuntimeError("failed to load checkpoint: dial tcp 127.0.0.1:15432: connection refused")
        return super().record_sets()


def test_a_pass_whose_state_cannot_be_read_is_tried_again_and_the_loop_goes_on(
        caplog: pytest.LogCaptureFixture) -> None:
    clock, cache = Clock(), NodeCache()
    cache.replace([node(n, a) for n, a in ADDRESSES.items()])
    stack = UnreachableState(sorted(ADDRESSES.values()), clock, fail=True)
    r = Reconciler(stack, cache, Options(debounce=2, hold_down=60, full_every=0), Metrics(), clock=clock)
    change(r, cache, stack, "node-1", ready=False)
    stopper = threading.Timer(1.5, r.stop.set)
    with caplog.at_level(logging.ERROR, logger="reconciler"):
        clock.now += 5
        stopper.start()
        r.run()  # the pass raises; run() logs it and stays up until stopped
    assert [rec.getMessage() for rec in caplog.records] == [
        "pass failed (RuntimeError: failed to load checkpoint: dial tcp 127.0.0.1:15432: connection refused); "
        "trying again in 15s"]
    stack.fail = False
    run_for(r, clock, 20)
    assert stack.addresses == ["203.0.113.12", "203.0.113.13"]


class NeverDeployed(FakeStack):
    def state(self) -> tuple[list[RecordSet], bool]:
        return [], False


def test_a_stack_never_deployed_gets_no_run_from_events_nor_from_the_periodic_full_run() -> None:
    clock, cache = Clock(), NodeCache()
    cache.replace([node(n, a) for n, a in ADDRESSES.items()])
    stack = NeverDeployed([], clock)
    r = Reconciler(stack, cache, Options(debounce=2, hold_down=60, full_every=600), Metrics(), clock=clock)
    change(r, cache, stack, "node-1", ready=False)
    run_for(r, clock, 10)
    assert r.changes_pass() == "undeployed"
    run_for(r, clock, 600)
    assert stack.ups == []
