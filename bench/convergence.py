"""``python -m bench.convergence``: with the reconciler running on a stack of the program (real CLI,
local cluster, the bench's emulators), the seconds from a node's Ready condition changing to the
emulator's zone answering without (NotReady) or with (Ready again) its address, on the file backend
and on PostgreSQL (scripts/backend.sh), and the vendor calls each event cost."""

from __future__ import annotations

import argparse
import math
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from bench.cli import manifests
from bench.measure import Bench, Conditions
from bench.workload import DOMAIN, SHORTNAME, Workload
from tests.support.pulumi_cli import ROOT, Project, local_cluster

KWOK = "kwok.x-k8s.io/node"
NODE, ADDRESS = "node-3", "203.0.113.13"  # tools/nodes.py's third node
RESULTS = Path(__file__).resolve().parent / "CONVERGENCE.md"
TARGET_P95 = 15.0


@dataclass(frozen=True)
class Event:
    direction: str
    """``removed`` (the node went NotReady) or ``added`` (Ready again)."""
    seconds: float
    """From the condition written to the zone answering without / with the address."""
    vultr_reads: int
    vultr_writes: int
    edgio_calls: int


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def table(results: dict[str, list[Event]], command: str, notes: list[str]) -> str:
    lines = ["## Convergence: node condition change to DNS, with the reconciler", "", f"`{command}`", "",
             "| backend | direction | events | median s | p95 s | max s | Vultr reads / writes per event "
             "| Edgio calls per event |", "|---|---|---|---|---|---|---|---|"]
    for backend, events in results.items():
        for direction in ("removed", "added", "all", "replaced", "restored"):
            chosen = [e for e in events if direction == e.direction or (direction == "all" and
                                                                         e.direction in ("removed", "added"))]
            if not chosen:
                continue
            lines.append(f"| {backend} | {direction} | {_row(chosen)} |")
    return "\n".join([*lines, "", *(f"- {n}" for n in notes), ""])


def _row(events: list[Event]) -> str:
    secs, n = [e.seconds for e in events], len(events)
    reads, writes = sum(e.vultr_reads for e in events) / n, sum(e.vultr_writes for e in events) / n
    return (f"{n} | {statistics.median(secs):.1f} | {percentile(secs, 95):.1f} | {max(secs):.1f} | "
            f"{reads:.1f} / {writes:.1f} | {sum(e.edgio_calls for e in events) / n:.1f}")


def wait_until(what: str, check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:.0f}s: {what}")
        time.sleep(0.1)


