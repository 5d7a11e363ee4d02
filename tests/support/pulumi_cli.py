"""The real Pulumi CLI (built by tools/toolchain.sh) on a throw-away copy of the project.

Each ``Project`` is the program's code and a copy of ``manifests/`` in a temporary directory, with
its own file state backend, its own passphrase and a stack whose config points at the test's
emulators. Every command's output is appended to ``cli.log`` so tests can search all of it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CODE = ("Pulumi.yaml", "__main__.py", "requirements.txt", "cdn_ingress", "edgio_provider",
        "vultr_provider", "cloudflare_provider", "restkit")


def _let_plugins_hear_interrupts() -> None:
    """The engine stops each plugin with SIGINT and waits 5 s before killing it. A CLI started with
    SIGINT ignored (any background job of a non-interactive shell, so also a detached run or a CI
    job) hands the ignore down to every plugin, and each command then waits those 5 s. A handler,
    unlike an ignore, is not inherited across exec, so the CLI started from here gets the default."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        with contextlib.suppress(ValueError):  # only the main thread may set it; elsewhere leave it
            signal.signal(signal.SIGINT, signal.default_int_handler)


def cluster_script(*args: str, cluster: str = "first", check: bool = True, timeout: float = 300
                   ) -> subprocess.CompletedProcess[str]:
    """``tools/cluster.sh`` for one local cluster (``CLUSTER=second``: the second, independent one)."""
    return subprocess.run([str(ROOT / "tools" / "cluster.sh"), *args], check=check, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "CLUSTER": cluster})


def local_cluster(cluster: str = "first") -> str:
    """Start a local cluster (idempotent) and return its kubeconfig path."""
    subprocess.run([str(ROOT / "tools" / "cluster.sh"), "start"], check=True, env={**os.environ, "CLUSTER": cluster})
    return cluster_script("kubeconfig", cluster=cluster).stdout.strip()


def toolchain_problem() -> str | None:
    """None when the toolchain (CLI, plugins and control plane) is built, else what
    ``tools/toolchain.sh --check`` says is missing, on one line."""
    done = subprocess.run([str(ROOT / "tools" / "toolchain.sh"), "--check"],
                          capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in (done.stdout + done.stderr).splitlines()]
    return "; ".join(line for line in lines if line and not line.startswith("not built"))


def toolchain_env() -> dict[str, str]:
    """The environment ``source tools/env.sh`` gives (PATH, PULUMI_HOME, no plugin downloads)."""
    out = subprocess.run(["bash", "-c", f"source {ROOT}/tools/env.sh && env -0"], capture_output=True,
                         check=True).stdout.decode()
    return dict(item.split("=", 1) for item in out.split("\0") if "=" in item)


class CliError(AssertionError):
    pass


