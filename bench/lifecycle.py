"""The scripted lifecycle, phase by phase, for our providers and for the baseline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from bench.baseline import Baseline
from bench.measure import Bench, Conditions, Measure
from bench.ours import OurStack
from bench.workload import NEW_NODE, NODES, Workload

PHASES = ("create", "no-op", "refresh", "path changed", "node replaced", "destroy")


def _workloads(routes: int) -> tuple[Workload, Workload, Workload]:
    start = Workload(routes)
    moved = replace(start, path_changed=True)
    return start, moved, replace(moved, nodes=(*NODES[1:], NEW_NODE))


class Stack(Protocol):
    def arrange(self, workload: Workload) -> None:
        """Make the world match ``workload`` outside the stack (nodes), before the phase is timed."""

    def up(self, workload: Workload) -> None: ...
    def refresh(self) -> None: ...
    def destroy(self) -> None: ...


def ours(bench: Bench, routes: int, conditions: Conditions, poll_seconds: float, cdn: str = "edgio"
         ) -> dict[str, Measure]:
    """Through the providers directly, as the engine calls them, for a stack of ``cdn``."""
    bench.prepare(conditions)
    return _lifecycle(bench, OurStack(bench.endpoints, poll_seconds=poll_seconds, cdn=cdn), routes)


def cli(bench: Bench, routes: int, conditions: Conditions, poll_seconds: float, source: str = "ingress",
        cdn: str = "edgio") -> dict[str, Measure]:
    """The program under the real Pulumi CLI, on the local cluster, for a stack of ``cdn``."""
    from bench.cli import CliStack

    bench.prepare(conditions)
    stack = CliStack(bench.endpoints, poll_seconds=poll_seconds, pending_seconds=conditions.pending_seconds,
                     source=source, cdn=cdn)
    try:
        return _lifecycle(bench, stack, routes)
    finally:
        stack.close()


def _lifecycle(bench: Bench, stack: Stack, routes: int) -> dict[str, Measure]:
    start, moved, renoded = _workloads(routes)
    steps: list[tuple[Workload, Callable[[], None]]] = [
        (start, lambda: stack.up(start)), (start, lambda: stack.up(start)), (start, stack.refresh),
        (moved, lambda: stack.up(moved)), (renoded, lambda: stack.up(renoded)), (renoded, stack.destroy)]
    measured = {}
    for name, (world, step) in zip(PHASES, steps, strict=True):
        stack.arrange(world)
        measured[name] = bench.measure(step)
    return measured


def baseline(bench: Bench, routes: int, conditions: Conditions, poll_seconds: float) -> dict[str, Measure]:
    """A restart and a refresh replay everything; the demo has no other way to know what is there."""
    bench.prepare(conditions)
    e = bench.endpoints
    demo = Baseline(vultr=e.vultr, edgio=e.edgio, vultr_key=e.vultr_key, edgio_user=e.edgio_user,
                    edgio_key=e.edgio_key, poll_seconds=poll_seconds)
    start, moved, renoded = _workloads(routes)
    steps: list[Callable[[], None]] = [lambda: demo.reconcile(start), lambda: demo.reconcile(start),
                                       lambda: demo.reconcile(start), lambda: demo.reconcile(moved),
                                       lambda: demo.reconcile(renoded), lambda: demo.destroy(renoded)]
    return {name: bench.measure(step) for name, step in zip(PHASES, steps, strict=True)}
