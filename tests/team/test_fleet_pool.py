"""The fleet command without the CLI: the worker bound holds, every stack gets one result, a bad
command line is refused with a message (no traceback), the summary wording."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from pulumi import automation as auto
from pulumi.automation._cmd import CommandResult

from fleet.runner import StackResult, count_changes, failure_reason, run_fleet
from tests.support.pulumi_cli import ROOT


def busiest(stacks: list[str], workers: int) -> tuple[int, list[str]]:
    """Run a fleet of 0.2 s sleeps; returns the most that ran at once and the stacks seen."""
    lock, running, peak = threading.Lock(), [0], [0]

    def one(stack: str) -> StackResult:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        return StackResult(stack, True, 0.2, "")

    seen = [result.stack for result in run_fleet(stacks, workers, one)]
    return peak[0], seen


@pytest.mark.parametrize(("workers", "most"), [(1, 1), (2, 2), (6, 6)], ids=["one", "two", "all"])
def test_no_more_than_the_workers_run_at_once(workers: int, most: int) -> None:
    stacks = [f"s{i}" for i in range(6)]
    peak, seen = busiest(stacks, workers)
    assert peak == most
    assert sorted(seen) == stacks


@pytest.mark.parametrize(("args", "message"), [
    (["up"], "the following arguments are required: STACK"),
    (["deploy", "dev"], "argument operation: invalid choice: 'deploy'"),
    (["up", "dev", "--workers", "0"], "'0' is not a whole number from 1 to 64"),
    (["up", "dev", "prod", "dev"], "stack 'dev' is named twice"),
    (["up", "dev", "--work-dir", "/"], "--work-dir '/' has no Pulumi.yaml"),
], ids=["no-stack", "operation", "workers", "twice", "work-dir"])
def test_a_bad_command_line_is_refused_with_the_reason(args: list[str], message: str) -> None:
    done = subprocess.run([sys.executable, "-m", "fleet", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_changes_are_counted_in_pulumis_words() -> None:
    assert count_changes({auto.OpType.SAME: 9, auto.OpType.CREATE: 2, auto.OpType.DELETE: 0}) == "create 2, same 9"
    assert count_changes({}) == "no resources"


def test_a_failure_is_told_by_the_programs_own_last_line() -> None:
    output = ["Diagnostics:", "  pulumi:pulumi:Stack (cdn-ingress-dev):", "    error: Program failed:",
              "      - manifests/a.yaml: path='x': must start with '/'", "", "Resources:"]
    error = auto.CommandError(CommandResult(stdout="\n".join(output), stderr="", code=1))
    assert failure_reason(error, output) == "- manifests/a.yaml: path='x': must start with '/'"
    locked = auto.ConcurrentUpdateError(CommandResult(stdout="", stderr="error: the stack is currently locked", code=1))
    assert failure_reason(locked, []).startswith("locked by another run of this stack")


def test_a_failure_outside_any_callback_is_told_from_the_error_itself() -> None:
    missing = auto.StackNotFoundError(CommandResult(stdout="", stderr="error: no stack named 'qa' found", code=6))
    assert failure_reason(missing, []) == "no stack named 'qa' found"


def test_the_clis_closing_line_gives_way_to_the_programs_message() -> None:
    output = ["Diagnostics:", "    error: 1 problem(s) in the manifests; nothing was changed:",
              "      - manifests/a.yaml: path='x': must start with '/'",
              "    error: an unhandled error occurred: the Python program exited with code 1", ""]
    error = auto.CommandError(CommandResult(stdout="\n".join(output), stderr="", code=1))
    assert failure_reason(error, output) == "- manifests/a.yaml: path='x': must start with '/'"
