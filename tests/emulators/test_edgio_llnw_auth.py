"""Every Edgio endpoint called with the signing of requests-llnw-auth (the LLNW plugin for
requests, written by others): the right key is let in everywhere, a wrong one nowhere."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulators.conftest import Edgio, rule
from tests.support.emulator import Emulators

SVC = "/svcinst/delivery"
PROFILE_UUID = "{profile}"


def endpoints() -> list[tuple[str, str, Any, int]]:
    """(method, path, body, status) for every route; {uid} and {profile} are filled in per test."""
    return [
        ("GET", "/health/check", None, 200), ("GET", "/utils/status", None, 200),
        ("GET", f"{SVC}/shortname/acme", None, 200),
        ("GET", f"{SVC}/shortname/acme/searchAuto?body.publishedHostname=www.example.com", None, 200),
        ("POST", f"{SVC}/validate", rule("v.example.com"), 200), ("POST", SVC, rule("new.example.com"), 200),
        ("GET", f"{SVC}/{{uid}}", None, 200), ("PUT", f"{SVC}/{{uid}}", rule(sourceUrlPath="/v2"), 200),
        ("GET", f"{SVC}/{{uid}}/versions", None, 200), ("GET", f"{SVC}/{{uid}}/versions/1", None, 200),
        ("POST", f"{SVC}/{{uid}}/rollbackTo/1", None, 200),
        ("POST", f"{SVC}/inheritance?parentId={{uid}}", {"body": {"publishedHostname": "child.example.com"}}, 200),
        ("DELETE", f"{SVC}/{{uid}}", None, 200),
        ("GET", "/svcprof/delivery/shortname/acme?size=2&page=2", None, 200),
        ("GET", "/svcprof/delivery/shortname/acme/search?body.useCase=DownloadLargeFile", None, 200),
        ("GET", f"/svcprof/delivery/shortname/acme/{PROFILE_UUID}", None, 200),
        ("GET", "/configoption/shortname/acme/svcProf/LLNW-Generic", None, 200),
    ]


def fill(edgio: Edgio, path: str) -> str:
    _, created = edgio.call("POST", SVC, rule())
    _, profiles = edgio.call("GET", "/svcprof/delivery/shortname/acme")
    return path.replace("{uid}", created["uuid"]).replace("{profile}", profiles["results"][0]["uuid"])


@pytest.mark.parametrize(("method", "path", "body", "status"), endpoints(),
                         ids=[f"{m} {p}" for m, p, _, _ in endpoints()])
def test_signed_by_requests_llnw_auth(edgio: Edgio, method: str, path: str, body: Any, status: int) -> None:
    path, _, query = fill(edgio, path).partition("?")
    params = dict(item.split("=", 1) for item in query.split("&")) if query else None
    got, answer = edgio.call(method, path, body, params=params)
    assert got == status, answer


@pytest.mark.parametrize(("method", "path", "body", "status"), endpoints(),
                         ids=[f"{m} {p}" for m, p, _, _ in endpoints()])
def test_wrong_key_is_401_everywhere(live: Emulators, method: str, path: str, body: Any, status: int) -> None:
    path = path.replace("{uid}", "78df6c87-b19f-42cb-bee7-263ec58e3950").replace("{profile}", "x")
    got, answer = Edgio(live.edgio, key="ff" * 16).call(method, path.split("?")[0], body)
    assert got == 401 and answer["errors"][0]["code"] == 1024, answer
    assert live.state("edgio")["rules"] == []
