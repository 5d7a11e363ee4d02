"""Fixtures of the emulator-level tests: the shared emulator process reset per test, vendor calls
made the way the vendors' own clients make them, and private processes for start-up flags."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from requests_llnw_auth import LLNWAuth

from tests.conftest import EDGIO_TEST_KEY, EDGIO_TEST_USER, VULTR_TEST_KEY
from tests.support.emulator import Emulators

ZONE = "origin.example.com"


@pytest.fixture()
def live(emulators: Emulators) -> Emulators:
    """The shared emulators, reset, with Vultr's 30 requests/s limit off (it has a test of its own)."""
    emulators.faults("vultr", rate_limit_per_second=0)
    return emulators


class Vultr:
    """Plain JSON calls with the Bearer key, answering (status, decoded body or None)."""

    def __init__(self, base: str, key: str = VULTR_TEST_KEY) -> None:
        self.base, self.key = base, key

    def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
             params: dict[str, Any] | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"}
        response = requests.request(method, self.base + path, headers=headers, params=params, timeout=10,
                                    **({"data": raw} if raw is not None else {"json": body}))
        return response.status_code, response.json() if response.content else None


class Edgio:
    """Calls signed by requests-llnw-auth, the published LLNW signing plugin for requests."""

    def __init__(self, base: str, user: str = EDGIO_TEST_USER, key: str = EDGIO_TEST_KEY) -> None:
        self.base, self.auth = base, LLNWAuth(user, key)

    def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
             params: dict[str, Any] | None = None) -> tuple[int, Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        response = requests.request(method, self.base + path, data=data, params=params, auth=self.auth,
                                    headers={"Content-Type": "application/json"}, timeout=10)
        return response.status_code, response.json() if response.content else None


@pytest.fixture()
def vultr(live: Emulators) -> Vultr:
    return Vultr(live.vultr)


@pytest.fixture()
def edgio(live: Emulators) -> Edgio:
    return Edgio(live.edgio)


@pytest.fixture()
def spawn() -> Iterator[Callable[..., Emulators]]:
    """Starts a private emulator process with extra flags; stopped after the test."""
    started: list[Emulators] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Emulators:
        started.append(Emulators(*args, env=env))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def rule(host: str = "www.example.com", path: str = "/", **body: Any) -> dict[str, Any]:
    """A create payload the contract accepts, with ``body`` fields replaced."""
    return {"accounts": [{"shortname": "acme"}],
            "body": {"serviceKey": {"name": "delivery"}, "serviceProfileName": "LLNW-Generic",
                     "publishedHostname": host, "publishedUrlPath": path, "sourceHostname": "origin.example.com",
                     "sourceUrlPath": "/", "protocolSets": [{"publishedProtocol": "https", "sourceProtocol": "https",
                                                             "sourcePort": 443, "options": []}], **body}}


CREDENTIALS = ("--vultr-api-key", VULTR_TEST_KEY, "--edgio-username", EDGIO_TEST_USER,
               "--edgio-shared-key", EDGIO_TEST_KEY, "--edgio-shortname", "acme", "--vultr-domain", ZONE)
