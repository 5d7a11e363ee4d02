"""Planning one Ingress beside the shipped Service: routes, warnings, or the refusal."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from cdn_ingress.errors import ManifestError
from cdn_ingress.manifests import load_documents
from cdn_ingress.routes import Plan, plan
from tests.program.manifests_kit import shipped, write

SERVICE = "pywai-inline-service"


def backend(port: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"service": {"name": SERVICE, "port": port or {"name": "http"}}}


def path(value: str, path_type: str = "Prefix") -> dict[str, Any]:
    return {"path": value, "pathType": path_type, "backend": backend()}


def ingress(*, rules: list[dict[str, Any]] | None = None, annotations: dict[str, str] | None = None,
            name: str = "shop", **spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"ingressClassName": "edgio", **spec}
    if rules is not None:
        body["rules"] = rules
    metadata: dict[str, Any] = {"name": name}
    if annotations:
        metadata["annotations"] = annotations
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": metadata, "spec": body}


def rule(host: str | None, *paths: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"http": {"paths": list(paths)}}
    if host is not None:
        out["host"] = host
    return out


def files_with(*docs: dict[str, Any]) -> dict[str, Any]:
    files = shipped()
    del files["pywai-ingress.yaml"], files["pywai-ingress2.yaml"]
    files["app.yaml"] = [copy.deepcopy(d) for d in docs]
    return files


def planned(tmp_path: Path, *docs: dict[str, Any], **options: Any) -> Plan:
    return plan(load_documents(write(tmp_path / "m", files_with(*docs)), root=tmp_path), **options)


def refused(tmp_path: Path, *docs: dict[str, Any], **options: Any) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        planned(tmp_path, *docs, **options)
    return [str(p) for p in caught.value.problems]


def warnings(result: Plan) -> list[str]:
    return [str(w) for w in result.warnings]
