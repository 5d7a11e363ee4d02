"""The deletion gate against a pull request that lowers protection: "protected" is read from the base
branch's stack files, and a change that unprotects objects, turns retainOnDelete off or lowers the
pack's `protected` setting counts as risky on a protected stack (docs/previews.md, "The gate")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from preview import gate, parse
from preview.protection import Protection, ProtectionError, lowered, read
from tests.preview.kit import dns_step, lines, prelude, records, rule, rule_step
from tests.support.pulumi_cli import ROOT

PROD_POLICY = {"protected-in-protected-stacks": {"enforcementLevel": "mandatory", "protected": True},
               "route-ceiling": {"maxRoutes": 50}}


def stacks(root: Path, *, protect: str | None = "true", retain: str | None = None,
           policy: dict[str, Any] | None = None) -> Path:
    """A stacks/ folder with the `test` stack's config and policy files, as a branch holds them."""
    root.mkdir(parents=True)
    config = {"cdn-ingress:originDomain": "origin.example.com"}
    config |= {"cdn-ingress:protect": protect} if protect is not None else {}
    config |= {"cdn-ingress:retainOnDelete": retain} if retain is not None else {}
    (root / "Pulumi.test.yaml").write_text(json.dumps({"config": config}))
    (root / "policy.test.json").write_text(json.dumps(PROD_POLICY if policy is None else policy))
    return root


def flip(event: dict[str, Any], key: str, old: bool, new: bool) -> dict[str, Any]:
    meta = event["resourcePreEvent"]["metadata"]
    meta["old"][key], meta["new"][key] = old, new
    return event


def unprotected(path: str) -> dict[str, Any]:
    """A rule the change leaves in place but takes Pulumi's protect off (the engine's `same` step)."""
    return flip(rule_step("same", path, rule(path), rule(path)), "protect", True, False)


def render(log: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "preview", "render", str(log), "--stack", "test", *args],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=60)


def write_log(tmp_path: Path, *events: dict[str, Any]) -> Path:
    log = tmp_path / "events.jsonl"
    log.write_text("\n".join(lines(*events)))
    return log


# -- pull request 1: protection off, nothing deleted yet -----------------------------------------
def test_unprotecting_objects_of_a_protected_stack_is_gated(tmp_path: Path) -> None:
    log = write_log(tmp_path, prelude({"cdn-ingress:protect": "false"}), unprotected("/api"))
    blocked = render(log)
    assert blocked.returncode == 3, blocked.stderr
    assert "DeliveryRule 'shop.example.com/api' protect: true -> false" in blocked.stderr
    assert "Deletion gate: protection lowered" in blocked.stdout
    assert "`DeliveryRule 'shop.example.com/api' protect: true -> false`" in blocked.stdout
    assert render(log, "--labels", "allow-cdn-deletion").returncode == 0


def test_turning_retain_on_delete_off_on_a_protected_stack_is_gated() -> None:
    step = flip(dns_step("same", records(["203.0.113.11"]), records(["203.0.113.11"]), protect=True),
                "retainOnDelete", True, False)
    g = gate(parse(lines(prelude({"cdn-ingress:protect": "true"}), step)))
    assert g.blocked and g.risky == [] and [s.name for s in g.unprotected] == ["default/pywai"]


@pytest.mark.parametrize(("head", "said"), [
    ({"protect": "false"}, "stacks/Pulumi.test.yaml cdn-ingress:protect: true -> false"),
    ({"protect": None}, "stacks/Pulumi.test.yaml cdn-ingress:protect: true -> false"),
    ({"policy": {"protected-in-protected-stacks": {"protected": False}}},
     "stacks/policy.test.json protected-in-protected-stacks protected: true -> false"),
    ({"policy": {**PROD_POLICY, "protected-in-protected-stacks": {"enforcementLevel": "advisory", "protected": True}}},
     "stacks/policy.test.json protected-in-protected-stacks enforcementLevel: mandatory -> advisory"),
    ({"policy": {**PROD_POLICY, "all": "disabled", "protected-in-protected-stacks": {"protected": True}}},
     "stacks/policy.test.json protected-in-protected-stacks enforcementLevel: mandatory -> disabled"),
], ids=["protect-false", "protect-removed", "pack-unprotected", "pack-advisory", "pack-all-disabled"])
def test_lowering_the_gates_settings_is_gated_with_the_setting_named(tmp_path: Path, head: dict[str, Any],
                                                                     said: str) -> None:
    base, pr = stacks(tmp_path / "base"), stacks(tmp_path / "head", **head)
    log = write_log(tmp_path, prelude({"cdn-ingress:protect": "false"}), rule_step("same", "/api", rule("/api"),
                                                                                  rule("/api")))
    blocked = render(log, "--base-stacks", str(base), "--head-stacks", str(pr))
    assert blocked.returncode == 3, blocked.stderr
    assert said in blocked.stderr
    assert said in (out := blocked.stdout) and "Deletion gate" in out
    allowed = render(log, "--base-stacks", str(base), "--head-stacks", str(pr), "--labels", "allow-cdn-deletion")
    assert allowed.returncode == 0, allowed.stderr


