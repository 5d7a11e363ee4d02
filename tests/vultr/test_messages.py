"""What the engine receives when a Vultr record set fails, through the SDK's own provider server:
an expected failure is its message alone, naming the records; a bug keeps its traceback."""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from tests.conftest import VULTR_TEST_KEY
from tests.support.emulator import Emulators
from tests.support.provider_server import ProviderServer, secret, urn
from tests.vultr.test_vultr import TYPE, ZONE, client, props
from vultr_provider.provider import DnsRecordSetProvider

NAME = urn(TYPE, "default/pywai")


def details(call: Any) -> str:
    """What the engine prints after ``error:`` when ``call`` fails."""
    with pytest.raises(grpc.RpcError) as caught:
        call()
    assert caught.value.code() == grpc.StatusCode.UNKNOWN
    return str(caught.value.details())


def serve(emulators: Emulators, config: dict[str, Any], call: str, *args: Any) -> str:
    emulators.faults("vultr", rate_limit_per_second=0)
    with ProviderServer(DnsRecordSetProvider()) as server:
        server.configure(config)
        return details(lambda: getattr(server, call)(NAME, *args))


def test_a_conflict_is_its_message_alone(emulators: Emulators) -> None:
    foreign = client(emulators).create_record(ZONE, name="pywai", type="A", data="198.51.100.1", ttl=120)
    said = serve(emulators, {"vultr:apiKey": secret(VULTR_TEST_KEY), "vultr:endpoint": emulators.vultr,
                             "vultr:requestsPerSecond": "500"}, "create", props())
    assert said.startswith(f"pywai.{ZONE} A holds records this set does not own: id={foreign['id']} "), said
    assert "Traceback" not in said


def test_missing_credentials_are_their_message_alone(emulators: Emulators) -> None:
    said = serve(emulators, {"vultr:endpoint": emulators.vultr}, "create", props())
    assert said.startswith("no Vultr API key: set it with `pulumi config set --secret vultr:apiKey <key>`"), said
    assert "Traceback" not in said


def test_a_bug_keeps_its_traceback(emulators: Emulators) -> None:
    said = serve(emulators, {"vultr:apiKey": secret(VULTR_TEST_KEY), "vultr:endpoint": emulators.vultr},
                 "create", {})  # no inputs at all: the engine never sends this
    assert said.startswith("Traceback (most recent call last):") and "Error" in said.splitlines()[-1], said
