"""The PostgreSQL state backend as the tests use it: started by scripts/backend.sh (installed when
missing), one table of its database per test module, queried with psql as the backend's own role."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from tests.support.pulumi_cli import ROOT

BACKEND_SH = str(ROOT / "scripts" / "backend.sh")


def backend(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BACKEND_SH, *args], capture_output=True, text=True, check=True, timeout=600)


class Postgres:
    """What ``scripts/backend.sh start`` set up; ``outputs`` keeps everything it printed."""

    def __init__(self) -> None:
        started = backend("start")
        self.outputs = [started.stdout + started.stderr]
        env = backend("env").stdout
        self.outputs.append(env)
        exported = dict(word.split("=", 1) for word in shlex.split(env) if "=" in word)
        self.url = exported["PULUMI_BACKEND_URL"]
        self.passfile = Path(exported["PGPASSFILE"])

    def password(self) -> str:
        """The role's real password: the fifth field of its pgpass line."""
        return self.passfile.read_text().strip().split(":")[4]

    def env(self, table: str) -> dict[str, str]:
        """What a CLI run needs to keep its stacks in ``table`` (the password stays in the file)."""
        return {"PULUMI_BACKEND_URL": f"{self.url}&table={table}", "PGPASSFILE": str(self.passfile)}

    def rows(self, sql: str) -> list[str]:
        done = backend("psql", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql)
        return [line for line in done.stdout.splitlines() if line]

    def keys(self, table: str, like: str = "%") -> list[str]:
        return self.rows(f"SELECT key FROM {table} WHERE key LIKE '{like}' ORDER BY key")

    def locks(self, table: str) -> list[str]:
        return self.keys(table, "%/.pulumi/locks/%")

    def dump(self, table: str) -> str:
        """Every blob of the table decoded (the backend stores them base64 in JSON), to search for
        what must not be there."""
        return "\n".join(self.rows(f"SELECT key || ' ' || convert_from(decode(data->>'data', 'base64'), 'UTF8') "
                                    f"FROM {table}"))

    def drop(self, table: str) -> None:
        self.rows(f"DROP TABLE IF EXISTS {table}")
