"""One poll loop per provider process for every rule that any ``RuleDeployment`` waits on.

The engine runs each Ingress's ``RuleDeployment`` on its own worker; if each polled for itself,
a cycle would cost a listing per waiting Ingress. Here waiters hand their rules in and one of
them (the leader of the moment) makes the next poll for all of them, at most once per interval:
a cycle costs one read per pending rule when two or fewer are pending, else one listing per
shortname, however many Ingresses wait.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

Seen = dict[str, tuple[str, Any]]  # uuid -> (state, version); "GONE" when a read by uuid was a 404
PollOnce = Callable[[dict[str, str]], Seen]  # {uuid: shortname} -> what the vendor says of each


class DeployWatch:
    _shared: ClassVar[dict[str, DeployWatch]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, poll_once: PollOnce, interval: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._poll_once, self._interval, self._clock, self._sleep = poll_once, interval, clock, sleep
        self._cond = threading.Condition()
        self._next: dict[str, str] = {}
        self._seen: Seen = {}
        self._started = self._finished = 0
        self._polling = False
        self._last = float("-inf")

    @classmethod
    def shared(cls, key: str, poll_once: PollOnce, interval: float) -> DeployWatch:
        """The process-wide watch called ``key`` (one per vendor account and endpoint)."""
        with cls._shared_lock:
            if key not in cls._shared:
                cls._shared[key] = cls(poll_once, interval)
            return cls._shared[key]

    def observe(self, wanted: dict[str, str]) -> Seen:
        """What a poll that started after this call saw of ``wanted`` ({uuid: shortname});
        blocks until that poll is done. Raises the poll's error when this call made it."""
        with self._cond:
            self._next.update(wanted)
            target = self._started + 1
            while self._finished < target and self._polling:
                self._cond.wait()
            if self._finished >= target:
                return {u: self._seen[u] for u in wanted if u in self._seen}
            self._polling = True
            batch, self._next = self._next, {}
            self._started += 1
            delay = max(0.0, self._last + self._interval - self._clock())
        return self._lead(batch, delay, wanted)

    def _lead(self, batch: dict[str, str], delay: float, wanted: dict[str, str]) -> Seen:
        seen: Seen = {}
        try:
            self._sleep(delay)
            self._last = self._clock()
            seen = self._poll_once(batch)
        finally:
            with self._cond:
                self._seen.update(seen)
                for uuid in set(batch) - set(seen):  # a failed poll: ask again next time
                    self._next.setdefault(uuid, batch[uuid])
                self._finished = self._started
                self._polling = False
                self._cond.notify_all()
        return {u: seen[u] for u in wanted if u in seen}
