"""Fault injection, switchable at run time through ``POST /_emulator/faults``.

Every decision draws from one seeded random generator so that a fault run can be repeated.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# What a request may suffer, in the order the server applies them.
PASS = "pass"
DROP = "drop"  # connection closed before the request is handled: nothing committed
ERROR = "error"  # a 5xx before the request is handled: nothing committed
BURST_429 = "burst_429"  # a 429 from an injected burst
LOST_RESPONSE = "lost_response"  # handled and committed, then the connection is closed


@dataclass
class FaultConfig:
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    error_rate: float = 0.0
    error_statuses: list[int] = field(default_factory=lambda: [500, 502, 503, 504])
    drop_rate: float = 0.0
    lost_response_rate: float = 0.0  # applies to writes (POST, PUT, PATCH, DELETE) only
    burst_429_rate: float = 0.0  # chance that a request starts a burst of 429s
    burst_429_length: int = 3
    retry_after: float | None = None  # seconds, sent as Retry-After on injected and limit 429s
    rate_limit_per_second: float = 0.0  # per client address; 0 turns the limit off
    seed: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: FaultConfig | None = None) -> FaultConfig:
        """Merge ``data`` over ``base``; unknown keys and bad values raise ValueError naming them."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault setting(s) {unknown}; allowed: {sorted(known)}")
        merged = {**asdict(base or cls()), **data}
        config = cls(**merged)
        config._validate()
        return config

    def _validate(self) -> None:
        for name in ("error_rate", "drop_rate", "lost_response_rate", "burst_429_rate"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
                raise ValueError(f"fault setting {name}={value!r} must be a number from 0 to 1")
        for name in ("latency_ms", "latency_jitter_ms", "rate_limit_per_second"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value < 0:
                raise ValueError(f"fault setting {name}={value!r} must be a number >= 0")
        if not isinstance(self.burst_429_length, int) or self.burst_429_length < 1:
            raise ValueError(f"fault setting burst_429_length={self.burst_429_length!r} must be >= 1")
        if not self.error_statuses or any(not 500 <= s <= 599 for s in self.error_statuses):
            raise ValueError(f"fault setting error_statuses={self.error_statuses!r} must be 5xx codes")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultInjector:
    """Decides, request by request, which fault (if any) applies."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)
            self._burst_left = 0

    def latency_seconds(self) -> float:
        with self._lock:
            jitter = self._rng.uniform(0, self.config.latency_jitter_ms) if self.config.latency_jitter_ms else 0
            return (self.config.latency_ms + jitter) / 1000.0

    def before(self) -> tuple[str, int]:
        """The fault to apply before handling: (kind, status)."""
        with self._lock:
            c = self.config
            if self._burst_left > 0:
                self._burst_left -= 1
                return BURST_429, 429
            if c.burst_429_rate and self._rng.random() < c.burst_429_rate:
                self._burst_left = c.burst_429_length - 1
                return BURST_429, 429
            if c.drop_rate and self._rng.random() < c.drop_rate:
                return DROP, 0
            if c.error_rate and self._rng.random() < c.error_rate:
                return ERROR, self._rng.choice(c.error_statuses)
            return PASS, 0

    def lose_response(self, method: str) -> bool:
        with self._lock:
            rate = self.config.lost_response_rate
            return bool(rate) and method in ("POST", "PUT", "PATCH", "DELETE") and self._rng.random() < rate
