from __future__ import annotations

from reconciler.schedule import Schedule


def test_a_burst_of_events_is_due_once_after_the_last_one_is_quiet() -> None:
    s = Schedule(debounce=2, hold_down=60, full_every=0, start=0)
    for t in (0.0, 0.5, 1.0, 1.9):
        s.event(t)
    assert [t for t in (1.0, 2.5, 3.8, 3.9) if s.changes_due(t)] == [3.9]
    assert s.handled() == 0.0
    assert not s.changes_due(10)


def test_a_name_written_is_held_down_but_its_change_is_kept() -> None:
    s = Schedule(debounce=2, hold_down=60, full_every=0, start=0)
    s.wrote(["shop A"], 10)
    s.event(20)
    assert s.hold_until(["shop A", "api A"]) == 70
    s.hold(70)
    assert not s.changes_due(69.9)
    assert s.changes_due(70)


def test_the_periodic_full_run_is_due_every_period_and_never_when_zero() -> None:
    s = Schedule(debounce=2, hold_down=60, full_every=600, start=0)
    assert (s.full_due(599), s.full_due(600)) == (False, True)
    s.full_done(600)
    assert s.wake_at() == 1200
    assert Schedule(debounce=2, hold_down=60, full_every=0, start=0).wake_at() == float("inf")
