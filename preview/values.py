"""Property values as the engine's event log writes them: secrets, unknowns, and diffs of inputs.

Secrets arrive as objects carrying the secret signature (ciphertext blinded to ``[secret]``; a
``plaintext`` only with ``--show-secrets``): both render as ``[secret]``, never their content.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
HIDDEN_KEYS = frozenset({"__provider"})  # the dynamic provider's pickled code: noise, and secret
SECRET_TEXT = "[secret]"
UNKNOWN_TEXT = "(known after apply)"
MAX_VALUE_CHARS = 240


class Secret:
    """A value the engine marked secret; its content is dropped when the log is read."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return SECRET_TEXT


class Unknown:
    """A value not known until ``up`` (an output of a resource not created yet)."""

    def __eq__(self, other: object) -> bool:
        return False  # two unknowns may differ: an unknown is always a possible change

    def __hash__(self) -> int:
        return 1

    def __repr__(self) -> str:
        return UNKNOWN_TEXT


SECRET = Secret()


def clean(value: Any) -> Any:
    """The value with every secret replaced by ``SECRET`` and every unknown by an ``Unknown``."""
    if isinstance(value, Mapping):
        if value.get(SIG_KEY) == SECRET_SIG:
            return SECRET
        return {str(k): clean(v) for k, v in value.items() if k not in HIDDEN_KEYS}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if value == UNKNOWN:
        return Unknown()
    return value


def is_known(value: Any) -> bool:
    if isinstance(value, Unknown | Secret):
        return False
    if isinstance(value, Mapping):
        return all(is_known(v) for v in value.values())
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    return True


def show(value: Any, limit: int = MAX_VALUE_CHARS) -> str:
    """One line: JSON-like, secrets and unknowns named, long values cut with their length."""
    text = json.dumps(_displayable(value), ensure_ascii=False, separators=(", ", ": "))
    if len(text) > limit:
        return f"{text[:limit]}… ({len(text)} chars)"
    return text


def _displayable(value: Any) -> Any:
    if isinstance(value, Secret | Unknown):
        return repr(value)
    if isinstance(value, Mapping):
        return {k: _displayable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_displayable(v) for v in value]
    return value


@dataclass(frozen=True)
class Change:
    """One property path whose value differs; ``old``/``new`` is ``ABSENT`` when missing."""

    path: str
    old: Any
    new: Any


ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "(absent)"})()


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Objects and lists of objects are walked; scalars and lists of scalars are leaves, so a list
    of addresses compares as one value."""
    if isinstance(value, Mapping) and value:
        for key in sorted(value):
            yield from _leaves(value[key], f"{path}.{key}" if path else key)
    elif isinstance(value, list) and value and all(isinstance(v, Mapping | list) for v in value):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def diff(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[Change]:
    """Every leaf path that differs between two cleaned input maps, in path order."""
    olds, news = dict(_leaves(old or {}, "")), dict(_leaves(new or {}, ""))
    olds.pop("", None)
    news.pop("", None)
    changes = []
    for path in sorted(olds.keys() | news.keys()):
        before, after = olds.get(path, ABSENT), news.get(path, ABSENT)
        if before is ABSENT or after is ABSENT or before != after:
            changes.append(Change(path, before, after))
    return changes
