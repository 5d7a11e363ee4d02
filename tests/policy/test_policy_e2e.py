"""The pack under the real CLI: `pulumi preview --policy-pack policy/` (started through the language
host's RunPlugin) passes on a clean stack and fails on a violating change with the policy's message,
at the level each environment's policy config gives it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import stack_config
from tests.support.emulator import Emulators
from tests.support.pulumi_cli import ROOT, Project

pytestmark = pytest.mark.e2e

PACK = ROOT / "policy"
HOST = "cstradtman.s.llnwi.net"
LABELS = {"app.kubernetes.io/name": "pywai", "app.kubernetes.io/part-of": "cdn-ingress"}
HTTP_RULE = f"DeliveryRule '{HOST}/mark/and/fred/' published_protocols=['http', 'https']"


def clean(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The demo's objects with the app labels, published over https only."""
    for doc in docs:
        metadata = doc.setdefault("metadata", {})
        metadata["labels"] = {**(metadata.get("labels") or {}), **LABELS}
        (metadata.get("annotations") or {}).pop("cdn-ingress.io/published-protocols", None)
    return docs


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, kubeconfig: str, namespace: str, cloud: Emulators,
            creds: dict[str, str]) -> Project:
    proj = Project(tmp_path_factory.mktemp("project"), kubeconfig=kubeconfig, namespace=namespace)
    for path in sorted((ROOT / "manifests").glob("*.yaml")):
        proj.write_manifest(path.name, clean(proj.read_manifest(path.name)))
    proj.init_stack("prod", *stack_config(cloud, creds))
    return proj


def config(project: Project, stack: str, **changes: Any) -> Path:
    """The stack's policy config file from stacks/, with ``changes`` merged into its policies."""
    settings = json.loads((ROOT / "stacks" / f"policy.{stack}.json").read_text())
    for name, change in changes.items():
        current = settings.get(name, {})
        settings[name] = {**({"enforcementLevel": current} if isinstance(current, str) else current), **change}
    path = project.dir / f"policy.{stack}.{len(list(project.dir.glob('policy.*.json')))}.json"
    path.write_text(json.dumps(settings))
    return path


def preview(project: Project, config_file: Path) -> subprocess.CompletedProcess[str]:
    return project.pulumi("preview", "--policy-pack", str(PACK), "--policy-pack-config", str(config_file),
                          check=False)


# `protected` waits for the program's cdn-ingress:protect; the policy's own failing case is below.
UNPROTECTED_PROD = {"protected-in-protected-stacks": {"protected": False}}


def test_clean_stack_passes_prod_policies(project: Project) -> None:
    done = preview(project, config(project, "prod", **UNPROTECTED_PROD))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cdn-ingress@v1.0.0" in done.stdout  # the pack ran
    assert "[mandatory]" not in done.stdout and "[advisory]" not in done.stdout


def test_http_rule_fails_prod_with_the_policy_message(project: Project) -> None:
    docs = project.read_manifest("pywai-ingress2.yaml")
    docs[0]["metadata"].setdefault("annotations", {})["cdn-ingress.io/published-protocols"] = "http,https"
    project.write_manifest("pywai-ingress2.yaml", docs)
    done = preview(project, config(project, "prod", **UNPROTECTED_PROD))
    assert done.returncode != 0
    assert "[mandatory]  cdn-https-only" in done.stdout
    assert f"{HTTP_RULE}: this stack publishes https only" in done.stdout


def test_same_change_is_advisory_in_local(project: Project) -> None:
    done = preview(project, config(project, "local"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[advisory]  cdn-https-only" in done.stdout and HTTP_RULE in done.stdout


def test_protected_stack_requires_protect_on_records_and_rules(project: Project) -> None:
    done = preview(project, config(project, "prod"))
    assert done.returncode != 0
    assert f"DnsRecordSet '{project.namespace}/pywai-inline-service' protect=False" in done.stdout
    assert f"DeliveryRule '{HOST}/bob' protect=False" in done.stdout


def test_stack_policy_runs_under_the_cli(project: Project) -> None:
    done = preview(project, config(project, "local", **{"route-ceiling": {"maxRoutes": 1}}))
    assert done.returncode != 0
    assert "[mandatory]  route-ceiling" in done.stdout
    assert "stack routes=2: 2 DeliveryRules (CDN routes), over the ceiling by 1" in done.stdout
