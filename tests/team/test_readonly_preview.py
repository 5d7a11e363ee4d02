"""The pull-request preview's backend identity only reads (docs/team.md, "Pull requests and deploys on
the shared backend"): a PostgreSQL role with SELECT on the state table previews a stack under the
real CLI, its secrets included, and is refused an up; the table is left as it was.

A PostgreSQL server of its own (creating roles needs its superuser), on a Unix socket only."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.pulumi_cli import ROOT, toolchain_env

pytestmark = pytest.mark.e2e
PORT = "15498"
PROGRAM = """import pulumi
pulumi.export("plain", {plain!r})
pulumi.export("hidden", pulumi.Output.secret("a-state-secret"))
"""


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.skip("no PostgreSQL server binaries in /usr/lib/postgresql (`make backend` installs them)")
    return found[-1].parent


class Server:
    """initdb + pg_ctl in a temporary folder, as the `postgres` user when run as root."""

    def __init__(self, root: Path) -> None:
        self.dir, self.bin = root, _bindir()
        self.user = "postgres" if os.geteuid() == 0 else ""
        if self.user:
            shutil.chown(root, self.user)
        self.run(str(self.bin / "initdb"), "-D", str(root / "data"), "-A", "trust", "-U", "admin")
        self.run(str(self.bin / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"), "-w", "start",
                 "-o", f"-p {PORT} -k {root} -c listen_addresses=")

    def run(self, *cmd: str, stdin: str = "") -> str:
        full = ["runuser", "-u", self.user, "--", *cmd] if self.user else list(cmd)
        return subprocess.run(full, input=stdin, capture_output=True, text=True, check=True, timeout=120).stdout

    def sql(self, statements: str, database: str = "postgres") -> str:
        return self.run(str(self.bin / "psql"), "-h", str(self.dir), "-p", PORT, "-U", "admin", "-X", "-q",
                        "-tA", "-v", "ON_ERROR_STOP=1", database, stdin=statements)

    def url(self, role: str) -> str:
        return f"postgres://{role}@/state?host={self.dir}&port={PORT}&sslmode=disable"

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "stop")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    # Directly under /tmp: the server's user cannot enter pytest's private temporary folders.
    root = Path(tempfile.mkdtemp(prefix="cdn-ingress-pg-"))
    try:
        started = Server(root)
        started.sql("CREATE ROLE deployer LOGIN; CREATE ROLE previewer LOGIN; CREATE DATABASE state OWNER deployer;")
        yield started
        started.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def cli(project: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**toolchain_env(), "PULUMI_BACKEND_URL": url, "PULUMI_CONFIG_PASSPHRASE": "preview-test-passphrase",
           "PULUMI_HOME": str(project / "home")}
    return subprocess.run(["pulumi", *args, "--stack", "ro", "--non-interactive"], cwd=project, env=env,
                          capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(scope="module")
def project(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stack deployed by the writing role, with a secret in its state; then SELECT for the previewer."""
    root = tmp_path_factory.mktemp("project")
    (root / "Pulumi.yaml").write_text("name: readonly-preview\nruntime:\n  name: python\n  options:\n"
                                      f"    toolchain: pip\n    virtualenv: {ROOT / 'venv'}\n")
    (root / "__main__.py").write_text(PROGRAM.format(plain="deployed"))
    for args in (["stack", "init", "--secrets-provider", "passphrase"], ["config", "set", "greeting", "hello"],
                 ["up", "--yes"]):
        done = cli(root, server.url("deployer"), *args)
        assert done.returncode == 0, done.stdout + done.stderr
    server.sql("GRANT CONNECT ON DATABASE state TO previewer; GRANT USAGE ON SCHEMA public TO previewer; "
               "GRANT SELECT ON pulumi_state TO previewer;", database="state")
    (root / "__main__.py").write_text(PROGRAM.format(plain="changed"))
    return root


def table(server: Server) -> str:
    return server.sql("SELECT key, md5(data::text), updated_at FROM pulumi_state ORDER BY key;", database="state")


def test_a_select_only_role_previews_with_the_state_secrets(server: Server, project: Path) -> None:
    before = table(server)
    done = cli(project, server.url("previewer"), "preview", "--diff", "--show-secrets")
    assert done.returncode == 0, done.stdout + done.stderr
    assert '~ plain : "deployed" => "changed"' in done.stdout
    assert table(server) == before


def test_a_select_only_role_is_refused_an_up(server: Server, project: Path) -> None:
    before = table(server)
    done = cli(project, server.url("previewer"), "up", "--yes")
    assert done.returncode != 0
    assert "permission denied for table pulumi_state" in done.stdout + done.stderr
    assert table(server) == before
