"""The benchmark's workload written as Ingresses and as Gateway API HTTPRoutes plans to the same CDN
rules (same host + path, Service and port), so `--source httproute` measures the same lifecycle."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench.cli import SOURCES, manifests
from bench.workload import Workload
from cdn_ingress.manifests import load_documents
from cdn_ingress.routes import plan


def routes(tmp_path: Path, source: str, workload: Workload) -> list[tuple[str, str, int]]:
    folder = tmp_path / source
    folder.mkdir()
    (folder / "bench.yaml").write_text(yaml.safe_dump_all(manifests(workload, source)))
    planned = plan(load_documents(folder, root=tmp_path))
    return sorted((r.key, r.backend.service, r.backend.port_index) for r in planned.routes)


@pytest.mark.parametrize("count", [1, 10, 23])
def test_both_sources_plan_the_same_routes(tmp_path: Path, count: int) -> None:
    workload = Workload(count)
    found = {source: routes(tmp_path, source, workload) for source in SOURCES}
    assert found["ingress"] == found["httproute"]
    assert len(found["ingress"]) == count
