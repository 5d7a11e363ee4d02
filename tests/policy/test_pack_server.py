"""The pack's own gRPC server, started as the language host starts it (`python -m pulumi.policy`),
asked what the engine asks: its policies, a resource, the stack, with a stack's policy config."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi.runtime.proto import analyzer_pb2_grpc

from tests.policy.kit import DNS, PROJECT, RULE, record_set, rule

PACK = Path(__file__).resolve().parents[2] / "policy"
STACKS = PACK.parent / "stacks"


@pytest.fixture(scope="module")
def pack() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    env = {"PULUMI_CONFIG": json.dumps({"cdn-ingress:originDomain": "origin.example.com"}),
           "PULUMI_PROJECT": "cdn-ingress", "PULUMI_STACK": "prod", "PULUMI_DRY_RUN": "true",
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:1", str(PACK)], cwd=PACK,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = proc.stdout.readline().strip() if proc.stdout else ""
        assert port.isdigit(), f"the pack did not start: {proc.stderr.read() if proc.stderr else ''}"
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        proc.kill()
        proc.wait()


def struct(props: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(props)
    return out


def configure(stub: analyzer_pb2_grpc.AnalyzerStub, stack: str) -> None:
    """The stack's policy config file, as the CLI sends it (defaults first, then the file)."""
    config: dict[str, proto.PolicyConfig] = {}
    for info in stub.GetAnalyzerInfo(empty_pb2.Empty()).policies:
        defaults = {k: v["default"] for k, v in dict(info.configSchema.properties).items() if "default" in v}
        config[info.name] = proto.PolicyConfig(enforcementLevel=info.enforcementLevel, properties=struct(defaults))
    for name, value in json.loads((STACKS / f"policy.{stack}.json").read_text()).items():
        value = {"enforcementLevel": value} if isinstance(value, str) else dict(value)
        level = value.pop("enforcementLevel", None)
        if level:
            config[name].enforcementLevel = proto.EnforcementLevel.Value(level.upper())
        config[name].properties.update(value)
    stub.Configure(proto.ConfigureAnalyzerRequest(policyConfig=config))


def analyze(stub: analyzer_pb2_grpc.AnalyzerStub, kind: str, name: str, props: dict[str, Any],
            protect: bool = False) -> list[tuple[str, str, str]]:
    request = proto.AnalyzeRequest(type=kind, name=name, urn=f"{PROJECT}{kind}::{name}", properties=struct(props),
                                   options=proto.AnalyzerResourceOptions(protect=protect))
    return [(d.policyName, proto.EnforcementLevel.Name(d.enforcementLevel), d.message)
            for d in stub.Analyze(request).diagnostics]


def test_the_pack_lists_every_policy_with_its_level(pack: analyzer_pb2_grpc.AnalyzerStub) -> None:
    info = pack.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "cdn-ingress"
    assert {p.name: proto.EnforcementLevel.Name(p.enforcementLevel) for p in info.policies} == {
        "cdn-https-only": "ADVISORY", "origin-in-zone": "MANDATORY", "dns-ttl-bounds": "MANDATORY",
        "allowed-profiles": "MANDATORY", "app-labels": "ADVISORY", "protected-in-protected-stacks": "MANDATORY",
        "unique-host-path": "MANDATORY", "redundant-origins": "ADVISORY", "shared-origin-port": "MANDATORY",
        "route-ceiling": "MANDATORY"}


def test_prod_config_makes_http_a_mandatory_violation(pack: analyzer_pb2_grpc.AnalyzerStub) -> None:
    configure(pack, "prod")
    found = analyze(pack, RULE, "shop.example.com/api", rule(published_protocols=["http", "https"]), protect=True)
    assert found == [("cdn-https-only", "MANDATORY",
                      "CDN rules publish https only (mandatory in prod).\nDeliveryRule 'shop.example.com/api' "
                      "published_protocols=['http', 'https']: this stack publishes https only (annotation "
                      "cdn-ingress.io/published-protocols); allowed: ['https']")]


def test_prod_config_requires_protect_and_reads_the_stack_zone(pack: analyzer_pb2_grpc.AnalyzerStub) -> None:
    configure(pack, "prod")
    found = analyze(pack, DNS, "default/shop", record_set(domain="example.net"))
    assert [(policy, level) for policy, level, _ in found] == [
        ("origin-in-zone", "MANDATORY"), ("protected-in-protected-stacks", "MANDATORY")]


def test_local_config_leaves_http_advisory(pack: analyzer_pb2_grpc.AnalyzerStub) -> None:
    configure(pack, "local")
    found = analyze(pack, RULE, "shop.example.com/api", rule(published_protocols=["http", "https"]))
    assert [(policy, level) for policy, level, _ in found] == [("cdn-https-only", "ADVISORY")]


def test_stack_policy_reports_against_the_resource(pack: analyzer_pb2_grpc.AnalyzerStub) -> None:
    configure(pack, "prod")
    urn = f"{PROJECT}{DNS}::default/shop"
    lone = proto.AnalyzerResource(type=DNS, name="default/shop", urn=urn,
                                  properties=struct(record_set(addresses=["192.0.2.1"])))
    found = pack.AnalyzeStack(proto.AnalyzeStackRequest(resources=[lone])).diagnostics
    assert [(d.policyName, proto.EnforcementLevel.Name(d.enforcementLevel), d.urn) for d in found] == [
        ("redundant-origins", "MANDATORY", urn)]
