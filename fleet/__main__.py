"""``python -m fleet {preview|up} STACK... [--workers N]``: one summary line per stack as each ends,
then a total; exit status 1 when any stack failed, 2 for a bad command line."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from fleet.runner import OPERATIONS, Run, StackResult, run_fleet, run_stack


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to 64")
    return int(text)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fleet", description=__doc__)
    parser.add_argument("operation", choices=OPERATIONS)
    parser.add_argument("stacks", nargs="+", metavar="STACK", help="stack names, as `pulumi stack ls` shows them")
    parser.add_argument("--workers", type=_workers, default=4, help="stacks run at the same time (default 4)")
    parser.add_argument("--work-dir", type=Path, default=Path.cwd(), help="project directory (default: here)")
    parser.add_argument("--log-dir", type=Path, help="each stack's full output (default: <work-dir>/.run/fleet)")
    parser.add_argument("--expect-no-changes", action="store_true", help="a stack with changes fails (drift check)")
    args = parser.parse_args(argv)
    twice = sorted({s for s in args.stacks if args.stacks.count(s) > 1})
    if twice:
        parser.error(f"stack {twice[0]!r} is named twice; each stack runs once")
    if not (args.work_dir / "Pulumi.yaml").is_file():
        parser.error(f"--work-dir {str(args.work_dir)!r} has no Pulumi.yaml")
    if shutil.which("pulumi") is None:
        parser.error("the pulumi CLI is not on PATH (build it with `make toolchain`, then `source tools/env.sh`)")
    return args


def line(result: StackResult, width: int) -> str:
    return f"{result.stack:<{width}}  {'ok' if result.ok else 'FAILED':<6}  {result.seconds:7.1f}s  {result.detail}"


def main(argv: list[str]) -> int:
    args = parse(argv)
    log_dir: Path = args.log_dir or args.work_dir / ".run" / "fleet"
    log_dir.mkdir(parents=True, exist_ok=True)
    run = Run(args.operation, args.work_dir.resolve(), log_dir.resolve(), args.expect_no_changes)
    width, started, failed = max(len(s) for s in args.stacks), time.monotonic(), 0
    for result in run_fleet(args.stacks, args.workers, lambda stack: run_stack(run, stack)):
        failed += not result.ok
        print(line(result, width), flush=True)
    print(f"{len(args.stacks)} stacks: {len(args.stacks) - failed} ok, {failed} failed, "
          f"{time.monotonic() - started:.1f}s with {args.workers} workers", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
