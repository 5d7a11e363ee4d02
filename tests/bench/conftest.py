"""The end-to-end tests' skip rule: without the toolchain, the bench's e2e cases say why and skip."""

from __future__ import annotations

from tests.e2e import conftest as e2e

pytest_collection_modifyitems = e2e.pytest_collection_modifyitems
