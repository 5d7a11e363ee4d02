"""The cdn-ingress policies: resource policies (one resource) and stack policies (the whole stack)."""

from __future__ import annotations

from pulumi_policy import Policy

from . import resources, stack

POLICIES: list[Policy] = [*resources.POLICIES, *stack.POLICIES]

__all__ = ["POLICIES"]
