"""A token bucket shared by every client in the process that names the same bucket."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import ClassVar


class RateLimiter:
    _shared: ClassVar[dict[str, RateLimiter]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, rate: float, burst: int = 1, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError(f"rate limit needs rate > 0 and burst >= 1, got rate={rate} burst={burst}")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = clock()
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, name: str, rate: float, burst: int = 1) -> RateLimiter:
        """The process-wide bucket called ``name`` (created on first use with these numbers)."""
        with cls._shared_lock:
            if name not in cls._shared:
                cls._shared[name] = cls(rate, burst)
            return cls._shared[name]

    def acquire(self) -> None:
        """Take one token, sleeping until one is free."""
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                wait = (1 - self._tokens) / self.rate
            self._sleep(wait)
