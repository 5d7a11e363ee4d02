"""The ``DeliveryRule`` resource: published host + path -> origin host:port on Edgio Delivery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from edgio_provider.deployment import RuleDeploymentProvider
from edgio_provider.provider import DeliveryRuleProvider


@dataclass(frozen=True)
class DeliveryRuleArgs:
    shortname: pulumi.Input[str]
    """The Edgio account the rule lives in."""
    published_hostname: pulumi.Input[str]
    published_path: pulumi.Input[str]
    source_hostname: pulumi.Input[str]
    """The origin name (round-robin DNS)."""
    source_port: pulumi.Input[int]
    """The Service's NodePort."""
    source_path: pulumi.Input[str] = "/"
    published_protocols: pulumi.Input[Sequence[str]] = ("https",)
    source_protocol: pulumi.Input[str] = "http"
    profile_name: pulumi.Input[str] = "LLNW-Generic"
    options: pulumi.Input[Sequence[Mapping[str, Any]]] = ()
    """Each ``{"name": ..., "parameters": [...]}``, on every protocol set."""
    adopt: pulumi.Input[bool] = False
    """Take over a rule of this host + path that is not this stack's instead of failing."""
    owner: pulumi.Input[str] = ""
    """The stack instance (``<project>/<stack>/<token>``) whose claim the rule carries."""


class DeliveryRule(Resource, module="edgio", name="DeliveryRule"):
    """One Edgio delivery service instance, owned by uuid."""

    shortname: pulumi.Output[str]
    published_hostname: pulumi.Output[str]
    published_path: pulumi.Output[str]
    owner: pulumi.Output[str]
    uuid: pulumi.Output[str]
    version: pulumi.Output[int]
    """``revision.versionNumber`` of the rule as last written or refreshed."""
    state: pulumi.Output[str]
    published_url: pulumi.Output[str]

    def __init__(self, resource_name: str, args: DeliveryRuleArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props: dict[str, Any] = {f.name: getattr(args, f.name) for f in fields(args)}
        for key in ("published_protocols", "options"):
            if isinstance(props[key], tuple):
                props[key] = list(props[key])
        props.update(uuid=None, version=None, state=None, published_url=None)
        super().__init__(DeliveryRuleProvider(), resource_name, props, opts)


class RuleDeployment(Resource, module="edgio", name="RuleDeployment"):
    """Done when every rule given is deployed (``COMPLETED`` at or after the version written)."""

    states: pulumi.Output[dict[str, str]]
    """uuid -> the last state seen."""

    def __init__(self, resource_name: str, *, rules: pulumi.Input[Sequence[Mapping[str, Any]]],
                 timeout_seconds: pulumi.Input[float] = 600, opts: pulumi.ResourceOptions | None = None) -> None:
        props = {"rules": rules, "timeout_seconds": timeout_seconds, "states": None}
        super().__init__(RuleDeploymentProvider(), resource_name, props, opts)
