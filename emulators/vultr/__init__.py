"""Emulator of the Vultr API v2 DNS endpoints (DnsApi of Vultr's OpenAPI document), per vultr-dns-api.md."""

from __future__ import annotations

import argparse
import os

from emulators._core import FaultConfig
from emulators._core.settings import add_flags, env_list, from_args
from emulators._core.store import Namespace
from emulators.vultr.app import VultrApp
from emulators.vultr.settings import VultrSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("vultr")
    group.add_argument("--vultr-api-key", default=os.environ.get("EMULATOR_VULTR_API_KEY"),
                       help="the API key clients must send as Bearer (env EMULATOR_VULTR_API_KEY)")
    group.add_argument("--vultr-domain", action="append", default=env_list("EMULATOR_VULTR_DOMAINS"),
                       help="a zone present at start and after reset; repeatable "
                            "(env EMULATOR_VULTR_DOMAINS, comma-separated)")
    add_flags(group, VultrSettings, "vultr")


def build(args: argparse.Namespace, ns: Namespace) -> tuple[VultrApp, FaultConfig]:
    if not args.vultr_api_key:
        raise ValueError("the Vultr emulator needs an API key: --vultr-api-key or EMULATOR_VULTR_API_KEY "
                         "(or --only edgio)")
    settings = from_args(VultrSettings, args, "vultr")
    app = VultrApp(ns, api_key=args.vultr_api_key, domains=args.vultr_domain, settings=settings)
    return app, FaultConfig(rate_limit_per_second=settings.rate_limit_per_second)
