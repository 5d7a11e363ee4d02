"""Emulator of the Edgio (Limelight) Configuration API v1, delivery service instances."""

from __future__ import annotations

import argparse
import os
from dataclasses import fields

from emulators._core import FaultConfig
from emulators._core.store import Namespace
from emulators.edgio.app import EdgioApp
from emulators.edgio.settings import EdgioSettings
from emulators.vultr import _bool, _env_list


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("edgio")
    group.add_argument("--edgio-username", default=os.environ.get("EMULATOR_EDGIO_USERNAME"),
                       help="the principal (env EMULATOR_EDGIO_USERNAME)")
    group.add_argument("--edgio-shared-key", default=os.environ.get("EMULATOR_EDGIO_SHARED_KEY"),
                       help="the principal's hex shared key (env EMULATOR_EDGIO_SHARED_KEY)")
    group.add_argument("--edgio-shortname", action="append", default=_env_list("EMULATOR_EDGIO_SHORTNAMES"),
                       help="an account the principal owns; repeatable (env EMULATOR_EDGIO_SHORTNAMES)")
    for item in fields(EdgioSettings):
        flag = "--edgio-" + item.name.replace("_", "-")
        env = "EMULATOR_EDGIO_" + item.name.upper()
        kind = {bool: _bool, int: int, float: float, str: str}[type(item.default)]
        group.add_argument(flag, type=kind, default=kind(os.environ.get(env, item.default)),
                           help=f"contract gap setting (env {env}; default {item.default!r})")


def build(args: argparse.Namespace, ns: Namespace) -> tuple[EdgioApp, FaultConfig]:
    if not args.edgio_username or not args.edgio_shared_key:
        raise ValueError("the Edgio emulator needs --edgio-username and --edgio-shared-key "
                         "(or EMULATOR_EDGIO_USERNAME / EMULATOR_EDGIO_SHARED_KEY)")
    try:
        key = bytes.fromhex(args.edgio_shared_key)
    except ValueError as exc:
        raise ValueError("--edgio-shared-key must be hex") from exc
    settings = EdgioSettings(**{f.name: getattr(args, "edgio_" + f.name) for f in fields(EdgioSettings)})
    app = EdgioApp(ns, username=args.edgio_username, key=key, shortnames=args.edgio_shortname,
                   settings=settings)
    return app, FaultConfig(rate_limit_per_second=settings.rate_limit_per_second)
