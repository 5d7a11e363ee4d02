"""The pack as a whole: every policy documented and levelled, every stack's policy config valid for it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cdn_policy import POLICIES
from pulumi_policy import EnforcementLevel, Policy

STACKS = Path(__file__).resolve().parents[2] / "stacks"
LEVELS = {level.value for level in EnforcementLevel}
JSON_TYPES = {"integer": int, "boolean": bool, "string": str, "array": list}
BY_NAME = {policy.name: policy for policy in POLICIES}


def stack_names() -> list[str]:
    return sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in STACKS.glob("Pulumi.*.yaml"))


def test_policy_names_are_unique() -> None:
    assert len(BY_NAME) == len(POLICIES)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_each_policy_has_a_description_and_a_default_level(policy: Policy) -> None:
    assert policy.description.endswith(".")
    assert isinstance(policy.enforcement_level, EnforcementLevel)


@pytest.mark.parametrize("stack", stack_names())
def test_each_stack_has_a_policy_config(stack: str) -> None:
    assert (STACKS / f"policy.{stack}.json").is_file()


def settings_of(name: str) -> dict[str, Any]:
    schema = BY_NAME[name].config_schema if name in BY_NAME else None
    return dict(schema.properties or {}) if schema else {}


def config_problems(config: dict[str, Any]) -> list[str]:
    """What the CLI would not catch: it ignores unknown policy names and undeclared properties."""
    problems = []
    for name, value in config.items():
        if name not in BY_NAME and name != "all":
            problems.append(f"{name}: no such policy; allowed: {sorted(BY_NAME)}")
            continue
        if isinstance(value, str):
            value = {"enforcementLevel": value}
        schema = settings_of(name)
        for key, setting in value.items():
            if key == "enforcementLevel":
                if setting not in LEVELS:
                    problems.append(f"{name}.enforcementLevel={setting!r}; allowed: {sorted(LEVELS)}")
            elif key not in schema:
                problems.append(f"{name}.{key}: not a setting of this policy; allowed: {sorted(schema)}")
            elif type(setting) is not JSON_TYPES[schema[key]["type"]]:
                problems.append(f"{name}.{key}={setting!r}: must be a JSON {schema[key]['type']}")
    return problems


@pytest.mark.parametrize("path", sorted(STACKS.glob("policy.*.json")), ids=lambda p: p.name)
def test_policy_config_names_real_policies_and_settings(path: Path) -> None:
    assert config_problems(json.loads(path.read_text())) == []


def test_config_check_catches_a_misspelled_policy_and_setting() -> None:
    assert config_problems({"https-only": "mandatory", "route-ceiling": {"max": 3, "enforcementLevel": "strict"}}) == [
        f"https-only: no such policy; allowed: {sorted(BY_NAME)}",
        "route-ceiling.max: not a setting of this policy; allowed: ['maxRoutes']",
        "route-ceiling.enforcementLevel='strict'; allowed: " + str(sorted(LEVELS)),
    ]


def test_prod_makes_https_redundancy_and_protection_mandatory() -> None:
    prod = json.loads((STACKS / "policy.prod.json").read_text())
    assert prod["cdn-https-only"] == "mandatory"
    assert prod["redundant-origins"]["enforcementLevel"] == "mandatory"
    assert prod["protected-in-protected-stacks"] == {"enforcementLevel": "mandatory", "protected": True}
