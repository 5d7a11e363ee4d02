"""Many stacks of one project under the real CLI: each with its own namespace, origin name and CDN
paths (its own copy of the manifests), runs started side by side, and the check that the vendors
hold exactly what each stack declared and its state records: 0 lost, 0 duplicated."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import Any

import yaml

from tests.e2e.conftest import DOMAIN, SHORTNAME, stack_config
from tests.support.emulator import Emulators
from tests.support.pulumi_cli import ROOT, Project

HOST = "cstradtman.s.llnwi.net"
NODE_IPS = {"203.0.113.11", "203.0.113.12", "203.0.113.13"}
PATHS = ("/bob", "/mark/and/fred/")


def service(stack: str) -> str:
    return f"{stack}-pywai-service"


def paths(stack: str) -> set[str]:
    return {f"/{stack}{path}" for path in PATHS}


def write_stack_manifests(project: Project, stack: str, namespace: str) -> str:
    """The repository's manifests renamed for one stack (``pywai-inline`` -> ``<stack>-pywai``,
    paths under ``/<stack>``) in its namespace; returns the directory for manifestsPath."""
    target = project.dir / f"manifests-{stack}"
    target.mkdir()
    for path in sorted((ROOT / "manifests").glob("*.yaml")):
        docs = list(yaml.safe_load_all(path.read_text().replace("pywai-inline", f"{stack}-pywai")))
        for doc in docs:
            doc["metadata"]["namespace"] = namespace
            for rule in doc["spec"].get("rules", []) if doc["kind"] == "Ingress" else []:
                for route in rule["http"]["paths"]:
                    route["path"] = f"/{stack}{route['path']}"
        (target / path.name).write_text(yaml.safe_dump_all(docs, sort_keys=False))
    return target.name


def add_policy(project: Project, stack: str) -> None:
    """The policy pack and the local stack's policy config for this stack: `fleet` runs every stack with
    them (docs/policy.md)."""
    if not (project.dir / "policy").exists():
        shutil.copytree(ROOT / "policy", project.dir / "policy", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "stacks" / "policy.local.json", project.dir / "stacks" / f"policy.{stack}.json")


def init_stack(project: Project, stack: str, namespace: str, cloud: Emulators, creds: dict[str, str]) -> None:
    manifests = write_stack_manifests(project, stack, namespace)
    add_policy(project, stack)
    project.init_stack(stack, *stack_config(cloud, creds, **{"cdn-ingress:manifestsPath": manifests}))
    # Static origin addresses: other tests on the shared cluster take nodes out of service.
    for i, address in enumerate(sorted(NODE_IPS)):
        project.pulumi("config", "set", "--path", "--stack", stack, f"cdn-ingress:originAddresses[{i}]", address)


# -- runs side by side -------------------------------------------------------------------------
@dataclass(frozen=True)
class Finished:
    code: int
    out: str
    seconds: float


class Started:
    """A CLI command running in the background (its own process group, so a kill takes it all);
    a thread notes the moment it exits, so runs waited for one after the other are timed right."""

    def __init__(self, project: Project, *args: str) -> None:
        self.project, self.args = project, [*args, "--non-interactive"]
        self.output = project.dir / f"run-{time.monotonic_ns()}.out"
        self.began, self.ended = time.monotonic(), 0.0
        with self.output.open("w") as out:
            self.proc = subprocess.Popen(["pulumi", *self.args], cwd=project.dir, env=project.env, text=True,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self._reaper = threading.Thread(target=self._reap, daemon=True)
        self._reaper.start()

    def _reap(self) -> None:
        self.proc.wait()
        self.ended = time.monotonic()

    def running(self) -> bool:
        return self.proc.poll() is None

    def wait(self, timeout: float = 900) -> Finished:
        self._reaper.join(timeout)
        if self._reaper.is_alive():
            raise AssertionError(f"pulumi {' '.join(self.args)} still runs after {timeout}s")
        out = self.output.read_text()
        self.project._record(self.args, out, "", self.proc.returncode)
        return Finished(self.proc.returncode, out, self.ended - self.began)


def wait_until(what: str, check: Any, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


# -- state against the vendors -----------------------------------------------------------------
def state_resources(project: Project, stack: str) -> list[dict[str, Any]]:
    exported = json.loads(project.pulumi("stack", "export", "--stack", stack).stdout)
    return list(exported["deployment"].get("resources") or [])


def of_type(resources: list[dict[str, Any]], suffix: str) -> list[dict[str, Any]]:
    return [r for r in resources if r["type"].endswith(suffix)]


def assert_exactly_declared(project: Project, stack: str, cloud: Emulators) -> None:
    """The stack's origin name holds one A record per node and one marker, each id the one its
    state records; its paths have one rule each, the uuid its state records; nothing else of it."""
    resources = state_resources(project, stack)
    [record_set] = of_type(resources, "vultr:DnsRecordSet")
    outputs = record_set["outputs"]
    zone = cloud.state("vultr")[DOMAIN]
    live = {r["id"]: r["data"] for r in zone if r["name"] == service(stack) and r["type"] == "A"}
    assert sorted(live.values()) == sorted(NODE_IPS), f"{stack}: A records {sorted(live.values())}"
    assert live == {v: k for k, v in outputs["record_ids"].items()}, f"{stack}: records in state != live ones"
    markers = [r["id"] for r in zone if r["name"] == f"_cdn-ingress.{service(stack)}"]
    assert markers == [outputs["marker_id"]], f"{stack}: ownership markers {markers}"

    ours = [r for r in cloud.state("edgio")["rules"]
            if r.get("shortname") == SHORTNAME and r["body"]["publishedUrlPath"].startswith(f"/{stack}/")]
    by_path = {r["body"]["publishedUrlPath"]: r["uuid"] for r in ours}
    assert len(by_path) == len(ours), f"{stack}: a duplicated rule {sorted(r['uuid'] for r in ours)}"
    assert set(by_path) == paths(stack), f"{stack}: rules for {sorted(by_path)}"
    in_state = {r["outputs"]["uuid"] for r in of_type(resources, "edgio:DeliveryRule")}
    assert set(by_path.values()) == in_state, f"{stack}: rules in state != live ones"


def lock_message(text: str) -> bool:
    return "the stack is currently locked by 1 lock(s)" in text and "pulumi cancel" in text
