"""Runs at the same time under the real CLI with the state in PostgreSQL: on one stack the lock lets
one run and refuses the other at once; two stacks converge side by side; a killed run's lock is
cleared by `pulumi cancel`; the password is nowhere. Each test prints its measured figures
(`pytest -s tests/team` shows them)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.support.emulator import Emulators
from tests.support.pulumi_cli import Project
from tests.team.kit import Started, assert_exactly_declared, init_stack, lock_message, wait_until
from tests.team.pg import Postgres

pytestmark = pytest.mark.e2e
UP = ("up", "--yes", "--skip-preview")


def figure(text: str) -> None:
    print(f"\n[figures] {text}")


def test_second_up_on_a_locked_stack_fails_fast_and_the_first_converges(
        team: Project, pg: Postgres, table: str, namespaces, cloud: Emulators, creds: dict[str, str]) -> None:
    init_stack(team, "one", namespaces(), cloud, creds)
    cloud.faults("edgio", latency_ms=400)  # a first run long enough to be caught in the act
    try:
        first = Started(team, *UP, "--stack", "one")
        wait_until("the first run holds the lock", lambda: pg.locks(table))
        second = Started(team, *UP, "--stack", "one").wait(timeout=120)
        overlapped = first.running()
        done = first.wait()
    finally:
        cloud.faults("edgio", latency_ms=0)
    assert second.code != 0 and lock_message(second.out), second.out[-2000:]
    assert overlapped, "the first run had already ended: the two runs did not overlap"
    assert second.seconds < 20, f"the refused run took {second.seconds:.1f}s"
    assert done.code == 0, done.out[-3000:]
    assert pg.locks(table) == []
    assert_exactly_declared(team, "one", cloud)
    team.pulumi("preview", "--expect-no-changes", "--stack", "one")
    figure(f"one stack, two ups: first ok in {done.seconds:.1f}s; second refused by the lock after "
           f"{second.seconds:.1f}s (exit {second.code})")


def test_two_ups_started_in_the_same_instant_never_both_run(
        team: Project, pg: Postgres, table: str, cloud: Emulators) -> None:
    """No wait between the starts. The lock is write-then-check: at most one run passes it (in a
    rare tie both are refused), and nothing of the other reaches the vendors."""
    runs = [Started(team, *UP, "--stack", "one", "--refresh") for _ in range(2)]
    done = [run.wait() for run in runs]
    ran = [d for d in done if d.code == 0]
    refused = [d for d in done if d.code != 0]
    assert len(ran) <= 1, "both runs passed the lock"
    for d in refused:
        assert lock_message(d.out), d.out[-2000:]
    assert pg.locks(table) == []
    assert_exactly_declared(team, "one", cloud)
    team.pulumi("preview", "--expect-no-changes", "--stack", "one")
    figure("one stack, two ups started together: " + "; ".join(
        f"{'ran' if d.code == 0 else 'refused by the lock'} in {d.seconds:.1f}s" for d in done))


def test_two_stacks_run_side_by_side_and_both_converge(
        team: Project, namespaces, cloud: Emulators, creds: dict[str, str]) -> None:
    for stack in ("a", "b"):
        init_stack(team, stack, namespaces(), cloud, creds)
    began = time.monotonic()
    runs = {stack: Started(team, *UP, "--stack", stack) for stack in ("a", "b")}
    done = {stack: run.wait() for stack, run in runs.items()}
    elapsed = time.monotonic() - began
    for stack, result in done.items():
        assert result.code == 0, f"{stack}: {result.out[-3000:]}"
        assert_exactly_declared(team, stack, cloud)
        team.pulumi("preview", "--expect-no-changes", "--stack", stack)
    assert_exactly_declared(team, "one", cloud)  # the stacks left each other alone
    figure(f"two stacks at once: a {done['a'].seconds:.1f}s, b {done['b'].seconds:.1f}s, "
           f"both done in {elapsed:.1f}s, both ok")


def test_a_killed_run_leaves_a_lock_that_cancel_clears(
        team: Project, pg: Postgres, table: str, namespaces, cloud: Emulators, creds: dict[str, str]) -> None:
    init_stack(team, "k", namespaces(), cloud, creds)
    cloud.admin("edgio", "DELETE", "calls")
    cloud.faults("edgio", latency_ms=1500)  # the kill lands while rule creates are in flight
    try:
        team.pulumi_killed(*UP, "--stack", "k", when=lambda: any(
            c["method"] == "POST" for c in cloud.calls("edgio")))
    finally:
        cloud.faults("edgio", latency_ms=0)
    time.sleep(2)  # a create already sent still lands
    assert len(pg.locks(table)) == 1, "the killed run's lock should still be in the database"

    began = time.monotonic()
    blocked = team.pulumi(*UP, "--stack", "k", check=False)
    refused_after = time.monotonic() - began
    assert blocked.returncode != 0 and lock_message(blocked.stdout + blocked.stderr)
    team.pulumi("cancel", "--yes", "--stack", "k")
    assert pg.locks(table) == []
    rerun = team.pulumi(*UP, "--stack", "k", check=False)
    if rerun.returncode != 0:  # creates that were in flight are pending operations to clear first
        assert "pending" in rerun.stdout + rerun.stderr, rerun.stdout[-3000:] + rerun.stderr[-3000:]
        team.pulumi("refresh", "--yes", "--clear-pending-creates", "--stack", "k")
        team.pulumi(*UP, "--stack", "k")
    assert_exactly_declared(team, "k", cloud)
    team.pulumi("preview", "--expect-no-changes", "--stack", "k")
    how = "directly" if rerun.returncode == 0 else "after clearing pending creates"
    figure(f"killed run: the next up was refused by its lock after {refused_after:.1f}s; "
           f"after pulumi cancel the stack converged ({how})")


def test_the_backend_password_is_in_no_output_state_or_log(team: Project, pg: Postgres, table: str) -> None:
    verbose = team.pulumi("preview", "--stack", "one", "--logtostderr", "-v=9")
    home = Path(team.env["PULUMI_HOME"])
    texts = {
        "every CLI run of this module (lock errors, kills, cancel)": team.log.read_text(),
        "a -v=9 preview": verbose.stdout + verbose.stderr,
        "pulumi whoami -v (prints the backend URL)": team.pulumi("whoami", "-v").stdout,
        "the stack exports": "".join(team.pulumi("stack", "export", "--stack", s).stdout
                                     for s in ("one", "a", "b", "k")),
        "every blob of the state table": pg.dump(table),
        "scripts/backend.sh start/env": "".join(pg.outputs),
        "PULUMI_HOME (credentials, workspaces)": "".join(
            p.read_text() for p in [home / "credentials.json", *home.glob("workspaces/*.json")] if p.is_file()),
    }
    password = pg.password()
    assert len(password) >= 32
    for label, text in texts.items():
        leaked = password in text  # the value itself stays out of the failure report
        assert not leaked, f"the backend password appears in {label}"
    assert "@127.0.0.1" in pg.url and ":" not in pg.url.split("://")[1].split("@")[0], "a password in the URL"
    assert "PGPASSWORD" not in team.env
