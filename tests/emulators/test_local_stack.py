"""One setting moves both: the ports the local stack starts the emulators on are the ports its
providers call, because stacks/Pulumi.local.yaml names no endpoint that would win over them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from pulumi.dynamic import Config, ConfigureRequest

from edgio_provider.provider import DeliveryRuleProvider
from tests.conftest import EDGIO_TEST_KEY, EDGIO_TEST_USER, VULTR_TEST_KEY
from tests.support.emulator import ROOT, Emulators
from vultr_provider.provider import DnsRecordSetProvider


def endpoints(**env: str) -> dict[str, str]:
    done = subprocess.run([str(ROOT / "scripts/local-stack.sh"), "endpoints"], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=30, check=True)
    return dict(item.split("=", 1) for item in done.stdout.split())


def test_ports_move_the_endpoints() -> None:
    assert endpoints() == {"VULTR_ENDPOINT": "http://127.0.0.1:18081/v2",
                           "EDGIO_ENDPOINT": "http://127.0.0.1:18082/config-api/v1",
                           "CLOUDFLARE_ENDPOINT": "http://127.0.0.1:18083/client/v4"}
    moved = endpoints(EMULATOR_VULTR_PORT="29081", EMULATOR_EDGIO_PORT="29082", EMULATOR_CLOUDFLARE_PORT="29083")
    assert moved == {"VULTR_ENDPOINT": "http://127.0.0.1:29081/v2",
                     "EDGIO_ENDPOINT": "http://127.0.0.1:29082/config-api/v1",
                     "CLOUDFLARE_ENDPOINT": "http://127.0.0.1:29083/client/v4"}


def test_an_unknown_local_stack_is_refused() -> None:
    done = subprocess.run([str(ROOT / "scripts/local-stack.sh"), "endpoints"], capture_output=True, text=True,
                          env={**os.environ, "LOCAL_STACK": "prod"}, timeout=30, check=False)
    assert (done.returncode, done.stderr) == (2, "LOCAL_STACK=prod is not a local stack (allowed: local, "
                                                 "local-cloudflare)\n")


@pytest.mark.parametrize("stack", ["local", "local-cloudflare"])
def test_local_stack_names_no_endpoint(stack: str) -> None:
    config = yaml.safe_load(Path(ROOT / f"stacks/Pulumi.{stack}.yaml").read_text())["config"]
    assert not [key for key in config if key.endswith(":endpoint")]


def test_providers_with_the_local_config_call_the_moved_emulators(live: Emulators,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    config = yaml.safe_load(Path(ROOT / "stacks/Pulumi.local.yaml").read_text())["config"]
    plain = {k: str(v) for k, v in config.items() if not isinstance(v, dict)}
    monkeypatch.setenv("VULTR_ENDPOINT", live.vultr)
    monkeypatch.setenv("EDGIO_ENDPOINT", live.edgio)
    vultr = DnsRecordSetProvider()
    vultr.configure(ConfigureRequest(Config({**plain, "vultr:apiKey": VULTR_TEST_KEY}, "cdn-ingress")))
    edgio = DeliveryRuleProvider()
    edgio.configure(ConfigureRequest(Config({**plain, "edgio:username": EDGIO_TEST_USER,
                                             "edgio:sharedKey": EDGIO_TEST_KEY}, "cdn-ingress")))
    live.admin("vultr", "DELETE", "calls")
    live.admin("edgio", "DELETE", "calls")
    assert [d["domain"] for d in vultr.client().list_domains()] == ["origin.example.com"]
    edgio.client().list_rules("acme")
    assert live.calls("vultr") and live.calls("edgio")
