"""``python -m bench``: the lifecycle over N routes and zones of F foreign records, ours and the
baseline's, printed and written to ``bench/RESULTS.md``; ``--cdn cloudflare`` measures a Cloudflare
stack (no baseline: the original demo drove Edgio only)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench import lifecycle
from bench.measure import Bench, Conditions
from bench.ours import CDNS
from bench.report import Row, header_notes, markdown
from tests.support.pulumi_cli import toolchain_problem

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
DRIVERS = {
    "cli": "ours: the program under the real Pulumi CLI (`pulumi up/refresh/destroy --yes --skip-preview`, file "
           "backend) on the local cluster, the app's Deployment and per 5 routes one NodePort Service and one "
           "Ingress; one node replaced = a node deleted and another joining",
    "providers": "ours: the providers called directly, four workers, the program's dependencies",
}
CLI_FLOOR = ("under the CLI a create's wall time also holds what the bound leaves out: the CLI's start (the no-op "
             "row) and the Kubernetes provider's wait for each new Service's endpoints to settle (10 s after their "
             "last change, pulumi-kubernetes' service await), which the rules must wait for: they need its NodePort")


def _numbers(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: must be comma-separated whole numbers, e.g. 1,10,100") from None
    if not values or any(v < 0 for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: must be comma-separated whole numbers >= 0")
    return values


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--routes", type=_numbers, default=[1, 10, 100, 300], help="N routes (default 1,10,100,300)")
    parser.add_argument("--foreign", type=_numbers, default=[0, 5000], help="foreign records in the zone")
    parser.add_argument("--pending-seconds", type=float, default=30.0, help="seconds a rule stays pending")
    parser.add_argument("--latency-ms", type=float, default=30.0, help="latency added to every vendor call")
    parser.add_argument("--poll-seconds", type=float, default=1.0, help="deploy poll interval (both sides)")
    parser.add_argument("--driver", choices=["auto", "cli", "providers"], default="auto",
                        help="cli: the program under the real Pulumi CLI on the local cluster; providers: the "
                             "providers called directly; auto (default): cli when the toolchain is built")
    parser.add_argument("--cdn", choices=CDNS, default="edgio",
                        help="the stack's CDN (cdn-ingress:cdn): edgio (default) or cloudflare (no baseline)")
    parser.add_argument("--source", choices=["ingress", "httproute"], default="ingress",
                        help="cli driver: the routes written as Ingresses (default) or as Gateway API HTTPRoutes")
    parser.add_argument("--no-baseline", action="store_true", help="measure ours only")
    parser.add_argument("--baseline-up-to", type=int, default=10,
                        help="measure the baseline only up to this N (it waits out each deploy in turn: hours at 100)")
    parser.add_argument("--quick", action="store_true", help="N=10, no foreign records, rules pending 2 s (CI)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="Markdown file written (default bench/RESULTS.md)")
    args = parser.parse_args(argv)
    if args.quick:
        args.routes, args.foreign, args.pending_seconds = [10], [0], 2.0
    if args.cdn != "edgio":
        args.no_baseline = True
    if args.driver == "auto":
        missing = toolchain_problem()
        args.driver = "providers" if missing else "cli"
        if missing:
            print(f"toolchain not built ({missing}): measuring through the providers directly", file=sys.stderr)
    if args.pending_seconds < 0 or args.latency_ms < 0 or args.poll_seconds <= 0:
        parser.error("--pending-seconds and --latency-ms must be >= 0, --poll-seconds > 0")
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    bench = Bench()
    rows: list[Row] = []
    try:
        for routes in args.routes:
            for foreign in args.foreign:
                conditions = Conditions(args.latency_ms, args.pending_seconds, foreign)
                if args.driver == "cli":
                    ours = lifecycle.cli(bench, routes, conditions, args.poll_seconds, args.source, cdn=args.cdn)
                else:
                    ours = lifecycle.ours(bench, routes, conditions, args.poll_seconds, cdn=args.cdn)
                measured = not args.no_baseline and routes <= args.baseline_up_to
                base = lifecycle.baseline(bench, routes, conditions, args.poll_seconds) if measured else None
                for phase in lifecycle.PHASES:
                    row = Row(routes, foreign, phase, ours[phase], base[phase] if base else None,
                              args.pending_seconds, idle=ours["no-op"].seconds, poll_seconds=args.poll_seconds,
                              cdn=args.cdn)
                    rows.append(row)
                print(f"N={routes} foreign={foreign} done", file=sys.stderr, flush=True)
    finally:
        bench.close()
    command = "python -m bench " + " ".join(argv) if argv else "python -m bench"
    notes = header_notes(args.cdn, latency_ms=args.latency_ms, pending_seconds=args.pending_seconds,
                         poll_seconds=args.poll_seconds, driver=DRIVERS[args.driver])
    text = markdown(rows, command.strip(), [*notes, *([CLI_FLOOR] if args.driver == "cli" else [])], args.cdn)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
