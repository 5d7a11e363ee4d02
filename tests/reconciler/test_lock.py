"""A stack locked by another run is waited out with growing pauses, never cancelled."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from reconciler.stack import StackClient, Stopped, holder
from reconciler.worker import LOCKED

LOCK_TEXT = ("error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or "
             "delete the lock file with `pulumi cancel`.\n  file:///s/.pulumi/locks/organization/p/s/1.json: "
             "created by root@elsewhere (pid 2506) at 2026-11-29T23:46:31Z")


class RecordingStop(threading.Event):
    def __init__(self, stop_after: int = 99) -> None:
        super().__init__()
        self.waits: list[float] = []
        self.stop_after = stop_after

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout or 0.0)
        return len(self.waits) >= self.stop_after


class ScriptedClient(StackClient):
    """The worker's answers in turn (what ``python -m reconciler.worker`` writes)."""

    def __init__(self, answers: list[tuple[int, dict[str, Any]]], tmp: Path) -> None:
        super().__init__(tmp, "s", [], [], tmp, lock_wait=(2.0, 10.0))
        self.answers = answers

    def _run_worker(self, targets: list[str] | None) -> tuple[int, dict[str, Any], float]:
        code, result = self.answers.pop(0)
        return code, result, 1.0


def test_a_locked_stack_is_tried_again_with_growing_pauses_until_the_run_goes_through(tmp_path: Path) -> None:
    locked = (LOCKED, {"ok": False, "locked": True, "detail": LOCK_TEXT})
    client = ScriptedClient([locked] * 4 + [(0, {"ok": True, "changes": {"update": 1}, "detail": "succeeded"})],
                            tmp_path)
    stop = RecordingStop()
    result = client.up(["urn:a"], stop)
    assert (result.ok, result.changes, stop.waits) == (True, {"update": 1}, [2.0, 4.0, 8.0, 10.0])


def test_stopping_while_waiting_for_the_lock_runs_nothing(tmp_path: Path) -> None:
    client = ScriptedClient([(LOCKED, {"ok": False, "detail": LOCK_TEXT})] * 3, tmp_path)
    with pytest.raises(Stopped):
        client.up(None, RecordingStop(stop_after=2))
    assert len(client.answers) == 1


def test_the_lock_holder_is_named_and_a_dead_local_holder_called_stale() -> None:
    assert holder(LOCK_TEXT) == " (root@elsewhere, pid 2506)"
    import socket
    local = LOCK_TEXT.replace("elsewhere", socket.gethostname()).replace("2506", "999999999")
    assert holder(local).endswith("pid 999999999, NOT RUNNING: a stale lock; clear it by hand as docs/team.md says)")


def test_only_the_last_run_logs_are_kept(tmp_path: Path) -> None:
    from reconciler.stack import prune

    for n in range(1, 8):
        (tmp_path / f"prod-42-{n}.log").write_text(str(n))
    for other in ("other-42-1.log", "prod-eu-42-1.log"):
        (tmp_path / other).write_text("another stack's")
    prune(tmp_path, "prod", keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-42-1.log", "prod-42-5.log", "prod-42-6.log",
                                                          "prod-42-7.log", "prod-eu-42-1.log"]
