"""The convergence bench: its statistics and table (always), and a short run under the real CLI
with the reconciler on the local cluster (end-to-end)."""

from __future__ import annotations

import pytest

from bench.convergence import TARGET_P95, Event, measure, percentile, table
from bench.measure import Bench


@pytest.mark.parametrize(("values", "q", "expected"), [
    ([3.0], 95, 3.0), ([1.0, 2.0, 3.0, 4.0], 50, 2.0), (list(map(float, range(1, 21))), 95, 19.0),
    (list(map(float, range(1, 21))), 100, 20.0),
], ids=["one", "median-of-four", "p95-of-twenty", "max"])
def test_percentile_is_nearest_rank(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == expected


def test_the_table_gives_each_direction_and_all_with_calls_per_event() -> None:
    events = [Event("removed", 4.0, 0, 1, 0), Event("added", 6.0, 0, 2, 0), Event("removed", 5.0, 1, 1, 0)]
    text = table({"file": events}, "python -m bench.convergence --events 3", ["a note"])
    assert "| file | removed | 2 | 4.5 | 5.0 | 5.0 | 0.5 / 1.0 | 0.0 |" in text
    assert "| file | added | 1 | 6.0 | 6.0 | 6.0 | 0.0 / 2.0 | 0.0 |" in text
    assert "| file | all | 3 | 5.0 | 6.0 | 6.0 | 0.3 / 1.3 | 0.0 |" in text
    assert text.endswith("- a note\n")


@pytest.mark.e2e
def test_a_short_run_with_a_replaced_node_converges_within_the_target_and_touches_no_rule() -> None:
    bench = Bench()
    try:
        events = measure(bench, "file", 2, debounce=1.0, hold_down=0.0, replace=True)
    finally:
        bench.close()
    assert [e.direction for e in events] == ["removed", "added", "replaced", "restored"]
    assert max(e.seconds for e in events) <= TARGET_P95
    assert all(e.edgio_calls == 0 for e in events)
    # the node's record out (back), and at most the claim's marker updated to name the new set
    assert [e.vultr_writes <= 2 for e in events[:2]] == [True, True]
