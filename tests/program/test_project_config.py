"""Pulumi.yaml's config schema: the CLI refuses to run a stack that lacks a key declared without
a default, so only the keys the program cannot do without may be declared so."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {"originDomain"}  # settings.py refuses a stack without it (edgioShortname: only an Edgio stack)


def test_only_the_required_keys_lack_a_default() -> None:
    config = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]
    assert {key for key, schema in config.items() if "default" not in schema} == REQUIRED


def test_the_cdn_key_defaults_to_edgio() -> None:
    config = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]
    assert config["cdn"]["default"] == "edgio"
