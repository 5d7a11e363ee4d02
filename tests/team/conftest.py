"""Fixtures of the team tests: the PostgreSQL backend (started here, so CI needs no extra step),
a table of it per module, namespaces on demand; the rest is the end-to-end tests' own fixtures."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e import conftest as e2e
from tests.support.pulumi_cli import Project
from tests.team.pg import Postgres

# The same cluster, credentials, emulators and skip rule as tests/e2e.
kubeconfig = e2e.kubeconfig
kube = e2e.kube
creds = e2e.creds
cloud = e2e.cloud
pytest_collection_modifyitems = e2e.pytest_collection_modifyitems


@pytest.fixture(scope="session")
def pg() -> Postgres:
    return Postgres()


@pytest.fixture(scope="module")
def table(pg: Postgres) -> Iterator[str]:
    name = f"e2e_{secrets.token_hex(4)}"
    yield name
    pg.drop(name)


@pytest.fixture(scope="module")
def namespaces(kube: Any) -> Iterator[Callable[[], str]]:
    from kubernetes import client

    core, made = client.CoreV1Api(kube), []

    def make() -> str:
        name = f"team-{secrets.token_hex(3)}"
        core.create_namespace({"metadata": {"name": name}})
        made.append(name)
        return name

    yield make
    for name in made:
        core.delete_namespace(name)


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory, kubeconfig: str, pg: Postgres, table: str,
         namespaces: Callable[[], str]) -> Project:
    """A copy of the project whose stacks live in this module's table of the PostgreSQL backend."""
    project = Project(tmp_path_factory.mktemp("team"), kubeconfig=kubeconfig, namespace=namespaces())
    project.env.update(pg.env(table))
    return project
