"""`python -m fleet` binds every stack's run to the policy pack with that stack's config
(docs/policy.md): what it asks the CLI, seen by a stand-in `pulumi` on PATH that records its
command lines; a stack with no policy config fails before any `up`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fleet.runner import failure_reason
from tests.support.pulumi_cli import ROOT

# Answers what the Automation API asks before, during and after a run (an event log with a summary,
# outputs, history) and records every command line; FAKE_PREVIEW_FAILS names a stack whose preview
# fails as a mandatory policy violation does. An old version keeps the event log a file.
FAKE_CLI = """#!{python}
import json, os, sys
args = sys.argv[1:]
with open(os.environ["FAKE_PULUMI_LOG"], "a") as log:
    log.write(" ".join(args) + "\\n")
command = [a for a in args if not a.startswith("-")][:2]
stack = args[args.index("--stack") + 1] if "--stack" in args else ""
if command[:1] == ["version"]:
    print("v3.200.0")
elif command[:1] in (["preview"], ["up"]):
    failed = command[:1] == ["preview"] and stack == os.environ.get("FAKE_PREVIEW_FAILS")
    summary = {{"resourceChanges": {{"same": 3}}, "result": "failed" if failed else "succeeded"}}
    if "--event-log" in args:
        with open(args[args.index("--event-log") + 1], "a") as events:
            events.write(json.dumps({{"sequence": 0, "timestamp": 0, "summaryEvent": summary}}) + "\\n")
    if failed:
        print("Policies:\\n    - [mandatory]  route-ceiling  (pulumi:pulumi:Stack: cdn-ingress-" + stack + ")")
        print("error: preview failed\\n", file=sys.stderr)
        sys.exit(255)
elif command == ["stack", "output"]:
    print("{{}}")
elif command == ["stack", "history"]:
    print(json.dumps([{{"kind": "update", "startTime": "2026-01-01T00:00:00.000Z", "message": "", "environment": {{}},
                       "config": {{}}, "result": "succeeded", "endTime": "2026-01-01T00:00:01.000Z",
                       "resourceChanges": {{"same": 3}}}}]))
