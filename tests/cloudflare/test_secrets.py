"""The Cloudflare token never reaches a message: every error path of both Cloudflare providers,
through the SDK's provider server, searched for the token given and the real one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi.dynamic import ResourceProvider

from cloudflare_provider.provider import DnsRecordProvider
from cloudflare_provider.rule_provider import OriginRuleProvider
from tests.cloudflare.kit import config, record, route
from tests.conftest import CLOUDFLARE_TEST_TOKEN
from tests.support.emulator import Emulators
from tests.support.provider_server import ProviderServer, secret, urn
from tests.test_secrets import assert_no_key, run

CLOSED = "http://127.0.0.1:9/client/v4"
KINDS: dict[str, tuple[Callable[[], ResourceProvider], dict[str, Any]]] = {
    "DnsRecord": (DnsRecordProvider, record()), "OriginRule": (OriginRuleProvider, route())}


def create(kind: str, props: dict[str, Any]) -> Callable[[ProviderServer], None]:
    return lambda s: s.create(urn(f"pulumi-python:dynamic/cloudflare:{kind}", "x"), props)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize(("case", "token", "extra", "expected"), [
    ("inner-newline", "CFTOKEN\nINJECTED: 1", {}, "cloudflare:apiToken is not usable"),
    ("non-ascii", "CFTOKENé", {}, "cloudflare:apiToken is not usable"),
    ("wrong-token", "wrong-token-0123456789", {}, "403"),
    ("unknown-zone", CLOUDFLARE_TEST_TOKEN, {"cloudflare:zoneName": "nowhere.example"}, "no Cloudflare zone"),
    ("closed-port", CLOUDFLARE_TEST_TOKEN, {"cloudflare:endpoint": CLOSED}, "connection error"),
], ids=["inner-newline", "non-ascii", "wrong-token", "unknown-zone", "closed-port"])
def test_errors_never_show_the_token(emulators: Emulators, kind: str, case: str, token: str,
                                     extra: dict[str, Any], expected: str) -> None:
    provider, props = KINDS[kind]
    settings = {**config(emulators), **extra, "cloudflare:apiToken": secret(token)}
    said = run(provider(), settings, create(kind, props))
    assert expected in said
    assert_no_key(said, case, token, CLOUDFLARE_TEST_TOKEN)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_server_errors_never_show_the_token(emulators: Emulators, kind: str) -> None:
    emulators.faults("cloudflare", error_rate=1.0)
    provider, props = KINDS[kind]
    said = run(provider(), {**config(emulators), "cloudflare:apiToken": secret(CLOUDFLARE_TEST_TOKEN)},
               create(kind, props))
    assert "Cloudflare list_zones failed: 5" in said
    assert CLOUDFLARE_TEST_TOKEN not in said
