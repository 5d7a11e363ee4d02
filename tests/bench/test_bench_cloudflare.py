"""The benchmark's lifecycle on a Cloudflare stack (N=10: 2 origin names, 2 host records, 10 Origin
Rules) against the emulators, through the providers directly and under the real CLI (end-to-end):
the Cloudflare emulator's calls are counted beside Vultr's, no Edgio call is made, each phase costs
what its change needs and no less than its floor, and the provider keeps Cloudflare's pace."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bench import lifecycle
from bench.floor import floor
from bench.measure import CLOUDFLARE_PACE, Bench, Conditions, Measure
from bench.workload import CLOUDFLARE_ZONE, PATHS_PER_INGRESS

ROUTES = 10
NAMES = -(-ROUTES // PATHS_PER_INGRESS)
RECORDS = 2 * NAMES  # per origin name its alias and (one host per origin name here) its host record
CONDITIONS = Conditions(latency_ms=10, pending_seconds=1, foreign=0)
POLL = 0.5
#: The restkit token bucket's burst: calls beyond it wait for the pace.
BURST = 4


@pytest.fixture(scope="module")
def bench() -> Iterator[Bench]:
    bench = Bench()
    yield bench
    bench.close()


@pytest.fixture(scope="module", params=["providers", pytest.param("cli", marks=pytest.mark.e2e)])
def ours(request: pytest.FixtureRequest, bench: Bench) -> dict[str, Measure]:
    run = lifecycle.cli if request.param == "cli" else lifecycle.ours
    return run(bench, ROUTES, CONDITIONS, POLL, cdn="cloudflare")


def test_every_call_goes_to_vultr_or_cloudflare_and_none_is_refused(ours: dict[str, Measure]) -> None:
    for phase, measured in ours.items():
        assert measured.edgio_calls == 0, phase
        assert measured.calls == measured.vultr_calls + measured.cloudflare_calls, phase
        assert measured.throttled == 0, phase


def test_create_writes_each_record_and_rule_and_the_entry_point(ours: dict[str, Measure]) -> None:
    cloudflare = ours["create"].of("cloudflare")
    # Workers starting at once may each find no entry point and try to make it: at most one each.
    assert RECORDS + ROUTES + 1 <= cloudflare.writes <= RECORDS + ROUTES + 4
    assert ours["create"].of("vultr").writes >= NAMES * 4  # at least 3 addresses and a marker per name


def test_no_op_costs_no_call_and_refresh_only_reads(ours: dict[str, Measure]) -> None:
    assert ours["no-op"].calls == 0
    refresh = ours["refresh"].of("cloudflare")
    assert refresh.writes == 0
    assert refresh.reads == 2  # one listing of the zone's records, one read of the entry point: not one per object


def test_one_changed_path_costs_only_its_rule(ours: dict[str, Measure]) -> None:
    changed = ours["path changed"]
    assert changed.vultr_calls == 0
    assert changed.of("cloudflare").writes == 2  # the new path's rule made, the old one deleted


def test_a_replaced_node_costs_no_cloudflare_call(ours: dict[str, Measure]) -> None:
    replaced = ours["node replaced"]
    assert replaced.cloudflare_calls == 0  # the aliases name the origin names, not the nodes
    assert replaced.of("vultr").writes == 3 * NAMES


def test_destroy_deletes_each_record_and_rule_and_leaves_the_zone_empty(ours: dict[str, Measure],
                                                                         bench: Bench) -> None:
    assert ours["destroy"].of("cloudflare").writes == RECORDS + ROUTES
    zone: dict[str, Any] = bench.emulators.state("cloudflare")[CLOUDFLARE_ZONE]
    assert zone["dns_records"] == []
    assert [r for ruleset in zone["rulesets"] for r in ruleset.get("rules") or []] == []


def test_the_provider_keeps_cloudflares_pace(ours: dict[str, Measure]) -> None:
    """A token bucket of rate r and burst b needs at least (n - b) / r seconds for n calls."""
    create = ours["create"]
    assert create.seconds >= (create.cloudflare_calls - BURST) / CLOUDFLARE_PACE
    assert create.bound(CONDITIONS.pending_seconds) == pytest.approx(create.cloudflare_calls / CLOUDFLARE_PACE)


def test_no_phase_costs_fewer_calls_than_its_floor(ours: dict[str, Measure]) -> None:
    """The floor is the fewest calls a safe tool needs: a phase under it means the model is wrong."""
    for phase, measured in ours.items():
        least = floor(phase, routes=ROUTES, foreign=CONDITIONS.foreign, pending_seconds=CONDITIONS.pending_seconds,
                      poll_seconds=POLL, cdn="cloudflare")
        assert measured.vultr_calls >= least.vultr_calls, phase
        assert measured.cloudflare_calls >= least.cloudflare_calls, phase