"""


def fleet(tmp_path: Path, work_dir: Path, *args: str, fail_preview_of: str = ""
          ) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    bin_dir, calls = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "pulumi").write_text(FAKE_CLI.format(python=sys.executable))
    (bin_dir / "pulumi").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "FAKE_PULUMI_LOG": str(calls),
           "PULUMI_HOME": str(tmp_path / "home"), "FAKE_PREVIEW_FAILS": fail_preview_of}
    done = subprocess.run([sys.executable, "-m", "fleet", *args, "--work-dir", str(work_dir), "--log-dir",
                           str(tmp_path / "logs")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    return done, calls.read_text().splitlines() if calls.exists() else []


def runs(calls: list[str], operation: str) -> list[str]:
    return [c for c in calls if c.split()[1:2] == [operation]]


@pytest.mark.parametrize("operation", ["up", "preview"])
def test_every_stack_runs_with_the_pack_and_its_own_policy_config(tmp_path: Path, operation: str) -> None:
    done, calls = fleet(tmp_path, ROOT, operation, "dev", "prod")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = runs(calls, operation)
    assert len(lines) == 2, calls
    for stack in ("dev", "prod"):
        line = next(x for x in lines if f"--stack {stack}" in x)
        assert f"--policy-pack {ROOT / 'policy'}" in line, line
        assert f"--policy-pack-config {ROOT / 'stacks' / f'policy.{stack}.json'}" in line, line


def test_an_up_is_previewed_with_the_pack_first_and_a_violation_stops_it(tmp_path: Path) -> None:
    """`stack.up` of the Automation API skips the preview, and stack policies (the route ceiling) judge
    an up only after its changes: the fleet previews each stack with the pack before its up."""
    done, calls = fleet(tmp_path, ROOT, "up", "dev", "prod", fail_preview_of="prod")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()[:-1]}
    # The line's reason is the CLI's first error entry; stdout and stderr reach it in either order.
    assert " FAILED " in lines["prod"] and ("preview failed" in lines["prod"] or "route-ceiling" in lines["prod"])
    assert "[mandatory]  route-ceiling" in (tmp_path / "logs" / "prod.log").read_text()
    assert " ok " in lines["dev"], lines["dev"]
    dev = [c.split()[1] for c in calls if "--stack dev" in c and c.split()[1] in ("preview", "up")]
    assert dev == ["preview", "up"]
    prod = [c for c in calls if "--stack prod" in c and c.split()[1] in ("preview", "up")]
    assert [c.split()[1] for c in prod] == ["preview"]
    assert f"--policy-pack-config {ROOT / 'stacks' / 'policy.prod.json'}" in prod[0]


def test_a_stack_without_a_policy_config_fails_before_any_up(tmp_path: Path) -> None:
    work = tmp_path / "project"
    (work / "stacks").mkdir(parents=True)
    shutil.copy(ROOT / "Pulumi.yaml", work / "Pulumi.yaml")
    shutil.copytree(ROOT / "policy", work / "policy", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "stacks" / "policy.dev.json", work / "stacks" / "policy.dev.json")
    done, calls = fleet(tmp_path, work, "up", "dev", "eu-1")
    assert done.returncode == 1
    failed = next(x for x in done.stdout.splitlines() if x.startswith("eu-1"))
    assert " FAILED " in failed
    assert f"stack 'eu-1': {work / 'stacks' / 'policy.eu-1.json'} is missing: every run of a stack takes " \
           "the policy pack with that stack's config (docs/policy.md)" in failed
    assert [x for x in runs(calls, "up") if "--stack eu-1" in x] == []
    assert len([x for x in runs(calls, "up") if "--stack dev" in x]) == 1


def test_a_project_without_the_pack_runs_nothing(tmp_path: Path) -> None:
    work = tmp_path / "project"
    (work / "stacks").mkdir(parents=True)
    shutil.copy(ROOT / "Pulumi.yaml", work / "Pulumi.yaml")
    done, calls = fleet(tmp_path, work, "up", "dev")
    assert done.returncode == 1
    assert f"{work / 'policy' / 'PulumiPolicy.yaml'} is missing: every run of a stack takes the policy pack" \
        in done.stdout
    assert runs(calls, "up") == []


def test_make_up_runs_the_pack_with_the_local_stacks_config() -> None:
    """`make up` is `scripts/local-stack.sh up`, whose `pulumi up` takes the POLICY flags and keeps its
    preview (read from the script: running it builds the toolchain and starts a cluster)."""
    # --no-print-directory: under `make test` this is a sub-make, which would add "Leaving directory".
    dry = subprocess.run(["make", "--no-print-directory", "-n", "up"], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=60)
    assert "scripts/local-stack.sh up" in dry.stdout.splitlines()[-1]
    script = (ROOT / "scripts" / "local-stack.sh").read_text().splitlines()
    assert 'POLICY=(--policy-pack policy --policy-pack-config "stacks/policy.$STACK.json")' in script
    ups = [line for line in script if "pulumi up " in line]
    assert ups and all('"${POLICY[@]}"' in line for line in ups), ups
    assert not any("--skip-preview" in line for line in ups), "stack policies would judge the up after its changes"
    assert (ROOT / "stacks" / "policy.local.json").is_file()


@pytest.mark.parametrize("order", ["stderr-first", "stdout-first"])
def test_the_reason_is_the_error_whichever_stream_came_first(order: str) -> None:
    error = ["error: preview failed"]
    policies = ["Policies:", "    - [mandatory]  route-ceiling  (pulumi:pulumi:Stack: x)"]
    output = error + policies if order == "stderr-first" else policies + error
    assert failure_reason(RuntimeError(""), output) == "preview failed"
