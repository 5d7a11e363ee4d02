"""The watch is resumed from its last resourceVersion after an error and re-lists after a 410."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from reconciler.watch import Expired, NodeCache, Watcher
from tests.reconciler.nodes import node


class ScriptedSource:
    """list() answers in turn; each watch() plays its script (events, then an exception or the end)."""

    def __init__(self, lists: list[list[Any]], watches: list[list[Any]], stop: threading.Event) -> None:
        self.lists, self.watches, self.stop = lists, watches, stop
        self.calls: list[str] = []

    def list(self) -> tuple[list[Any], str]:
        version = f"L{len([c for c in self.calls if c.startswith('list')]) + 1}"
        self.calls.append(f"list -> {version}")
        return self.lists.pop(0), version

    def watch(self, resource_version: str) -> Iterator[tuple[str, Any, str]]:
        self.calls.append(f"watch from {resource_version}")
        if not self.watches:
            self.stop.set()
            return
        for step in self.watches.pop(0):
            if isinstance(step, Exception):
                raise step
            yield step


def run(lists: list[list[Any]], watches: list[list[Any]]) -> tuple[list[str], list[str], NodeCache]:
    stop, changes, cache = threading.Event(), [], NodeCache()
    source = ScriptedSource(lists, watches, stop)
    Watcher(source, cache, changes.append, retry_seconds=0.01).run(stop)
    return source.calls, changes, cache


def test_after_an_error_the_watch_resumes_from_the_last_version_seen_without_listing() -> None:
    calls, changes, cache = run(
        [[node("node-1", "203.0.113.11")]],
        [[("MODIFIED", node("node-1", "203.0.113.11", ready=False), "7"), ConnectionResetError("reset by peer")],
         [("BOOKMARK", None, "9"), TimeoutError("read timed out")],
         [("MODIFIED", node("node-1", "203.0.113.11"), "12")]])
    assert calls == ["list -> L1", "watch from L1", "watch from 7", "watch from 9", "watch from 12"]
    assert changes == ["node node-1 modified: Ready=False ExternalIP=203.0.113.11 InternalIP=10.0.0.1",
                       "node node-1 modified: Ready=True ExternalIP=203.0.113.11 InternalIP=10.0.0.1"]
    assert cache.addresses("ExternalIP")[0] == ["203.0.113.11"]


def test_an_expired_version_is_listed_again_and_what_changed_meanwhile_is_reported() -> None:
    calls, changes, cache = run(
        [[node("node-1", "203.0.113.11"), node("node-2", "203.0.113.12")], [node("node-1", "203.0.113.11")]],
        [[Expired("too old resource version: 5 (900)")]])
    assert calls == ["list -> L1", "watch from L1", "list -> L2", "watch from L2"]
    assert changes == ["nodes changed while the watch was down"]
    assert cache.addresses("ExternalIP")[0] == ["203.0.113.11"]


def test_heartbeats_that_change_nothing_the_addresses_depend_on_are_no_change() -> None:
    beat = node("node-1", "203.0.113.11", version="8")
    beat.status.conditions[0].last_heartbeat_time = "2026-12-06T22:00:00Z"
    _calls, changes, _ = run([[node("node-1", "203.0.113.11")]],
                            [[("MODIFIED", beat, "8"), ("DELETED", beat, "9")]])
    assert changes == ["node node-1 deleted: gone"]
