"""The cluster's Nodes, kept by a list then a watch, resumed from the last resourceVersion after an
error and re-listed after the server expired it (410 Gone). Never a poll."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from cdn_ingress.nodes import Skipped, select_addresses

log = logging.getLogger("reconciler")
Fingerprint = tuple[str, bool, tuple[tuple[str, str], ...]]


class Expired(Exception):
    """The resourceVersion a watch resumes from is gone from the server (410): list again."""


class NodeSource(Protocol):
    def list(self) -> tuple[list[Any], str]:
        """Every Node, and the list's resourceVersion."""

    def watch(self, resource_version: str) -> Iterator[tuple[str, Any, str]]:
        """(event type, Node or None for a bookmark, resourceVersion) from ``resource_version`` on,
        until the server ends the stream; raises Expired for 410."""


def fingerprint(node: Any) -> Fingerprint:
    """What the origin addresses depend on: Ready, cordoned, addresses (not heartbeats)."""
    conditions = {c.type: c.status for c in (node.status.conditions or [])} if node.status else {}
    cordoned = bool(node.spec and node.spec.unschedulable)
    addresses = tuple(sorted((a.type, a.address) for a in ((node.status and node.status.addresses) or [])))
    return conditions.get("Ready", "Unknown"), cordoned, addresses


class NodeCache:
    """The last known Node objects by name; thread-safe."""

    def __init__(self) -> None:
        self._nodes: dict[str, Any] = {}
        self._lock = threading.Lock()

    def replace(self, nodes: list[Any]) -> bool:
        with self._lock:
            before = {name: fingerprint(n) for name, n in self._nodes.items()}
            self._nodes = {n.metadata.name: n for n in nodes}
            return before != {name: fingerprint(n) for name, n in self._nodes.items()}

    def apply(self, kind: str, node: Any) -> bool:
        """One watch event; True when it changed what the addresses depend on."""
        name = node.metadata.name
        with self._lock:
            old = self._nodes.get(name)
            if kind == "DELETED":
                self._nodes.pop(name, None)
                return old is not None
            self._nodes[name] = node
            return old is None or fingerprint(old) != fingerprint(node)

    def addresses(self, address_type: str) -> tuple[list[str], list[Skipped]]:
        """As the program computes them (cdn_ingress.nodes.select_addresses)."""
        with self._lock:
            nodes = list(self._nodes.values())
        return select_addresses(nodes, address_type)


class Watcher:
    """Keeps a NodeCache current; ``on_change(reason)`` after each change that matters."""

    def __init__(self, source: NodeSource, cache: NodeCache, on_change: Callable[[str], None], *,
                 retry_seconds: float = 2.0, max_retry_seconds: float = 30.0) -> None:
        self.source, self.cache, self.on_change = source, cache, on_change
        self.retry_seconds, self.max_retry_seconds = retry_seconds, max_retry_seconds
        self.resource_version: str | None = None
        self.listed = threading.Event()
        """Set once the first list is in the cache."""

    def run(self, stop: threading.Event) -> None:
        delay = self.retry_seconds
        while not stop.is_set():
            try:
                self._list_and_watch(stop)
                delay = self.retry_seconds
            except Expired:
                log.info("node watch: resourceVersion %s expired (410), listing again", self.resource_version)
                self.resource_version = None
            except Exception as exc:  # the API server gone, a timeout, a reset: resume after a pause
                log.warning("node watch failed (%s: %s); resuming from resourceVersion %s in %.0fs",
                            type(exc).__name__, str(exc)[:200], self.resource_version, delay)
                stop.wait(delay)
                delay = min(delay * 2, self.max_retry_seconds)

    def _list_and_watch(self, stop: threading.Event) -> None:
        if self.resource_version is None:
            nodes, self.resource_version = self.source.list()
            changed = self.cache.replace(nodes)
            first = not self.listed.is_set()
            self.listed.set()
            log.info("node list: %d nodes at resourceVersion %s", len(nodes), self.resource_version)
            if changed and not first:
                self.on_change("nodes changed while the watch was down")
        for kind, node, version in self.source.watch(self.resource_version):
            if stop.is_set():
                return
            self.resource_version = version or self.resource_version
            if node is not None and self.cache.apply(kind, node):
                self.on_change(f"node {node.metadata.name} {kind.lower()}: {describe(node, kind)}")


def describe(node: Any, kind: str) -> str:
    if kind == "DELETED":
        return "gone"
    ready, cordoned, addresses = fingerprint(node)
    return f"Ready={ready}{' cordoned' if cordoned else ''} {' '.join(f'{t}={a}' for t, a in addresses)}"
