"""GatewayApiStatus against a Kubernetes API server on 127.0.0.1:0: an HTTPRoute's status.parents
entries of our controller are written beside other controllers' and removed on delete; a
Gateway's addresses are its published hosts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cdn_ingress.route_status import GatewayApiStatusProvider
from cdn_ingress.sources.ingress_class import CONTROLLER
from tests.program.kube_api import kube_api

OTHER = {"parentRef": {"name": "mesh"}, "controllerName": "example.com/mesh", "conditions": []}
OURS = {"parents": [{"parentRef": {"name": "edge"}, "conditions": [
    {"type": "Accepted", "status": "True", "reason": "Accepted", "message": "published on the CDN"}]}]}


def provider(tmp_path: Path, kubeconfig: str) -> GatewayApiStatusProvider:
    path = tmp_path / "kubeconfig"
    path.write_text(kubeconfig)
    found = GatewayApiStatusProvider()
    found._kubeconfig = str(path)
    return found


def props(plural: str, status: dict[str, Any]) -> dict[str, Any]:
    return {"plural": plural, "namespace": "default", "name": "web", "status": status}


def test_route_parents_written_beside_other_controllers_and_removed_on_delete(tmp_path: Path) -> None:
    with kube_api({}) as server:
        server.custom[("default", "httproutes", "web")] = {"parents": [OTHER]}
        status = provider(tmp_path, server.kubeconfig("t0ken-route"))
        status.create(props("httproutes", OURS))
        parents = server.custom[("default", "httproutes", "web")]["parents"]
        assert [p["controllerName"] for p in parents] == ["example.com/mesh", CONTROLLER]
        assert parents[1]["conditions"][0]["lastTransitionTime"].endswith("Z")
        status.delete("httproutes/default/web", props("httproutes", OURS))
        assert server.custom[("default", "httproutes", "web")]["parents"] == [OTHER]


def test_gateway_addresses_are_the_published_hosts(tmp_path: Path) -> None:
    with kube_api({}) as server:
        server.custom[("default", "gateways", "web")] = {}
        ours = {"addresses": [{"type": "Hostname", "value": "shop.example.com"}], "conditions": []}
        provider(tmp_path, server.kubeconfig("t0ken-gw")).create(props("gateways", ours))
        assert server.custom[("default", "gateways", "web")]["addresses"] == ours["addresses"]
