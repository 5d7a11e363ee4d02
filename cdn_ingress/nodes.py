"""Origin addresses: the addresses of the cluster's ready, schedulable Nodes.

pulumi-kubernetes cannot list objects, so the official Kubernetes client reads them, with the
same kubeconfig and context as the Kubernetes provider (``kubernetes:kubeconfig``/``context``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pulumi

from cdn_ingress import kubeconfig as kubeconfigs
from cdn_ingress.kubeconfig import Kubeconfig


class NodeAddressError(pulumi.RunError):
    """No usable origin address, or the cluster could not be asked (a RunError: the program ends
    with the message alone)."""


@dataclass(frozen=True)
class Skipped:
    node: str
    reason: str


def select_addresses(nodes: Iterable[Any], address_type: str) -> tuple[list[str], list[Skipped]]:
    """Addresses of ``address_type`` on Ready, uncordoned nodes (sorted, unique), and the skips."""
    addresses: set[str] = set()
    skipped: list[Skipped] = []
    for node in nodes:
        name = node.metadata.name
        conditions = {c.type: c.status for c in (node.status.conditions or [])}
        if conditions.get("Ready") != "True":
            skipped.append(Skipped(name, f"not Ready (Ready={conditions.get('Ready', 'unknown')})"))
            continue
        if node.spec and node.spec.unschedulable:
            skipped.append(Skipped(name, "cordoned (spec.unschedulable)"))
            continue
        found = [a.address for a in (node.status.addresses or []) if a.type == address_type]
        if not found:
            skipped.append(Skipped(name, f"has no {address_type} address"))
        addresses.update(found)
    return sorted(addresses, key=_sort_key), skipped


def _sort_key(address: str) -> tuple[int, Any]:
    try:
        parsed = ipaddress.ip_address(address)
        return parsed.version, parsed
    except ValueError:
        return 9, address


def by_record_type(addresses: Iterable[str]) -> dict[str, list[str]]:
    """IPv4 addresses under "A", IPv6 under "AAAA" (each in canonical form, sorted, unique); a
    family without addresses has no entry."""
    families: dict[str, set[ipaddress.IPv4Address | ipaddress.IPv6Address]] = {}
    for address in addresses:
        parsed = ipaddress.ip_address(address)
        families.setdefault("A" if parsed.version == 4 else "AAAA", set()).add(parsed)
    return {rtype: [str(a) for a in sorted(found)] for rtype, found in sorted(families.items())}


def cluster_node_addresses(kubeconfig: str | None, context: str | None, address_type: str
                           ) -> tuple[list[str], list[Skipped]]:
    """Ask the cluster; raises NodeAddressError naming the kubeconfig's source, never its content."""
    from kubernetes import client as kube_client

    found: Kubeconfig | None = None
    try:
        found = kubeconfigs.load(kubeconfig)
        api = kube_client.CoreV1Api(kubeconfigs.api_client(found, context))
        nodes = api.list_node(_request_timeout=kubeconfigs.REQUEST_TIMEOUT).items
    except Exception as exc:  # the client raises many kinds; all mean "cannot ask"
        source = found.source if found else (kubeconfigs.SETTING if kubeconfig else "KUBECONFIG/~/.kube/config")
        reason = found.scrub(str(exc)) if found else str(exc)  # KubeconfigError: never shows content
        raise NodeAddressError(
            f"cannot list the cluster's Nodes (kubeconfig from {source}, context "
            f"{context or '(current)'}): {type(exc).__name__}: {reason[:300]}; set "
            "cdn-ingress:originAddresses to give origin addresses without asking the cluster"
        ) from None
    addresses, skipped = select_addresses(nodes, address_type)
    if not addresses:
        reasons = "; ".join(f"{s.node}: {s.reason}" for s in skipped) or "the cluster has no nodes"
        raise NodeAddressError(
            f"no usable origin address: no Ready, uncordoned node has an {address_type} ({reasons})")
    return addresses, skipped


def origin_addresses(settings: Any, plan: Any) -> list[str]:
    """The static ``originAddresses`` if set, else the cluster's; none needed without routes."""
    if not plan.routes:
        return []
    if settings.origin_addresses:
        return list(settings.origin_addresses)
    addresses, skipped = cluster_node_addresses(
        settings.kubeconfig, settings.kube_context, settings.node_address_type)
    for skip in skipped:
        pulumi.log.info(f"origin addresses: node {skip.node} skipped: {skip.reason}")
    return addresses
