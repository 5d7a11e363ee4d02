"""A field of the wrong type in a CDN Ingress or a Gateway API object is a listed problem or a
dropped rule, never a crash of the program."""

from __future__ import annotations

import contextlib
import copy
from pathlib import Path
from typing import Any

import pytest

from cdn_ingress.errors import ManifestError
from tests.program.gateway_kit import gateway, gateway_class, httproute, listener, rule
from tests.program.ingress_kit import ingress, path, planned
from tests.program.ingress_kit import rule as ingress_rule

FILTER = {"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "X", "value": "1"}]}}
DOCS = [gateway_class(), gateway("edge", listener("http", "HTTP")),
        httproute("web", rule("/a", filters=[FILTER]), hostnames=["a.example.com"]),
        ingress(rules=[ingress_rule("b.example.com", path("/b"))], tls=[{"hosts": ["b.example.com"]}])]
CASES = [
    (1, ("spec", "gatewayClassName")), (1, ("spec", "listeners", 0, "protocol")), (2, ("spec", "hostnames")),
    (2, ("spec", "rules", 0, "filters", 0, "requestHeaderModifier", "set")),
    (2, ("spec", "rules", 0, "filters", 0, "type")),
    (3, ("spec", "tls", 0, "hosts", 0)),
]


@pytest.mark.parametrize("value", [5, [1], {"a": 1}], ids=["number", "list", "mapping"])
@pytest.mark.parametrize(("doc", "where"), CASES, ids=[".".join(map(str, w)) for _, w in CASES])
def test_wrong_type_is_no_crash(tmp_path: Path, doc: int, where: tuple[Any, ...], value: Any) -> None:
    docs = copy.deepcopy(DOCS)
    node: Any = docs[doc]
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    with contextlib.suppress(ManifestError):  # a listed problem is fine; any other exception fails
        planned(tmp_path, *docs)
