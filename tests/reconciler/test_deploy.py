"""Where the reconciler runs: the in-cluster manifests (read here, and dry-run by the API server
under the e2e marker) and the systemd unit."""

from __future__ import annotations

import configparser
from pathlib import Path
from typing import Any

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def docs() -> list[dict[str, Any]]:
    return [d for p in sorted((DEPLOY / "kubernetes").glob("*.yaml")) for d in yaml.safe_load_all(p.read_text()) if d]


def by_kind(kind: str) -> list[dict[str, Any]]:
    return [d for d in docs() if d["kind"] == kind]


def test_the_cluster_role_lets_the_reconciler_list_and_watch_nodes_and_nothing_else() -> None:
    [role] = by_kind("ClusterRole")
    assert role["rules"] == [{"apiGroups": [""], "resources": ["nodes"], "verbs": ["list", "watch"]}]
    [binding] = by_kind("ClusterRoleBinding")
    [account] = by_kind("ServiceAccount")
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": account["metadata"]["name"],
                                    "namespace": account["metadata"]["namespace"]}]


def test_the_deployment_runs_one_reconciler_as_that_account_with_time_to_finish_a_run() -> None:
    [deployment] = by_kind("Deployment")
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    assert (spec["replicas"], spec["strategy"]["type"]) == (1, "Recreate")
    assert pod["serviceAccountName"] == by_kind("ServiceAccount")[0]["metadata"]["name"]
    assert pod["terminationGracePeriodSeconds"] >= 300
    assert pod["containers"][0]["command"][-2:] == ["-m", "reconciler"]
    assert "--in-cluster" in pod["containers"][0]["args"]


def test_the_systemd_unit_stops_the_reconciler_alone_and_waits_for_its_run() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "systemd" / "cdn-ingress-reconciler@.service")
    service = unit["Service"]
    assert service["ExecStart"].split()[1:5] == ["-m", "reconciler", "--stack", "%i"]
    assert (service["KillMode"], service["KillSignal"]) == ("mixed", "SIGTERM")
    assert int(service["TimeoutStopSec"]) >= 300


def test_the_command_line_refuses_a_missing_policy_pack_config_naming_it_and_the_way_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reconciler.__main__ import parse

    (tmp_path / "Pulumi.yaml").write_text("name: p\n")
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "PulumiPolicy.yaml").write_text("description: p\n")
    with pytest.raises(SystemExit):
        parse(["--stack", "org/prod", "--work-dir", str(tmp_path)])
    config = tmp_path / "stacks" / "policy.prod.json"
    assert (f"--policy-pack-config: '{config}' does not exist (--no-policy runs without the pack)"
            in capsys.readouterr().err)
    args = parse(["--stack", "org/prod", "--work-dir", str(tmp_path), "--no-policy", "--hold-down", "30"])
    assert (args.packs, args.hold_down) == ([], 30.0)
