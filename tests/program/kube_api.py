"""A small Kubernetes API server on 127.0.0.1:0 for the calls the program makes: list Nodes, read
and patch an Ingress's status and a Gateway API object's status (merge patch). It records each
request's bearer token; it can be told to hang."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import yaml

_STATUS = re.compile(r"^/apis/networking\.k8s\.io/v1/namespaces/([^/]+)/ingresses/([^/]+)/status$")
_CUSTOM = re.compile(r"^/apis/gateway\.networking\.k8s\.io/v1/namespaces/([^/]+)/([a-z]+)/([^/]+)/status$")


class KubeApi:
    def __init__(self, nodes: dict[str, list[tuple[str, str]]]) -> None:
        self.nodes = nodes  # name -> [(address type, address)]
        self.tokens: list[str] = []
        self.statuses: dict[tuple[str, str], Any] = {}
        self.custom: dict[tuple[str, str, str], Any] = {}  # (namespace, plural, name) -> status
        self.hang_seconds = 0.0
        self.url = ""

    def node_list(self) -> dict[str, Any]:
        items = [{
            "metadata": {"name": name},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                       "addresses": [{"type": t, "address": a} for t, a in addresses]},
        } for name, addresses in self.nodes.items()]
        return {"apiVersion": "v1", "kind": "NodeList", "metadata": {}, "items": items}

    def ingress(self, namespace: str, name: str) -> dict[str, Any]:
        return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                "metadata": {"name": name, "namespace": namespace},
                "status": self.statuses.get((namespace, name), {})}

    def kubeconfig(self, token: str, *, padding: int = 0, **extra_user: str) -> str:
        """Content of a kubeconfig for this server; ``padding`` unused users make it long."""
        users = [{"name": "me", "user": {"token": token, **extra_user}}]
        users += [{"name": f"unused-{i}", "user": {"token": f"unused-token-{i:04d}-" + "u" * 40}}
                  for i in range(padding)]
        return yaml.safe_dump({
            "apiVersion": "v1", "kind": "Config", "current-context": "here",
            "clusters": [{"name": "fake", "cluster": {"server": self.url}}],
            "contexts": [{"name": "here", "context": {"cluster": "fake", "user": "me"}}],
            "users": users,
        })


def _handler(api: KubeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, code: int, body: Any) -> None:
            api.tokens.append(self.headers.get("Authorization", "").removeprefix("Bearer "))
            time.sleep(api.hang_seconds)
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            found = _STATUS.match(self.path.split("?")[0])
            custom = _CUSTOM.match(self.path.split("?")[0])
            if custom and custom.groups() in api.custom:
                self._answer(200, {"status": api.custom[custom.groups()]})
            elif self.path.split("?")[0] == "/api/v1/nodes":
                self._answer(200, api.node_list())
            elif found:
                self._answer(200, api.ingress(*found.groups()))
            else:
                self._answer(404, {"kind": "Status", "code": 404})

        def do_PATCH(self) -> None:
            found = _STATUS.match(self.path.split("?")[0])
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
            custom = _CUSTOM.match(self.path.split("?")[0])
            if custom and custom.groups() in api.custom:
                api.custom[custom.groups()] = {**api.custom[custom.groups()], **body.get("status", {})}
                self._answer(200, {"status": api.custom[custom.groups()]})
                return
            if found is None:
                self._answer(404, {"kind": "Status", "code": 404})
                return
            api.statuses[found.groups()] = body.get("status", {})
            self._answer(200, api.ingress(*found.groups()))

    return Handler


@contextmanager
def kube_api(nodes: dict[str, list[tuple[str, str]]]) -> Iterator[KubeApi]:
    api = KubeApi(nodes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
