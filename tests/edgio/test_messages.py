"""What the engine receives when an Edgio resource fails, through the SDK's own provider server:
an expected failure is its message alone, naming the object; a bug keeps its traceback."""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from edgio_provider.deployment import RuleDeploymentProvider
from edgio_provider.provider import DeliveryRuleProvider
from edgio_provider.rules import payload
from tests.conftest import EDGIO_TEST_KEY, EDGIO_TEST_USER
from tests.edgio.test_edgio import TYPE, client, inputs, provider
from tests.edgio.test_ownership import group
from tests.support.emulator import Emulators
from tests.support.provider_server import ProviderServer, secret, urn

NAME = urn(TYPE, "www.acme.s.llnwi.net/shop")
DEPLOYMENT = urn("pulumi-python:dynamic/edgio:RuleDeployment", "shop")


def config(emulators: Emulators, **changes: Any) -> dict[str, Any]:
    return {"edgio:username": EDGIO_TEST_USER, "edgio:sharedKey": secret(EDGIO_TEST_KEY),
            "edgio:endpoint": emulators.edgio, "edgio:requestsPerSecond": "500", "edgio:pollSeconds": "0.01",
            **changes}


def details(call: Any) -> str:
    """What the engine prints after ``error:`` when ``call`` fails."""
    with pytest.raises(grpc.RpcError) as caught:
        call()
    assert caught.value.code() == grpc.StatusCode.UNKNOWN
    return str(caught.value.details())


def test_a_conflict_is_its_message_alone(emulators: Emulators) -> None:
    theirs = client(emulators).create(payload(provider(emulators).check({}, inputs(owner="other/prod/9d0e11")).inputs))
    with ProviderServer(DeliveryRuleProvider()) as server:
        server.configure(config(emulators))
        said = details(lambda: server.create(NAME, inputs()))
    assert said == ("an Edgio rule for www.acme.s.llnwi.net/shop exists already and is not managed by this "
                    f"stack: uuid={theirs['uuid']} (claimed by owner other/prod/9d0e11); set adopt "
                    "(cdn-ingress:adoptExisting) to take it over")


def test_a_refused_payload_names_the_rule(emulators: Emulators) -> None:
    with ProviderServer(DeliveryRuleProvider()) as server:
        server.configure(config(emulators))
        said = details(lambda: server.create(NAME, inputs(profile_name="No-Such-Profile")))
    assert said.startswith("Edgio rule www.acme.s.llnwi.net/shop: Edgio create failed: 400 for POST "
                           "/svcinst/delivery: "), said
    assert "No-Such-Profile" in said and "Traceback" not in said


def test_missing_credentials_are_their_message_alone(emulators: Emulators) -> None:
    with ProviderServer(DeliveryRuleProvider()) as server:
        server.configure({"edgio:endpoint": emulators.edgio})
        said = details(lambda: server.create(NAME, inputs()))
    assert said.startswith("no Edgio credentials: set `pulumi config set edgio:username <user>`"), said
    assert "Traceback" not in said


def test_a_deploy_timeout_is_its_message_alone(emulators: Emulators) -> None:
    created = provider(emulators).create(provider(emulators).check({}, inputs()).inputs)
    emulators.settings("edgio", pending_seconds=60)
    with ProviderServer(RuleDeploymentProvider()) as server:
        server.configure(config(emulators))
        said = details(lambda: server.create(DEPLOYMENT, group([created.outs], timeout=0.2)))
    assert said == ("Edgio rules not deployed after 0.2 s (deployTimeoutSeconds): "
                    f"www.acme.s.llnwi.net/shop (uuid={created.id}) still 'PROCESSING'")


def test_a_bug_keeps_its_traceback(emulators: Emulators) -> None:
    with ProviderServer(DeliveryRuleProvider()) as server:
        server.configure(config(emulators))
        said = details(lambda: server.create(NAME, {}))  # no inputs at all: the engine never sends this
    assert said.startswith("Traceback (most recent call last):") and "KeyError: 'shortname'" in said
