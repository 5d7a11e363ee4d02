"""What every CDN of the seam is given and gives back: the program's resources it wires to (the
Kubernetes objects, the origin names, the stack's owner and deletion options), and per route its
rule with the outputs the stack exports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pulumi

from cdn_ingress import kube
from cdn_ingress.errors import Problem
from cdn_ingress.manifests import Document
from cdn_ingress.model import Backend, Route
from cdn_ingress.settings import Settings
from vultr_provider import DnsRecordSet


@dataclass(frozen=True)
class Origin:
    """The origin name of one backend Service: its A set, its AAAA set, or both."""

    sets: tuple[DnsRecordSet, ...]

    @property
    def fqdn(self) -> pulumi.Output[str]:
        """The name, depending on every set: a rule is only created once all of them exist."""
        return pulumi.Output.all(*[s.fqdn for s in self.sets]).apply(lambda names: str(names[0]))


@dataclass(frozen=True)
class Wiring:
    """The program's side of the seam."""

    settings: Settings
    owner: pulumi.Output[str]
    objects: Mapping[tuple[str, str, str], kube.KubeObject]
    origins: Mapping[tuple[str, str], Origin]
    vendor_options: Callable[..., pulumi.ResourceOptions]  # parent, protect and retainOnDelete (+ extra)
    parent: pulumi.Resource

    def object_of(self, doc: Document) -> kube.KubeObject:
        return self.objects[(doc.kind, doc.namespace, doc.name)]

    def service(self, backend: Backend) -> kube.KubeObject:
        return self.objects[("Service", backend.namespace, backend.service)]

    def origin(self, backend: Backend) -> Origin:
        return self.origins[(backend.namespace, backend.service)]

    def node_port(self, backend: Backend) -> pulumi.Output[Any]:
        index = backend.port_index
        return self.service(backend).spec.apply(lambda spec: spec["ports"][index].get("nodePort"))


@dataclass
class Published:
    """A CDN's resources for the routes: one rule per route key, the records it also needs, and
    per route the outputs beside ``published_url`` and ``origin`` (e.g. the rule's id)."""

    rules: dict[str, pulumi.CustomResource] = field(default_factory=dict)
    records: list[pulumi.CustomResource] = field(default_factory=list)
    urls: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    ids: dict[str, dict[str, pulumi.Output[Any]]] = field(default_factory=dict)


class Cdn(Protocol):
    """One CDN vendor behind the seam."""

    exact_paths: bool  # an Exact path is matched exactly (else it is published as a prefix)

    def refusals(self, routes: list[Route]) -> list[Problem]:
        """What the routes ask that this CDN cannot serve, each naming file, object and field."""

    def publish(self, wiring: Wiring, routes: list[Route]) -> Published:
        """The vendor resources of the routes."""

    def deployment(self, wiring: Wiring, doc: Document, rules: list[pulumi.CustomResource]
                   ) -> pulumi.Resource | None:
        """What the status of ``doc`` waits for beside its rules (a deployment wait), or None."""
