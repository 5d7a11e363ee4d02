"""Credentials never reach a message: every error path of both providers, driven through the
SDK's own provider server with known keys, and each key searched for in all it printed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import pytest

from edgio_provider.provider import DeliveryRuleProvider
from tests.conftest import EDGIO_TEST_KEY, EDGIO_TEST_USER, VULTR_TEST_KEY
from tests.support.emulator import Emulators
from tests.support.provider_server import ProviderServer, secret, urn
from vultr_provider.provider import DnsRecordSetProvider

WRONG_VULTR = "VULTRWRONG0123456789ABCDEF"
WRONG_EDGIO = "fedcba9876543210" * 2
CLOSED = "http://127.0.0.1:9/v2"  # discard port: nothing listens
RECORDS = {"domain": "origin.example.com", "name": "pywai", "type": "A", "addresses": ["198.51.100.1"], "ttl": 120}
RULE = {"shortname": "acme", "published_hostname": "www.acme.s.llnwi.net", "published_path": "/shop",
        "source_hostname": "pywai.origin.example.com", "source_port": 30080}


def run(provider: Any, config: dict[str, Any], act: Callable[[ProviderServer], None]) -> str:
    """Everything the server said: the error the engine would print and the server's stderr."""
    said = ""
    with ProviderServer(provider) as server:
        try:
            server.configure(config)
            act(server)
        except grpc.RpcError as exc:
            said = str(exc.details())
    return said + server.stderr()


def vultr(emulators: Emulators, key: str, endpoint: str | None = None) -> dict[str, Any]:
    return {"vultr:apiKey": secret(key), "vultr:endpoint": endpoint or emulators.vultr,
            "vultr:requestsPerSecond": "500"}


def edgio(emulators: Emulators, key: str, endpoint: str | None = None) -> dict[str, Any]:
    return {"edgio:username": EDGIO_TEST_USER, "edgio:sharedKey": secret(key),
            "edgio:endpoint": endpoint or emulators.edgio, "edgio:requestsPerSecond": "500"}


def assert_no_key(said: str, case: str, key: str, real_key: str) -> None:
    """Neither the key given (whole, trimmed, or any long piece of it) nor the real one is shown."""
    for secret_text in {key.strip(), *(part for part in key.split() if len(part) > 6), real_key}:
        assert secret_text not in said, f"{case}: the key is in the output"


def create_records(props: dict[str, Any]) -> Callable[[ProviderServer], None]:
    return lambda s: s.create(urn("pulumi-python:dynamic/vultr:DnsRecordSet", "x"), props)


def create_rule(props: dict[str, Any]) -> Callable[[ProviderServer], None]:
    return lambda s: s.create(urn("pulumi-python:dynamic/edgio:DeliveryRule", "x"), props)


def test_surrounding_whitespace_is_trimmed(emulators: Emulators) -> None:
    said = run(DnsRecordSetProvider(), vultr(emulators, f" {VULTR_TEST_KEY}\n"), create_records(RECORDS))
    assert said == ""
    said = run(DeliveryRuleProvider(), edgio(emulators, f"{EDGIO_TEST_KEY}\n"), create_rule(RULE))
    assert said == ""


@pytest.mark.parametrize(("case", "key", "endpoint", "props", "expected"), [
    ("inner-newline", "VULTRKEY\nINJECTED: 1", None, RECORDS, "vultr:apiKey is not usable"),
    ("non-ascii", "VULTRKEYé", None, RECORDS, "vultr:apiKey is not usable"),
    ("wrong-key", WRONG_VULTR, None, RECORDS, "401"),
    ("unknown-domain", VULTR_TEST_KEY, None, {**RECORDS, "domain": "nowhere.example.net"}, "404"),
    ("closed-port", VULTR_TEST_KEY, CLOSED, RECORDS, "connection error"),
], ids=["inner-newline", "non-ascii", "wrong-key", "unknown-domain", "closed-port"])
def test_vultr_errors_never_show_the_key(emulators: Emulators, case: str, key: str, endpoint: str | None,
                                         props: dict[str, Any], expected: str) -> None:
    said = run(DnsRecordSetProvider(), vultr(emulators, key, endpoint), create_records(props))
    assert expected in said
    assert_no_key(said, case, key, VULTR_TEST_KEY)


def test_vultr_server_errors_never_show_the_key(emulators: Emulators) -> None:
    emulators.faults("vultr", error_rate=1.0)
    said = run(DnsRecordSetProvider(), vultr(emulators, VULTR_TEST_KEY), create_records(RECORDS))
    assert "Vultr list_records failed: 5" in said
    assert VULTR_TEST_KEY not in said


@pytest.mark.parametrize(("case", "key", "endpoint", "props", "expected"), [
    ("inner-newline", f"{EDGIO_TEST_KEY}\n00", None, RULE, "edgio:sharedKey is not usable"),
    ("not-hex", "zz" + EDGIO_TEST_KEY, None, RULE, "not hex"),
    ("wrong-key", WRONG_EDGIO, None, RULE, "401"),
    ("foreign-shortname", EDGIO_TEST_KEY, None, {**RULE, "shortname": "nobody"}, "403"),
    ("closed-port", EDGIO_TEST_KEY, "http://127.0.0.1:9/config-api/v1", RULE, "connection error"),
], ids=["inner-newline", "not-hex", "wrong-key", "foreign-shortname", "closed-port"])
def test_edgio_errors_never_show_the_key(emulators: Emulators, case: str, key: str, endpoint: str | None,
                                         props: dict[str, Any], expected: str) -> None:
    said = run(DeliveryRuleProvider(), edgio(emulators, key, endpoint), create_rule(props))
    assert expected in said
    assert_no_key(said, case, key, EDGIO_TEST_KEY)
