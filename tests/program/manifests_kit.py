"""Manifest sets for tests: the shipped app, changed one field at a time."""

from __future__ import annotations

import copy
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
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


def corpus(part: str) -> Path:
    """A folder of public manifests the project did not write (docs/public-corpus.md lists each
    file's source). They are kept out of the repository, in the cache beside the toolchain
    (``$CDN_INGRESS_CACHE/corpus/public/<part>``); a test module that needs them is skipped, saying
    so, on a machine that has not got them."""
    root = Path(os.environ.get("CDN_INGRESS_CACHE") or Path.home() / ".cache" / "cdn-ingress")
    folder = root / "corpus" / "public" / part
    if not any(folder.glob("*.yaml")):
        pytest.skip(f"public corpus not found in {folder} (docs/public-corpus.md says where each file comes from)",
                    allow_module_level=True)
    return folder


def tally(outcomes: dict[str, tuple[str, str]], capsys: pytest.CaptureFixture[str]) -> Counter[str]:
    """Each file's outcome printed (the figures the docs give), and the count per kind."""
    with capsys.disabled():
        for name, (kind, detail) in outcomes.items():
            print(f"\n{kind:8} {name}: {detail}", end="")
        print()
    return Counter(kind for kind, _ in outcomes.values())
