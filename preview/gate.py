"""The deletion gate: on a protected stack, a preview that deletes or replaces a DNS record set or a
CDN rule fails its check unless the pull request carries the label that allows it."""

from __future__ import annotations

from dataclasses import dataclass, field

from preview.events import Preview, Step
from preview.kinds import kind_of

ALLOW_LABEL = "allow-cdn-deletion"
PROTECT_KEY = "cdn-ingress:protect"


@dataclass(frozen=True)
class Gate:
    protected: bool
    """The stack protects its vendor objects (config ``cdn-ingress:protect``, or a step's old state)."""
    risky: list[Step] = field(default_factory=list)
    """Deletes and replacements of vendor objects."""
    allowed: bool = False
    """The pull request carries ``ALLOW_LABEL``."""

    @property
    def blocked(self) -> bool:
        return self.protected and bool(self.risky) and not self.allowed


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def gate(preview: Preview, labels: frozenset[str] = frozenset()) -> Gate:
    vendor = [s for s in preview.steps.values() if (kind := kind_of(s)) is not None and kind.vendor]
    risky = [s for s in vendor if s.op in ("delete", "replace")]
    protected = _truthy(preview.config.get(PROTECT_KEY)) or any(s.old_protect for s in vendor)
    return Gate(protected=protected, risky=risky, allowed=ALLOW_LABEL in labels)
