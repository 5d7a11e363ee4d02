"""scripts/backend.sh: idempotent start/stop, loopback only, a dedicated role that is no superuser,
a password only in a 0600 file outside the repository, never in what the script prints."""

from __future__ import annotations

import os
import stat
import subprocess
from urllib.parse import urlsplit

import pytest

from tests.support.pulumi_cli import ROOT
from tests.team.pg import BACKEND_SH, Postgres, backend

pytestmark = pytest.mark.e2e


def test_start_again_changes_nothing_and_prints_no_password(pg: Postgres) -> None:
    password = pg.password()
    again = backend("start")
    assert pg.password() == password
    printed = again.stdout + again.stderr + "".join(pg.outputs) + backend("url").stdout + backend("status").stdout
    leaked = password in printed  # the value itself stays out of the failure report
    assert not leaked, "scripts/backend.sh printed the password"
    assert "127.0.0.1" in backend("url").stdout


def test_password_file_is_private_and_outside_the_repository(pg: Postgres) -> None:
    mode = stat.S_IMODE(pg.passfile.stat().st_mode)
    assert mode == 0o600, oct(mode)
    assert stat.S_IMODE(pg.passfile.parent.stat().st_mode) == 0o700
    assert not pg.passfile.resolve().is_relative_to(ROOT.resolve())
    assert len(pg.password()) == 48 and all(c in "0123456789abcdef" for c in pg.password())


def test_server_listens_on_loopback_only_and_the_role_has_no_powers(pg: Postgres) -> None:
    assert pg.rows("SHOW listen_addresses") == ["127.0.0.1"]
    assert pg.rows("SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user") \
        == ["f|f|f"]
    assert pg.rows("SELECT current_user, current_database()") == ["cdn_ingress|cdn_ingress"]


@pytest.mark.parametrize(("user", "database", "right_password", "refusal"), [
    ("cdn_ingress", "cdn_ingress", False, "password authentication failed"),
    ("postgres", "postgres", True, "no pg_hba.conf entry"),
    ("cdn_ingress", "postgres", True, "no pg_hba.conf entry"),
], ids=["wrong-password", "superuser-over-tcp", "other-database"])
def test_only_the_role_with_its_password_gets_in(pg: Postgres, user: str, database: str, right_password: bool,
                                                refusal: str) -> None:
    password = pg.password() if right_password else "not-the-password"
    env = {**os.environ, "PGPASSFILE": "/dev/null", "PGPASSWORD": password, "PGCONNECT_TIMEOUT": "5"}
    url = f"postgres://{user}@127.0.0.1:{urlsplit(pg.url).port}/{database}?sslmode=disable"
    done = subprocess.run(["psql", "-X", url, "-c", "SELECT 1"], env=env, capture_output=True, text=True,
                          check=False, timeout=30)
    assert done.returncode != 0
    assert refusal in done.stderr


def test_stop_then_start_keeps_the_data(pg: Postgres) -> None:
    pg.rows("CREATE TABLE IF NOT EXISTS backend_test_kept (n int)")
    pg.rows("INSERT INTO backend_test_kept VALUES (42)")
    try:
        backend("stop")
        assert subprocess.run([BACKEND_SH, "status"], capture_output=True, check=False).returncode == 3
        backend("stop")  # stopping a stopped server is fine too
        backend("start")
        assert pg.rows("SELECT n FROM backend_test_kept") == ["42"]
    finally:
        backend("start")
        pg.rows("DROP TABLE IF EXISTS backend_test_kept")
