"""What every policy shares: the type tokens of our resources, reading properties that a preview
may not know yet, the policy's settings, and the one shape of a violation message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi.runtime
from pulumi_policy.proxy import UnknownValueError

DNS_RECORD_SET = "pulumi-python:dynamic/vultr:DnsRecordSet"
DELIVERY_RULE = "pulumi-python:dynamic/edgio:DeliveryRule"
INGRESS_STATUS = "pulumi-python:dynamic/cdn:IngressStatus"
ORIGIN_RULE = "pulumi-python:dynamic/cloudflare:OriginRule"  # a CDN rule on a Cloudflare stack
CLOUDFLARE_RECORD = "pulumi-python:dynamic/cloudflare:DnsRecord"  # a published host or an origin alias
CDN_RULES = (DELIVERY_RULE, ORIGIN_RULE)
KUBERNETES = "kubernetes:"  # prefix of every Kubernetes object's type (its provider is pulumi:providers:...)


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown until the update>"


UNKNOWN: Any = _Unknown()
"""A value the engine cannot know during a preview (e.g. another resource's output)."""


def plain(value: Any) -> Any:
    """The value as plain lists and dicts, or UNKNOWN if it holds anything not known yet."""
    try:
        if isinstance(value, Mapping):
            items = {str(k): plain(value[k]) for k in value}
            return UNKNOWN if any(v is UNKNOWN for v in items.values()) else items
        if isinstance(value, Sequence) and not isinstance(value, str):
            elements = [plain(value[i]) for i in range(len(value))]
            return UNKNOWN if any(v is UNKNOWN for v in elements) else elements
    except UnknownValueError:
        return UNKNOWN
    return value


def prop(props: Mapping[str, Any], key: str) -> Any:
    """A property as plain data; None when absent, UNKNOWN when not known yet."""
    try:
        return plain(props[key]) if key in props else None
    except UnknownValueError:
        return UNKNOWN


def setting(config: Mapping[str, Any], key: str, default: Any) -> Any:
    """A property of the policy's configuration (--policy-pack-config), else its default."""
    value = config.get(key)
    return default if value is None else value


def stack_config(key: str) -> str | None:
    """A value of the stack's configuration (the engine hands it to the pack at start)."""
    value = pulumi.runtime.get_config(key)
    return value if isinstance(value, str) and value else None


def kind_of(resource_type: str) -> str:
    """`DeliveryRule` for `pulumi-python:dynamic/edgio:DeliveryRule`, `Service` for `kubernetes:core/v1:Service`."""
    return resource_type.rsplit(":", 1)[-1]


def violation(resource_type: str, name: str, field: str, value: Any, why: str, allowed: str) -> str:
    """`<Kind> '<name>' <field>=<value>: <why>; allowed: <allowed>`, the shape of every message."""
    return f"{kind_of(resource_type)} {name!r} {field}={value!r}: {why}; allowed: {allowed}"
