"""The stack configuration the program reads, validated once, before anything is registered."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

import pulumi

from cdn_ingress.errors import MISSING, ManifestError, Problem
from cdn_ingress.routes import is_fqdn

ADDRESS_TYPES = ("ExternalIP", "InternalIP")


@dataclass(frozen=True)
class Settings:
    manifests_path: str
    origin_domain: str
    shortname: str
    profile: str
    ingress_class: str
    origin_ttl: int
    node_address_type: str
    origin_addresses: tuple[str, ...]  # static origin addresses; empty: ask the cluster
    adopt_existing: bool
    wait_for_deploy: bool
    deploy_timeout_seconds: int
    write_ingress_status: bool
    protect: bool  # DNS record sets and CDN rules cannot be deleted or replaced (Pulumi's protect)
    retain_on_delete: bool  # a record set or rule leaving the program stays at the vendor
    kubeconfig: str | None  # the same settings the Kubernetes provider uses
    kube_context: str | None


def _problem(key: str, value: Any, allowed: str) -> Problem:
    return Problem("stack config", "", key, value, allowed)


def load_settings(config: pulumi.Config | None = None) -> Settings:
    """Read the project's config keys (see Pulumi.yaml); raises ManifestError on bad values."""
    config = config or pulumi.Config()
    kubernetes = pulumi.Config("kubernetes")
    settings = Settings(
        manifests_path=config.get("manifestsPath") or "manifests",
        origin_domain=(config.get("originDomain") or "").rstrip("."),
        shortname=config.get("edgioShortname") or "",
        profile=config.get("edgioProfile") or "LLNW-Generic",
        ingress_class=config.get("ingressClass") or "edgio",
        origin_ttl=config.get_int("originTtl") or 120,
        node_address_type=config.get("nodeAddressType") or "ExternalIP",
        origin_addresses=tuple(config.get_object("originAddresses") or ()),
        adopt_existing=bool(config.get_bool("adoptExisting")),
        wait_for_deploy=config.get_bool("waitForDeploy") is not False,
        deploy_timeout_seconds=config.get_int("deployTimeoutSeconds") or 600,
        write_ingress_status=config.get_bool("writeIngressStatus") is not False,
        protect=bool(config.get_bool("protect")),
        retain_on_delete=bool(config.get_bool("retainOnDelete")),
        kubeconfig=kubernetes.get("kubeconfig"),
        kube_context=kubernetes.get("context"),
    )
    problems = _check(settings)
    if problems:
        raise ManifestError(problems)
    return settings


def _check(s: Settings) -> list[Problem]:
    problems = []
    if not is_fqdn(s.origin_domain):
        problems.append(_problem("cdn-ingress:originDomain", s.origin_domain or MISSING,
                                 "must be the FQDN of a Vultr DNS zone you own, e.g. 'origin.example.com'"))
    if not s.shortname:
        problems.append(_problem("cdn-ingress:edgioShortname", MISSING,
                                 "must name the Edgio account (shortname) the rules live in"))
    if s.node_address_type not in ADDRESS_TYPES:
        problems.append(_problem("cdn-ingress:nodeAddressType", s.node_address_type,
                                 f"must be one of {list(ADDRESS_TYPES)}"))
    if not 60 <= s.origin_ttl <= 86400:
        problems.append(_problem("cdn-ingress:originTtl", s.origin_ttl, "must be 60..86400 seconds"))
    if s.deploy_timeout_seconds < 1:
        problems.append(_problem("cdn-ingress:deployTimeoutSeconds", s.deploy_timeout_seconds,
                                 "must be a positive number of seconds"))
    if not all(_is_ip(a) for a in s.origin_addresses):
        problems.append(_problem("cdn-ingress:originAddresses", list(s.origin_addresses),
                                 "must be a list of IP address strings"))
    return problems


def _is_ip(value: Any) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
