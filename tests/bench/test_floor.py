"""The floor model, row by row, for 10 routes (2 origin names of 3 nodes, 10 rules)."""

from __future__ import annotations

import pytest

from bench.floor import floor


@pytest.mark.parametrize(("phase", "vultr", "edgio"), [
    ("create", 2 + 8, 1 + 20 + 3),  # zone listed twice, 2 markers + 6 records; 10 validates + 10 creates, 3 polls
    ("no-op", 0, 0),
    ("refresh", 1, 1),
    ("path changed", 0, 1 + 3 + 3),
    ("node replaced", 4, 0),
    ("destroy", 1 + 8, 1 + 10),
], ids=lambda v: str(v))
def test_floor_of_each_phase(phase: str, vultr: int, edgio: int) -> None:
    least = floor(phase, routes=10, foreign=0, pending_seconds=1.0, poll_seconds=0.5)
    assert (least.vultr_calls, least.edgio_calls) == (vultr, edgio)


def test_foreign_records_cost_pages_of_the_zone_listing() -> None:
    small = floor("refresh", routes=100, foreign=0, pending_seconds=0, poll_seconds=1)
    large = floor("refresh", routes=100, foreign=5000, pending_seconds=0, poll_seconds=1)
    assert (small.vultr_calls, large.vultr_calls) == (1, 11)  # 80 ours; 5,080 records = 11 pages of 500


def test_the_floor_is_priced_at_the_slower_vendors_pace_plus_one_deploy() -> None:
    least = floor("create", routes=100, foreign=0, pending_seconds=30, poll_seconds=1)
    assert least.seconds == pytest.approx(30 + least.edgio_calls / 5)


@pytest.mark.parametrize(("phase", "vultr", "cloudflare"), [
    # records: 2 aliases + 2 host records, one page; rules: 10. The ruleset read before the writes,
    # the entry point made (the zone has none), 4 records + 10 rules (each answer shows the order).
    ("create", 2 + 8, 1 + 1 + 1 + 4 + 10),
    ("no-op", 0, 0),
    ("refresh", 1, 1 + 1),
    ("path changed", 0, 1 + 2),  # ruleset read, new rule (its answer shows the order), old rule deleted
    ("node replaced", 4, 0),
    ("destroy", 1 + 8, 1 + 1 + 4 + 10),
], ids=lambda v: str(v))
def test_cloudflare_floor_of_each_phase(phase: str, vultr: int, cloudflare: int) -> None:
    least = floor(phase, routes=10, foreign=0, pending_seconds=1.0, poll_seconds=0.5, cdn="cloudflare")
    assert (least.vultr_calls, least.edgio_calls, least.cloudflare_calls) == (vultr, 0, cloudflare)


def test_cloudflare_records_cost_pages_of_their_listing_and_foreign_records_none() -> None:
    small = floor("refresh", routes=100, foreign=5000, pending_seconds=0, poll_seconds=1, cdn="cloudflare")
    large = floor("refresh", routes=300, foreign=0, pending_seconds=0, poll_seconds=1, cdn="cloudflare")
    assert (small.cloudflare_calls, large.cloudflare_calls) == (1 + 1, 2 + 1)  # 40 records; 120 = 2 pages of 100


def test_the_cloudflare_floor_waits_for_no_deploy_and_is_priced_at_four_calls_a_second() -> None:
    least = floor("create", routes=100, foreign=0, pending_seconds=30, poll_seconds=1, cdn="cloudflare")
    assert least.deploy_seconds == 0
    assert least.seconds == pytest.approx(least.cloudflare_calls / 4)
