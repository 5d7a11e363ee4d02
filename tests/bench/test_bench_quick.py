"""The benchmark's quick run (N=10, rules pending 1 s) against the emulators, through the providers
directly and under the real CLI (end-to-end), with the structural targets that must hold at any N:
a no-op costs nothing, deploy waits poll with listings, one changed path costs only its rule's
calls, a replaced node costs only its record sets' calls, and the lifecycle costs less than the
baseline's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench import lifecycle
from bench.measure import Bench, Conditions, Measure
from bench.workload import PATHS_PER_INGRESS
from edgio_provider.deployment import SINGLE_READS

ROUTES = 10
CONDITIONS = Conditions(latency_ms=10, pending_seconds=1, foreign=0)
POLL = 0.5
Runs = tuple[dict[str, Measure], dict[str, Measure]]


@pytest.fixture(scope="module")
def bench() -> Iterator[Bench]:
    bench = Bench()
    yield bench
    bench.close()


@pytest.fixture(scope="module")
def baseline(bench: Bench) -> dict[str, Measure]:
    return lifecycle.baseline(bench, ROUTES, CONDITIONS, POLL)


@pytest.fixture(scope="module", params=["providers", pytest.param("cli", marks=pytest.mark.e2e)])
def runs(request: pytest.FixtureRequest, bench: Bench, baseline: dict[str, Measure]) -> Runs:
    run = lifecycle.cli if request.param == "cli" else lifecycle.ours
    return run(bench, ROUTES, CONDITIONS, POLL), baseline


def test_no_op_up_costs_no_call(runs: Runs) -> None:
    ours, baseline = runs
    assert ours["no-op"].calls == 0
    assert baseline["no-op"].calls > 0  # the demo replays everything: the count is not blind


def test_deploy_waits_share_one_poll_for_the_stack_not_a_read_per_rule(runs: Runs) -> None:
    create = runs[0]["create"]
    ingresses = -(-ROUTES // PATHS_PER_INGRESS)
    polls = CONDITIONS.pending_seconds / POLL + 3  # the cycles one deploy can take, with slack
    assert create.rule_writes == ROUTES
    assert create.rule_listings >= 1 and ingresses > 1
    # A poller reading each rule needs at least one GET per rule; ours reads one by one only the
    # last few (SINGLE_READS) pending, and every waiting Ingress shares one poll per cycle.
    assert create.rule_gets < ROUTES
    assert create.rule_gets + create.rule_listings <= polls * SINGLE_READS


def test_one_changed_path_costs_only_its_rule(runs: Runs) -> None:
    changed = runs[0]["path changed"]
    assert changed.vultr_calls == 0
    assert changed.rule_writes == 1  # the new rule; the old one is deleted, the others untouched
    assert changed.writes == 3  # validate, create, delete


def test_a_replaced_node_costs_only_its_record_sets(runs: Runs) -> None:
    replaced = runs[0]["node replaced"]
    ingresses = -(-ROUTES // PATHS_PER_INGRESS)
    assert replaced.edgio_calls == 0
    # per origin name: the new node's record in, the leaving node's out, the marker names the new set
    assert replaced.writes == 3 * ingresses
    assert replaced.reads <= 1  # at most one listing of the (small) zone for the whole stack


def test_lifecycle_costs_less_than_the_baseline_and_is_never_throttled(runs: Runs) -> None:
    ours, baseline = runs
    assert sum(m.throttled for m in ours.values()) == 0
    assert sum(m.calls for m in ours.values()) < sum(m.calls for m in baseline.values())
