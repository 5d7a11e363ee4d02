"""`python -m fleet` on three stacks of one project (own namespace, origin name and paths each),
state in PostgreSQL, the real CLI through the Automation API: one line per stack, a failed stack
(locked by a run in progress, or a broken manifest) fails the whole command and no other."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.emulator import Emulators
from tests.support.pulumi_cli import ROOT, Project
from tests.team.kit import Started, assert_exactly_declared, init_stack, wait_until
from tests.team.pg import Postgres

pytestmark = pytest.mark.e2e
STACKS = ("f1", "f2", "f3")


def fleet(project: Project, *args: str) -> tuple[int, dict[str, str], str]:
    """Exit status, each stack's summary line, and the total line."""
    done = subprocess.run([sys.executable, "-m", "fleet", *args, "--work-dir", str(project.dir)], cwd=ROOT,
                          env=project.env, capture_output=True, text=True, timeout=900, check=False)
    lines = done.stdout.splitlines()
    assert done.stderr == "", done.stderr[-3000:]
    assert len(lines) == len(STACKS) + 1, done.stdout
    per_stack = {line.split()[0]: line for line in lines[:-1]}
    assert sorted(per_stack) == sorted(STACKS), done.stdout
    return done.returncode, per_stack, lines[-1]


@pytest.fixture(scope="module")
def stacks(team: Project, namespaces, cloud: Emulators, creds: dict[str, str]) -> Project:
    for stack in STACKS:
        init_stack(team, stack, namespaces(), cloud, creds)
    return team


def test_up_while_one_stack_is_locked_fails_that_stack_only(stacks: Project, pg: Postgres, table: str,
                                                            cloud: Emulators) -> None:
    cloud.faults("edgio", latency_ms=500)
    try:
        running = Started(stacks, "up", "--yes", "--skip-preview", "--stack", "f3")
        wait_until("the run of f3 holds its lock", lambda: pg.locks(table))
        code, lines, total = fleet(stacks, "up", "--workers", "2", "f3", "f1", "f2")
        assert running.wait().code == 0
    finally:
        cloud.faults("edgio", latency_ms=0)
    print(f"\n[figures] fleet up, f3 locked by a run in progress: {total}\n" + "\n".join(lines.values()))
    assert code == 1
    assert " FAILED " in lines["f3"] and "locked by another run" in lines["f3"], lines["f3"]
    for stack in ("f1", "f2"):
        assert " ok " in lines[stack] and "create " in lines[stack], lines[stack]
    assert total.startswith("3 stacks: 2 ok, 1 failed")
    for stack in STACKS:
        assert_exactly_declared(stacks, stack, cloud)


def test_preview_of_converged_stacks_expecting_no_changes_is_green(stacks: Project) -> None:
    code, lines, total = fleet(stacks, "preview", "--expect-no-changes", "--workers", "3", *STACKS)
    print(f"\n[figures] fleet preview --expect-no-changes: {total}")
    assert code == 0, "\n".join(lines.values())
    for line in lines.values():
        assert " ok " in line and "same " in line and "create" not in line, line


def test_a_broken_stack_fails_with_its_reason_and_the_others_pass(stacks: Project, cloud: Emulators) -> None:
    ingress = next((stacks.dir / "manifests-f2").glob("*ingress.yaml"))
    good = ingress.read_text()
    ingress.write_text(good.replace("path: /f2/bob", "path: f2-bob"))
    try:
        code, lines, _ = fleet(stacks, "preview", "--workers", "2", *STACKS)
    finally:
        ingress.write_text(good)
    print("\n[figures] fleet preview with f2 broken:\n" + "\n".join(lines.values()))
    assert code == 1
    assert " FAILED " in lines["f2"] and "path='f2-bob'" in lines["f2"], lines["f2"]
    assert "log: " in lines["f2"]
    assert " ok " in lines["f1"] and " ok " in lines["f3"]
    code, lines, _ = fleet(stacks, "up", "--workers", "3", *STACKS)
    assert code == 0 and all(" ok " in line for line in lines.values()), "\n".join(lines.values())
    for stack in STACKS:
        assert_exactly_declared(stacks, stack, cloud)


def test_up_is_bound_by_the_stacks_mandatory_policies(stacks: Project, cloud: Emulators) -> None:
    """The route ceiling of f1 lowered to 1 (its two routes exceed it): f1's up fails on the stack policy,
    the others run; the pack is not only the preview's."""
    config = stacks.dir / "stacks" / "policy.f1.json"
    kept = config.read_text()
    config.write_text(json.dumps({**json.loads(kept), "route-ceiling": {"enforcementLevel": "mandatory",
                                                                        "maxRoutes": 1}}))
    try:
        code, lines, _ = fleet(stacks, "up", "--workers", "3", *STACKS)
    finally:
        config.write_text(kept)
    print("\n[figures] fleet up with f1 over its route ceiling:\n" + "\n".join(lines.values()))
    assert code == 1
    assert " FAILED " in lines["f1"], lines["f1"]
    assert "route-ceiling" in (stacks.dir / ".run" / "fleet" / "f1.log").read_text()
    assert " ok " in lines["f2"] and " ok " in lines["f3"]
    for stack in STACKS:
        assert_exactly_declared(stacks, stack, cloud)
