"""``python -m emulators serve``: run the Vultr and Edgio emulators (or one, ``--only``) until stopped.

When they listen, exactly one JSON line goes to stdout, one key per vendor served:
``{"vultr": "http://127.0.0.1:<port>/v2", "edgio": "http://127.0.0.1:<port>/config-api/v1"}``
(plus ``"cloudflare": "http://127.0.0.1:<port>/client/v4"`` when given a Cloudflare token).
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

from emulators import cloudflare, edgio, vultr
from emulators._core import EmulatorServer, ServerOptions, Store
from emulators._core.settings import env_value

VENDORS: dict[str, ModuleType] = {"vultr": vultr, "edgio": edgio, "cloudflare": cloudflare}


def _server_flags(serve: argparse.ArgumentParser) -> None:
    env = os.environ.get
    serve.add_argument("--host", default=env("EMULATOR_HOST", "127.0.0.1"),
                       help="address to bind (env EMULATOR_HOST; default 127.0.0.1)")
    serve.add_argument("--state", default=env("EMULATOR_STATE"),
                       help="SQLite file that keeps state across restarts (env EMULATOR_STATE; "
                            "default: in memory)")
    serve.add_argument("--only", choices=sorted(VENDORS), default=env("EMULATOR_ONLY") or None,
                       help="serve one vendor; the other needs no credentials (env EMULATOR_ONLY)")
    serve.add_argument("--admin-token", default=env("EMULATOR_ADMIN_TOKEN", ""),
                       help="token the /_emulator/ control calls require in X-Emulator-Token; without "
                            "it they answer loopback clients only (env EMULATOR_ADMIN_TOKEN)")
    defaults = ServerOptions()
    serve.add_argument("--read-timeout-seconds", type=float,
                       default=env_value("EMULATOR_READ_TIMEOUT_SECONDS", float, defaults.read_timeout_seconds),
                       help="a silent connection is closed after this long (env EMULATOR_READ_TIMEOUT_SECONDS; "
                            f"default {defaults.read_timeout_seconds:g})")
    serve.add_argument("--max-body-bytes", type=int,
                       default=env_value("EMULATOR_MAX_BODY_BYTES", int, defaults.max_body_bytes),
                       help="largest request body accepted, else 400 (env EMULATOR_MAX_BODY_BYTES; "
                            f"default {defaults.max_body_bytes})")
    serve.add_argument("--call-log-bytes", type=int,
                       default=env_value("EMULATOR_CALL_LOG_BYTES", int, defaults.call_log_bytes),
                       help="bytes the request log (GET /_emulator/calls) may hold; the oldest calls go "
                            f"first (env EMULATOR_CALL_LOG_BYTES; default {defaults.call_log_bytes})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m emulators", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the emulators until SIGTERM/SIGINT")
    _server_flags(serve)
    for name, module in VENDORS.items():
        serve.add_argument(f"--{name}-port", type=int,
                           default=env_value(f"EMULATOR_{name.upper()}_PORT", int, 0),
                           help=f"port of the {name} emulator, 0 = any free port "
                                f"(env EMULATOR_{name.upper()}_PORT)")
        module.add_arguments(serve)
    return parser


def _options(args: argparse.Namespace) -> ServerOptions:
    if args.read_timeout_seconds <= 0:
        raise ValueError(f"--read-timeout-seconds {args.read_timeout_seconds:g} must be greater than 0")
    if args.max_body_bytes < 0:
        raise ValueError(f"--max-body-bytes {args.max_body_bytes} must be 0 or more")
    if args.call_log_bytes < 0:
        raise ValueError(f"--call-log-bytes {args.call_log_bytes} must be 0 or more")
    return ServerOptions(args.read_timeout_seconds, args.max_body_bytes, args.admin_token, args.call_log_bytes)


def serve(args: argparse.Namespace) -> int:
    options = _options(args)
    chosen = {name: module for name, module in VENDORS.items() if args.only in (None, name)
              and getattr(module, "wanted", lambda _: True)(args)}
    store = Store(args.state)
    servers: dict[str, EmulatorServer] = {}
    for name, module in chosen.items():
        app, faults = module.build(args, store.namespace(name))
        port = getattr(args, f"{name}_port")
        try:
            servers[name] = EmulatorServer(app, args.host, port, faults, options).start()
        except OSError as exc:
            raise ValueError(f"the {name} emulator cannot listen on {args.host}:{port}: {exc.strerror}") from exc
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
    try:
        return serve(build_parser().parse_args(argv))
    except ValueError as exc:  # bad flag values, a port in use: say which, never a traceback
        print(f"emulators: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
