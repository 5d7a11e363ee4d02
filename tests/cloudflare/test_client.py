"""The Cloudflare client: the official library's HTTP through restkit, errors mapped once, no
token in any message, and creates whose answers are lost settled without a duplicate."""

from __future__ import annotations

import pytest

from cloudflare_provider import (
    CloudflareAuthError,
    CloudflareBadRequest,
    CloudflareClient,
    CloudflareConfigError,
    CloudflareNotFound,
    CloudflareRateLimited,
)
from restkit import RetryPolicy
from tests.cloudflare.kit import ZONE, client, zone_id
from tests.conftest import CLOUDFLARE_TEST_TOKEN
from tests.support.emulator import Emulators


def test_verify_and_zone_lookup(emulators: Emulators) -> None:
    c = client(emulators)
    assert c.verify_token()["status"] == "active"
    assert len(c.zone_id(ZONE)) == 32
    with pytest.raises(CloudflareConfigError, match=r"no Cloudflare zone named 'absent\.example'"):
        c.zone_id("absent.example")


def test_wrong_token_names_no_token(emulators: Emulators) -> None:
    with pytest.raises(CloudflareAuthError) as refused:
        client(emulators, token="wrong-token-value").zone_id(ZONE)
    message = str(refused.value)
    assert message.startswith("Cloudflare list_zones failed: 403 for GET /client/v4/zones: code 10000")
    assert "wrong-token-value" not in message and CLOUDFLARE_TEST_TOKEN not in message


def test_vendor_refusal_names_code_and_field(emulators: Emulators) -> None:
    with pytest.raises(CloudflareBadRequest) as refused:
        client(emulators).create_record(zone_id(emulators), {"name": "www.example.com", "type": "A",
                                                             "content": "nope", "ttl": 1, "comment": ""})
    assert "code 9006" in str(refused.value) and "content" in str(refused.value)
    assert refused.value.codes == (9006,)


def test_not_found_maps_to_its_class(emulators: Emulators) -> None:
    with pytest.raises(CloudflareNotFound):
        client(emulators).get_record(zone_id(emulators), "0" * 32)


def test_environment_email_and_key_never_replace_the_token(emulators: Emulators,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFLARE_EMAIL", "someone@example.com")
    monkeypatch.setenv("CLOUDFLARE_API_KEY", "a-global-key")
    assert client(emulators).verify_token()["status"] == "active"


def test_lost_create_answers_make_one_record(emulators: Emulators) -> None:
    zone = zone_id(emulators)
    emulators.faults("cloudflare", lost_response_rate=1.0)
    fields = {"name": "lost.example.com", "type": "A", "content": "192.0.2.7", "ttl": 1, "comment": "c"}
    made = client(emulators).create_record(zone, fields)
    emulators.faults("cloudflare", lost_response_rate=0.0)
    live = client(emulators).list_records(zone, "lost.example.com")
    assert [r["id"] for r in live] == [made["id"]]


def test_rate_limit_window_exhausted_is_an_error_naming_it(emulators: Emulators) -> None:
    emulators.settings("cloudflare", rate_limit_requests=1, rate_limit_window_seconds=2.0)
    c = client(emulators)
    c.verify_token()
    once = CloudflareClient(CLOUDFLARE_TEST_TOKEN, endpoint=emulators.cloudflare, requests_per_second=500,
                            retry=RetryPolicy(max_attempts=1))
    with pytest.raises(CloudflareRateLimited, match="429 for GET /client/v4/user/tokens/verify: code 971"):
        once.verify_token()
    assert c.verify_token()["status"] == "active"  # waits out Retry-After (2 s); its own backoff is 50 ms
