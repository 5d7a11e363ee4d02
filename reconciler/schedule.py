"""When a pass runs: debounce (a burst of node events is one pass), damping (at most one write per
name per hold-down period) and the periodic full run. Pure: every method takes the time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Schedule:
    debounce: float
    """Seconds without a node event before a pass runs."""
    hold_down: float
    """Seconds after a write to a name before that name is written again."""
    full_every: float
    """Seconds between full runs (0: never)."""
    start: float
    pending_since: float | None = None
    """When the first node event not yet handled came (for the event-to-DNS time)."""
    quiet_at: float = 0.0
    held_until: float = 0.0
    next_full: float = field(init=False)
    writes: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.next_full = self.start + self.full_every if self.full_every else float("inf")

    def event(self, now: float) -> None:
        if self.pending_since is None:
            self.pending_since = now
        self.quiet_at = now + self.debounce

    def changes_due(self, now: float) -> bool:
        return self.pending_since is not None and now >= max(self.quiet_at, self.held_until)

    def full_due(self, now: float) -> bool:
        return now >= self.next_full

    def wake_at(self) -> float:
        """The next time something may be due (no event coming before it)."""
        changes = max(self.quiet_at, self.held_until) if self.pending_since is not None else float("inf")
        return min(changes, self.next_full)

    def hold_until(self, names: Iterable[str]) -> float:
        """When every one of ``names`` may be written again."""
        return max((self.writes[n] + self.hold_down for n in names if n in self.writes), default=0.0)

    def hold(self, until: float) -> None:
        """Keep the pending changes until ``until`` (damping): they are not dropped."""
        self.held_until = until

    def handled(self) -> float | None:
        """The pending events are dealt with; returns when the first of them came."""
        since, self.pending_since = self.pending_since, None
        return since

    def wrote(self, names: Iterable[str], now: float) -> None:
        for name in names:
            self.writes[name] = now

    def full_done(self, now: float) -> None:
        self.next_full = now + self.full_every if self.full_every else float("inf")
