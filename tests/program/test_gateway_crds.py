"""tools/gateway_crds.py: the standard-channel CRDs of the pinned module are created, or updated in
place keeping their resourceVersion; admission policies in the same folder are not applied."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import yaml
from kubernetes.client.rest import ApiException

ROOT = Path(__file__).resolve().parents[2]


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gateway_crds", ROOT / "tools" / "gateway_crds.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def crd(name: str) -> dict[str, Any]:
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": name}}


class Apiextensions:
    """The three calls the tool makes, over a dict: what a cluster holds."""

    def __init__(self, live: dict[str, dict[str, Any]]) -> None:
        self.live = live
        self.calls: list[str] = []

    def read_custom_resource_definition(self, name: str) -> Any:
        if name not in self.live:
            raise ApiException(status=404, reason="Not Found")
        return SimpleNamespace(metadata=SimpleNamespace(resource_version=self.live[name]["metadata"]["rv"]))

    def create_custom_resource_definition(self, body: dict[str, Any]) -> None:
        self.calls.append(f"create {body['metadata']['name']}")

    def replace_custom_resource_definition(self, name: str, body: dict[str, Any]) -> None:
        self.calls.append(f"replace {name} at {body['metadata']['resourceVersion']}")


def test_only_crds_of_the_standard_folder(tmp_path: Path) -> None:
    folder = tmp_path / "config" / "crd" / "standard"
    folder.mkdir(parents=True)
    (folder / "a_httproutes.yaml").write_text(yaml.safe_dump(crd("httproutes.gateway.networking.k8s.io")))
    (folder / "b_vap.yaml").write_text(yaml.safe_dump_all([{"kind": "ValidatingAdmissionPolicy"},
                                                           {"kind": "ValidatingAdmissionPolicyBinding"}]))
    assert [c["metadata"]["name"] for c in tool().crds(tmp_path)] == ["httproutes.gateway.networking.k8s.io"]


def test_created_when_missing_replaced_at_its_version_when_present() -> None:
    api = Apiextensions({"gateways.gateway.networking.k8s.io": {"metadata": {"rv": "41"}}})
    gateway_crds = tool()
    gateway_crds.apply(api, crd("httproutes.gateway.networking.k8s.io"))
    gateway_crds.apply(api, crd("gateways.gateway.networking.k8s.io"))
    assert api.calls == ["create httproutes.gateway.networking.k8s.io",
                         "replace gateways.gateway.networking.k8s.io at 41"]
