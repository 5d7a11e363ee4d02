"""Two clusters, one origin name, under the real Pulumi CLI: stack A on the first local cluster writes
the CDN rules, stack B on the second (``CLUSTER=second tools/cluster.sh``) contributes its addresses
only (``manageRules: false``); both share ``pywai-inline-service.<originDomain>`` with one explicit
nodePort, on the same emulators.

The tests run in file order. Each checks the zone through the emulator's admin API: the addresses,
and that every record and marker of the other stack is still there with the same id and data.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from preview import Target, load, render
from tests.e2e.conftest import DOMAIN, api_client, stack_config
from tests.e2e.test_lifecycle import NODE_IPS, SERVICE, _set_node_ready, forget_calls, rules, writes
from tests.support.emulator import Emulators
from tests.support.pulumi_cli import ROOT, Project

pytestmark = pytest.mark.e2e

NODE_PORT = 31987  # explicit, the same in both clusters: the CDN rule sends every request to it
A_IPS = set(NODE_IPS.values())
B_NODES = {"node-1": "203.0.113.21", "node-2": "203.0.113.22", "node-3": "203.0.113.23"}
B_IPS = set(B_NODES.values())
MARKER = f"_cdn-ingress.{SERVICE}"
_OWNER = re.compile(r"owner=cdn-ingress/(?P<stack>[^/\s]+)/")
TIMEOUT = 300.0


# -- what the zone holds ------------------------------------------------------------------------
def markers(cloud: Emulators) -> dict[str, dict[str, str]]:
    """stack -> its ownership marker at the name ({"id", "data"}); fails on two markers of one stack."""
    found: dict[str, dict[str, str]] = {}
    for record in cloud.state("vultr")[DOMAIN]:
        if record["name"] != MARKER or record["type"] != "TXT":
            continue
        owner = _OWNER.search(record["data"])
        assert owner is not None, f"a marker without our owner: {record}"
        assert owner["stack"] not in found, f"two markers of stack {owner['stack']}"
        found[owner["stack"]] = {"id": record["id"], "data": record["data"]}
    return found


def a_records(cloud: Emulators) -> dict[str, str]:
    """address -> record id of the name's A records (fails on a duplicate address)."""
    found = [(r["data"], r["id"]) for r in cloud.state("vultr")[DOMAIN] if r["name"] == SERVICE and r["type"] == "A"]
    assert len({address for address, _ in found}) == len(found), f"duplicate records: {found}"
    return dict(found)


def named_ids(marker: dict[str, str]) -> set[str]:
    listed = re.search(r"records=(\S*)", marker["data"].strip('"'))
    assert listed is not None, marker
    return {i for i in listed.group(1).split(",") if i}


def holdings(cloud: Emulators, stack: str, addresses: set[str]) -> dict[str, Any]:
    """One stack's records (address -> id) and marker: what the other stack must never change."""
    return {"records": {a: i for a, i in a_records(cloud).items() if a in addresses},
            "marker": markers(cloud).get(stack)}


def written_ids(cloud: Emulators) -> set[str]:
    """Ids of the records the recorded Vultr writes addressed (creates address none)."""
    return {path.rsplit("/", 1)[1] for _, path in writes(cloud, "vultr") if "/records/" in path}


# -- the two stacks -----------------------------------------------------------------------------
class Stacks:
    def __init__(self, a: Project, b: Project, b_kube: Any, b_kubeconfig: str) -> None:
        self.a, self.b, self.b_kube, self.b_kubeconfig = a, b, b_kube, b_kubeconfig


def _project(work: Path, *, kubeconfig: str, namespace: str) -> Project:
    project = Project(work, kubeconfig=kubeconfig, namespace=namespace)
    docs = project.read_manifest("pywai-service.yaml")
    docs[0]["spec"]["ports"][0]["nodePort"] = NODE_PORT
    project.write_manifest("pywai-service.yaml", docs)
    return project


def ensure_b_nodes(kubeconfig: str) -> None:
    subprocess.run([str(ROOT / "venv" / "bin" / "python"), str(ROOT / "tools" / "nodes.py"), "--kubeconfig",
                    kubeconfig, "--addresses", ",".join(B_NODES.values()), "ensure"], check=True, timeout=120)


