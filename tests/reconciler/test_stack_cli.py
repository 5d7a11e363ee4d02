"""StackClient under the real Pulumi CLI (the Automation API; file and PostgreSQL backends) on a small
project whose dynamic resources carry the record sets' type token: it reads the sets from state, a
targeted run changes only its targets, a run that finds the stack locked by a deploy waits and then
goes through, and a reconciler killed mid-run leaves its run to finish and release the lock. Needs
only the CLI and language host of tools/toolchain.sh; skipped, saying so, without them."""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reconciler.plan import RecordSet
from reconciler.stack import StackClient
from tests.support.pulumi_cli import ROOT, toolchain_env
from tests.team.pg import Postgres

PROGRAM = '''
import time

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider, UpdateResult


class Sets(ResourceProvider):
    def create(self, props):
        return CreateResult(props["fqdn"], dict(props))

    def diff(self, _id, olds, news):
        return DiffResult(changes=olds.get("addresses") != news.get("addresses"))

    def update(self, _id, olds, news):
        time.sleep(float(news["pause"]))
        return UpdateResult(dict(news))


class DnsRecordSet(Resource, module="vultr", name="DnsRecordSet"):
    def __init__(self, name, props):
        super().__init__(Sets(), name, props)


config = pulumi.Config()
for name in ("shop", "api"):
    DnsRecordSet(name, {"fqdn": f"{name}.origin.example.com", "type": "A", "pause": config.get("pause") or "0",
                        "addresses": config.require_object(name)})
'''


def cli_missing() -> str | None:
    env = toolchain_env()
    found = subprocess.run(["bash", "-c", "command -v pulumi && command -v pulumi-language-python"], env=env,
                           capture_output=True, check=False)
    return None if found.returncode == 0 else "the Pulumi CLI and language host are not built (make toolchain)"


pytestmark = pytest.mark.skipif(cli_missing() is not None, reason=str(cli_missing()))


class Small:
    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch, backend: dict[str, str],
                 locks: Callable[[], list[str]] | None) -> None:
        self.dir = root / "project"
        self.dir.mkdir()
        (root / "state").mkdir()
        (self.dir / "Pulumi.yaml").write_text(json.dumps({"name": "reconciler-small", "runtime": {
            "name": "python", "options": {"toolchain": "pip", "virtualenv": str(ROOT / "venv")}}}))
        (self.dir / "__main__.py").write_text(PROGRAM)
        self.env = {**toolchain_env(), "PULUMI_BACKEND_URL": f"file://{root / 'state'}",
                    "PULUMI_CONFIG_PASSPHRASE": "small", "PULUMI_SKIP_CONFIRMATIONS": "true", **backend}
        for key, value in self.env.items():  # the worker, started by the client, inherits them
            monkeypatch.setenv(key, value)
        folder = root / "state" / ".pulumi" / "locks"
        self.locks = locks or (lambda: [str(p) for p in folder.rglob("*.json")])
        self.pulumi("stack", "init", "small")

    def pulumi(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pulumi", *args, "--non-interactive"], cwd=self.dir, env=self.env, text=True,
                              capture_output=True, check=True, timeout=300)

    def set(self, **values: object) -> None:
        for key, value in values.items():
            self.pulumi("config", "set", key, value if isinstance(value, str) else json.dumps(value))

    def client(self, root: Path) -> StackClient:
        return StackClient(self.dir, "small", [], [], root / "runs", lock_wait=(0.5, 2.0))


@pytest.fixture(scope="module")
def pg() -> Postgres:
    return Postgres()


@pytest.fixture(params=["file", "postgres"])
def small(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Small]:
    backend, locks, table = {}, None, f"reconciler_{secrets.token_hex(4)}"
    if request.param == "postgres":
        pg: Postgres = request.getfixturevalue("pg")
        backend, locks = pg.env(table), lambda: pg.locks(table)
    project = Small(tmp_path, monkeypatch, backend, locks)
    project.set(shop=["203.0.113.11", "203.0.113.12"], api=["203.0.113.11", "203.0.113.12"])
    project.pulumi("up", "--yes", "--skip-preview")
    yield project
    if request.param == "postgres":
        request.getfixturevalue("pg").drop(table)


