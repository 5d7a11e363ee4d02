"""The pack's modules import as the CLI runs them (policy/ on the path); the end-to-end test reuses
the e2e fixtures (cluster, emulators, credentials) and their skip when the toolchain is not built."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.e2e import conftest as e2e
from tests.e2e.conftest import cloud, creds, kube, kubeconfig, namespace

PACK = Path(__file__).resolve().parents[2] / "policy"
if str(PACK) not in sys.path:
    sys.path.insert(0, str(PACK))

__all__ = ["cloud", "creds", "kube", "kubeconfig", "namespace"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.pluginmanager.is_registered(e2e):
        return  # collected too: its own hook already skips every e2e test the toolchain cannot run
    e2e.pytest_collection_modifyitems(items)