class Convergence:
    """One stack (one origin name, three nodes) with the reconciler running; ``event`` flips node-3."""

    def __init__(self, bench: Bench, backend: str, *, debounce: float, hold_down: float) -> None:
        from kubernetes import client, config

        self.bench, self.backend = bench, backend
        self.kubeconfig = local_cluster()
        self.core = client.CoreV1Api(cast(Any, config).new_client_from_config(config_file=self.kubeconfig))
        self.namespace = f"bench-conv-{secrets.token_hex(3)}"
        self.core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=self.namespace)))
        self.tmp = tempfile.TemporaryDirectory(prefix="cdn-ingress-convergence-")
        self.project = Project(Path(self.tmp.name), kubeconfig=self.kubeconfig, namespace=self.namespace)
        if backend == "postgres":
            self.project.env.update(_postgres_env())
        self.stack = f"conv-{secrets.token_hex(3)}"  # unique on a shared backend
        for path in sorted(self.project.manifests.glob("*.yaml")):
            path.unlink()
        self.project.write_manifest("bench.yaml", manifests(Workload(1)))
        e = bench.endpoints
        self.project.init_stack(self.stack, {
            "cdn-ingress:originDomain": DOMAIN, "cdn-ingress:edgioShortname": SHORTNAME,
            "vultr:endpoint": e.vultr, "edgio:endpoint": e.edgio, "edgio:pollSeconds": "0.5",
            "edgio:username": e.edgio_user}, {"vultr:apiKey": e.vultr_key, "edgio:sharedKey": e.edgio_key})
        self.project.pulumi("up", "--yes", "--skip-preview", timeout=1200)
        self.log = self.project.dir / "reconciler.log"
        with self.log.open("w") as out:
            self.reconciler = subprocess.Popen(
                [sys.executable, "-m", "reconciler", "--stack", self.stack, "--work-dir", str(self.project.dir),
                 "--debounce", f"{debounce:g}", "--hold-down", f"{hold_down:g}", "--full-every", "0",
                 "--metrics-port", "0", "--policy-pack", str(ROOT / "policy"),
                 "--policy-pack-config", str(ROOT / "stacks" / "policy.local.json")],
                cwd=ROOT, env=self.project.env, stdout=out, stderr=out, stdin=subprocess.DEVNULL)
        wait_until("the reconciler's first pass", lambda: "no change" in self.log.read_text(), 300)

    def addresses(self) -> set[str]:
        return {r["data"] for r in self.bench.emulators.state("vultr")[DOMAIN] if r["name"] == "svc0"
                and r["type"] == "A"}

    def runs_done(self) -> int:
        text = self.log.read_text()
        return text.count(" up done ") + text.count(" up FAILED ")

    def event(self, ready: bool) -> Event:
        return self._measure("added" if ready else "removed", lambda: self._flip(ready),
                             lambda: (ADDRESS in self.addresses()) == ready)

    def _measure(self, direction: str, change: Callable[[], float], done: Callable[[], bool]) -> Event:
        for vendor in ("vultr", "edgio"):
            self.bench.emulators.admin(vendor, "DELETE", "calls")
        runs = self.runs_done()
        started = change()
        wait_until(f"the zone after '{direction}'", done, 120)
        seconds = time.monotonic() - started
        wait_until("the reconciler's run to end", lambda: self.runs_done() > runs, 120)
        vultr, edgio = self.bench.emulators.calls("vultr"), self.bench.emulators.calls("edgio")
        return Event(direction, seconds, sum(c["method"] == "GET" for c in vultr),
                     sum(c["method"] != "GET" for c in vultr), len(edgio))

    def replace(self, restore: bool) -> Event:
        """node-1 replaced by node-4 (tools/nodes.py replace), or the three nodes restored (ensure);
        timed from the command's end (the last node change) to the zone holding the new set."""
        args = ["ensure"] if restore else ["replace", "node-1", "node-4", "203.0.113.14"]
        wanted = {"203.0.113.11", "203.0.113.12", ADDRESS} if restore else {"203.0.113.12", ADDRESS, "203.0.113.14"}
        return self._measure("restored" if restore else "replaced", lambda: self._nodes(*args),
                             lambda: self.addresses() == wanted)

    def _nodes(self, *args: str) -> float:
        subprocess.run([sys.executable, str(ROOT / "tools" / "nodes.py"), "--kubeconfig", self.kubeconfig, *args],
                       check=True, capture_output=True, timeout=120)
        return time.monotonic()

    def _flip(self, ready: bool) -> float:
        """Write the Ready condition (kwok lets go of a NotReady node, and takes a Ready one back)."""
        if not ready:
            self.core.patch_node(NODE, {"metadata": {"annotations": {KWOK: None}}})
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.core.patch_node_status(NODE, {"status": {"conditions": [
            {"type": "Ready", "status": str(ready), "reason": "BenchConvergence", "message": "set by the bench",
             "lastHeartbeatTime": now, "lastTransitionTime": now}]}})
        started = time.monotonic()
        if ready:
            self.core.patch_node(NODE, {"metadata": {"annotations": {KWOK: "fake"}}})
        return started

    def close(self) -> None:
        try:
            if self.reconciler.poll() is None:
                self.reconciler.send_signal(signal.SIGTERM)
                self.reconciler.wait(timeout=300)
            self.project.pulumi("destroy", "--yes", "--skip-preview", check=False, timeout=1200)
            self.project.pulumi("stack", "rm", "--yes", "--force", check=False)
        finally:
            subprocess.run([sys.executable, str(ROOT / "tools" / "nodes.py"), "--kubeconfig", self.kubeconfig,
                            "ensure"], check=False, capture_output=True)
            self.core.delete_namespace(self.namespace)
            self.tmp.cleanup()


