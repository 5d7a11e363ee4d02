"""Emulator of the Vultr API v2 DNS endpoints (domains and records), per vultr-dns-api.md."""

from __future__ import annotations

import argparse
import os
from dataclasses import fields

from emulators._core import FaultConfig
from emulators._core.store import Namespace
from emulators.vultr.app import VultrApp
from emulators.vultr.settings import VultrSettings


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("vultr")
    group.add_argument("--vultr-api-key", default=os.environ.get("EMULATOR_VULTR_API_KEY"),
                       help="the API key clients must send as Bearer (env EMULATOR_VULTR_API_KEY)")
    group.add_argument("--vultr-domain", action="append", default=_env_list("EMULATOR_VULTR_DOMAINS"),
                       help="a zone present at start and after reset; repeatable "
                            "(env EMULATOR_VULTR_DOMAINS, comma-separated)")
    for item in fields(VultrSettings):
        flag = "--vultr-" + item.name.replace("_", "-")
        env = "EMULATOR_VULTR_" + item.name.upper()
        kind = {bool: _bool, int: int, float: float}[type(item.default)]
        group.add_argument(flag, type=kind, default=kind(os.environ.get(env, item.default)),
                           help=f"contract gap setting (env {env}; default {item.default})")


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "true", "yes", "on"):
        return True
    if str(value).lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def build(args: argparse.Namespace, ns: Namespace) -> tuple[VultrApp, FaultConfig]:
    if not args.vultr_api_key:
        raise ValueError("the Vultr emulator needs an API key: --vultr-api-key or EMULATOR_VULTR_API_KEY")
    settings = VultrSettings(**{f.name: getattr(args, "vultr_" + f.name) for f in fields(VultrSettings)})
    app = VultrApp(ns, api_key=args.vultr_api_key, domains=args.vultr_domain, settings=settings)
    return app, FaultConfig(rate_limit_per_second=settings.rate_limit_per_second)
