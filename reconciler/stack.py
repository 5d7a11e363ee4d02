"""The stack, as a client of Pulumi: its config and record sets read through the Automation API, and
each ``up`` run by reconciler.worker, waiting out a lock held by another run (never cancelling it)."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from fleet.runner import failure_reason
from reconciler.plan import RecordSet, record_sets
from reconciler.worker import LOCKED

log = logging.getLogger("reconciler")
KEEP_LOGS = 50
_HOLDER = re.compile(r"created by (?P<who>\S+@(?P<host>\S+)) \(pid (?P<pid>\d+)\)")


class Stopped(Exception):
    """The reconciler is stopping while waiting for a lock; nothing ran."""


@dataclass(frozen=True)
class StackConfig:
    address_type: str
    static_addresses: bool
    kubeconfig: str | None = field(repr=False)
    context: str | None


@dataclass(frozen=True)
class UpResult:
    ok: bool
    changes: dict[str, int]
    detail: str
    seconds: float

    @property
    def wrote(self) -> bool:
        return any(n for op, n in self.changes.items() if op != "same")


@dataclass
class StackClient:
    work_dir: Path
    stack: str
    policy_packs: list[str]
    policy_pack_configs: list[str]
    log_dir: Path
    lock_wait: tuple[float, float] = (2.0, 60.0)
    """First and longest pause between tries while another run holds the stack's lock."""
    runs: int = 0

    def _select(self) -> auto.Stack:
        return auto.Stack.select(self.stack, auto.LocalWorkspace(work_dir=str(self.work_dir)))

    def config(self) -> StackConfig:
        values = {k: v.value for k, v in self._select().get_all_config().items()}
        return StackConfig(address_type=values.get("cdn-ingress:nodeAddressType") or "ExternalIP",
                           static_addresses=bool(values.get("cdn-ingress:originAddresses", "").strip("[] \n")),
                           kubeconfig=values.get("kubernetes:kubeconfig"), context=values.get("kubernetes:context"))

    def state(self) -> tuple[list[RecordSet], bool]:
        """The record sets in the stack's state, and whether it holds any resource at all."""
        deployment = self._select().export_stack().deployment or {}
        resources = deployment.get("resources") or []
        return record_sets(resources), bool(resources)

    def record_sets(self) -> list[RecordSet]:
        return self.state()[0]

    def up(self, targets: list[str] | None, stop: threading.Event) -> UpResult:
        """One ``up`` (of ``targets`` only, or of everything), tried again while the stack is locked."""
        delay = self.lock_wait[0]
        while True:
            code, result, seconds = self._run_worker(targets)
            if code != LOCKED:
                detail = str(result.get("detail", ""))
                if not result.get("ok"):
                    detail = failure_reason(RuntimeError(detail), [])
                return UpResult(bool(result.get("ok")), dict(result.get("changes") or {}), detail, seconds)
            log.warning("stack %s is locked by another run%s; trying again in %.0fs (the lock is never broken)",
                        self.stack, holder(str(result.get("detail", ""))), delay)
            if stop.wait(delay):
                raise Stopped()
            delay = min(delay * 2, self.lock_wait[1])

    def _run_worker(self, targets: list[str] | None) -> tuple[int, dict[str, Any], float]:
        self.runs += 1
        self.log_dir.mkdir(parents=True, exist_ok=True)
        base = self.log_dir / f"{self.stack.replace('/', '_')}-{os.getpid()}-{self.runs}"
        request = {"work_dir": str(self.work_dir), "stack": self.stack, "targets": targets,
                   "policy_packs": self.policy_packs, "policy_pack_configs": self.policy_pack_configs,
                   "result": f"{base}.result.json"}
        Path(f"{base}.request.json").write_text(json.dumps(request))
        started = time.monotonic()
        with open(f"{base}.log", "w") as output:
            worker = subprocess.Popen([sys.executable, "-m", "reconciler.worker", f"{base}.request.json"],
                                      cwd=Path(__file__).resolve().parents[1], stdout=output, stderr=output,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
            code = _wait(worker)
        try:
            result: dict[str, Any] = json.loads(Path(f"{base}.result.json").read_text())
        except (OSError, ValueError):
            result = {"ok": False, "detail": f"the run ended (exit {code}) without a result; see {base}.log"}
        for done in (f"{base}.request.json", f"{base}.result.json"):
            Path(done).unlink(missing_ok=True)
        prune(self.log_dir, self.stack.replace("/", "_"), keep=KEEP_LOGS)
        return code, result, time.monotonic() - started


def prune(log_dir: Path, stack: str, *, keep: int) -> None:
    """Only the newest ``keep`` run logs of the stack stay (a reconciler runs for months)."""
    def age(path: Path) -> tuple[int, int]:
        run = path.stem.rsplit("-", 1)[-1]
        return path.stat().st_mtime_ns, int(run) if run.isdigit() else 0

    mine = re.compile(re.escape(stack) + r"-\d+-\d+\.log")
    logs = sorted((p for p in log_dir.glob(f"{stack}-*.log") if mine.fullmatch(p.name)), key=age)
    for old in logs[:-keep]:
        old.unlink(missing_ok=True)


def _wait(worker: subprocess.Popen[bytes]) -> int:
    """The run's end, whatever signals the reconciler gets meanwhile: a stop lets it finish."""
    while True:
        try:
            return worker.wait()
        except KeyboardInterrupt:
            log.warning("interrupted: the running up (pid %d) finishes first, then the reconciler stops", worker.pid)


def holder(lock_error: str) -> str:
    """`` (root@vm, pid 42)``, and whether that pid is alive when the host is this one."""
    found = _HOLDER.search(lock_error)
    if not found:
        return ""
    pid, host = int(found["pid"]), found["host"]
    if host != socket.gethostname():
        return f" ({found['who']}, pid {pid})"
    alive = Path(f"/proc/{pid}").exists()
    state = "running" if alive else "NOT RUNNING: a stale lock; clear it by hand as docs/team.md says"
    return f" ({found['who']}, pid {pid}, {state})"
