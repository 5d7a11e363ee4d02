"""Moving a stack from the file backend to PostgreSQL the way docs/team.md says (`stack export`,
`stack init` on the new backend, `stack import`): every resource keeps its URN, id and outputs, the
config file is untouched, and the first runs on the new backend change nothing anywhere."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.emulator import Emulators
from tests.support.pulumi_cli import Project
from tests.team.kit import assert_exactly_declared, init_stack, state_resources
from tests.team.pg import Postgres

pytestmark = pytest.mark.e2e
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


SECRET_SIG = "4dabf18193072939515e22adb298388d"  # Pulumi's marker of a secret value in state


def plain(value: Any) -> Any:
    """The value with every secret's ciphertext (new nonce on each export) replaced by a marker."""
    if isinstance(value, dict):
        return "<secret>" if SECRET_SIG in value else {k: plain(v) for k, v in value.items()}
    return [plain(v) for v in value] if isinstance(value, list) else value


def by_urn(resources: list[dict[str, Any]]) -> dict[str, tuple[Any, Any]]:
    return {r["urn"]: (r.get("id"), plain(r.get("outputs"))) for r in resources}


def test_file_backend_stack_moves_to_postgres_with_every_resource(
        team: Project, pg: Postgres, table: str, namespaces, cloud: Emulators, creds: dict[str, str]) -> None:
    on_postgres = {key: team.env.pop(key) for key in ("PULUMI_BACKEND_URL", "PGPASSFILE")}
    team.env["PULUMI_BACKEND_URL"] = f"file://{team.dir / 'state'}"
    init_stack(team, "mig", namespaces(), cloud, creds)
    team.pulumi("up", "--yes", "--skip-preview", "--stack", "mig")
    before = state_resources(team, "mig")
    config = (team.dir / "stacks" / "Pulumi.mig.yaml").read_text()
    checkpoint = team.dir / "mig.checkpoint.json"
    team.pulumi("stack", "export", "--stack", "mig", "--file", str(checkpoint))

    team.env.update(on_postgres)
    team.pulumi("stack", "init", "mig", "--secrets-provider", "passphrase")
    assert (team.dir / "stacks" / "Pulumi.mig.yaml").read_text() == config, "stack init rewrote the config"
    team.pulumi("stack", "import", "--stack", "mig", "--file", str(checkpoint))
    assert pg.keys(table, "%/stacks/cdn-ingress/mig.json"), "the stack is not in the PostgreSQL table"

    after = state_resources(team, "mig")
    assert len(before) > 10
    assert by_urn(after) == by_urn(before)
    team.pulumi("preview", "--expect-no-changes", "--stack", "mig")
    for vendor in ("vultr", "edgio"):
        cloud.admin(vendor, "DELETE", "calls")
    up = team.pulumi("up", "--yes", "--skip-preview", "--stack", "mig")
    resources = [r for r in before if not r["type"].startswith("pulumi:providers:")]  # as the CLI counts
    assert f"Resources:\n    {len(resources)} unchanged\n" in up.stdout, up.stdout[-2000:]
    for vendor in ("vultr", "edgio"):
        assert [c for c in cloud.calls(vendor) if c["method"] in WRITES] == []
    assert_exactly_declared(team, "mig", cloud)
    assert json.loads(checkpoint.read_text())["deployment"]["resources"]  # kept as the backup it is
