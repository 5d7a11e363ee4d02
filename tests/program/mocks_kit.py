"""Run the real ``__main__.py`` under Pulumi's mocks and record what it registers."""

from __future__ import annotations

import asyncio
import json
import runpy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor

from cdn_ingress.errors import ERROR_SHOWN_EXIT

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "cdn-ingress"
IDENTITY = "pulumi-python:dynamic/cdn:StackIdentity"
DEPLOYMENT = "pulumi-python:dynamic/edgio:RuleDeployment"
RULE = "pulumi-python:dynamic/edgio:DeliveryRule"
RECORDS = "pulumi-python:dynamic/vultr:DnsRecordSet"
STATUS = "pulumi-python:dynamic/cdn:IngressStatus"
CF_RECORD = "pulumi-python:dynamic/cloudflare:DnsRecord"
CF_RULE = "pulumi-python:dynamic/cloudflare:OriginRule"
ORIGIN_DOMAIN = "origin.example.com"
NODE_PORT_BASE = 30080


def is_unknown(value: Any) -> bool:
    return value == rpc.UNKNOWN or isinstance(value, pulumi.output.Unknown)


class Recorder(pulumi.runtime.Mocks):
    """Answers like the real providers would, for what the program reads back."""

    def __init__(self, preview: bool) -> None:
        self.preview = preview
        self.registered: list[pulumi.runtime.MockResourceArgs] = []
        self.dependencies: dict[tuple[str, str], list[str]] = {}  # (type, name) -> URNs it depends on
        self.secret_outputs: dict[tuple[str, str], list[str]] = {}  # (type, name) -> additionalSecretOutputs
        self.parents: dict[tuple[str, str], str] = {}  # (type, name) -> the parent's URN
        self.options: dict[tuple[str, str], dict[str, Any]] = {}  # (type, name) -> protect, retainOnDelete
        self.urns: dict[tuple[str, str], str] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append(args)
        outputs = dict(args.inputs)
        if args.typ == "kubernetes:core/v1:Service" and not self.preview:
            ports = [dict(p) for p in (outputs.get("spec") or {}).get("ports") or []]
            for index, port in enumerate(ports):
                port.setdefault("nodePort", NODE_PORT_BASE + index)
            outputs["spec"] = {**(outputs.get("spec") or {}), "ports": ports}
        if args.typ == RECORDS and not self.preview:
            outputs["fqdn"] = f"{args.inputs['name']}.{args.inputs['domain']}"
            outputs["record_ids"] = {a: f"id-{a}" for a in args.inputs["addresses"]}
        if args.typ == IDENTITY and not self.preview:
            outputs["token"] = "5f3a9c0d1e2b"
        if args.typ == RULE and not self.preview:
            inputs = args.inputs
            outputs.update(uuid=f"uuid-{args.name}", version=1, state="COMPLETED",
                           published_url=f"https://{inputs['published_hostname']}{inputs['published_path']}")
        if args.typ == CF_RULE and not self.preview:
            outputs.update(zone_id="0" * 32, ruleset_id="1" * 32, ref=f"ref-{args.name}", version="1",
                           published_url=f"https://{args.inputs['host']}{args.inputs['path']}")
        if args.typ == CF_RECORD and not self.preview:
            outputs.update(zone_id="0" * 32, modified_on="2026-01-01T00:00:00Z")
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        return {}, []

    def of_type(self, typ: str) -> list[pulumi.runtime.MockResourceArgs]:
        return [r for r in self.registered if r.typ == typ]


class RecordingMonitor(MockMonitor):
    """The SDK's mock monitor, also keeping what MockResourceArgs leaves out: each resource's
    dependencies and additional secret outputs, as the engine would receive them."""

    def __init__(self, mocks: Recorder) -> None:
        super().__init__(mocks)
        self.recorder = mocks

    def RegisterResource(self, request: Any) -> Any:
        key = (request.type, request.name)
        if key in self.recorder.urns:  # the engine refuses a second resource of one URN; the SDK's mock does not
            raise AssertionError(f"duplicate resource URN: {request.type} {request.name!r}")
        self.recorder.dependencies[key] = sorted(request.dependencies)
        self.recorder.secret_outputs[key] = sorted(request.additionalSecretOutputs)
        self.recorder.parents[key] = request.parent
        self.recorder.options[key] = {"protect": bool(request.protect),
                                      "retain_on_delete": bool(request.retainOnDelete)}
        response = super().RegisterResource(request)
        self.recorder.urns[key] = response.urn
        return response


@dataclass
class Run:
    mocks: Recorder
    routes: dict[str, Any] = field(default_factory=dict)
    urns: list[str] = field(default_factory=list)


def run_program(manifests: Path, *, preview: bool = False, mocks: Recorder | None = None,
                other_config: dict[str, str] | None = None, **config: Any) -> Run:
    """Execute ``__main__.py`` with mocks and the given project config (camelCase keys); other
    namespaces' keys (``cloudflare:zoneName``) in ``other_config``."""
    mocks = mocks or Recorder(preview)
    asyncio.set_event_loop(asyncio.new_event_loop())  # Pulumi's test runner uses the current loop
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack="test", preview=preview, monitor=RecordingMonitor(mocks))
    values = {"manifestsPath": str(manifests), "originDomain": ORIGIN_DOMAIN,
              "edgioShortname": "cstradtman", "originAddresses": ["198.51.100.1", "198.51.100.2"],
              **config}
    pulumi.runtime.set_all_config({
        f"{PROJECT}:{key}": value if isinstance(value, str) else json.dumps(value)
        for key, value in values.items()
    } | (other_config or {}))
    run = Run(mocks)

    @pulumi.runtime.test
    def program() -> pulumi.Output[Any]:
        try:
            namespace = runpy.run_path(str(ROOT / "__main__.py"), run_name="__pulumi_program__")
        except SystemExit as stop:  # a user's mistake: shown, then the launcher's "error shown" exit
            assert stop.code == ERROR_SHOWN_EXIT, stop.code
            assert isinstance(stop.__cause__, pulumi.RunError), stop.__cause__
            raise stop.__cause__ from None
        app = namespace["app"]
        origins = [record_set for origin in app.origins.values() for record_set in origin.sets]
        resources = [*app.objects.values(), *origins, *app.rules.values(), *app.statuses,
                     *app.deployments.values(), *getattr(app, "records", [])]
        return pulumi.Output.all(app.routes, *[r.urn for r in resources]).apply(
            lambda values: (run.routes.update(values[0] or {}), run.urns.extend(values[1:])))

    program()
    return run
