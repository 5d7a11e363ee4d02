"""HTTPRoutes under the real Pulumi CLI, on the local cluster with the Gateway API CRDs
(tools/cluster.sh): a route added, changed (path, backend port, filter), detached from its
Gateway and deleted, each with the CDN rules and the route's status read back; then an Ingress
path moved to an HTTPRoute for the same host + path, which is one rule updated in place.

The tests run in file order on one stack, as test_lifecycle.py does; the last one destroys it,
so the cluster-scoped GatewayClass does not outlive the run.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.e2e.conftest import DOMAIN, SHORTNAME
from tests.support.emulator import Emulators
from tests.support.pulumi_cli import Project

pytestmark = pytest.mark.e2e

HOST = "cstradtman.s.llnwi.net"
SERVICE = "pywai-inline-service"
V1 = "gateway.networking.k8s.io/v1"
NODE_IPS = {"203.0.113.11", "203.0.113.12", "203.0.113.13"}  # the Ready ones: other runs may share the cluster
GATEWAY_API = [
    {"apiVersion": V1, "kind": "GatewayClass", "metadata": {"name": "cdn-e2e"},
     "spec": {"controllerName": "cdn-ingress.io/edgio"}},
    {"apiVersion": V1, "kind": "Gateway", "metadata": {"name": "edge"},
     "spec": {"gatewayClassName": "cdn-e2e",
              "listeners": [{"name": "https", "protocol": "HTTPS", "port": 443, "hostname": HOST}]}},
]


def route(path: str, *, port: int = 8000, filters: list[dict[str, Any]] | None = None,
          section: str | None = None) -> dict[str, Any]:
    parent: dict[str, Any] = {"name": "edge"}
    if section is not None:
        parent["sectionName"] = section
    rule: dict[str, Any] = {"matches": [{"path": {"type": "PathPrefix", "value": path}}],
                            "backendRefs": [{"name": SERVICE, "port": port}]}
    if filters:
        rule["filters"] = filters
    return {"apiVersion": V1, "kind": "HTTPRoute", "metadata": {"name": "web"},
            "spec": {"parentRefs": [parent], "rules": [rule]}}


def rules(cloud: Emulators) -> dict[str, dict[str, Any]]:
    return {r["body"]["publishedUrlPath"]: r for r in cloud.state("edgio")["rules"]
            if r.get("shortname") == SHORTNAME and r["body"]["publishedHostname"] == HOST}


def origin_records(cloud: Emulators) -> set[str]:
    return {r["data"] for r in cloud.state("vultr")[DOMAIN] if r["name"] == SERVICE and r["type"] == "A"}


def route_status(kube: Any, namespace: str) -> dict[str, Any]:
    from kubernetes import client

    found: dict[str, Any] = client.CustomObjectsApi(kube).get_namespaced_custom_object_status(
        "gateway.networking.k8s.io", "v1", namespace, "httproutes", "web")
    return found.get("status") or {}


def accepted(kube: Any, namespace: str) -> tuple[str, str]:
    parents = route_status(kube, namespace).get("parents") or []
    ours = [p for p in parents if p.get("controllerName") == "cdn-ingress.io/edgio"]
    condition = next(c for c in ours[0]["conditions"] if c["type"] == "Accepted")
    return condition["status"], condition["reason"]


def test_route_added(project: Project, cloud: Emulators, kube: Any, namespace: str) -> None:
    project.write_manifest("gateway.yaml", copy.deepcopy(GATEWAY_API))
    project.write_manifest("route.yaml", [route("/gw")])
    project.pulumi("up", "--yes", "--skip-preview")
    live = rules(cloud)
    assert live["/gw"]["body"]["sourceUrlPath"] == "/gw"
    assert live["/gw"]["body"]["sourceHostname"] == f"{SERVICE}.{DOMAIN}"
    assert {"/bob", "/mark/and/fred/"} <= set(live)
    assert origin_records(cloud) and origin_records(cloud) <= NODE_IPS
    assert accepted(kube, namespace) == ("True", "Accepted")
    from kubernetes import client

    gateway = client.CustomObjectsApi(kube).get_namespaced_custom_object_status(
        "gateway.networking.k8s.io", "v1", namespace, "gateways", "edge")
    assert gateway["status"]["addresses"] == [{"type": "Hostname", "value": HOST}]


def test_route_changed_path_port_and_filter(project: Project, cloud: Emulators, kube: Any, namespace: str) -> None:
    header = [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "X-Via", "value": "gw"}]}}]
    project.write_manifest("route.yaml", [route("/gw2", filters=header)])
    preview = project.pulumi("preview", "--diff")
    assert "/gw2" in preview.stdout
    project.pulumi("up", "--yes", "--skip-preview")
    live = rules(cloud)
    assert "/gw" not in live and live["/gw2"]["body"]["sourceUrlPath"] == "/gw2"
    options = [o for s in live["/gw2"]["body"]["protocolSets"] for o in s.get("options", [])]
    assert {"name": "req_send_header", "parameters": ["X-Via", "gw"]} in options
    assert accepted(kube, namespace) == ("True", "Accepted")


def test_route_detached_from_its_gateway(project: Project, cloud: Emulators, kube: Any, namespace: str) -> None:
    project.write_manifest("route.yaml", [route("/gw2", section="nope")])
    project.pulumi("up", "--yes", "--skip-preview")
    assert "/gw2" not in rules(cloud)
    assert accepted(kube, namespace) == ("False", "NoMatchingParent")


def test_route_deleted(project: Project, cloud: Emulators) -> None:
    project.remove_manifest("route.yaml")
    project.pulumi("up", "--yes", "--skip-preview")
    assert not {"/gw", "/gw2"} & set(rules(cloud))
    assert {"/bob", "/mark/and/fred/"} <= set(rules(cloud))
    assert origin_records(cloud) and origin_records(cloud) <= NODE_IPS  # the Ingresses still use the origin


def test_ingress_path_moved_to_an_httproute_is_one_rule_updated(project: Project, cloud: Emulators) -> None:
    before = rules(cloud)["/bob"]
    project.remove_manifest("pywai-ingress.yaml")
    project.write_manifest("route.yaml", [route("/bob")])
    preview = project.pulumi("preview", "--diff")
    assert "replace" not in preview.stdout.split("Resources:")[-1]
    project.pulumi("up", "--yes", "--skip-preview")
    after = rules(cloud)["/bob"]
    assert after["uuid"] == before["uuid"]


def test_destroy_removes_the_rules_and_the_gateway_class(project: Project, cloud: Emulators, kube: Any) -> None:
    project.pulumi("destroy", "--yes")
    assert rules(cloud) == {}
    from kubernetes import client

    names = [c["metadata"]["name"] for c in client.CustomObjectsApi(kube).list_cluster_custom_object(
        "gateway.networking.k8s.io", "v1", "gatewayclasses")["items"]]
    assert "cdn-e2e" not in names
