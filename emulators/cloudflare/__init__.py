"""Emulator of the Cloudflare API v4 calls of docs/api/cloudflare.md: token verify, zones, DNS
records, zone rulesets (phase entry points, one-rule endpoints)."""

from __future__ import annotations

import argparse
import os

from emulators._core import FaultConfig
from emulators._core.settings import add_flags, env_list, from_args
from emulators._core.store import Namespace
from emulators.cloudflare.app import CloudflareApp
from emulators.cloudflare.settings import CloudflareSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("cloudflare")
    group.add_argument("--cloudflare-api-token", default=os.environ.get("EMULATOR_CLOUDFLARE_API_TOKEN"),
                       help="the API token clients must send as Bearer (env EMULATOR_CLOUDFLARE_API_TOKEN); "
                            "without it the Cloudflare emulator is not started (unless --only cloudflare)")
    group.add_argument("--cloudflare-zone", action="append", default=env_list("EMULATOR_CLOUDFLARE_ZONES"),
                       help="a zone present at start and after reset; repeatable "
                            "(env EMULATOR_CLOUDFLARE_ZONES, comma-separated)")
    add_flags(group, CloudflareSettings, "cloudflare")


def wanted(args: argparse.Namespace) -> bool:
    """Served beside the others only when given a token, so existing command lines keep working."""
    return bool(args.cloudflare_api_token) or args.only == "cloudflare"


def build(args: argparse.Namespace, ns: Namespace) -> tuple[CloudflareApp, FaultConfig]:
    if not args.cloudflare_api_token:
        raise ValueError("the Cloudflare emulator needs an API token: --cloudflare-api-token or "
                         "EMULATOR_CLOUDFLARE_API_TOKEN")
    settings = from_args(CloudflareSettings, args, "cloudflare")
    return CloudflareApp(ns, api_token=args.cloudflare_api_token, zones=args.cloudflare_zone,
                         settings=settings), FaultConfig()
