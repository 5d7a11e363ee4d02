"""The renderer on event logs written by the real CLI (`pulumi preview --event-log`), one manifest
change at a time on a deployed stack: what each says for traffic, its warnings, secrets kept out,
the GitHub-flavoured HTML, the size limit; then protect and retainOnDelete as the engine applies them.

Runs in file order on one stack; each change is previewed, then the manifests are put back.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from preview import LIMIT, Target, load, render
from preview.md import ADD, REMOVE, utf16_len
from preview.screenshot import to_html
from tests.e2e.conftest import DOMAIN
from tests.support.emulator import Emulators
from tests.support.pulumi_cli import ROOT, Project

pytestmark = pytest.mark.e2e

HOST = "cstradtman.s.llnwi.net"
ORIGIN = f"pywai-inline-service.{DOMAIN}"
KNOWN_SECRET = "s3cr3t-value-the-comment-must-not-show"


def comment(project: Project, *args: str, labels: frozenset[str] = frozenset()) -> tuple[str, Path]:
    """Preview the project's current manifests and render the stack's comment."""
    _, log = project.preview_events(*args)
    return render(load(log), Target("cdn-ingress", "e2e", labels)), log


@pytest.fixture(scope="module")
def deployed(project: Project) -> Project:
    project.pulumi("up", "--yes", "--skip-preview")
    return project


@pytest.fixture()
def manifests(deployed: Project) -> Iterator[Project]:
    """The shipped manifests again after each test, whatever it changed."""
    saved = {p.name: p.read_text() for p in deployed.manifests.glob("*.yaml")}
    yield deployed
    for path in deployed.manifests.glob("*.yaml"):
        if path.name not in saved:
            path.unlink()
    for name, text in saved.items():
        (deployed.manifests / name).write_text(text)


def edit(project: Project, name: str, change: Any) -> None:
    docs = project.read_manifest(name)
    change(docs[0])
    project.write_manifest(name, docs)


def node_port(kube: Any, namespace: str) -> int:
    from kubernetes import client

    service = client.CoreV1Api(kube).read_namespaced_service("pywai-inline-service", namespace)
    return int(service.spec.ports[0].node_port)


def test_no_op_is_one_short_line(manifests: Project) -> None:
    text, _ = comment(manifests)
    marker, line = text.splitlines()
    assert marker == "<!-- cdn-ingress-preview project=cdn-ingress stack=e2e -->"
    assert re.fullmatch(r"✅ `cdn-ingress/e2e`: no changes \(\d+ resources unchanged\)\.", line)


def test_added_route(manifests: Project, kube: Any, namespace: str) -> None:
    docs = manifests.read_manifest("pywai-ingress.yaml")
    docs[0]["metadata"]["name"] = "external-pywai-new-ingress"
    docs[0]["spec"]["rules"][0]["http"]["paths"][0]["path"] = "/new"
    manifests.write_manifest("pywai-ingress3.yaml", docs)
    text, _ = comment(manifests)
    port = node_port(kube, namespace)
    assert f"- {ADD} `{HOST}/new` will be served by the CDN from `{ORIGIN}:{port}/new` (https → http)" in text
    assert f"- {ADD} Ingress `{namespace}/external-pywai-new-ingress` reports `{HOST}` in status.loadBalancer" in text
    assert "| CDN rules | 1 | · | · | · | 2 |" in text
    assert "[!CAUTION]" not in text


def test_changed_path(manifests: Project) -> None:
    edit(manifests, "pywai-ingress.yaml", lambda d: d["spec"]["rules"][0]["http"]["paths"][0].update(path="/robert"))
    text, _ = comment(manifests)
    assert f"🔀 `{HOST}/bob` → `{HOST}/robert`: path changed" in text
    assert f"CDN rule for `{HOST}/bob` is **deleted**: `{HOST}/bob` will stop being served by the CDN" in text
    assert "| CDN rules | 1 | · | · | 1 | 1 |" in text
    html = to_html(text)
    assert html.count("<table>") == 1 and "replace</th>" in html
    assert "<details><summary>" in html and "&lt;details" not in html
    rule = next(b for b in html.split("<details><summary>")[1:] if f"DeliveryRule <code>{HOST}/bob" in b)
    inside = rule.split("</details>", 1)[0]
    assert '<code class="language-diff">' in inside and "published_path: &quot;/bob&quot;" in inside


def test_removed_ingress(manifests: Project, namespace: str) -> None:
    manifests.remove_manifest("pywai-ingress2.yaml")
    text, _ = comment(manifests)
    assert f"CDN rule for `{HOST}/mark/and/fred/` is **deleted**" in text
    assert f"- {REMOVE} `{HOST}/mark/and/fred/` will stop being served by the CDN (was `{ORIGIN}:" in text
    assert f"- {REMOVE} Ingress `{namespace}/external-pywai-inline-ingress2`: status.loadBalancer is cleared" in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert "| Kubernetes objects | · | · | · | 1 | 3 |" in table, table


def test_profile_change_replaces_the_rule(manifests: Project) -> None:
    edit(manifests, "pywai-ingress2.yaml",
         lambda d: d["metadata"]["annotations"].update({"cdn-ingress.io/profile": "LLNW-VideoOnDemand"}))
    text, _ = comment(manifests)
    assert (f"CDN rule for `{HOST}/mark/and/fred/` is **replaced** (profile LLNW-Generic → LLNW-VideoOnDemand): "
            "Edgio "
            f"deletes it before creating the new one, so `{HOST}/mark/and/fred/` is unserved between delete and "
            "create") in text
    assert "+ profile_name: \"LLNW-VideoOnDemand\"  # forces replacement" in text


def test_node_going_not_ready(manifests: Project, kube: Any, kubeconfig: str) -> None:
    from tests.e2e.test_lifecycle import _set_node_ready

    _set_node_ready(kube, "node-3", False)
    try:
        text, _ = comment(manifests)
    finally:
        _set_node_ready(kube, "node-3", True)
        subprocess.run([str(ROOT / "venv" / "bin" / "python"), str(ROOT / "tools" / "nodes.py"),
                        "--kubeconfig", kubeconfig, "ensure"], check=True)
    assert f"Origin `{ORIGIN}` **loses** 203.0.113.13: the CDN stops sending requests there" in text
    assert "| DNS record sets | · | 1 | · | · | · |" in text
    assert "| CDN rules | · | · | · | · | 2 |" in text


def test_secrets_stay_out_of_the_log_and_the_comment(manifests: Project, creds: dict[str, str]) -> None:
    manifests.write_manifest("app-secret.yaml", [{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "app"},
                                                  "stringData": {"token": KNOWN_SECRET}}])
    text, log = comment(manifests)
    assert "Secret" in text and "[secret]" in text
    for label, body in (("comment", text), ("event log", log.read_text())):
        for name, value in (("manifest secret", KNOWN_SECRET), ("Vultr key", creds["vultr"]),
                            ("Edgio key", creds["edgio_key"])):
            leaked = value in body  # the value itself stays out of the failure report
            assert not leaked, f"the {name} appears in the {label}"
    assert "__provider" not in text


@pytest.mark.skipif(not (ROOT / "policy" / "PulumiPolicy.yaml").exists(), reason="no policy pack in policy/")
def test_policy_results_render_next_to_their_resource(manifests: Project) -> None:
    """The local stack's policy config makes plain http advisory: the rule publishing http,https
    gets an advisory result, shown in the policy section and on the rule itself."""
    text, _ = comment(manifests, "--policy-pack", str(ROOT / "policy"),
                      "--policy-pack-config", str(ROOT / "stacks" / "policy.local.json"))
    section = text.split("#### Policy results", 1)[1].split("####", 1)[0]
    assert re.search(rf"⚠️ \*\*advisory\*\* `[^`]+/cdn-https-only` on `{HOST}/mark/and/fred/`: ", section), section
    rule = text.split(f"DeliveryRule <code>{HOST}/mark/and/fred/</code>", 1)[1].split("</details>", 1)[0]
    assert rule.startswith(" ⚠️ ") and "cdn-https-only" in rule


def test_a_real_plan_over_the_limit_degrades(manifests: Project) -> None:
    paths = [{"path": f"/many/{i:03}", "pathType": "Prefix", "backend": {"service": {
        "name": "pywai-inline-service", "port": {"name": "http"}}}} for i in range(300)]
    edit(manifests, "pywai-ingress.yaml", lambda d: d["spec"]["rules"][0]["http"].update(paths=paths))
    _, log = manifests.preview_events()
    full = render(load(log), Target("cdn-ingress", "e2e"), budget=10 * LIMIT)
    text = render(load(log), Target("cdn-ingress", "e2e"))
    assert utf16_len(full) > LIMIT
    assert utf16_len(text) < LIMIT
    assert "| CDN rules | 300 | · | · | 1 | 1 |" in text
    assert f"`{HOST}/many/299` will be served by the CDN" in text
    assert "Left out to stay under GitHub's 65,536-character limit" in text


def test_protected_stack_gates_deletes_and_survives_destroy(deployed: Project, cloud: Emulators) -> None:
    deployed.pulumi("config", "set", "cdn-ingress:protect", "true")
    deployed.pulumi("up", "--yes", "--skip-preview")
    saved = (deployed.manifests / "pywai-ingress2.yaml").read_text()
    deployed.remove_manifest("pywai-ingress2.yaml")
    try:
        _, log = deployed.preview_events("--ignore-protect")
        render_cli = [sys.executable, "-m", "preview", "render", str(log)]
        blocked = subprocess.run(render_cli, cwd=ROOT, capture_output=True, text=True, check=False)
        allowed = subprocess.run([*render_cli, "--labels", "allow-cdn-deletion"], cwd=ROOT, capture_output=True,
                                 text=True, check=False)
    finally:
        (deployed.manifests / "pywai-ingress2.yaml").write_text(saved)
    assert blocked.returncode == 3 and "Deletion gate: blocked" in blocked.stdout
    assert f"(protected): `{HOST}/mark/and/fred/` will stop being served" in blocked.stdout
    assert allowed.returncode == 0 and "Deletion gate: allowed" in allowed.stdout

    destroy = deployed.pulumi("destroy", "--yes", check=False)
    assert destroy.returncode != 0
    assert "cannot be deleted" in destroy.stdout + destroy.stderr and "protected" in destroy.stdout + destroy.stderr
    paths = {r["body"]["publishedUrlPath"] for r in cloud.state("edgio")["rules"]}
    assert {"/bob", "/mark/and/fred/"} <= paths


def test_turning_protect_off_is_gated_from_the_engines_own_steps(deployed: Project) -> None:
    """A change that turns protect off and deletes nothing: the engine's steps carry the old (protected)
    and new (unprotected) state, so the gate sees it even with the change's own config saying false."""
    deployed.pulumi("config", "set", "cdn-ingress:protect", "false")
    _, log = deployed.preview_events("--ignore-protect")
    done = subprocess.run([sys.executable, "-m", "preview", "render", str(log)], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 3, done.stderr
    assert f"DeliveryRule '{HOST}/bob' protect: true -> false" in done.stderr
    assert "Deletion gate: protection lowered" in done.stdout


def test_retained_rule_stays_at_the_vendor(deployed: Project, cloud: Emulators) -> None:
    deployed.pulumi("config", "set", "cdn-ingress:protect", "false")
    deployed.pulumi("config", "set", "cdn-ingress:retainOnDelete", "true")
    deployed.pulumi("up", "--yes", "--skip-preview")
    deployed.remove_manifest("pywai-ingress2.yaml")
    text, _ = comment(deployed)
    assert f"CDN rule for `{HOST}/mark/and/fred/` leaves the program but is **retained** at Edgio" in text
    deployed.pulumi("up", "--yes", "--skip-preview")
    paths = {r["body"]["publishedUrlPath"] for r in cloud.state("edgio")["rules"]}
    assert "/mark/and/fred/" in paths
    in_state = [r["urn"] for r in deployed.resources() if r["type"].endswith("DeliveryRule")]
    assert len(in_state) == 1 and in_state[0].endswith(f"::{HOST}/bob")
