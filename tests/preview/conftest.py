"""The end-to-end fixtures (real CLI, emulators, local cluster) shared with tests/e2e."""

from tests.e2e.conftest import (  # noqa: F401  (fixtures and the skip hook, used by name)
    cloud,
    creds,
    kube,
    kubeconfig,
    namespace,
    project,
    pytest_collection_modifyitems,
)
