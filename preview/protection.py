"""A stack's protection as one branch's files state it: ``cdn-ingress:protect`` and
``cdn-ingress:retainOnDelete`` in ``stacks/Pulumi.<stack>.yaml``, and the policy pack's
``protected-in-protected-stacks`` in ``stacks/policy.<stack>.json`` (docs/previews.md, docs/policy.md).
The gate reads the base branch's to decide "protected", and compares the pull request's with it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROTECT_KEY = "cdn-ingress:protect"
RETAIN_KEY = "cdn-ingress:retainOnDelete"
POLICY = "protected-in-protected-stacks"
# Enforcement levels from weakest to strongest; the pack's default for POLICY is mandatory.
LEVELS = ("disabled", "advisory", "mandatory", "remediate")
DEFAULT_LEVEL = "mandatory"


class ProtectionError(ValueError):
    """A stack file that cannot be read as the program and the pack read it."""


@dataclass(frozen=True)
class Protection:
    stack: str
    """Whose files these are (``stacks/Pulumi.<stack>.yaml``, ``stacks/policy.<stack>.json``)."""
    protect: bool = False
    """``cdn-ingress:protect``: Pulumi's protect on every record set and rule."""
    retain: bool = False
    """``cdn-ingress:retainOnDelete``."""
    policy_protected: bool = False
    """The pack's ``protected`` setting: record sets and rules must carry protect."""
    policy_level: str = DEFAULT_LEVEL
    """The enforcement level of that policy (its own, else ``all``, else the pack's default)."""

    @property
    def protected(self) -> bool:
        return self.protect or self.policy_protected


def truthy(value: Any) -> bool:
    return str(value if value is not None else "").strip().lower() in ("true", "1", "yes")


def read(stacks: Path, stack: str) -> Protection:
    """A missing file reads as its defaults: a stack file removed by a change lowers what it set."""
    config = _config(stacks / f"Pulumi.{stack}.yaml", stack)
    level, protected = _policy(stacks / f"policy.{stack}.json", stack)
    return Protection(stack, truthy(config.get(PROTECT_KEY)), truthy(config.get(RETAIN_KEY)), protected, level)


def _config(path: Path, stack: str) -> dict[str, Any]:
    name = f"stacks/Pulumi.{stack}.yaml"
    if not path.is_file():
        return {}
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ProtectionError(f"{name}: not YAML ({str(exc).splitlines()[0]})") from None
    config = doc.get("config", {}) if isinstance(doc, dict) else None
    if not isinstance(config, dict):
        raise ProtectionError(f"{name}: `config` must be a mapping of keys to values, as Pulumi writes it")
    return config


def _policy(path: Path, stack: str) -> tuple[str, bool]:
    name = f"stacks/policy.{stack}.json"
    if not path.is_file():
        return DEFAULT_LEVEL, False
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ProtectionError(f"{name}: not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(doc, dict):
        raise ProtectionError(f"{name}: expected an object of policy names")
    entry = doc.get(POLICY, {})
    if isinstance(entry, str):
        entry = {"enforcementLevel": entry}
    if not isinstance(entry, dict):
        raise ProtectionError(f"{name} {POLICY}={json.dumps(entry)}: expected a level or an object with "
                              f"enforcementLevel and settings; allowed levels: {', '.join(LEVELS)}")
    level = entry.get("enforcementLevel") or doc.get("all") or DEFAULT_LEVEL
    return str(level), truthy(entry.get("protected"))


def _rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else 0


def lowered(base: Protection, head: Protection) -> list[str]:
    """Each setting the pull request (head) lowers against the base, as ``file key: old -> new``."""
    config, policy = f"stacks/Pulumi.{base.stack}.yaml", f"stacks/policy.{base.stack}.json"
    found = [f"{config} {PROTECT_KEY}: true -> false" if base.protect and not head.protect else "",
             f"{config} {RETAIN_KEY}: true -> false" if base.retain and not head.retain else "",
             f"{policy} {POLICY} protected: true -> false" if base.policy_protected and not head.policy_protected
             else ""]
    if base.policy_protected and _rank(head.policy_level) < _rank(base.policy_level):
        found.append(f"{policy} {POLICY} enforcementLevel: {base.policy_level} -> {head.policy_level}")
    return [f for f in found if f]