def addresses(sets: list[RecordSet]) -> dict[str, tuple[str, ...]]:
    return {s.fqdn: s.addresses for s in sets}


def test_a_targeted_up_changes_only_its_targets(small: Small, tmp_path: Path) -> None:
    client = small.client(tmp_path)
    sets = client.record_sets()
    assert addresses(sets) == {"shop.origin.example.com": ("203.0.113.11", "203.0.113.12"),
                               "api.origin.example.com": ("203.0.113.11", "203.0.113.12")}
    small.set(shop=["203.0.113.11"], api=["203.0.113.11"])
    shop = [s.urn for s in sets if s.fqdn.startswith("shop.")]
    result = client.up(shop, threading.Event())
    assert (result.ok, result.changes.get("update")) == (True, 1), result.detail
    assert addresses(client.record_sets()) == {"shop.origin.example.com": ("203.0.113.11",),
                                               "api.origin.example.com": ("203.0.113.11", "203.0.113.12")}


def test_a_run_that_finds_a_deploy_holding_the_lock_waits_then_goes_through(
        small: Small, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    client = small.client(tmp_path)
    small.set(pause="8", shop=["203.0.113.13"], api=["203.0.113.13"])
    deploy = subprocess.Popen(["pulumi", "up", "--yes", "--skip-preview", "--non-interactive"], cwd=small.dir,
                              env=small.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if small.locks():
                break
            threading.Event().wait(0.05)
        small.set(pause="0", shop=["203.0.113.14"])
        with caplog.at_level(logging.WARNING, logger="reconciler"):
            result = client.up(None, threading.Event())
    finally:
        assert deploy.wait(timeout=120) == 0  # the deploy ended normally: its lock was never broken
    assert result.ok, result.detail
    waits = [r.getMessage() for r in caplog.records if "is locked by another run" in r.getMessage()]
    assert waits, "the run never met the deploy's lock"
    assert addresses(client.record_sets())["shop.origin.example.com"] == ("203.0.113.14",)
    assert not small.locks()


def test_a_reconciler_killed_mid_run_leaves_the_run_to_finish_and_release_the_lock(small: Small,
                                                                                   tmp_path: Path) -> None:
    small.set(pause="6", shop=["203.0.113.15"])
    script = ("import threading, pathlib, sys; from reconciler.stack import StackClient; "
              "StackClient(pathlib.Path(sys.argv[1]), 'small', [], [], pathlib.Path(sys.argv[2])).up(None, "
              "threading.Event())")
    reconciler = subprocess.Popen([sys.executable, "-c", script, str(small.dir), str(tmp_path / "runs")], cwd=ROOT,
                                  env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(1200):
            if small.locks():
                break
            threading.Event().wait(0.05)
        assert small.locks(), "the run never took the lock"
    finally:
        reconciler.kill()  # SIGKILL, mid-run
        reconciler.wait(timeout=30)
    for _ in range(1200):
        if not small.locks():
            break
        threading.Event().wait(0.05)
    assert not small.locks(), "the killed reconciler's run left the lock"
    client = small.client(tmp_path)
    assert addresses(client.record_sets())["shop.origin.example.com"] == ("203.0.113.15",)
    deployment = json.loads(small.pulumi("stack", "export").stdout)["deployment"]
    assert not deployment.get("pending_operations")


def test_a_stack_that_does_not_exist_stops_the_reconciler_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    env = {**toolchain_env(), "PULUMI_BACKEND_URL": f"file://{tmp_path}", "PULUMI_CONFIG_PASSPHRASE": "x"}
    done = subprocess.run([sys.executable, "-m", "reconciler", "--stack", "nope", "--work-dir", str(tmp_path),
                           "--no-policy", "--once"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.endswith("reconciler ERROR cannot start on stack nope: StackNotFoundError: code: 6 stdout: stderr: "
                         "error: no stack named 'nope' found")
