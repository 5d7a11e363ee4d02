"""An Edgio stack registers exactly what it did before the CDN seam: the same types, names,
inputs, parents, dependencies and deletion options (golden files recorded from that code)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.program.gateway_kit import gateway, gateway_class, httproute, listener, rule
from tests.program.ingress_kit import files_with, ingress, path
from tests.program.ingress_kit import rule as ingress_rule
from tests.program.manifests_kit import SHIPPED, write
from tests.program.mocks_kit import run_program
from tests.program.registrations import golden, registrations

DUAL = {"originAddresses": ["198.51.100.1", "2001:db8::1"], "protect": "true", "retainOnDelete": "true"}


@pytest.mark.parametrize(("name", "preview", "config"), [
    ("edgio-shipped", False, {}),
    ("edgio-shipped-preview", True, {}),
    ("edgio-shipped-dual-protect", False, DUAL),
], ids=["update", "preview", "dual-stack-protected"])
def test_shipped_manifests_register_what_they_did(name: str, preview: bool, config: dict[str, Any]) -> None:
    assert registrations(run_program(SHIPPED, preview=preview, **config)) == golden(name)


@pytest.mark.parametrize("cdn", [None, "edgio"], ids=["key-unset", "key-edgio"])
def test_gateway_and_ingress_manifests_register_what_they_did(tmp_path: Path, cdn: str | None) -> None:
    gw = gateway("edge", listener("http", "HTTP"), listener("https", "HTTPS"))
    docs = [gateway_class(), gw,
            httproute("web", rule("/api"), rule("/", path_type="Exact"), hostnames=["shop.example.com"]),
            ingress(rules=[ingress_rule("shop.example.com", path("/shop"))])]
    config = {"cdn": cdn} if cdn else {}
    assert registrations(run_program(write(tmp_path / "m", files_with(*docs)), **config)) == golden("edgio-mixed")
