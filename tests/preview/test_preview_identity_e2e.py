"""The preview's cluster identity may read and dry-run only (docs/previews.md, "Setting them up"): the
admission policy printed there, applied to the local control plane as it stands in the doc, refuses
every write of that identity that is not a dry run, and nothing of anyone else."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from tests.support.pulumi_cli import ROOT

pytestmark = pytest.mark.e2e
PREVIEWER = "system:serviceaccount:cdn-ingress-preview:preview"


def documented_policy() -> list[dict[str, Any]]:
    """The YAML block of docs/previews.md that holds the ValidatingAdmissionPolicy."""
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "previews.md").read_text(), re.S)
    text = next(b for b in blocks if "kind: ValidatingAdmissionPolicy" in b)
    return list(yaml.safe_load_all(re.sub(r"^ {3}", "", text, flags=re.M)))


@pytest.fixture(scope="module")
def policy(kube: Any) -> Iterator[list[dict[str, Any]]]:
    from kubernetes import client

    api = client.AdmissionregistrationV1Api(kube)
    docs = documented_policy()
    api.create_validating_admission_policy(docs[0])
    api.create_validating_admission_policy_binding(docs[1])
    yield docs
    api.delete_validating_admission_policy_binding(docs[1]["metadata"]["name"])
    api.delete_validating_admission_policy(docs[0]["metadata"]["name"])


def as_previewer(kube: Any, namespace: str) -> Any:
    """The core API as the preview's ServiceAccount, with a Role that lets it write ConfigMaps (the
    verbs a server-side dry run needs), so only the admission policy stands in the way."""
    from kubernetes import client

    rbac = client.RbacAuthorizationV1Api(kube)
    rbac.create_namespaced_role(namespace, {"metadata": {"name": "previewer"}, "rules": [
        {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "create", "patch", "update"]}]})
    rbac.create_namespaced_role_binding(namespace, {
        "metadata": {"name": "previewer"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                                       "name": "previewer"},
        "subjects": [{"kind": "User", "name": PREVIEWER, "apiGroup": "rbac.authorization.k8s.io"}]})
    impersonating = client.ApiClient(kube.configuration)
    impersonating.set_default_header("Impersonate-User", PREVIEWER)
    return client.CoreV1Api(impersonating)


def config_map(name: str) -> dict[str, Any]:
    return {"metadata": {"name": name}, "data": {"k": "v"}}


def refused(core: Any, admin: Any, namespace: str, name: str) -> str:
    """The refusal of a real write, waiting for the policy to take effect (it is compiled asynchronously);
    a write that got through meanwhile is removed by the admin."""
    from kubernetes.client.exceptions import ApiException

    deadline = time.monotonic() + 60
    while True:
        try:
            core.create_namespaced_config_map(namespace, config_map(name))
        except ApiException as exc:
            return f"{exc.status} {exc.body}"
        admin.delete_namespaced_config_map(name, namespace)
        assert time.monotonic() < deadline, "the admission policy never refused a real write of the previewer"
        time.sleep(1)


def test_the_previewer_dry_runs_and_reads_but_never_writes(kube: Any, namespace: str, policy: Any) -> None:
    from kubernetes import client

    previewer, admin = as_previewer(kube, namespace), client.CoreV1Api(kube)
    said = refused(previewer, admin, namespace, "written")
    assert said.startswith(("403", "422")) and "may only read and dry-run" in said, said
    dry = previewer.create_namespaced_config_map(namespace, config_map("dry"), dry_run="All")
    assert dry.metadata.name == "dry"
    names = [c.metadata.name for c in previewer.list_namespaced_config_map(namespace).items]
    assert "dry" not in names and "written" not in names
    assert admin.create_namespaced_config_map(namespace, config_map("by-admin")).metadata.name == "by-admin"
