"""The stack configuration the program reads, validated once, before anything is registered."""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pulumi

from cdn_ingress.errors import MISSING, ManifestError, Problem
from cdn_ingress.model import is_fqdn

ADDRESS_TYPES = ("ExternalIP", "InternalIP")
CDNS = ("edgio", "cloudflare")  # cdn-ingress:cdn; the vendor code behind each is in cdn_ingress/cdn/


@dataclass(frozen=True)
class Settings:
    manifests_path: str
    origin_domain: str
    shortname: str
    profile: str
    ingress_class: str
    default_host: str | None  # where rules without host (and a lone defaultBackend) are published
    origin_ttl: int
    node_address_type: str
    origin_addresses: tuple[str, ...]  # static origin addresses; empty: ask the cluster
    adopt_existing: bool
    wait_for_deploy: bool
    deploy_timeout_seconds: int
    write_ingress_status: bool
    protect: bool  # DNS record sets and CDN rules cannot be deleted or replaced (Pulumi's protect)
    retain_on_delete: bool  # a record set or rule leaving the program stays at the vendor
    shared_origins: bool  # origin names shared with other stacks (cdn_ingress/shared.py)
    manage_rules: bool  # false: this stack contributes origin addresses only, another one owns the rules
    kubeconfig: str | None = field(repr=False)  # the Kubernetes provider's: a path or the content
    kube_context: str | None
    cdn: str = "edgio"  # the CDN the routes go to (cdn_ingress/cdn/)
    cloudflare_zone: str = ""  # cloudflare:zoneName: the zone of the published hosts and origin aliases


def _problem(key: str, value: Any, allowed: str) -> Problem:
    return Problem("stack config", "", key, value, allowed)


def load_settings(config: pulumi.Config | None = None) -> Settings:
    """Read the project's config keys (see Pulumi.yaml); raises ManifestError on bad values."""
    config = config or pulumi.Config()
    kubernetes = pulumi.Config("kubernetes")
    read = _Reader(config)
    settings = Settings(
        manifests_path=config.get("manifestsPath") or "manifests",
        origin_domain=(config.get("originDomain") or "").rstrip("."),
        shortname=config.get("edgioShortname") or "",
        profile=config.get("edgioProfile") or "LLNW-Generic",
        ingress_class=config.get("ingressClass") or "edgio",
        default_host=config.get("defaultHost") or None,
        origin_ttl=read.integer("originTtl", 120),
        node_address_type=config.get("nodeAddressType") or "ExternalIP",
        origin_addresses=read.strings("originAddresses"),
        adopt_existing=read.boolean("adoptExisting", False),
        wait_for_deploy=read.boolean("waitForDeploy", True),
        deploy_timeout_seconds=read.integer("deployTimeoutSeconds", 600),
        write_ingress_status=read.boolean("writeIngressStatus", True),
        protect=read.boolean("protect", False),
        retain_on_delete=read.boolean("retainOnDelete", False),
        shared_origins=read.boolean("sharedOrigins", False),
        manage_rules=read.boolean("manageRules", True),
        kubeconfig=kubernetes.get("kubeconfig"),
        kube_context=kubernetes.get("context"),
        cdn=(config.get("cdn") or "edgio").strip(),
        cloudflare_zone=(pulumi.Config("cloudflare").get("zoneName") or "").strip().rstrip(".").lower(),
    )
    problems = read.problems + _check(settings)
    if problems:
        raise ManifestError(problems)
    return settings


def _check(s: Settings) -> list[Problem]:
    problems = []
    if not is_fqdn(s.origin_domain):
        problems.append(_problem("cdn-ingress:originDomain", s.origin_domain or MISSING,
                                 "must be the FQDN of a Vultr DNS zone you own, e.g. 'origin.example.com'"))
    problems += _check_cdn(s)
    if s.default_host is not None and not is_fqdn(s.default_host):
        problems.append(_problem("cdn-ingress:defaultHost", s.default_host,
                                 "must be a lower-case FQDN the CDN publishes, e.g. 'www.acme.s.llnwi.net'"))
    if s.node_address_type not in ADDRESS_TYPES:
        problems.append(_problem("cdn-ingress:nodeAddressType", s.node_address_type,
                                 f"must be one of {list(ADDRESS_TYPES)}"))
    if not 60 <= s.origin_ttl <= 86400:
        problems.append(_problem("cdn-ingress:originTtl", s.origin_ttl, "must be 60..86400 seconds"))
    if not 1 <= s.deploy_timeout_seconds <= 86400:
        problems.append(_problem("cdn-ingress:deployTimeoutSeconds", s.deploy_timeout_seconds,
                                 "must be 1..86400 seconds"))
    if not all(_is_ip(a) for a in s.origin_addresses):
        problems.append(_problem("cdn-ingress:originAddresses", list(s.origin_addresses),
                                 "must be a list of IP address strings"))
    return problems


def _check_cdn(s: Settings) -> list[Problem]:
    if s.cdn not in CDNS:
        return [_problem("cdn-ingress:cdn", s.cdn, f"must be one of {list(CDNS)}")]
    if s.cdn == "edgio" and not s.shortname:
        return [_problem("cdn-ingress:edgioShortname", MISSING,
                         "must name the Edgio account (shortname) the rules live in")]
    if s.cdn == "cloudflare" and not is_fqdn(s.cloudflare_zone):
        return [_problem("cloudflare:zoneName", s.cloudflare_zone or MISSING,
                         "a Cloudflare stack needs the name of its zone (e.g. 'example.com'), also when "
                         "cloudflare:zoneId is set: the published hosts and the origin aliases are names of it")]
    return []


class _Reader:
    """Typed config values; a value of the wrong type is a listed problem and reads as the default."""

    def __init__(self, config: pulumi.Config) -> None:
        self.config = config
        self.problems: list[Problem] = []

    def _fail(self, key: str, raw: Any, allowed: str) -> None:
        self.problems.append(_problem(self.config.full_key(key), raw, allowed))

    def integer(self, key: str, default: int) -> int:
        raw = self.config.get(key)
        if raw is None:
            return default
        if not re.fullmatch(r"\s*-?[0-9]{1,12}\s*", raw):
            self._fail(key, raw, "must be a whole number of seconds")
            return default
        return int(raw)

    def boolean(self, key: str, default: bool) -> bool:
        raw = self.config.get(key)
        if raw is None:
            return default
        if raw.strip().lower() not in ("true", "false"):
            self._fail(key, raw, "must be true or false")
            return default
        return raw.strip().lower() == "true"

    def strings(self, key: str) -> tuple[str, ...]:
        raw = self.config.get(key)
        try:
            value = json.loads(raw) if raw is not None else []
        except ValueError:
            value = raw
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self._fail(key, value, "must be a list of IP address strings")
            return ()
        return tuple(value)


def _is_ip(value: Any) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
