"""Client settings as they come from stack config or the environment: credentials trimmed and
refused (without ever echoing them) when they cannot travel in an HTTP header, and numbers that
must be positive."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any


def clean_credential(raw: str, *, setting: str, error: Callable[[str], Exception]) -> str:
    """``raw`` without surrounding whitespace; raises ``error(message)`` naming ``setting`` when
    what is left is empty or holds whitespace, control or non-ASCII characters."""
    value = raw.strip()
    if not value or any(c.isspace() or not c.isprintable() or ord(c) > 126 for c in value):
        raise error(f"{setting} is not usable: after trimming surrounding whitespace it is empty or "
                    "still holds whitespace, control or non-ASCII characters (the value is not shown); "
                    f"set it again with `pulumi config set --secret {setting} <value>`")
    return value


def positive_setting(value: Any, default: float, *, setting: str, error: Callable[[str], Exception]) -> float:
    """``value`` as a positive, finite number (``default`` when unset); raises ``error`` naming
    ``setting`` and the value otherwise."""
    if value in (None, ""):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (number > 0 and math.isfinite(number)):
        raise error(f"{setting}={value!r}: must be a positive number")
    return number
