"""Public Ingress manifests the project did not write (docs/public-corpus.md), each
made the CDN's as a new user would (class edgio, our IngressClass controller, NodePort Services):
every one is planned, planned with warnings, or refused with a message; nothing crashes, and
nothing regex-like is ever published."""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdn_ingress.errors import ManifestError
from cdn_ingress.manifests import load_documents
from cdn_ingress.routes import plan
from cdn_ingress.sources.ingress_class import CONTROLLER
from cdn_ingress.sources.paths import PATTERN_CHARS
from tests.program.manifests_kit import corpus, tally, write

PUBLIC = corpus("manifests")
FILES = sorted(p.name for p in PUBLIC.glob("*.yaml"))
DEFAULT_HOST = "www.acme.s.llnwi.net"
#: Outcomes with cdn-ingress:defaultHost unset and set; docs/public-corpus.md gives each file's and why.
EXPECTED = {None: Counter({"planned": 3, "warned": 8, "refused": 15, "nothing": 1}),
            DEFAULT_HOST: Counter({"planned": 7, "warned": 10, "refused": 9, "nothing": 1})}


def _backends(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [b for item in node for b in _backends(item)]
    if not isinstance(node, dict):
        return []
    found = [node] if "service" in node or "serviceName" in node else []
    return found + [b for key, value in node.items() if key != "service" for b in _backends(value)]


def _service_port(backend: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if "serviceName" in backend:
        port = backend.get("servicePort")
        return str(backend["serviceName"]), {"port": port} if isinstance(port, int) else {"name": port, "port": 80}
    service = backend["service"]
    port = service.get("port") or {}
    if "number" in port:
        return str(service.get("name")), {"port": port["number"]}
    return str(service.get("name")), {"name": port.get("name"), "port": 80}


def as_cdn(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The manifests as a new user would point them at the CDN."""
    out = copy.deepcopy([d for d in docs if isinstance(d, dict)])
    declared = {(d.get("metadata", {}).get("namespace", "default"), d["metadata"]["name"]): d
                for d in out if d.get("kind") == "Service"}
    for doc in [d for d in out if d.get("kind") in ("Ingress", "IngressClass", "Service")]:
        spec = doc.setdefault("spec", {})
        if doc["kind"] == "IngressClass":
            spec["controller"] = CONTROLLER
        elif doc["kind"] == "Service":
            spec["type"] = "NodePort"
        else:
            spec["ingressClassName"] = "edgio"
            doc["metadata"].get("annotations", {}).pop("kubernetes.io/ingress.class", None)
            namespace = doc["metadata"].get("namespace", "default")
            for backend in _backends(spec):
                name, port = _service_port(backend)
                if (namespace, name) not in declared:
                    declared[(namespace, name)] = _service(namespace, name, out)
                service = declared[(namespace, name)]
                if port not in service["spec"]["ports"] and not _has_port(service, port):
                    service["spec"]["ports"].append(port)
    return out


def _service(namespace: str, name: str, out: list[dict[str, Any]]) -> dict[str, Any]:
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": namespace},
               "spec": {"type": "NodePort", "ports": []}}
    out.append(service)
    return service


def _has_port(service: dict[str, Any], port: dict[str, Any]) -> bool:
    key = "name" if "name" in port else "port"
    return any(p.get(key) == port[key] for p in service["spec"].get("ports") or [])


def outcome(tmp_path: Path, name: str, default_host: str | None = None) -> tuple[str, str]:
    text = (PUBLIC / name).read_text().replace("<your domain>", "example.com")  # a placeholder in the docs
    docs = as_cdn(list(yaml.safe_load_all(text)))
    directory = write(tmp_path / f"{name.removesuffix('.yaml')}-{default_host}", {name: docs})
    try:
        result = plan(load_documents(directory, root=tmp_path), default_host=default_host)
    except ManifestError as error:
        return "refused", "; ".join(f"{p.field}: {p.allowed[:60]}" for p in error.problems)
    for route in result.routes:
        assert not set(route.path) & set(PATTERN_CHARS), (name, route.path)
    if not result.routes:
        return "nothing", ""
    return ("warned" if result.warnings else "planned"), "; ".join(w.field for w in result.warnings)


@pytest.mark.parametrize("name", FILES)
def test_each_public_manifest_is_planned_warned_or_refused(tmp_path: Path, name: str) -> None:
    kind, detail = outcome(tmp_path, name)
    assert kind in ("planned", "warned", "refused", "nothing"), (name, kind, detail)


@pytest.mark.parametrize("default_host", [None, DEFAULT_HOST], ids=["no-default-host", "default-host"])
def test_counts_over_the_public_manifests(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          default_host: str | None) -> None:
    outcomes = {name: outcome(tmp_path, name, default_host) for name in FILES}
    assert tally(outcomes, capsys) == EXPECTED[default_host]