class Project:
    def __init__(self, workdir: Path, *, kubeconfig: str, namespace: str) -> None:
        _let_plugins_hear_interrupts()
        self.dir = workdir
        self.namespace = namespace
        for name in CODE:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, workdir / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, workdir / name)
        (workdir / "venv").symlink_to(ROOT / "venv")
        (workdir / "stacks").mkdir()
        self.manifests = workdir / "manifests"
        self.manifests.mkdir()
        for path in sorted((ROOT / "manifests").glob("*.yaml")):
            self.write_manifest(path.name, list(yaml.safe_load_all(path.read_text())))
        (workdir / "state").mkdir()
        self.log = workdir / "cli.log"
        self.passphrase = secrets.token_hex(12)
        self.env = {**toolchain_env(), "PULUMI_BACKEND_URL": f"file://{workdir / 'state'}",
                    "PULUMI_CONFIG_PASSPHRASE": self.passphrase, "KUBECONFIG": kubeconfig,
                    "PULUMI_SKIP_CONFIRMATIONS": "true"}
        for key in ("VULTR_API_KEY", "EDGIO_SHARED_KEY", "EDGIO_USERNAME", "LLNW_API_KEY", "CLOUDFLARE_API_TOKEN",
                    "CLOUDFLARE_ENDPOINT", "CLOUDFLARE_ZONE_ID", "CLOUDFLARE_ZONE_NAME"):
            self.env.pop(key, None)

    # -- manifests --------------------------------------------------------------------------
    def write_manifest(self, name: str, docs: list[dict[str, Any]]) -> None:
        """Write YAML documents into the copy, each placed in the test's namespace."""
        for doc in docs:
            doc.setdefault("metadata", {})["namespace"] = self.namespace
        (self.manifests / name).write_text(yaml.safe_dump_all(docs, sort_keys=False))

    def read_manifest(self, name: str) -> list[dict[str, Any]]:
        return list(yaml.safe_load_all((self.manifests / name).read_text()))

    def remove_manifest(self, name: str) -> None:
        (self.manifests / name).unlink()

    # -- the CLI ----------------------------------------------------------------------------
    def _record(self, args: list[str], out: str, err: str, code: int) -> None:
        with self.log.open("a") as log:
            log.write(f"$ pulumi {' '.join(args)}  (exit {code})\n{out}\n{err}\n")

    def pulumi(self, *args: str, check: bool = True, timeout: float = 900, stdin: str | None = None
               ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["pulumi", *args, "--non-interactive"], cwd=self.dir, env=self.env,
                              capture_output=True, text=True, timeout=timeout, check=False, input=stdin)
        self._record(list(args), done.stdout, done.stderr, done.returncode)
        if check and done.returncode != 0:
            raise CliError(f"pulumi {' '.join(args)} exited {done.returncode}:\n{done.stdout[-4000:]}\n"
                           f"{done.stderr[-4000:]}")
        return done

    def pulumi_killed(self, *args: str, when: Callable[[], bool], timeout: float = 300) -> None:
        """Start a command and SIGKILL its whole process group as soon as ``when()`` is true."""
        proc = subprocess.Popen(["pulumi", *args, "--non-interactive"], cwd=self.dir, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        deadline = time.monotonic() + timeout
        try:
            while not when():
                if proc.poll() is not None:
                    raise CliError(f"pulumi {' '.join(args)} ended (exit {proc.returncode}) before the kill point")
                if time.monotonic() > deadline:
                    raise CliError("the kill point never came")
                time.sleep(0.05)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            self._record([*list(args), "(killed)"], out, err, proc.returncode)
            self._kill_leftovers()

    def _kill_leftovers(self) -> None:
        """Plugins the engine started in their own process groups die with it on a real machine
        loss; here they would linger, so they go too."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if f"{self.dir}/" in cmdline:
                with contextlib.suppress(OSError):
                    os.kill(int(entry.name), signal.SIGKILL)

    def repair_backend(self) -> list[Path]:
        """The file backend keeps each blob's metadata in a ``<blob>.attrs`` file written after the
        blob; a kill between the two leaves it empty and every command then fails with
        "failed to load checkpoint: EOF". An empty one carries nothing, so it goes
        (docs/operations.md; scripts/local-stack.sh does the same for the local stack)."""
        empty = [p for p in (self.dir / "state" / ".pulumi").rglob("*.attrs") if p.stat().st_size == 0]
        for path in empty:
            path.unlink()
        return empty

    def preview_events(self, *args: str, check: bool = True) -> tuple[subprocess.CompletedProcess[str], Path]:
        """``pulumi preview`` that also writes the engine's event log (what pull-request previews
        render); returns the run and the log's path."""
        log = self.dir / f"events-{len(list(self.dir.glob('events-*.jsonl')))}.jsonl"
        self.env["PULUMI_DEBUG_COMMANDS"] = "true"  # the CLI offers --event-log only then (as the Automation API)
        return self.pulumi("preview", "--event-log", str(log), "--color", "never", *args, check=check), log

    def init_stack(self, name: str, config: dict[str, str], secret: dict[str, str]) -> None:
        self.pulumi("stack", "init", name, "--secrets-provider", "passphrase")
        for key, value in config.items():
            self.pulumi("config", "set", key, value)
        for key, value in secret.items():  # on stdin, so no command line or log ever holds it
            self.pulumi("config", "set", "--secret", key, stdin=value)

    def outputs(self) -> dict[str, Any]:
        outputs: dict[str, Any] = json.loads(self.pulumi("stack", "output", "--json").stdout)
        return outputs

    def export(self) -> str:
        return self.pulumi("stack", "export").stdout

    def resources(self) -> list[dict[str, Any]]:
        return list(json.loads(self.export())["deployment"].get("resources") or [])
