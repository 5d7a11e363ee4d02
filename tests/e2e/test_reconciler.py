"""The reconciler under the real CLI, on the local cluster and the emulators: a node NotReady leaves
DNS and comes back when Ready; a deploy holding the lock delays the change without losing it; a
reconciler killed mid-run is repaired by its next pass; the in-cluster manifests pass a server-side
dry run. The tests run in file order on one stack; each restores the nodes it changed.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_lifecycle import NODE_IPS, _set_node_ready, forget_calls, records, writes
from tests.reconciler.test_deploy import docs
from tests.support.emulator import Emulators
from tests.support.pulumi_cli import ROOT, Project

pytestmark = pytest.mark.e2e
ALL = set(NODE_IPS.values())


def wait_until(what: str, check: Callable[[], bool], timeout: float = 120.0) -> float:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout:.0f}s: {what}")
        time.sleep(0.25)
    return time.monotonic() - started


class Running:
    """``python -m reconciler`` on the test's stack, its log in the project directory."""

    def __init__(self, project: Project, *extra: str) -> None:
        self.log = project.dir / f"reconciler-{secrets.token_hex(3)}.log"
        args = [sys.executable, "-m", "reconciler", "--stack", "e2e", "--work-dir", str(project.dir),
                "--debounce", "1", "--hold-down", "5", "--full-every", "0", "--metrics-port", "0",
                "--policy-pack", str(ROOT / "policy"), "--policy-pack-config", str(ROOT / "stacks/policy.local.json"),
                "--log-dir", str(project.dir / "runs"), *extra]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(args, cwd=ROOT, env=project.env, stdout=out, stderr=out,
                                         stdin=subprocess.DEVNULL)

    def text(self) -> str:
        return self.log.read_text()

    def wait_for(self, line: str, timeout: float = 120.0) -> None:
        wait_until(f"reconciler log line {line!r}:\n{self.text()[-3000:]}", lambda: line in self.text(), timeout)

    def stop(self, timeout: float = 120.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)


@pytest.fixture(scope="module")
def deployed(project: Project, cloud: Emulators, kubeconfig: str) -> Iterator[Project]:
    project.pulumi("up", "--yes", "--skip-preview")
    assert records(cloud) == ALL
    yield project
    ensure_nodes(kubeconfig)


def ensure_nodes(kubeconfig: str) -> None:
    subprocess.run([str(ROOT / "venv" / "bin" / "python"), str(ROOT / "tools" / "nodes.py"),
                    "--kubeconfig", kubeconfig, "ensure"], check=True, timeout=120)


def locks(project: Project) -> list[Path]:
    return list((project.dir / "state" / ".pulumi" / "locks").rglob("*.json"))


def test_a_not_ready_node_leaves_dns_and_comes_back_when_ready(deployed: Project, cloud: Emulators, kube: Any,
                                                               kubeconfig: str) -> None:
    reconciler = Running(deployed)
    try:
        reconciler.wait_for("no change: DNS already holds")
        forget_calls(cloud)
        _set_node_ready(kube, "node-3", False)
        wait_until("node-3's address out of DNS", lambda: records(cloud) == ALL - {NODE_IPS["node-3"]})
        assert writes(cloud, "edgio") == []
        assert sorted(m for m, _ in writes(cloud, "vultr")) in (["DELETE"], ["DELETE", "PATCH"])  # record, marker
        _set_node_ready(kube, "node-3", True)
        ensure_nodes(kubeconfig)
        wait_until("node-3's address back in DNS", lambda: records(cloud) == ALL)
        assert "targeted up done" in reconciler.text()
    finally:
        assert reconciler.stop() == 0, reconciler.text()[-3000:]
    assert reconciler.text().rstrip().endswith("stopped")
    assert locks(deployed) == []


