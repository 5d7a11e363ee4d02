"""Per resource: a collapsible property diff computed from old and new inputs, with its policy results.

Dynamic providers send the engine no detailed diff, so the diff is always taken from the inputs the
event log carries; secrets show as ``[secret]`` and ``__provider`` never shows.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from preview.events import PolicyResult, Step
from preview.kinds import CDN_TYPE, DNS_TYPE, short_type
from preview.md import INFO, code, fence, html_code, one_line, text
from preview.rules import route_of
from preview.traffic import origin_of
from preview.values import ABSENT, Change, diff, show

OP_ICONS = {"create": "🟢", "update": "🟡", "replace": "🟣", "delete": "🔴", "same": "⚪"}
POLICY_ICONS = {"mandatory": "⛔", "advisory": "⚠️", "remediate": "🛠️"}


def label(step: Step) -> str:
    """How a reviewer names the resource: the route of a rule, the origin of a record set."""
    if step.type == CDN_TYPE:
        return route_of(step.new or step.old or {})
    if step.type == DNS_TYPE:
        return origin_of(step)
    return step.name


def policy_line(result: PolicyResult, *, with_resource: str = "", limit: int = 0) -> str:
    icon = POLICY_ICONS.get(result.level, INFO)
    where = f" on {with_resource}" if with_resource else ""
    message = " ".join(result.message.split())
    if limit and len(message) > limit:
        message = message[:limit].rstrip() + "…"
    name = code(f"{result.pack}/{result.policy}")
    return f"{icon} **{text(result.level or 'policy')}** {name}{where}: {text(message)}"


def _diff_lines(changes: Iterable[Change], replace_keys: set[str]) -> list[str]:
    lines = []
    for change in changes:
        forces = "  # forces replacement" if change.path.split(".")[0].split("[")[0] in replace_keys else ""
        if change.old is not ABSENT:
            lines.append(f"- {one_line(change.path)}: {one_line(show(change.old))}")
        if change.new is not ABSENT:
            lines.append(f"+ {one_line(change.path)}: {one_line(show(change.new))}{forces}")
    return lines


def property_diff(step: Step) -> str:
    """A ``diff`` fence of what changes (all inputs for a create or a delete)."""
    old = None if step.op == "create" else step.old
    new = None if step.op == "delete" else step.new
    lines = _diff_lines(diff(old, new), set(step.replace_keys))
    if not lines:
        reported = text(", ".join(step.diff_keys))
        return f"No input changes; the provider reports changes in: {reported}." if reported else ""
    return fence("\n".join(lines), "diff")


def summary_line(step: Step, policies: list[PolicyResult]) -> str:
    icon = OP_ICONS.get(step.op, "⚪")
    badge = ""
    if policies:
        worst = "⛔" if any(p.level == "mandatory" for p in policies) else "⚠️"
        badge = f" {worst} {len(policies)} polic{'y' if len(policies) == 1 else 'ies'}"
    op = "unchanged" if step.op == "same" else step.op
    kind = html.escape(one_line(short_type(step)))
    return f"{icon} <b>{html.escape(one_line(op))}</b> {kind} {html_code(label(step))}{badge}"


def block(step: Step, policies: list[PolicyResult], *, with_diff: bool) -> str:
    """``<details>`` with the policy results and the property diff, or one bullet line without it."""
    policy_lines = [f"- {policy_line(p)}" for p in policies]
    if not with_diff:
        head = f"- {OP_ICONS.get(step.op, '⚪')} {text(step.op)} {text(short_type(step))} {code(label(step))}"
        return "\n".join([head, *(f"  {line}" for line in policy_lines)])
    body = "\n".join(policy_lines)
    if step.op == "replace" and step.replace_keys:
        body += ("\n\n" if body else "") + f"Replaced because {', '.join(map(code, step.replace_keys))} changed."
    if step.op != "same":
        prop = property_diff(step)
        body += ("\n\n" if body and prop else "") + prop
    return f"<details><summary>{summary_line(step, policies)}</summary>\n\n{body}\n\n</details>"
