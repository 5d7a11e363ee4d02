"""Manifest sets for tests: the shipped app, changed one field at a time."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "manifests"
SEED = Path(__file__).parent / "seed"  # the original demo's manifests, kept as test data


def shipped() -> dict[str, list[dict[str, Any]]]:
    """File name -> documents of the shipped manifests (deep copies, free to edit)."""
    return {p.name: list(yaml.safe_load_all(p.read_text())) for p in sorted(SHIPPED.glob("*.yaml"))}


def write(directory: Path, files: dict[str, Any]) -> Path:
    """Write ``name -> documents`` (or raw text) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        text = content if isinstance(content, str) else yaml.safe_dump_all(content, sort_keys=False)
        (directory / name).write_text(text)
    return directory


def ingress(name: str, host: str, path: str, *, port: dict[str, Any] | None = None,
            service: str = "pywai-inline-service", **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name},
        "spec": {
            "ingressClassName": "edgio",
            "rules": [{"host": host, "http": {"paths": [{
                "path": path, "pathType": "Prefix",
                "backend": {"service": {"name": service, "port": port or {"name": "http"}}},
            }]}}],
        },
    }
    for key, value in extra.items():
        doc["metadata"][key] = copy.deepcopy(value)
    return doc
