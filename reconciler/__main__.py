"""``python -m reconciler --stack STACK [--once]``: keeps the stack's origin record sets equal to
its cluster's Ready, uncordoned node addresses (docs/reconciler.md). Exit 0 when stopped by
SIGTERM/SIGINT; with --once: 0 done (or nothing to do), 1 the run failed, 3 no usable node, 4 the
stack was never deployed (its first deploy is `pulumi up`)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from reconciler.kube import KubeNodeSource
from reconciler.loop import Options, Reconciler
from reconciler.metrics import Metrics
from reconciler.stack import StackClient
from reconciler.watch import NodeCache, Watcher

log = logging.getLogger("reconciler")
ONCE_EXIT = {"none": 0, "ok": 0, "failed": 1, "stopped": 1, "keep": 3, "undeployed": 4}


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        raise argparse.ArgumentTypeError(f"{text!r} must be a number of seconds from 0 to 86400")
    return value


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m reconciler", description=__doc__)
    p.add_argument("--stack", required=True, help="the stack, as `pulumi stack ls` shows it")
    p.add_argument("--work-dir", type=Path, default=Path.cwd(), help="the project directory (default: here)")
    p.add_argument("--once", action="store_true", help="one pass, then exit (cron, CI)")
    p.add_argument("--debounce", type=_seconds, default=2.0, help="seconds without node events before a pass (2)")
    p.add_argument("--hold-down", type=_seconds, default=60.0, help="seconds between two writes of a name (60)")
    p.add_argument("--full-every", type=_seconds, default=600.0, help="seconds between full runs; 0: never (600)")
    p.add_argument("--lock-wait-max", type=_seconds, default=60.0, help="longest pause between lock tries (60)")
    p.add_argument("--metrics-port", type=int, default=9108, help="Prometheus metrics port; 0: none (9108)")
    p.add_argument("--metrics-address", default="127.0.0.1", help="address the metrics listen on (127.0.0.1)")
    p.add_argument("--policy-pack", type=Path, help="default: <work-dir>/policy")
    p.add_argument("--policy-pack-config", type=Path, help="default: <work-dir>/stacks/policy.<stack>.json")
    p.add_argument("--no-policy", action="store_true", help="run without the policy pack")
    p.add_argument("--in-cluster", action="store_true",
                   help="watch Nodes as the pod's ServiceAccount (the runs keep the stack's kubeconfig)")
    p.add_argument("--log-dir", type=Path, help="each run's CLI output (default: <work-dir>/.run/reconciler)")
    args = p.parse_args(argv)
    if not (args.work_dir / "Pulumi.yaml").is_file():
        p.error(f"--work-dir {str(args.work_dir)!r} has no Pulumi.yaml")
    args.packs, args.pack_configs = [], []
    if not args.no_policy:
        pack = args.policy_pack or args.work_dir / "policy"
        config = args.policy_pack_config or args.work_dir / "stacks" / f"policy.{args.stack.split('/')[-1]}.json"
        for path, what in ((pack / "PulumiPolicy.yaml", "--policy-pack"), (config, "--policy-pack-config")):
            if not path.is_file():
                p.error(f"{what}: {str(path)!r} does not exist (--no-policy runs without the pack)")
        args.packs, args.pack_configs = [str(pack.resolve())], [str(config.resolve())]
    return args


def build(args: argparse.Namespace) -> tuple[Reconciler, Watcher]:
    client = StackClient(args.work_dir.resolve(), args.stack, args.packs, args.pack_configs,
                         (args.log_dir or args.work_dir / ".run" / "reconciler").resolve(),
                         lock_wait=(min(2.0, args.lock_wait_max), args.lock_wait_max))
    config = client.config()
    if config.static_addresses:
        raise SystemExit(f"stack {args.stack}: cdn-ingress:originAddresses is set, so its origin addresses do "
                         "not follow the cluster's nodes: there is nothing to reconcile")
    options = Options(args.debounce, args.hold_down, args.full_every, address_type=config.address_type)
    cache = NodeCache()
    reconciler = Reconciler(client, cache, options, Metrics())
    source = KubeNodeSource(config.kubeconfig, config.context, in_cluster=args.in_cluster)
    watcher = Watcher(source, cache, reconciler.on_change)
    return reconciler, watcher


def once(reconciler: Reconciler, watcher: Watcher) -> int:
    try:
        nodes, version = watcher.source.list()
        watcher.cache.replace(nodes)
        log.info("node list: %d nodes at resourceVersion %s", len(nodes), version)
        return ONCE_EXIT[reconciler.changes_pass()]
    except Exception as exc:  # the cluster or the backend unreachable: one line and a failure
        log.error("pass failed (%s: %s)", type(exc).__name__, " ".join(str(exc).split())[:300])
        return 1


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s reconciler %(levelname)s %(message)s")
    args = parse(argv)
    try:
        reconciler, watcher = build(args)
    except Exception as exc:  # no such stack, no backend, no kubeconfig: one line, not a traceback
        log.error("cannot start on stack %s: %s: %s", args.stack, type(exc).__name__, " ".join(str(exc).split())[-400:])
        return 2

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("%s: stopping (a running up finishes first)", signal.Signals(signum).name)
        reconciler.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.once:
        return once(reconciler, watcher)
    if args.metrics_port:
        reconciler.metrics.serve(args.metrics_port, args.metrics_address)
    threading.Thread(target=watcher.run, args=(reconciler.stop,), name="node-watch", daemon=True).start()
    while not watcher.listed.wait(1.0):
        if reconciler.stop.is_set():
            return 0
    reconciler.on_change("start: first pass")
    reconciler.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
