"""Emulator of the Edgio (Limelight) Configuration API v1: delivery service instances and the
service profile catalogue."""

from __future__ import annotations

import argparse
import os

from emulators._core import FaultConfig
from emulators._core.settings import add_flags, env_list, from_args
from emulators._core.store import Namespace
from emulators.edgio.app import EdgioApp
from emulators.edgio.settings import EdgioSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("edgio")
    group.add_argument("--edgio-username", default=os.environ.get("EMULATOR_EDGIO_USERNAME"),
                       help="the principal (env EMULATOR_EDGIO_USERNAME)")
    group.add_argument("--edgio-shared-key", default=os.environ.get("EMULATOR_EDGIO_SHARED_KEY"),
                       help="the principal's hex shared key (env EMULATOR_EDGIO_SHARED_KEY)")
    group.add_argument("--edgio-shortname", action="append", default=env_list("EMULATOR_EDGIO_SHORTNAMES"),
                       help="an account the principal owns; repeatable (env EMULATOR_EDGIO_SHORTNAMES)")
    add_flags(group, EdgioSettings, "edgio")


def build(args: argparse.Namespace, ns: Namespace) -> tuple[EdgioApp, FaultConfig]:
    if not args.edgio_username or not args.edgio_shared_key:
        raise ValueError("the Edgio emulator needs --edgio-username and --edgio-shared-key "
                         "(or EMULATOR_EDGIO_USERNAME / EMULATOR_EDGIO_SHARED_KEY, or --only vultr)")
    try:
        key = bytes.fromhex(args.edgio_shared_key)
    except ValueError as exc:
        raise ValueError("--edgio-shared-key must be hex") from exc
    settings = from_args(EdgioSettings, args, "edgio")
    app = EdgioApp(ns, username=args.edgio_username, key=key, shortnames=args.edgio_shortname,
                   settings=settings)
    return app, FaultConfig(rate_limit_per_second=settings.rate_limit_per_second)
