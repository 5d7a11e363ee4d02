"""Values as the Pulumi engine hands them to a dynamic provider: not yet known in a preview, and
numbers as doubles. Shared by the providers; the vendor clients never import this module."""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown


def known(value: Any) -> bool:
    """False when the value, or anything inside it, is not known yet (a preview)."""
    if isinstance(value, Unknown):
        return False
    if isinstance(value, list):
        return all(known(v) for v in value)
    if isinstance(value, dict):
        return all(known(v) for v in value.values())
    return True


def whole(value: Any) -> Any:
    """Numbers cross the engine's wire as doubles: give whole ones back their int type."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [whole(v) for v in value]
    if isinstance(value, dict):
        return {k: whole(v) for k, v in value.items()}
    return value
