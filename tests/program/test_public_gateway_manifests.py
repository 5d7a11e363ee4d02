"""Public Gateway API manifests the project did not write (docs/public-corpus.md), made
the CDN's as a new user would: GatewayClasses get our controller (a file without one gets class
'cdn'), a route's missing Gateway is declared with one HTTP listener, backends become NodePort
Services. Each is planned, planned with warnings (rules dropped included), not published (every
rule dropped or the route detached: a warning and the route's status say why), or refused; a file
with no HTTPRoute publishes nothing."""

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
from tests.program.manifests_kit import corpus, tally, write

PUBLIC = corpus("gateway-api")
FILES = sorted(p.name for p in PUBLIC.glob("*.yaml"))
DEFAULT_HOST = "www.acme.s.llnwi.net"
KINDS = ("planned", "warned", "not-published", "refused", "no-route")
EXPECTED = {None: Counter({"planned": 3, "warned": 1, "not-published": 6, "refused": 2, "no-route": 3}),
            DEFAULT_HOST: Counter({"planned": 5, "warned": 1, "not-published": 4, "refused": 2, "no-route": 3})}
GROUP = "gateway.networking.k8s.io"


def _ns(doc: dict[str, Any]) -> str:
    return str(doc.get("metadata", {}).get("namespace") or "default")


def _gateway(name: str, namespace: str, class_name: str) -> dict[str, Any]:
    return {"apiVersion": f"{GROUP}/v1", "kind": "Gateway", "metadata": {"name": name, "namespace": namespace},
            "spec": {"gatewayClassName": class_name, "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}]}}


def as_cdn(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = copy.deepcopy([d for d in docs if isinstance(d, dict)])
    classes = [d for d in out if d.get("kind") == "GatewayClass"]
    for doc in classes:
        doc["spec"]["controllerName"] = CONTROLLER
    if not classes:
        out.append({"apiVersion": f"{GROUP}/v1", "kind": "GatewayClass", "metadata": {"name": "cdn"},
                    "spec": {"controllerName": CONTROLLER}})
    class_name = classes[0]["metadata"]["name"] if classes else "cdn"
    gateways = {(_ns(d), d["metadata"]["name"]) for d in out if d.get("kind") == "Gateway"}
    for doc in out:
        if doc.get("kind") == "Gateway" and not classes:
            doc["spec"]["gatewayClassName"] = class_name
    for route in [d for d in out if d.get("kind") == "HTTPRoute"]:
        _attach(route, gateways, class_name, out)
        _services(route, out)
    return out


def _attach(route: dict[str, Any], gateways: set[tuple[str, str]], class_name: str,
            out: list[dict[str, Any]]) -> None:
    refs = route["spec"].setdefault("parentRefs", [{"name": "edge"}]) or [{"name": "edge"}]
    route["spec"]["parentRefs"] = refs
    for ref in refs:
        key = (str(ref.get("namespace") or _ns(route)), str(ref["name"]))
        if key not in gateways:
            gateways.add(key)
            out.append(_gateway(key[1], key[0], class_name))


def _services(route: dict[str, Any], out: list[dict[str, Any]]) -> None:
    declared = {(_ns(d), d["metadata"]["name"]): d for d in out if d.get("kind") == "Service"}
    for rule in route["spec"].get("rules") or []:
        for ref in rule.get("backendRefs") or []:
            if ref.get("kind", "Service") != "Service" or ref.get("group", "") != "":
                continue
            key = (str(ref.get("namespace") or _ns(route)), str(ref["name"]))
            if key not in declared:
                declared[key] = {"apiVersion": "v1", "kind": "Service",
                                 "metadata": {"name": key[1], "namespace": key[0]},
                                 "spec": {"type": "NodePort", "ports": []}}
                out.append(declared[key])
            ports = declared[key]["spec"]["ports"]
            if all(p.get("port") != ref.get("port") for p in ports):
                ports.append({"port": ref.get("port")})


def outcome(tmp_path: Path, name: str, default_host: str | None = None) -> tuple[str, str]:
    text = "\n".join(line for line in (PUBLIC / name).read_text().splitlines() if line != "EOF")  # heredoc end
    docs = as_cdn(list(yaml.safe_load_all(text)))
    directory = write(tmp_path / f"{name.removesuffix('.yaml')}-{default_host}", {name: docs})
    try:
        result = plan(load_documents(directory, root=tmp_path), default_host=default_host)
    except ManifestError as error:
        return "refused", "; ".join(f"{p.field}: {p.allowed[:60]}" for p in error.problems)
    if not result.routes:
        return ("not-published" if result.route_statuses else "no-route"), "; ".join(
            f"{w.field}: {w.allowed[:50]}" for w in result.warnings)
    kind = "warned" if result.warnings else "planned"
    return kind, "; ".join(f"{w.field}: {w.allowed[:50]}" for w in result.warnings)


@pytest.mark.parametrize("name", FILES)
def test_each_public_gateway_manifest_is_planned_warned_or_refused(tmp_path: Path, name: str) -> None:
    assert outcome(tmp_path, name)[0] in KINDS


@pytest.mark.parametrize("default_host", [None, DEFAULT_HOST], ids=["no-default-host", "default-host"])
def test_counts_over_the_public_gateway_manifests(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  default_host: str | None) -> None:
    outcomes = {name: outcome(tmp_path, name, default_host) for name in FILES}
    assert tally(outcomes, capsys) == EXPECTED[default_host]
