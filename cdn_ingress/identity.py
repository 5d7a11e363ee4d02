"""``StackIdentity``: a random token made once per stack instance and kept in its state.

Vendor objects carry their owner as ``<project>/<stack>/<token>``: two copies of one stack on two
state backends (same project, same stack name, same config file) get different tokens, so
neither mistakes the other's records or rules for ones its own killed run left behind.
"""

from __future__ import annotations

import secrets
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider


class StackIdentityProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("identity", {"token": secrets.token_hex(6)})

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=False)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, props, {})


class StackIdentity(Resource, module="cdn", name="StackIdentity"):
    """The stack instance's token (12 hex digits), stable for the life of its state."""

    token: pulumi.Output[str]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(StackIdentityProvider(), resource_name, {"token": None}, opts)

    def owner(self) -> pulumi.Output[str]:
        return pulumi.Output.concat(pulumi.get_project(), "/", pulumi.get_stack(), "/", self.token)
