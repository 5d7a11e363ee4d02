"""End-to-end fixtures: the real Pulumi CLI, the emulators on loopback, the local cluster.

Skipped, with the reason, when ``tools/toolchain.sh --check`` reports something not built.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator import Emulators
from tests.support.pulumi_cli import Project, cluster_script, local_cluster, toolchain_problem

DOMAIN = "origin.example.com"
SHORTNAME = "cstradtman"

def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    e2e = [item for item in items if "e2e" in item.keywords]
    problem = toolchain_problem() if e2e else None  # asked only when there is something to run
    if problem is None:
        return
    if os.environ.get("CDN_INGRESS_REQUIRE_E2E") == "1":  # CI: a missing toolchain is a failure, not a skip
        raise pytest.UsageError(f"end-to-end tests required but the toolchain is not built: {problem}")
    skip = pytest.mark.skip(reason=f"toolchain not built (make toolchain): {problem}")
    for item in e2e:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def kubeconfig() -> str:
    return local_cluster()


@pytest.fixture(scope="session")
def kube(kubeconfig: str) -> Any:
    return api_client(kubeconfig)


def api_client(kubeconfig: str) -> Any:
    from kubernetes import client, config

    return client.ApiClient(config.new_client_from_config(config_file=kubeconfig).configuration)


@pytest.fixture(scope="session")
def second_kubeconfig() -> Iterator[str]:
    """The second local cluster (``CLUSTER=second tools/cluster.sh``), started for the session and
    stopped after it, unless it was already running before (then it is left as found)."""
    running = cluster_script("status", cluster="second", check=False).returncode == 0
    path = local_cluster("second")
    yield path
    if not running:
        cluster_script("stop", cluster="second", check=False)


@pytest.fixture(scope="module")
def namespace(kube: Any) -> Iterator[str]:
    from kubernetes import client

    name = f"e2e-{secrets.token_hex(3)}"
    core = client.CoreV1Api(kube)
    core.create_namespace({"metadata": {"name": name}})
    yield name
    core.delete_namespace(name)


class Creds(dict):  # type: ignore[type-arg]
    """The run's vendor credentials; its repr hides them from pytest's failure reports."""

    def __repr__(self) -> str:
        return "Creds(<hidden>)"


@pytest.fixture(scope="module")
def creds() -> dict[str, str]:
    return Creds(vultr="E2E" + secrets.token_hex(16).upper(), edgio_user="e2e@example.com",
                 edgio_key=secrets.token_hex(32))


@pytest.fixture(scope="module")
def cloud(creds: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulators]:
    state = tmp_path_factory.mktemp("emulators") / "state.sqlite"
    emulators = Emulators("--vultr-api-key", creds["vultr"], "--vultr-domain", DOMAIN,
                          "--edgio-username", creds["edgio_user"], "--edgio-shared-key", creds["edgio_key"],
                          "--edgio-shortname", SHORTNAME, "--edgio-shortname", "someone-else",
                          "--state", str(state))
    yield emulators
    emulators.stop()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, kubeconfig: str, namespace: str, cloud: Emulators,
            creds: dict[str, str]) -> Project:
    work: Path = tmp_path_factory.mktemp("project")
    proj = Project(work, kubeconfig=kubeconfig, namespace=namespace)
    proj.init_stack("e2e", *stack_config(cloud, creds))
    return proj


def stack_config(cloud: Emulators, creds: dict[str, str], **extra: str) -> tuple[dict[str, str], dict[str, str]]:
    """An end-to-end stack's plain and secret config: the test's emulators and credentials."""
    return {
        "cdn-ingress:originDomain": DOMAIN,
        "cdn-ingress:edgioShortname": SHORTNAME,
        "cdn-ingress:deployTimeoutSeconds": "60",
        "vultr:endpoint": cloud.vultr,
        "edgio:endpoint": cloud.edgio,
        "edgio:pollSeconds": "0.2",
        "edgio:username": creds["edgio_user"],
        **extra,
    }, {"vultr:apiKey": creds["vultr"], "edgio:sharedKey": creds["edgio_key"]}