def test_retain_on_delete_turned_off_in_the_stack_file_is_gated(tmp_path: Path) -> None:
    base = read(stacks(tmp_path / "base", retain="true"), "test")
    head = read(stacks(tmp_path / "head", retain="false"), "test")
    assert lowered(base, head) == ["stacks/Pulumi.test.yaml cdn-ingress:retainOnDelete: true -> false"]


# -- pull request 2: a delete, with the pull request's own config saying "not protected" ---------
def test_protected_is_read_from_the_base_branch_not_from_the_pull_request(tmp_path: Path) -> None:
    base, pr = stacks(tmp_path / "base"), stacks(tmp_path / "head")
    delete = rule_step("delete", "/api", rule("/api"), None)
    log = write_log(tmp_path, prelude({"cdn-ingress:protect": "false"}), delete)
    blocked = render(log, "--base-stacks", str(base), "--head-stacks", str(pr))
    assert blocked.returncode == 3, blocked.stderr
    assert "stack 'test' is protected" in blocked.stderr


def test_the_base_decides_also_when_the_pull_request_turns_protection_on(tmp_path: Path) -> None:
    """The other direction: the base decides, so a stack unprotected on the base is not gated."""
    base = stacks(tmp_path / "base", protect="false", policy={})
    log = write_log(tmp_path, prelude({"cdn-ingress:protect": "true"}), rule_step("delete", "/api", rule("/api"), None))
    done = render(log, "--base-stacks", str(base), "--head-stacks", str(base))
    assert done.returncode == 0, done.stderr


def test_raising_protection_is_not_risky(tmp_path: Path) -> None:
    base = read(stacks(tmp_path / "base", protect="false", policy={}), "test")
    head = read(stacks(tmp_path / "head"), "test")
    assert lowered(base, head) == []
    assert not base.protected and head.protected


def test_a_base_with_no_policy_file_reads_as_the_packs_defaults(tmp_path: Path) -> None:
    root = stacks(tmp_path / "base")
    (root / "policy.test.json").unlink()
    expected = Protection("test", protect=True, retain=False, policy_protected=False, policy_level="mandatory")
    assert read(root, "test") == expected


@pytest.mark.parametrize(("name", "text", "message"), [
    ("Pulumi.test.yaml", "config: [", "stacks/Pulumi.test.yaml: not YAML"),
    ("Pulumi.test.yaml", "config: [1]", "stacks/Pulumi.test.yaml: `config` must be a mapping"),
    ("policy.test.json", "{", "stacks/policy.test.json: not JSON"),
    ("policy.test.json", '{"protected-in-protected-stacks": 3}', "stacks/policy.test.json "
     "protected-in-protected-stacks=3: expected a level or an object with enforcementLevel and settings"),
], ids=["yaml", "config-shape", "json", "policy-shape"])
def test_a_broken_stack_file_is_an_error_naming_it(tmp_path: Path, name: str, text: str, message: str) -> None:
    root = stacks(tmp_path / "base")
    (root / name).write_text(text)
    with pytest.raises(ProtectionError, match="^" + message.replace("[", r"\[").replace("(", r"\(")):
        read(root, "test")
    log = write_log(tmp_path, rule_step("delete", "/api", rule("/api"), None))
    done = render(log, "--base-stacks", str(root), "--head-stacks", str(root))
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
