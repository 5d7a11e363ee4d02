"""Delivery payloads of the wrong shape are a 400 in the error envelope naming the field, in
create, update and validate alike, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulators.conftest import Edgio, rule

HTTPS = {"publishedProtocol": "https", "sourceProtocol": "https"}
BAD = [
    ({"serviceKey": "delivery"}, "body.serviceKey"),
    ({"serviceKey": ["delivery"]}, "body.serviceKey"),
    ({"serviceKey": {"name": "httpcs"}}, "body.serviceKey"),
    ({"protocolSets": [{**HTTPS, "options": "req_send_header"}]}, "body.protocolSets[0].options"),
    ({"protocolSets": [{**HTTPS, "options": {"name": "x"}}]}, "body.protocolSets[0].options"),
    ({"protocolSets": [{**HTTPS, "options": ["x"]}]}, "body.protocolSets[0].options[0]"),
    ({"protocolSets": [{**HTTPS, "publishedPort": "443"}]}, "body.protocolSets[0].publishedPort"),
    ({"protocolSets": [{**HTTPS, "publishedPort": 0}]}, "body.protocolSets[0].publishedPort"),
    ({"protocolSets": [{**HTTPS, "sourcePort": True}]}, "body.protocolSets[0].sourcePort"),
    ({"protocolSets": ["https"]}, "body.protocolSets[0]"),
    ({"publishedUrlPath": ["a"]}, "body.publishedUrlPath"),
    ({"sourceUrlPath": {"p": "/"}}, "body.sourceUrlPath"),
    ({"publishedHostname": 7}, "body.publishedHostname"),
    ({"serviceProfileName": None}, "body.serviceProfileName"),
]


@pytest.mark.parametrize(("change", "field"), BAD, ids=[f"{i}-{f}" for i, (_, f) in enumerate(BAD)])
@pytest.mark.parametrize("call", ["create", "update", "validate"])
def test_wrong_shape_is_400_naming_the_field(edgio: Edgio, call: str, change: dict[str, Any], field: str) -> None:
    _, existing = edgio.call("POST", "/svcinst/delivery", rule())
    path = {"create": "/svcinst/delivery", "validate": "/svcinst/delivery/validate",
            "update": f"/svcinst/delivery/{existing['uuid']}"}[call]
    status, answer = edgio.call("PUT" if call == "update" else "POST", path, rule(**change))
    if call == "validate":
        assert status == 200 and answer["Success"] is False
        assert field in [e["field"] for e in answer["errors"]], answer
    else:
        assert status == 400, answer
        assert any(e["message"].startswith(field + ":") and e["code"] == 1019 for e in answer["errors"]), answer
    live = edgio.call("GET", f"/svcinst/delivery/{existing['uuid']}")[1]
    assert live["revision"]["versionNumber"] == 1 and live["body"] == existing["body"]
    assert len(edgio.call("GET", "/svcinst/delivery/shortname/acme")[1]["results"]) == 1


def test_path_given_as_a_list_is_never_stored_as_text(edgio: Edgio) -> None:
    edgio.call("POST", "/svcinst/delivery", rule(publishedUrlPath=["a"]))
    hits = edgio.call("GET", "/svcinst/delivery/shortname/acme/searchAuto",
                      params={"body.publishedUrlPath": "/['a']"})[1]["results"]
    assert hits == []


@pytest.mark.parametrize("raw", [b"1", b'"s"', b"[]", b"{", b"[" * 100_000], ids=["number", "string", "list",
                                                                                   "broken", "deep"])
@pytest.mark.parametrize("path", ["/svcinst/delivery", "/svcinst/delivery/validate"])
def test_body_that_is_not_an_object_is_400(edgio: Edgio, path: str, raw: bytes) -> None:
    status, answer = edgio.call("POST", path, raw=raw)
    assert status == 400 and answer["errors"][0]["message"], answer


def test_every_problem_is_listed(edgio: Edgio) -> None:
    status, answer = edgio.call("POST", "/svcinst/delivery", rule(serviceKey="x", publishedUrlPath=[1]))
    assert status == 400
    assert [e["message"].split(":")[0] for e in answer["errors"]] == ["body.serviceKey", "body.publishedUrlPath"]
