"""The program's inputs under the real Pulumi CLI: a manifest error ends the run with the list of
problems alone; an inline kubeconfig, any Kubernetes kind and dual-stack origins go all the way up.

The tests run in file order on one stack of their own (see conftest.py).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import DOMAIN
from tests.support.emulator import Emulators
from tests.support.pulumi_cli import Project

pytestmark = pytest.mark.e2e

SERVICE = "pywai-inline-service"
SECRET_VALUE = "e2e-secret-value-5d1c0a"


def records(cloud: Emulators) -> set[tuple[str, str]]:
    return {(r["type"], r["data"]) for r in cloud.state("vultr")[DOMAIN] if r["name"] == SERVICE}


def test_manifest_error_ends_with_the_list_alone(project: Project) -> None:
    project.write_manifest("broken.yaml", [{"apiVersion": "v1", "kind": "ConfigMap",
                                           "metadata": {"name": "broken", "labels": {"tier": 1}}}])
    try:
        done = project.pulumi("preview", check=False)
    finally:
        project.remove_manifest("broken.yaml")
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "1 problem(s) in the manifests; nothing was changed" in output
    assert "manifests/broken.yaml: ConfigMap" in output
    assert "metadata.labels['tier']=1: values must be strings" in output
    assert "Traceback" not in output and "unhandled exception" not in output, output[-3000:]
    assert "exited with code" not in output, output[-3000:]  # the list is the whole story


def test_inline_kubeconfig_other_kinds_and_dual_stack_origins(project: Project, cloud: Emulators, kube: Any,
                                                               kubeconfig: str, namespace: str) -> None:
    project.env.pop("KUBECONFIG")  # the content in the stack config is all there is
    project.pulumi("config", "set", "--secret", "kubernetes:kubeconfig", stdin=Path(kubeconfig).read_text())
    project.pulumi("config", "set", "--path", "cdn-ingress:originAddresses[0]", "203.0.113.21")
    project.pulumi("config", "set", "--path", "cdn-ingress:originAddresses[1]", "2001:db8::21")
    project.write_manifest("extra.yaml", [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"mode": "fast"}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"}, "stringData": {"password": SECRET_VALUE}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"},
         "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]},
    ])
    project.pulumi("up", "--yes", "--skip-preview")

    assert records(cloud) == {("A", "203.0.113.21"), ("AAAA", "2001:db8::21")}
    from kubernetes import client

    core = client.CoreV1Api(kube)
    assert core.read_namespaced_config_map("settings", namespace).data == {"mode": "fast"}
    secret = core.read_namespaced_secret("creds", namespace).data
    assert base64.b64decode(secret["password"]).decode() == SECRET_VALUE
    assert client.RbacAuthorizationV1Api(kube).read_namespaced_role("reader", namespace).rules[0].verbs == ["get"]
    status = client.NetworkingV1Api(kube).read_namespaced_ingress_status("external-pywai-inline-ingress", namespace)
    assert status.status.load_balancer.ingress
    exported = project.export()
    encoded = base64.b64encode(SECRET_VALUE.encode()).decode()
    for text in (exported, project.log.read_text()):
        assert SECRET_VALUE not in text and encoded not in text
    project.pulumi("preview", "--expect-no-changes")


def test_destroy(project: Project, cloud: Emulators) -> None:
    project.pulumi("destroy", "--yes")
    assert records(cloud) == set()
