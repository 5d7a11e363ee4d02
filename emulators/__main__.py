"""``python -m emulators serve``: run the Vultr and Edgio emulators until stopped.

When both listen, exactly one JSON line goes to stdout:
``{"vultr": "http://127.0.0.1:<port>/v2", "edgio": "http://127.0.0.1:<port>/config-api/v1"}``.
Each vendor package adds its own flags (and their environment-variable fallbacks).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from types import ModuleType

from emulators import edgio, vultr
from emulators._core import EmulatorServer, Store

VENDORS: dict[str, ModuleType] = {"vultr": vultr, "edgio": edgio}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m emulators", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve both emulators until SIGTERM/SIGINT")
    serve.add_argument("--host", default=os.environ.get("EMULATOR_HOST", "127.0.0.1"),
                       help="address to bind (env EMULATOR_HOST; default 127.0.0.1)")
    serve.add_argument("--state", default=os.environ.get("EMULATOR_STATE"),
                       help="SQLite file that keeps state across restarts (env EMULATOR_STATE; "
                            "default: in memory)")
    for name, module in VENDORS.items():
        serve.add_argument(f"--{name}-port", type=int,
                           default=int(os.environ.get(f"EMULATOR_{name.upper()}_PORT", "0")),
                           help=f"port of the {name} emulator, 0 = any free port "
                                f"(env EMULATOR_{name.upper()}_PORT)")
        module.add_arguments(serve)
    return parser


def serve(args: argparse.Namespace) -> int:
    store = Store(args.state)
    servers: dict[str, EmulatorServer] = {}
    for name, module in VENDORS.items():
        app, faults = module.build(args, store.namespace(name))
        servers[name] = EmulatorServer(app, args.host, getattr(args, f"{name}_port"), faults).start()
    print(json.dumps({name: server.url for name, server in servers.items()}), flush=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    for server in servers.values():
        server.stop()
    store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return serve(args)
    except ValueError as exc:  # bad flag values: say which, never a traceback
        print(f"emulators: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