def test_a_deploy_holding_the_lock_delays_the_change_but_does_not_lose_it(deployed: Project, cloud: Emulators,
                                                                         kube: Any, kubeconfig: str) -> None:
    reconciler = Running(deployed)
    deploy = None
    try:
        reconciler.wait_for("no change: DNS already holds")
        for vendor in ("vultr", "edgio"):  # a slow deploy: it holds the lock for tens of seconds
            cloud.faults(vendor, latency_ms=4000)
        deploy = subprocess.Popen(["pulumi", "refresh", "--yes", "--non-interactive"], cwd=deployed.dir,
                                  env=deployed.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until("the deploy's lock", lambda: bool(locks(deployed)), timeout=60)
        _set_node_ready(kube, "node-2", False)
        reconciler.wait_for("is locked by another run", timeout=60)
        assert records(cloud) == ALL  # nothing written while the deploy runs
        assert deploy.wait(timeout=300) == 0  # its lock was waited out, never broken
        for vendor in ("vultr", "edgio"):
            cloud.faults(vendor, latency_ms=0)
        wait_until("node-2's address out of DNS after the deploy", lambda: records(cloud) == ALL - {NODE_IPS["node-2"]})
    finally:
        for vendor in ("vultr", "edgio"):
            cloud.faults(vendor, latency_ms=0)
        if deploy is not None and deploy.poll() is None:
            deploy.wait(timeout=300)
        _set_node_ready(kube, "node-2", True)
        ensure_nodes(kubeconfig)
    wait_until("node-2's address back", lambda: records(cloud) == ALL)
    assert reconciler.stop() == 0


def test_a_reconciler_killed_mid_run_is_repaired_by_its_next_pass(deployed: Project, cloud: Emulators, kube: Any,
                                                                  kubeconfig: str) -> None:
    first = Running(deployed)
    try:
        first.wait_for("no change: DNS already holds")
        cloud.faults("vultr", latency_ms=3000)  # the run is still writing when the reconciler dies
        _set_node_ready(kube, "node-1", False)
        first.wait_for("targeted up: ")
        time.sleep(2)
        os.kill(first.proc.pid, signal.SIGKILL)
        first.proc.wait(timeout=30)
        _set_node_ready(kube, "node-1", True)  # the cluster moves on while no reconciler runs
        ensure_nodes(kubeconfig)
    finally:
        cloud.faults("vultr", latency_ms=0)
    second = Running(deployed)
    try:
        wait_until("all addresses in DNS again", lambda: records(cloud) == ALL, timeout=300)
        wait_until("the killed run's lock released", lambda: locks(deployed) == [], timeout=120)
        wait_until("the next pass", lambda: "up done" in second.text() or "no change" in second.text())
        a_records = [r for r in cloud.state("vultr")["origin.example.com"] if r["type"] == "A"]
        assert sorted(r["data"] for r in a_records) == sorted(ALL)  # no duplicate, no orphan
    finally:
        assert second.stop() == 0
    check = deployed.pulumi("preview", "--expect-no-changes", check=False)
    assert check.returncode == 0, check.stdout[-3000:]


def test_the_in_cluster_manifests_pass_a_server_side_dry_run(kube: Any) -> None:
    from kubernetes import client

    core, rbac, apps = client.CoreV1Api(kube), client.RbacAuthorizationV1Api(kube), client.AppsV1Api(kube)
    namespace = f"e2e-reconciler-{secrets.token_hex(3)}"
    core.create_namespace({"metadata": {"name": namespace}})
    create: dict[str, Callable[[dict[str, Any]], Any]] = {
        "Namespace": lambda d: core.create_namespace(d, dry_run="All"),
        "ServiceAccount": lambda d: core.create_namespaced_service_account(namespace, d, dry_run="All"),
        "ClusterRole": lambda d: rbac.create_cluster_role(d, dry_run="All"),
        "ClusterRoleBinding": lambda d: rbac.create_cluster_role_binding(d, dry_run="All"),
        "Deployment": lambda d: apps.create_namespaced_deployment(namespace, d, dry_run="All"),
    }
    try:
        for doc in docs():
            if doc["kind"] != "Namespace":
                doc["metadata"].pop("namespace", None)
            for subject in doc.get("subjects", []):
                subject["namespace"] = namespace
            assert create[doc["kind"]](doc).metadata.name == doc["metadata"]["name"]
    finally:
        core.delete_namespace(namespace)