@pytest.fixture(scope="module")
def stacks(tmp_path_factory: pytest.TempPathFactory, kubeconfig: str, second_kubeconfig: str, namespace: str,
           cloud: Emulators, creds: dict[str, str]) -> Iterator[Stacks]:
    from kubernetes import client

    b_kube = api_client(second_kubeconfig)
    core = client.CoreV1Api(b_kube)
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=namespace)))  # the same app
    a = _project(tmp_path_factory.mktemp("cluster-a"), kubeconfig=kubeconfig, namespace=namespace)
    a.init_stack("cluster-a", *stack_config(cloud, creds, **{"cdn-ingress:sharedOrigins": "true"}))
    b = _project(tmp_path_factory.mktemp("cluster-b"), kubeconfig=second_kubeconfig, namespace=namespace)
    b.init_stack("cluster-b", *stack_config(cloud, creds, **{"cdn-ingress:sharedOrigins": "true",
                                                             "cdn-ingress:manageRules": "false"}))
    try:
        yield Stacks(a, b, b_kube, second_kubeconfig)
    finally:
        for project in (b, a):  # whatever a failed test left behind
            project.pulumi("destroy", "--yes", check=False, timeout=TIMEOUT)
        ensure_b_nodes(second_kubeconfig)
        core.delete_namespace(namespace)


def test_both_stacks_up_and_the_name_answers_with_all_six(stacks: Stacks, cloud: Emulators) -> None:
    stacks.a.pulumi("up", "--yes", "--skip-preview", timeout=TIMEOUT)
    assert set(a_records(cloud)) == A_IPS
    assert set(rules(cloud)) == {"/bob", "/mark/and/fred/"}
    a_before = holdings(cloud, "cluster-a", A_IPS)
    rules_before = rules(cloud)
    forget_calls(cloud)

    stacks.b.pulumi("up", "--yes", "--skip-preview", timeout=TIMEOUT)
    zone = a_records(cloud)
    assert set(zone) == A_IPS | B_IPS
    assert holdings(cloud, "cluster-a", A_IPS) == a_before  # B created beside A, changed nothing of A's
    assert written_ids(cloud).isdisjoint({*a_before["records"].values(), a_before["marker"]["id"]})
    assert writes(cloud, "edgio") == [] and rules(cloud) == rules_before  # B writes no rule
    found = markers(cloud)
    assert sorted(found) == ["cluster-a", "cluster-b"]
    assert named_ids(found["cluster-a"]) == {zone[a] for a in A_IPS}
    assert named_ids(found["cluster-b"]) == {zone[a] for a in B_IPS}
    for marker in found.values():
        assert f"shared=yes port={NODE_PORT}" in marker["data"]
    for rule in rules(cloud).values():
        assert {s["sourcePort"] for s in rule["body"]["protocolSets"]} == {NODE_PORT}


def test_a_not_ready_node_of_cluster_b_leaves_only_its_address(stacks: Stacks, cloud: Emulators) -> None:
    a_before = holdings(cloud, "cluster-a", A_IPS)
    b_marker = markers(cloud)["cluster-b"]
    gone = a_records(cloud)[B_NODES["node-2"]]
    forget_calls(cloud)
    _set_node_ready(stacks.b_kube, "node-2", False)
    try:
        _, log = stacks.b.preview_events()  # the pull-request comment, from state: no vendor call
        text = render(load(log), Target("cdn-ingress", "cluster-b"))
        assert f"loses {B_NODES['node-2']}" in text
        assert "other contributors as of the last run: cdn-ingress/cluster-a/" in text
        assert all(ip in text for ip in A_IPS)
        stacks.b.pulumi("up", "--yes", "--skip-preview", timeout=TIMEOUT)
    finally:
        _set_node_ready(stacks.b_kube, "node-2", True)
        ensure_b_nodes(stacks.b_kubeconfig)
    assert set(a_records(cloud)) == A_IPS | B_IPS - {B_NODES["node-2"]}
    assert holdings(cloud, "cluster-a", A_IPS) == a_before
    assert written_ids(cloud) == {gone, b_marker["id"]}  # B's record out, B's marker rewritten: nothing else
    assert gone not in named_ids(markers(cloud)["cluster-b"])
    assert writes(cloud, "edgio") == []


def test_destroying_b_leaves_exactly_as_addresses_and_marker(stacks: Stacks, cloud: Emulators) -> None:
    a_before = holdings(cloud, "cluster-a", A_IPS)
    rules_before = rules(cloud)
    forget_calls(cloud)
    stacks.b.pulumi("destroy", "--yes", timeout=TIMEOUT)
    assert a_records(cloud) == a_before["records"]
    assert markers(cloud) == {"cluster-a": a_before["marker"]}
    assert written_ids(cloud).isdisjoint({*a_before["records"].values(), a_before["marker"]["id"]})
    assert rules(cloud) == rules_before and writes(cloud, "edgio") == []


def test_destroying_a_then_leaves_the_name_empty_of_our_records(stacks: Stacks, cloud: Emulators) -> None:
    stacks.a.pulumi("destroy", "--yes", timeout=TIMEOUT)
    assert a_records(cloud) == {}
    assert markers(cloud) == {}
    assert rules(cloud) == {}
