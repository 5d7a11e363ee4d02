"""Arguments for a policy's validate function, built as the SDK builds them from the engine's request."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.proxy import unknown_checking_proxy

RULE = "pulumi-python:dynamic/edgio:DeliveryRule"
DNS = "pulumi-python:dynamic/vultr:DnsRecordSet"
SERVICE = "kubernetes:core/v1:Service"
PROJECT = "urn:pulumi:e2e::cdn-ingress::cdn-ingress:index:CdnIngressApp$"


def options(*, protect: bool = False) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def resource(resource_type: str, name: str, props: Mapping[str, Any], *, protect: bool = False,
             config: Mapping[str, Any] | None = None) -> ResourceValidationArgs:
    urn = f"{PROJECT}{resource_type}::{name}"
    return ResourceValidationArgs(resource_type, unknown_checking_proxy(dict(props)), urn, name,
                                  options(protect=protect), None, config)


def member(resource_type: str, name: str, props: Mapping[str, Any]) -> PolicyResource:
    return PolicyResource(resource_type, unknown_checking_proxy(dict(props)), f"{PROJECT}{resource_type}::{name}",
                          name, options(), None, None, [], {})


def stack(resources: list[PolicyResource], config: Mapping[str, Any] | None = None) -> StackValidationArgs:
    return StackValidationArgs(resources, config)


def violations(validate: Callable[[Any, Any], Any], args: Any) -> list[tuple[str, str | None]]:
    """Every (message, urn) the validate function reports."""
    found: list[tuple[str, str | None]] = []
    validate(args, lambda message, urn=None: found.append((message, urn)))
    return found


def rule(**props: Any) -> dict[str, Any]:
    return {"shortname": "acme", "published_hostname": "shop.example.com", "published_path": "/api",
            "source_hostname": "shop.origin.example.com", "source_port": 30080,
            "published_protocols": ["https"], "profile_name": "LLNW-Generic", **props}


def record_set(**props: Any) -> dict[str, Any]:
    return {"domain": "origin.example.com", "name": "shop", "type": "A",
            "addresses": ["192.0.2.1", "192.0.2.2"], "ttl": 120, **props}
