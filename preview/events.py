"""Reads the engine's event log (``pulumi preview --event-log FILE``: one JSON event per line).

Steps come from ``resourcePreEvent``; the three steps of a replacement are folded into one
``replace``. Policy results (``policyEvent``), diagnostics and the stack's config (``preludeEvent``)
are kept: ``preview --json`` drops the policy results, the event log carries them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from preview.protection import Protection
from preview.values import clean

REPLACE_OPS = ("replace", "create-replacement", "delete-replaced")
_COLOR = re.compile(r"<\{%[a-z#-]*%\}>|\x1b\[[0-9;]*[mK]")


class EventLogError(ValueError):
    """The file is not an engine event log."""


@dataclass
class Step:
    """What the preview would do to one resource (URN); inputs are cleaned (see ``values.clean``)."""

    urn: str
    type: str
    op: str
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    last_seen: dict[str, Any] = field(default_factory=dict)
    """The old state's outputs: what the last run (up or refresh) saw at the vendor."""
    old_protect: bool = False
    new_protect: bool = False
    retain_on_delete: bool = False
    new_retain: bool = False  # retainOnDelete of the new state (a change may turn it off)
    replace_keys: list[str] = field(default_factory=list)
    diff_keys: list[str] = field(default_factory=list)
    delete_first: bool = False  # a replacement that deletes before it creates
    custom: bool = False  # managed by a provider (not a component)

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]

    @property
    def protected(self) -> bool:
        return self.old_protect or self.new_protect


@dataclass(frozen=True)
class PolicyResult:
    urn: str  # "" for a stack-level policy
    pack: str
    policy: str
    level: str  # advisory | mandatory | remediate | disabled (the engine's enforcement level)
    message: str


@dataclass(frozen=True)
class Diagnostic:
    urn: str
    severity: str
    message: str


@dataclass
class Preview:
    steps: dict[str, Step] = field(default_factory=dict)
    policies: list[PolicyResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    config: dict[str, str] = field(default_factory=dict)
    result: str = ""  # succeeded | failed | canceled; "" when the log ended early
    base: Protection | None = None
    """The stack's protection on the base branch (its stack files); None: decided from the log alone."""
    head: Protection | None = None
    """The same files as the pull request leaves them."""

    @property
    def failed(self) -> bool:
        return self.result != "succeeded" or any(d.severity == "error" for d in self.diagnostics)


def _state(meta: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return meta or {}


def _add_step(preview: Preview, meta: Mapping[str, Any]) -> None:
    old, new = _state(meta.get("old")), _state(meta.get("new"))
    urn, op = str(meta.get("urn", "")), str(meta.get("op", ""))
    step = preview.steps.get(urn)
    if step is None:
        step = preview.steps[urn] = Step(urn=urn, type=str(meta.get("type", "")), op=op)
    if op in REPLACE_OPS:
        if step.op not in REPLACE_OPS and op == "delete-replaced":
            step.delete_first = True  # its delete came before any other step of the replacement
        step.op = "replace"
    elif step.op != "replace":
        step.op = op
    step.custom = step.custom or bool(old.get("custom") or new.get("custom"))
    if old:
        step.old = clean(old.get("inputs") or {})
        step.last_seen = clean(old.get("outputs") or {})
        step.old_protect = bool(old.get("protect"))
        step.retain_on_delete = step.retain_on_delete or bool(old.get("retainOnDelete"))
    if new:
        step.new = clean(new.get("inputs") or {})
        step.new_protect = bool(new.get("protect"))
        step.new_retain = bool(new.get("retainOnDelete"))
    step.replace_keys = sorted({*step.replace_keys, *(meta.get("keys") or [])})
    step.diff_keys = sorted({*step.diff_keys, *(meta.get("diffs") or [])})


def _plain(text: Any) -> str:
    return _COLOR.sub("", str(text or "")).strip()


def _add(preview: Preview, event: Mapping[str, Any]) -> None:
    if "resourcePreEvent" in event:
        _add_step(preview, event["resourcePreEvent"].get("metadata") or {})
    elif "policyEvent" in event:
        p = event["policyEvent"]
        preview.policies.append(PolicyResult(str(p.get("resourceUrn", "")), str(p.get("policyPackName", "")),
                                             str(p.get("policyName", "")), str(p.get("enforcementLevel", "")),
                                             _plain(p.get("message"))))
    elif "diagnosticEvent" in event:
        d = event["diagnosticEvent"]
        if not d.get("ephemeral"):
            preview.diagnostics.append(Diagnostic(str(d.get("urn", "")), str(d.get("severity", "")),
                                                  _plain(d.get("message"))))
    elif "preludeEvent" in event:
        preview.config = {str(k): str(v) for k, v in (event["preludeEvent"].get("config") or {}).items()}
    elif "summaryEvent" in event:
        preview.result = str(event["summaryEvent"].get("result") or "succeeded")


def parse(lines: Iterable[str], source: str = "event log") -> Preview:
    preview = Preview()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EventLogError(f"{source} line {number}: not JSON ({exc.msg}); expected one engine "
                                "event per line, as written by `pulumi preview --event-log FILE`") from None
        if not isinstance(event, dict):
            raise EventLogError(f"{source} line {number}: expected a JSON object (an engine event)")
        _add(preview, event)
    return preview


def load(path: Path) -> Preview:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EventLogError(f"cannot read the event log {path}: {exc.strerror}") from None
    return parse(text.splitlines(), str(path))
