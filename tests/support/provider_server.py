"""Drive a dynamic provider exactly as the engine does: through the Pulumi SDK's own provider
server (``python -m pulumi.dynamic``) over gRPC, with the provider pickled into ``__provider``."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import struct_pb2
from pulumi.dynamic.dynamic import ResourceProvider, serialize_provider
from pulumi.runtime import proto, rpc
from pulumi.runtime.proto import provider_pb2_grpc

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "cdn-ingress"
UNKNOWN = rpc.UNKNOWN  # put this in a property to send it as a not-yet-known value


def secret(value: Any) -> dict[str, Any]:
    """A config or property value wrapped as a Pulumi secret on the wire."""
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}


def _serialize(props: dict[str, Any]) -> struct_pb2.Struct:
    loop = asyncio.new_event_loop()  # not asyncio.run: it would unset the thread's current loop
    try:
        return loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()


def _plain(struct: struct_pb2.Struct) -> dict[str, Any]:
    return dict(rpc.deserialize_properties(struct, keep_unknowns=True))


class ProviderServer:
    """The real provider server in a child process (cwd = project root, like the engine)."""

    def __init__(self, provider: ResourceProvider, *, env: dict[str, str] | None = None) -> None:
        self.provider_blob = serialize_provider(provider)
        child_env = {**os.environ, "PULUMI_PROJECT": PROJECT, **(env or {})}
        self._process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic", "127.0.0.1:0"],
            cwd=ROOT, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        assert self._process.stdout is not None
        port = self._process.stdout.readline().decode().strip()
        if not port.isdigit():
            self.close()
            raise RuntimeError(f"provider server did not start: {self.stderr()}")
        self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self._channel)

    def __enter__(self) -> ProviderServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if getattr(self, "_channel", None) is not None:
            self._channel.close()
        self._process.kill()
        self._process.wait(timeout=10)

    def stderr(self) -> str:
        """What the server printed on stderr (only after close)."""
        if self._process.poll() is None:
            return ""
        assert self._process.stderr is not None
        return self._process.stderr.read().decode(errors="replace")

    def _with_provider(self, props: dict[str, Any]) -> dict[str, Any]:
        return {**props, "__provider": self.provider_blob}

    def configure(self, config: dict[str, Any]) -> None:
        """``config`` keys are fully qualified (``vultr:apiKey``); wrap secrets with secret()."""
        self.stub.Configure(proto.ConfigureRequest(args=_serialize(config), acceptSecrets=True))

    def check(self, urn: str, olds: dict[str, Any], news: dict[str, Any]
              ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        response = self.stub.Check(proto.CheckRequest(
            urn=urn, olds=_serialize(olds), news=_serialize(self._with_provider(news))))
        return _plain(response.inputs), [(f.property, f.reason) for f in response.failures]

    def diff(self, urn: str, id_: str, olds: dict[str, Any], news: dict[str, Any]
             ) -> proto.DiffResponse:
        return self.stub.Diff(proto.DiffRequest(
            urn=urn, id=id_, olds=_serialize(olds), news=_serialize(self._with_provider(news))))

    def create(self, urn: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Create(proto.CreateRequest(
            urn=urn, properties=_serialize(self._with_provider(props))))
        return response.id, _plain(response.properties)

    def read(self, urn: str, id_: str, props: dict[str, Any]
             ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        response = self.stub.Read(proto.ReadRequest(
            urn=urn, id=id_, properties=_serialize(self._with_provider(props))))
        return response.id, _plain(response.properties), _plain(response.inputs)

    def update(self, urn: str, id_: str, olds: dict[str, Any], news: dict[str, Any]
               ) -> dict[str, Any]:
        response = self.stub.Update(proto.UpdateRequest(
            urn=urn, id=id_, olds=_serialize(self._with_provider(olds)),
            news=_serialize(self._with_provider(news))))
        return _plain(response.properties)

    def delete(self, urn: str, id_: str, props: dict[str, Any]) -> None:
        self.stub.Delete(proto.DeleteRequest(urn=urn, id=id_, properties=_serialize(self._with_provider(props))))


def urn(type_token: str, name: str, stack: str = "test") -> str:
    return f"urn:pulumi:{stack}::{PROJECT}::{type_token}::{name}"
