"""Any kind in the manifests is declared as it is written, in dependency order (Namespaces and
CRDs before what lives in them), and a Secret's data is a Pulumi secret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pulumi.runtime import rpc

from tests.program.manifests_kit import shipped, write
from tests.program.mocks_kit import Recorder, run_program

NS = "kubernetes:core/v1:Namespace"
CRD = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition"
WIDGET = "kubernetes:example.com/v1:Widget"
GADGET = "kubernetes:example.com/v1:Gadget"


def obj(api_version: str, kind: str, name: str, namespace: str | None = None, **fields: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, **fields}


def crd(kind: str, scope: str) -> dict[str, Any]:
    plural = kind.lower() + "s"
    return obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", f"{plural}.example.com", spec={
        "group": "example.com", "scope": scope,
        "names": {"kind": kind, "plural": plural, "singular": kind.lower()},
        "versions": [{"name": "v1", "served": True, "storage": True,
                      "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}],
    })


EXTRA = {
    "zz-app.yaml": [  # later in path order than the Namespace and CRDs' file on purpose
        obj("v1", "ConfigMap", "settings", "shop", data={"mode": "fast"}, binaryData={"blob": "aGk="}),
        obj("v1", "Secret", "creds", "shop", type="Opaque", stringData={"password": "s3cret-value"},
            data={"token": "dG9rZW4="}),
        obj("rbac.authorization.k8s.io/v1", "Role", "reader", "shop",
            rules=[{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]),
        obj("rbac.authorization.k8s.io/v1", "RoleBinding", "reader", "shop",
            roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
            subjects=[{"kind": "ServiceAccount", "name": "default", "namespace": "shop"}]),
        obj("rbac.authorization.k8s.io/v1", "ClusterRole", "node-reader",
            rules=[{"apiGroups": [""], "resources": ["nodes"], "verbs": ["list"]}]),
        obj("example.com/v1", "Widget", "w1", "shop", spec={"size": 3}),
        obj("example.com/v1", "Gadget", "g1", spec={"color": "red"}),
    ],
    "aa-base.yaml": [obj("v1", "Namespace", "shop"), crd("Widget", "Namespaced"), crd("Gadget", "Cluster")],
}


def run_with_extra(tmp_path: Path) -> Recorder:
    return run_program(write(tmp_path / "m", {**shipped(), **EXTRA})).mocks


def inputs(mocks: Recorder, typ: str, name: str) -> dict[str, Any]:
    (found,) = [r for r in mocks.registered if r.typ == typ and r.name == name]
    return dict(found.inputs)


def test_every_kind_is_declared_with_its_fields(tmp_path: Path) -> None:
    mocks = run_with_extra(tmp_path)
    config_map = inputs(mocks, "kubernetes:core/v1:ConfigMap", "shop/settings")
    assert config_map["data"] == {"mode": "fast"} and config_map["binaryData"] == {"blob": "aGk="}
    role = inputs(mocks, "kubernetes:rbac.authorization.k8s.io/v1:Role", "shop/reader")
    assert role["rules"][0]["verbs"] == ["get"]
    binding = inputs(mocks, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "shop/reader")
    assert binding["roleRef"]["name"] == "reader" and binding["subjects"][0]["kind"] == "ServiceAccount"
    assert inputs(mocks, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "node-reader")["rules"]
    assert inputs(mocks, WIDGET, "shop/w1")["spec"] == {"size": 3}
    assert inputs(mocks, NS, "shop")["metadata"] == {"name": "shop"}


def test_namespaced_objects_get_their_namespace_and_cluster_objects_none(tmp_path: Path) -> None:
    mocks = run_with_extra(tmp_path)
    assert inputs(mocks, WIDGET, "shop/w1")["metadata"]["namespace"] == "shop"
    assert "namespace" not in inputs(mocks, GADGET, "g1")["metadata"]
    assert "namespace" not in inputs(mocks, CRD, "widgets.example.com")["metadata"]


def test_objects_without_a_namespace_go_to_default(tmp_path: Path) -> None:
    mocks = run_with_extra(tmp_path)
    for typ, name in [("kubernetes:apps/v1:Deployment", "default/pywai-inline-deployment"),
                      ("kubernetes:core/v1:Service", "default/pywai-inline-service"),
                      ("kubernetes:networking.k8s.io/v1:Ingress", "default/external-pywai-inline-ingress")]:
        assert inputs(mocks, typ, name)["metadata"]["namespace"] == "default", typ


def test_secret_data_is_a_pulumi_secret(tmp_path: Path) -> None:
    mocks = run_with_extra(tmp_path)
    secret = inputs(mocks, "kubernetes:core/v1:Secret", "shop/creds")
    for key in ("stringData", "data"):
        assert rpc.is_rpc_secret(secret[key]), key
    assert secret["type"] == "Opaque"
    assert mocks.secret_outputs[("kubernetes:core/v1:Secret", "shop/creds")] == ["data", "stringData"]


def test_namespaces_and_crds_come_first(tmp_path: Path) -> None:
    mocks = run_with_extra(tmp_path)
    ns_urn = "urn:pulumi:test::cdn-ingress::cdn-ingress:index:CdnIngressApp$kubernetes:core/v1:Namespace::shop"
    widget_crd = f"urn:pulumi:test::cdn-ingress::cdn-ingress:index:CdnIngressApp${CRD}::widgets.example.com"
    gadget_crd = f"urn:pulumi:test::cdn-ingress::cdn-ingress:index:CdnIngressApp${CRD}::gadgets.example.com"
    deps = mocks.dependencies
    assert deps[(WIDGET, "shop/w1")] == sorted([ns_urn, widget_crd])
    assert deps[(GADGET, "g1")] == [gadget_crd]
    assert deps[("kubernetes:core/v1:ConfigMap", "shop/settings")] == [ns_urn]
    assert deps[(NS, "shop")] == [] and deps[(CRD, "widgets.example.com")] == []
    order = [(r.typ, r.name) for r in mocks.registered]
    assert order.index((WIDGET, "shop/w1")) > max(order.index((NS, "shop")), order.index((CRD, "widgets.example.com")))


def test_objects_of_undeclared_namespaces_have_no_dependency(tmp_path: Path) -> None:
    files = {**shipped(), "cm.yaml": [obj("v1", "ConfigMap", "c", "elsewhere")]}
    mocks = run_program(write(tmp_path / "m", files)).mocks
    assert mocks.dependencies[("kubernetes:core/v1:ConfigMap", "elsewhere/c")] == []
