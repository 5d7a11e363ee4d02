"""The reconciler's loop: node events in, at most one pass at a time, each action one log line."""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from reconciler.metrics import Metrics
from reconciler.plan import FULL, KEEP, NONE, UNDEPLOYED, Decision, RecordSet, decide
from reconciler.schedule import Schedule
from reconciler.stack import Stopped, UpResult
from reconciler.watch import NodeCache

log = logging.getLogger("reconciler")


class Stack(Protocol):
    def state(self) -> tuple[list[RecordSet], bool]: ...
    def up(self, targets: list[str] | None, stop: threading.Event) -> UpResult: ...


@dataclass(frozen=True)
class Options:
    debounce: float = 2.0
    hold_down: float = 60.0
    full_every: float = 600.0
    retry_after_failure: float = 15.0
    address_type: str = "ExternalIP"


class Reconciler:
    def __init__(self, stack: Stack, cache: NodeCache, options: Options, metrics: Metrics, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stack, self.cache, self.options, self.metrics, self.clock = stack, cache, options, metrics, clock
        self.schedule = Schedule(options.debounce, options.hold_down, options.full_every, clock())
        self.events: queue.SimpleQueue[float] = queue.SimpleQueue()
        self.stop = threading.Event()

    def on_change(self, reason: str) -> None:
        """From the watch thread: one line, and a pass after the debounce."""
        log.info("%s", reason)
        self.events.put(self.clock())

    def run(self) -> None:
        while not self.stop.is_set():
            timeout = max(0.0, min(self.schedule.wake_at() - self.clock(), 1.0))
            with contextlib.suppress(queue.Empty):
                self.schedule.event(self.events.get(timeout=timeout))
            self._drain()
            try:
                self.step()
            except Exception as exc:  # the backend or the CLI unreachable: the pass is tried again, not lost
                self._failed(f"pass failed ({type(exc).__name__}: {str(exc)[:300]})")
        log.info("stopped")

    def _failed(self, what: str) -> None:
        now = self.clock()
        self.schedule.event(now)
        self.schedule.hold(now + self.options.retry_after_failure)
        log.error("%s; trying again in %.0fs", what, self.options.retry_after_failure)

    def _drain(self) -> None:
        while True:
            try:
                self.schedule.event(self.events.get_nowait())
            except queue.Empty:
                return

    def step(self) -> None:
        """Whatever is due now: the periodic full run, else the pending changes."""
        now = self.clock()
        if self.schedule.full_due(now):
            self.schedule.full_done(now)
            self.full_pass("periodic full run")
        elif self.schedule.changes_due(now):
            self.changes_pass()

    def changes_pass(self) -> str:
        """Brings DNS to the nodes' addresses if it differs; returns what it did: ``none``,
        ``keep``, ``undeployed``, ``held``, ``ok``, ``failed`` or ``stopped``."""
        decision = self._decide()
        if decision.action == NONE:
            self.schedule.handled()
            log.info("no change: %s", decision.reason)
            return NONE
        if decision.action == KEEP:
            self._keep(decision)
            return KEEP
        if decision.action == UNDEPLOYED:
            self.schedule.handled()
            log.error("nothing runs: %s", decision.reason)
            return UNDEPLOYED
        names = [s.name for s in decision.targets] or ["(all record sets)"]
        held = self.schedule.hold_until(names)
        if held > self.clock():
            self.schedule.hold(held)
            log.info("held down for %.0fs more (one write per name per %.0fs): %s", held - self.clock(),
                     self.options.hold_down, decision.reason)
            return "held"
        since = self.schedule.handled()
        result = self._up(decision)
        if result is None:
            return "stopped"
        if result.ok:
            self.schedule.wrote(names, self.clock())
            if since is not None and result.wrote:
                self.metrics.event_to_dns.observe(self.clock() - since)
        return "ok" if result.ok else "failed"

    def full_pass(self, why: str) -> None:
        """One ``up`` of the whole program (never while no node is usable)."""
        self._drain()
        addresses, _ = self.cache.addresses(self.options.address_type)
        if not addresses:
            self._keep(decide([], []))
            return
        self.schedule.handled()
        if not self.stack.state()[1]:
            log.error("%s skipped: %s", why, decide(addresses, [], deployed=False).reason)
            return
        self._up(Decision(FULL, (), why))

    def _keep(self, decision: Decision) -> None:
        self.schedule.handled()
        self.metrics.kept.inc()
        _, skipped = self.cache.addresses(self.options.address_type)
        why = "; ".join(f"{s.node}: {s.reason}" for s in skipped) or "the cluster has no nodes"
        log.error("NO USABLE NODE, DNS LEFT AS IT IS (the last addresses are never removed): %s (%s)",
                  decision.reason, why)

    def _decide(self) -> Decision:
        addresses, _ = self.cache.addresses(self.options.address_type)
        sets, deployed = self.stack.state()
        return decide(addresses, sets, deployed=deployed)

    def _up(self, decision: Decision) -> UpResult | None:
        kind = decision.action
        targets = [s.urn for s in decision.targets] or None
        log.info("%s up: %s", kind, decision.reason)
        self.metrics.runs.labels(kind).inc()
        try:
            result = self.stack.up(targets, self.stop)
        except Stopped:
            log.info("%s up not started: stopping", kind)
            return None
        changes = ", ".join(f"{op} {n}" for op, n in sorted(result.changes.items()) if n) or "no changes"
        if result.ok:
            self.metrics.last_success.set_to_current_time()
            log.info("%s up done in %.1fs: %s", kind, result.seconds, changes)
        else:
            self.metrics.failures.labels(kind).inc()
            self._failed(f"{kind} up FAILED in {result.seconds:.1f}s: {result.detail}")
        return result
