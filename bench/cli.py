"""Our lifecycle under the real Pulumi CLI: the program on a throw-away copy of the project
(``tests.support.pulumi_cli.Project``: its own file backend and passphrase), the workload written
as manifests into a fresh namespace of the local cluster, the bench's emulators as vendors.

Each method is one command: ``pulumi up --yes --skip-preview``, ``pulumi refresh --yes
--skip-preview``, ``pulumi destroy --yes --skip-preview``. "One node replaced" is a real node
replacement in the local cluster (``tools/nodes.py replace``), undone by ``close``.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, cast

from bench.ours import Endpoints
from bench.workload import CLOUDFLARE_ZONE, DOMAIN, NEW_NODE, SHORTNAME, Route, Workload
from tests.support.pulumi_cli import ROOT, Project, local_cluster

#: The node that leaves and the one that joins in "one node replaced" (tools/nodes.py's naming).
LEAVING, JOINING, JOINING_ADDRESS = "node-1", "node-4", "203.0.113.14"
APP = "bench-app"
NODES_PY = [sys.executable, str(ROOT / "tools" / "nodes.py")]


SOURCES = ("ingress", "httproute")


def manifests(workload: Workload, source: str = "ingress") -> list[dict[str, Any]]:
    """The app's Deployment, and per origin name one NodePort Service in front of it and one CDN
    Ingress of up to five paths, or (``httproute``) one Gateway API HTTPRoute of them attached to a
    Gateway of our class that lists every host. (A Service that selects no ready pod makes the
    Kubernetes provider wait about ten seconds for endpoints; with the app there, as in a real stack,
    it does not.)"""
    docs: list[dict[str, Any]] = [{
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": APP},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": APP}}, "template": {
            "metadata": {"labels": {"app": APP}},
            "spec": {"containers": [{"name": "app", "image": "python:3", "ports": [{"containerPort": 8000}]}]}}}}]
    routes = workload.route_list()
    for name in workload.ingresses():
        paths = [r for r in routes if r.ingress == name]
        docs.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                     "spec": {"type": "NodePort", "selector": {"app": APP},
                              "ports": [{"name": "http", "port": 80, "targetPort": 8000}]}})
        docs.append(_httproute(name, paths) if source == "httproute" else _ingress(name, paths))
    if source == "httproute":
        hosts = sorted({r.host for r in routes})
        docs[1:1] = [
            {"apiVersion": GATEWAY_API, "kind": "GatewayClass", "metadata": {"name": "bench-cdn"},
             "spec": {"controllerName": "cdn-ingress.io/edgio"}},
            {"apiVersion": GATEWAY_API, "kind": "Gateway", "metadata": {"name": "bench-edge"},
             "spec": {"gatewayClassName": "bench-cdn", "listeners": [
                 {"name": f"h{i}", "protocol": "HTTPS", "port": 443, "hostname": host}
                 for i, host in enumerate(hosts)]}}]
    return docs


GATEWAY_API = "gateway.networking.k8s.io/v1"


def _ingress(name: str, paths: list[Route]) -> dict[str, Any]:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "labels": {"cdn": "edgio"}},
            "spec": {"ingressClassName": "edgio", "rules": [{"host": paths[0].host, "http": {"paths": [
                {"path": r.path, "pathType": "Prefix",
                 "backend": {"service": {"name": name, "port": {"name": "http"}}}} for r in paths]}}]}}


def _httproute(name: str, paths: list[Route]) -> dict[str, Any]:
    return {"apiVersion": GATEWAY_API, "kind": "HTTPRoute", "metadata": {"name": name},
            "spec": {"parentRefs": [{"name": "bench-edge"}], "hostnames": [paths[0].host], "rules": [
                {"matches": [{"path": {"type": "PathPrefix", "value": r.path}}],
                 "backendRefs": [{"name": name, "port": 80}]} for r in paths]}}


def _config(endpoints: Endpoints, cdn: str, poll_seconds: float, pending_seconds: float
            ) -> tuple[dict[str, str], dict[str, str]]:
    """The stack's plain and secret config: the vendors of ``cdn`` at the bench's emulators."""
    plain = {"cdn-ingress:originDomain": DOMAIN, "vultr:endpoint": endpoints.vultr}
    secret = {"vultr:apiKey": endpoints.vultr_key}
    if cdn == "cloudflare":
        plain |= {"cdn-ingress:cdn": "cloudflare", "cloudflare:endpoint": endpoints.cloudflare,
                  "cloudflare:zoneName": CLOUDFLARE_ZONE}
        return plain, secret | {"cloudflare:apiToken": endpoints.cloudflare_token}
    timeout = max(600, int(pending_seconds * 4))
    plain |= {"cdn-ingress:edgioShortname": SHORTNAME, "cdn-ingress:deployTimeoutSeconds": str(timeout),
              "edgio:endpoint": endpoints.edgio, "edgio:pollSeconds": f"{poll_seconds:g}",
              "edgio:username": endpoints.edgio_user}
    return plain, secret | {"edgio:sharedKey": endpoints.edgio_key}


class CliStack:
    """One stack of the program under the real CLI; ``close`` destroys what is left and puts the
    cluster's nodes and namespace back."""

    def __init__(self, endpoints: Endpoints, *, poll_seconds: float, pending_seconds: float,
                 source: str = "ingress", cdn: str = "edgio") -> None:
        from kubernetes import client, config

        self._source = source
        self._kubeconfig = local_cluster()
        self._core = client.CoreV1Api(cast(Any, config).new_client_from_config(config_file=self._kubeconfig))
        self.namespace = f"bench-{secrets.token_hex(3)}"
        self._core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=self.namespace)))
        self._tmp = tempfile.TemporaryDirectory(prefix="cdn-ingress-bench-")
        self.project = Project(Path(self._tmp.name), kubeconfig=self._kubeconfig, namespace=self.namespace)
        for path in sorted(self.project.manifests.glob("*.yaml")):
            path.unlink()  # the shipped app is not part of the workload
        self.project.init_stack("bench", *_config(endpoints, cdn, poll_seconds, pending_seconds))
        self._replaced = False

    def arrange(self, workload: Workload) -> None:
        if (NEW_NODE in workload.nodes) != self._replaced:
            self._replace_node()

    def up(self, workload: Workload) -> None:
        self.project.write_manifest("bench.yaml", manifests(workload, self._source))
        self.project.pulumi("up", "--yes", "--skip-preview", timeout=7200)

    def refresh(self) -> None:
        self.project.pulumi("refresh", "--yes", "--skip-preview", timeout=7200)

    def destroy(self) -> None:
        self.project.pulumi("destroy", "--yes", "--skip-preview", timeout=7200)

    def _replace_node(self) -> None:
        assert not self._replaced, "the bench replaces one node once"
        subprocess.run([*NODES_PY, "--kubeconfig", self._kubeconfig, "replace", LEAVING, JOINING, JOINING_ADDRESS],
                       check=True, capture_output=True)
        self._replaced = True

    def close(self) -> None:
        try:
            if self.project.resources():
                self.project.pulumi("destroy", "--yes", "--skip-preview", check=False, timeout=7200)
        finally:
            subprocess.run([*NODES_PY, "--kubeconfig", self._kubeconfig, "ensure"], check=False, capture_output=True)
            self._core.delete_namespace(self.namespace)
            self._tmp.cleanup()
