"""The two examples of docs/routes.md and of the README (an Ingress, and a GatewayClass + Gateway +
HTTPRoute) plan to the same CDN rule."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.program.ingress_kit import planned

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"docs": ROOT / "docs" / "routes.md", "readme": ROOT / "README.md"}


def examples(page: Path) -> list[list[dict[str, Any]]]:
    blocks = re.findall(r"```yaml\n(.*?)```", page.read_text(), re.S)
    return [list(yaml.safe_load_all(block)) for block in blocks[:2]]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_ingress_and_httproute_examples_give_the_same_rule(tmp_path: Path, page: str) -> None:
    ingress, gateway_api = examples(PAGES[page])
    first = planned(tmp_path / "a", *ingress).routes
    second = planned(tmp_path / "b", *gateway_api).routes
    assert [(r.key, r.options.source_path, r.backend) for r in first] == \
        [(r.key, r.options.source_path, r.backend) for r in second] != []
    assert [r.options.published_protocols for r in second] == [("https",)]
