"""Shared fixtures: loopback-only HTTP (proxy variables cleared) and one emulator process per
session, reset before every test that uses it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.emulator import Emulators

# Test credentials of the emulators; they exist only in tests and in the local stack.
VULTR_TEST_KEY = "vultr-test-key-0123456789"
EDGIO_TEST_USER = "tester@example.com"
EDGIO_TEST_KEY = "00112233445566778899aabbccddeeff"
EDGIO_TEST_SHORTNAMES = ("acme", "other")
VULTR_TEST_DOMAINS = ("origin.example.com",)
CLOUDFLARE_TEST_TOKEN = "cf-test-token-0123456789abcdef"
CLOUDFLARE_TEST_ZONES = ("example.com", "example.net")

for _name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_name, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[Emulators]:
    args = ["--vultr-api-key", VULTR_TEST_KEY, "--edgio-username", EDGIO_TEST_USER,
            "--edgio-shared-key", EDGIO_TEST_KEY]
    for domain in VULTR_TEST_DOMAINS:
        args += ["--vultr-domain", domain]
    for shortname in EDGIO_TEST_SHORTNAMES:
        args += ["--edgio-shortname", shortname]
    args += ["--cloudflare-api-token", CLOUDFLARE_TEST_TOKEN]
    for zone in CLOUDFLARE_TEST_ZONES:
        args += ["--cloudflare-zone", zone]
    emulators = Emulators(*args)
    yield emulators
    emulators.stop()


@pytest.fixture()
def emulators(emulator_process: Emulators) -> Emulators:
    emulator_process.reset()
    return emulator_process