def _postgres_env() -> dict[str, str]:
    subprocess.run([str(ROOT / "scripts" / "backend.sh"), "start"], check=True, capture_output=True)
    out = subprocess.run([str(ROOT / "scripts" / "backend.sh"), "env"], check=True, capture_output=True,
                         text=True).stdout
    found: dict[str, str] = {}
    for word in out.replace("export ", " ").split():
        if "=" in word:
            key, value = word.split("=", 1)
            found[key] = value.strip("'\"")
    return found


@contextmanager
def running(bench: Bench, backend: str, debounce: float, hold_down: float) -> Iterator[Convergence]:
    conv = Convergence(bench, backend, debounce=debounce, hold_down=hold_down)
    try:
        yield conv
    finally:
        conv.close()


def measure(bench: Bench, backend: str, events: int, *, debounce: float, hold_down: float,
            replace: bool = False) -> list[Event]:
    """``events`` node changes, alternately NotReady and Ready again, each waited out; with
    ``replace``, then node-1 replaced by node-4 and the nodes restored."""
    bench.prepare(Conditions(latency_ms=30.0, pending_seconds=1.0, foreign=0))
    found: list[Event] = []
    with running(bench, backend, debounce, hold_down) as conv:
        for i in range(events):
            found.append(conv.event(ready=i % 2 == 1))
            print(f"{backend} event {i + 1}/{events}: {found[-1]}", file=sys.stderr, flush=True)
        if events % 2:
            conv.event(ready=True)
        if replace:
            found += [conv.replace(restore=False), conv.replace(restore=True)]
            print(f"{backend} replaced and restored: {found[-2:]}", file=sys.stderr, flush=True)
    return found


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.convergence", description=__doc__)
    p.add_argument("--events", type=int, default=20, help="node changes per backend (default 20)")
    p.add_argument("--backends", default="file,postgres", help="file, postgres or both (default)")
    p.add_argument("--debounce", type=float, default=1.0, help="the reconciler's --debounce (default 1)")
    p.add_argument("--hold-down", type=float, default=0.0,
                   help="the reconciler's --hold-down (default 0: every event is measured, not damped)")
    p.add_argument("--replace", action="store_true", help="also node-1 replaced by node-4, then the nodes restored")
    p.add_argument("--output", type=Path, default=RESULTS, help="Markdown written (default bench/CONVERGENCE.md)")
    args = p.parse_args(argv)
    args.backends = [b for b in args.backends.split(",") if b]
    if not set(args.backends) <= {"file", "postgres"} or args.events < 1:
        p.error("--backends takes file and/or postgres; --events at least 1")
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    bench = Bench()
    try:
        results = {b: measure(bench, b, args.events, debounce=args.debounce, hold_down=args.hold_down,
                              replace=args.replace) for b in args.backends}
    finally:
        bench.close()
    text = table(results, "python -m bench.convergence " + " ".join(argv), [
        f"{NODE} ({ADDRESS}) of the local kwok cluster goes NotReady then Ready again, alternately; the time runs "
        "from the Ready condition written to the API server to the Vultr emulator's zone listing without / with "
        "the address (polled every 0.1 s); 'all' is both",
        "replaced: node-4 (203.0.113.14) joins and node-1 leaves (tools/nodes.py replace); restored: node-4 leaves "
        "and node-1 joins again (tools/nodes.py ensure); timed from the command's end to the zone holding the new set",
        f"reconciler --debounce {args.debounce:g} --hold-down {args.hold_down:g}; one origin name (one Service, "
        "one Ingress of one path); 30 ms added to every vendor call; target p95 <= "
        f"{TARGET_P95:g} s (the Pulumi Kubernetes Operator's floor is its 60 s resync)",
        "calls per event: all the emulators answered between the change and the end of the reconciler's run; "
        "the Vultr provider's update of one record set lists the zone once (its claim check), writes the record "
        "and updates the claim's marker: no Edgio rule is read or written",
    ])
    print(text)
    args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
