"""KubeNodeSource through the official client against a small API server on 127.0.0.1:0: the list,
a watch's events and bookmarks, and a 410 (as an ERROR event and as a status) raised as Expired."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from reconciler.kube import KubeNodeSource
from reconciler.watch import Expired


def node(name: str, version: str, ready: str = "True") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "resourceVersion": version},
            "status": {"conditions": [{"type": "Ready", "status": ready}],
                       "addresses": [{"type": "ExternalIP", "address": "203.0.113.11"}]}}


class Api:
    """What the server answers: one list, then one scripted answer per watch request."""

    def __init__(self) -> None:
        self.watches: list[tuple[int, list[dict[str, Any]]]] = []
        self.asked: list[str] = []


def handler(api: Api) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = parse_qs(urlparse(self.path).query)
            if query.get("watch") != ["true"]:
                self._send(200, [{"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": "5"},
                                  "items": [node("node-1", "4")]}])
                return
            api.asked.append(query.get("resourceVersion", [""])[0])
            status, lines = api.watches.pop(0)
            self._send(status, lines)

        def _send(self, status: int, docs: list[dict[str, Any]]) -> None:
            body = "".join(json.dumps(d) + "\n" for d in docs).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass
    return Handler


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Api, KubeNodeSource]]:
    api = Api()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(api))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "fake",
        "clusters": [{"name": "fake", "cluster": {"server": f"http://127.0.0.1:{server.server_address[1]}"}}],
        "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}],
        "users": [{"name": "fake", "user": {"token": "not-a-secret"}}]}))
    yield api, KubeNodeSource(str(kubeconfig), None)
    server.shutdown()


def test_list_then_watch_from_its_version_with_events_and_bookmarks(served: tuple[Api, KubeNodeSource]) -> None:
    api, source = served
    nodes, version = source.list()
    assert ([n.metadata.name for n in nodes], version) == (["node-1"], "5")
    api.watches.append((200, [{"type": "MODIFIED", "object": node("node-1", "6", ready="False")},
                              {"type": "BOOKMARK", "object": {"kind": "Node", "metadata": {"resourceVersion": "9"}}}]))
    events = [(kind, n.status.conditions[0].status if n else None, v) for kind, n, v in source.watch(version)]
    assert events == [("MODIFIED", "False", "6"), ("BOOKMARK", None, "9")]
    assert api.asked == ["5"]


@pytest.mark.parametrize("answer", [
    (200, [{"type": "ERROR", "object": {"kind": "Status", "code": 410, "reason": "Expired",
                                        "message": "too old resource version: 5 (900)"}}]),
    (410, [{"kind": "Status", "apiVersion": "v1", "code": 410, "reason": "Expired", "message": "too old"}]),
], ids=["error-event", "status-410"])
def test_an_expired_version_is_raised_as_expired(served: tuple[Api, KubeNodeSource],
                                                 answer: tuple[int, list[dict[str, Any]]]) -> None:
    api, source = served
    api.watches.append(answer)
    with pytest.raises(Expired):
        list(source.watch("5"))
