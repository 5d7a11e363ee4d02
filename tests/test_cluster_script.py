"""tools/cluster.sh's choice of cluster, without starting one: the first cluster where it always was,
the second (CLUSTER=second) in a workdir of its own, and an unknown name refused."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def script(*args: str, cache: Path, cluster: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CLUSTER"} | {"CDN_INGRESS_CACHE": str(cache)}
    if cluster is not None:
        env["CLUSTER"] = cluster
    return subprocess.run([str(ROOT / "tools" / "cluster.sh"), *args], env=env, capture_output=True, text=True,
                          timeout=30, check=False)


@pytest.mark.parametrize(("cluster", "folder"), [(None, "cluster"), ("first", "cluster"),
                                                 ("second", "cluster-second")], ids=["unset", "first", "second"])
def test_each_cluster_has_its_own_kubeconfig(tmp_path: Path, cluster: str | None, folder: str) -> None:
    done = script("kubeconfig", cache=tmp_path, cluster=cluster)
    assert (done.returncode, done.stdout.strip()) == (0, str(tmp_path / folder / "kubeconfig"))


def test_an_unknown_cluster_is_refused_naming_the_allowed_ones(tmp_path: Path) -> None:
    done = script("status", cache=tmp_path, cluster="third")
    assert done.returncode == 2
    assert done.stderr == "[cluster] CLUSTER=third: unknown cluster; allowed: first (the default), second\n"
