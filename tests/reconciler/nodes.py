"""Node objects as the Kubernetes client returns them, a fake clock and a fake stack."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from kubernetes.client import V1Node, V1NodeAddress, V1NodeCondition, V1NodeSpec, V1NodeStatus, V1ObjectMeta

from reconciler.plan import RecordSet
from reconciler.stack import UpResult


def node(name: str, address: str, *, ready: bool = True, cordoned: bool = False, version: str = "1") -> V1Node:
    return V1Node(metadata=V1ObjectMeta(name=name, resource_version=version),
                  spec=V1NodeSpec(unschedulable=cordoned or None),
                  status=V1NodeStatus(conditions=[V1NodeCondition(type="Ready", status=str(ready))],
                                      addresses=[V1NodeAddress(type="ExternalIP", address=address),
                                                 V1NodeAddress(type="InternalIP", address="10.0.0.1")]))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FakeStack:
    """The stack's record sets, which each successful up sets to the cache's addresses."""

    addresses: list[str]
    clock: Clock
    run_seconds: float = 3.0
    fail: bool = False
    ups: list[list[str] | None] = field(default_factory=list)
    desired: list[str] = field(default_factory=list)

    def record_sets(self) -> list[RecordSet]:
        return [RecordSet("urn:pulumi:s::p::dns$shop", "shop.origin.example.com", "A", tuple(self.addresses))]

    def state(self) -> tuple[list[RecordSet], bool]:
        sets = self.record_sets()
        return sets, bool(sets)

    def up(self, targets: list[str] | None, stop: threading.Event) -> UpResult:
        self.ups.append(targets)
        self.clock.now += self.run_seconds
        if self.fail:
            return UpResult(False, {}, "vultr: 500", self.run_seconds)
        changed = self.addresses != self.desired
        self.addresses = list(self.desired)
        return UpResult(True, {"update": 1} if changed else {"same": 1}, "succeeded", self.run_seconds)
