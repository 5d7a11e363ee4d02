"""Settings dataclasses as command-line flags (with environment fallbacks) and as run-time changes.

A vendor's settings class becomes ``--<vendor>-<name>`` / ``EMULATOR_<VENDOR>_<NAME>`` at start and
can be changed later through ``POST /_emulator/settings`` with the same names and the same checks.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
T2 = TypeVar("T2")


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "true", "yes", "on"):
        return True
    if str(value).lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_value(name: str, kind: Callable[[Any], T2], default: object) -> T2:
    """The environment variable ``name`` read as ``kind``, else ``default``; ValueError names it."""
    text = os.environ.get(name)
    try:
        return kind(default if text is None else text)
    except ValueError as exc:
        raise ValueError(f"environment variable {name}={text!r}: {exc}") from exc


def _kind(default: object) -> Callable[[Any], Any]:
    kinds: dict[type, Callable[[Any], Any]] = {bool: parse_bool, int: int, float: float, str: str}
    return kinds[type(default)]


def add_flags(group: argparse._ArgumentGroup, cls: type[DataclassInstance], vendor: str) -> None:
    """One flag per field of ``cls``; the environment variable of the same name is its default."""
    for item in dataclasses.fields(cls):
        flag = f"--{vendor}-" + item.name.replace("_", "-")
        env = f"EMULATOR_{vendor.upper()}_{item.name.upper()}"
        kind = _kind(item.default)
        group.add_argument(flag, type=kind, default=env_value(env, kind, item.default),
                           help=f"contract gap setting (env {env}; default {item.default!r})")


def from_args(cls: type[T], args: argparse.Namespace, vendor: str) -> T:
    values = {f.name: getattr(args, f"{vendor}_{f.name}") for f in dataclasses.fields(cls)}
    return changed(cls(**values), {})


def changed(settings: T, changes: Mapping[str, Any]) -> T:
    """``settings`` with ``changes`` applied; unknown names and wrong types raise ValueError naming them."""
    known = {f.name: f for f in dataclasses.fields(settings)}
    unknown = sorted(set(changes) - set(known))
    if unknown:
        raise ValueError(f"unknown setting(s) {unknown}; allowed: {sorted(known)}")
    values = dataclasses.asdict(settings)
    for name, value in changes.items():
        values[name] = _checked(name, value, known[name].default)
    result = type(settings)(**values)
    check = getattr(result, "check", None)
    if check is not None:
        check()
    return result


def _checked(name: str, value: Any, default: object) -> Any:
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ValueError(f"setting {name}={value!r} must be of type {expected.__name__}")
    return value


def changed_at_run_time(settings: T, changes: Mapping[str, Any], start_only: Collection[str]) -> T:
    """``changed`` for ``POST /_emulator/settings``: names in ``start_only`` are refused."""
    late = sorted(set(changes) & set(start_only))
    if late:
        raise ValueError(f"{late} apply at start only; at run time change the limit through /_emulator/faults")
    return changed(settings, changes)
