"""A Cloudflare stack (``cdn-ingress:cdn: cloudflare``) under the real Pulumi CLI, on the local
cluster, against the Vultr and Cloudflare emulators: ``up`` creates the origin records at Vultr and,
in the zone, the origin alias, the proxied host record and one Origin Rule per path; the Ingress
status says the host; a second ``up`` changes nothing; ``destroy`` removes all of it.

The tests run in file order on one stack; the last one destroys it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudflare_provider import origin_alias
from tests.e2e.conftest import DOMAIN, SHORTNAME, Creds
from tests.support.emulator import Emulators
from tests.support.pulumi_cli import Project

pytestmark = pytest.mark.e2e

ZONE = "example.net"
HOST = f"shop.{ZONE}"
SERVICE = "pywai-inline-service"
ORIGIN = f"{SERVICE}.{DOMAIN}"
ALIAS = origin_alias(ORIGIN, ZONE)
ADDRESSES = ["203.0.113.50", "203.0.113.51"]


@pytest.fixture(scope="module")
def cf_creds() -> dict[str, str]:
    return Creds(vultr="E2E" + secrets.token_hex(16).upper(), cloudflare="e2e-" + secrets.token_urlsafe(30),
                 edgio_key=secrets.token_hex(32))


@pytest.fixture(scope="module")
def cf_cloud(cf_creds: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulators]:
    state = tmp_path_factory.mktemp("cf-emulators") / "state.sqlite"
    emulators = Emulators("--vultr-api-key", cf_creds["vultr"], "--vultr-domain", DOMAIN,
                          "--edgio-username", "unused@example.com", "--edgio-shared-key", cf_creds["edgio_key"],
                          "--cloudflare-port", "0", "--cloudflare-api-token", cf_creds["cloudflare"],
                          "--cloudflare-zone", ZONE, "--state", str(state))
    yield emulators
    emulators.stop()


def _ingress(paths: list[str]) -> dict[str, Any]:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "shop"},
            "spec": {"ingressClassName": "edgio", "rules": [{"host": HOST, "http": {"paths": [
                {"path": p, "pathType": "Prefix",
                 "backend": {"service": {"name": SERVICE, "port": {"name": "http"}}}} for p in paths]}}]}}


@pytest.fixture(scope="module")
def cf_project(tmp_path_factory: pytest.TempPathFactory, kubeconfig: str, namespace: str, cf_cloud: Emulators,
               cf_creds: dict[str, str]) -> Project:
    work: Path = tmp_path_factory.mktemp("cf-project")
    proj = Project(work, kubeconfig=kubeconfig, namespace=namespace)
    proj.remove_manifest("pywai-ingress2.yaml")  # Edgio rule options: refused on a Cloudflare stack
    proj.write_manifest("pywai-ingress.yaml", [_ingress(["/bob", "/mark"])])
    proj.init_stack("e2e-cf", {
        "cdn-ingress:cdn": "cloudflare", "cdn-ingress:originDomain": DOMAIN,
        "vultr:endpoint": cf_cloud.vultr, "cloudflare:endpoint": cf_cloud.cloudflare, "cloudflare:zoneName": ZONE,
    }, {"vultr:apiKey": cf_creds["vultr"], "cloudflare:apiToken": cf_creds["cloudflare"]})
    for index, address in enumerate(ADDRESSES):  # static: other runs may change the shared cluster's nodes
        proj.pulumi("config", "set", "--path", f"cdn-ingress:originAddresses[{index}]", address)
    return proj


def zone(cloud: Emulators) -> dict[str, Any]:
    found: dict[str, Any] = cloud.state("cloudflare")[ZONE]
    return found


def records(cloud: Emulators) -> dict[str, tuple[str, str, bool]]:
    return {r["name"]: (r["type"], r["content"], r["proxied"]) for r in zone(cloud)["dns_records"]}


def origin_rules(cloud: Emulators) -> list[dict[str, Any]]:
    return [rule for ruleset in zone(cloud)["rulesets"] if ruleset.get("phase") == "http_request_origin"
            for rule in ruleset.get("rules") or []]


def vultr_origin(cloud: Emulators) -> set[str]:
    return {r["data"] for r in cloud.state("vultr")[DOMAIN] if r["name"] == SERVICE and r["type"] == "A"}


def test_up_creates_alias_host_record_and_rules(cf_project: Project, cf_cloud: Emulators, kube: Any,
                                                namespace: str) -> None:
    cf_project.pulumi("up", "--yes", "--skip-preview")
    assert vultr_origin(cf_cloud) == set(ADDRESSES)
    assert records(cf_cloud) == {ALIAS: ("CNAME", ORIGIN, False), HOST: ("CNAME", ALIAS, True)}
    from kubernetes import client

    port = client.CoreV1Api(kube).read_namespaced_service(SERVICE, namespace).spec.ports[0].node_port
    rules = origin_rules(cf_cloud)
    assert sorted(r["description"].rsplit("route=", 1)[1] for r in rules) == [
        f"{HOST}/bob match=prefix", f"{HOST}/mark match=prefix"]
    assert {(r["action"], r["action_parameters"]["origin"]["host"], r["action_parameters"]["origin"]["port"])
            for r in rules} == {("route", ALIAS, port)}
    status = client.NetworkingV1Api(kube).read_namespaced_ingress_status("shop", namespace).status
    assert [i.hostname for i in status.load_balancer.ingress] == [HOST]
    assert {route["published_url"] for route in cf_project.outputs()["routes"].values()} == {
        f"https://{HOST}/bob", f"https://{HOST}/mark"}


def test_second_up_changes_nothing(cf_project: Project) -> None:
    cf_project.pulumi("preview", "--expect-no-changes")


def test_preview_comment_names_the_origin_rules_and_their_origin(cf_project: Project) -> None:
    """A real event log of a Cloudflare stack, rendered: a path moved is one Origin Rule gone and
    one made, each with the Vultr origin behind its alias."""
    from preview import Target, load, render
    from preview.md import ADD

    cf_project.write_manifest("pywai-ingress.yaml", [_ingress(["/bob", "/market"])])
    _, log = cf_project.preview_events()
    text = render(load(log), Target("cdn-ingress", "e2e-cf"))
    assert f"🔀 `{HOST}/mark` → `{HOST}/market`: path changed (same origin `{ORIGIN}:" in text
    cf_project.write_manifest("pywai-ingress.yaml", [_ingress(["/bob", "/mark", "/new"])])
    _, log = cf_project.preview_events()
    text = render(load(log), Target("cdn-ingress", "e2e-cf"))
    assert f"{ADD} `{HOST}/new` will be served by the CDN from `{ORIGIN}:" in text
    assert "(Cloudflare Origin Rule, prefix match, via alias" in text
    cf_project.write_manifest("pywai-ingress.yaml", [_ingress(["/bob", "/mark"])])


def test_destroy_removes_records_and_rules(cf_project: Project, cf_cloud: Emulators) -> None:
    cf_project.pulumi("destroy", "--yes")
    assert records(cf_cloud) == {}
    assert origin_rules(cf_cloud) == []
    assert vultr_origin(cf_cloud) == set()
    assert [r for r in cf_cloud.state("edgio")["rules"] if r.get("shortname") == SHORTNAME] == []
