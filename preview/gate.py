"""The deletion gate: on a protected stack, a preview that deletes or replaces a DNS record set or a
CDN rule, or lowers the protection of the stack or of its objects, fails its check unless the pull
request carries the label that allows it. "Protected" comes from the base branch's stack files when
they are given (CI), never from the pull request's own config."""

from __future__ import annotations

from dataclasses import dataclass, field

from preview.events import Preview, Step
from preview.kinds import kind_of
from preview.md import code, quote
from preview.protection import PROTECT_KEY, lowered, truthy

ALLOW_LABEL = "allow-cdn-deletion"
__all__ = ["ALLOW_LABEL", "PROTECT_KEY", "Gate", "gate", "lowered_note", "reasons", "unprotects"]


@dataclass(frozen=True)
class Gate:
    protected: bool
    """The stack protects its vendor objects: the base branch's stack files (else the preview's config),
    or a step's old state."""
    risky: list[Step] = field(default_factory=list)
    """Vendor objects the change deletes or replaces."""
    allowed: bool = False
    """The pull request carries ``ALLOW_LABEL``."""
    unprotected: list[Step] = field(default_factory=list)
    """Vendor objects the change keeps but takes protect or retainOnDelete off."""
    lowered: list[str] = field(default_factory=list)
    """Protection settings the pull request lowers against the base branch (``file key: old -> new``)."""

    @property
    def blocked(self) -> bool:
        return self.protected and bool(self.risky or self.unprotected or self.lowered) and not self.allowed


def unprotects(step: Step) -> str:
    """What a step that keeps its object lowers on it, as ``<Type> '<name>' <option>: true -> false``."""
    if step.old is None or step.new is None:
        return ""
    what = "protect" if step.old_protect and not step.new_protect else ""
    what = what or ("retainOnDelete" if step.retain_on_delete and not step.new_retain else "")
    return f"{step.type.rsplit(':', 1)[-1]} '{step.name}' {what}: true -> false" if what else ""


def gate(preview: Preview, labels: frozenset[str] = frozenset()) -> Gate:
    vendor = [s for s in preview.steps.values() if (kind := kind_of(s)) is not None and kind.vendor]
    risky = [s for s in vendor if s.op in ("delete", "replace")]
    kept = [s for s in vendor if s.op not in ("delete", "replace") and unprotects(s)]
    in_state = any(s.old_protect for s in vendor)
    if preview.base is None:
        protected = truthy(preview.config.get(PROTECT_KEY)) or in_state
        return Gate(protected, risky, ALLOW_LABEL in labels, kept)
    settings = lowered(preview.base, preview.head) if preview.head is not None else []
    return Gate(preview.base.protected or in_state, risky, ALLOW_LABEL in labels, kept, settings)


def reasons(g: Gate) -> list[str]:
    """Why the gate closes, one phrase per object or setting."""
    steps = [f"{s.type.rsplit(':', 1)[-1]} '{s.name}' {s.op}" for s in g.risky]
    return [*steps, *map(unprotects, g.unprotected), *g.lowered]


def lowered_note(g: Gate) -> str:
    """The comment's word on lowered protection: settings, and objects that keep existing but lose
    protect or retainOnDelete (deletes and replaces are the renderer's own gate block)."""
    items = [*map(unprotects, g.unprotected), *g.lowered]
    if not (g.protected and items):
        return ""
    names = ", ".join(code(x) for x in items)
    if g.allowed:
        return f"🔓 **Deletion gate: allowed** by the label {code(ALLOW_LABEL)}: protection lowered ({names})."
    return quote(["[!CAUTION]", f"⛔ **Deletion gate: protection lowered.** This stack is protected on the base "
                  f"branch, and this change lowers {names}. Add the label {code(ALLOW_LABEL)} to the pull "
                  "request to allow it (docs/previews.md)."])
