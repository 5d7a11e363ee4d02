"""Credentials as they come from config or the environment: trimmed, and refused (without ever
echoing them) when they cannot travel in an HTTP header."""

from __future__ import annotations

from collections.abc import Callable


def clean_credential(raw: str, *, setting: str, error: Callable[[str], Exception]) -> str:
    """``raw`` without surrounding whitespace; raises ``error(message)`` naming ``setting`` when
    what is left is empty or holds whitespace, control or non-ASCII characters."""
    value = raw.strip()
    if not value or any(c.isspace() or not c.isprintable() or ord(c) > 126 for c in value):
        raise error(f"{setting} is not usable: after trimming surrounding whitespace it is empty or "
                    "still holds whitespace, control or non-ASCII characters (the value is not shown); "
                    f"set it again with `pulumi config set --secret {setting} <value>`")
    return value
