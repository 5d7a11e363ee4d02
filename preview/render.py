"""One stack's preview as a pull-request comment section (GitHub-flavoured Markdown).

Order: hidden marker, headline, deletion gate, red warnings, errors, summary table, what changes for
traffic, policy results, per-resource diffs. Over GitHub's 65,536-character limit the diffs go
first, then the resource list, then the tail of every long list, each cut list ending with a count;
the verdict, the deletion gate and the summary table stay, and the comment says what it left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from preview.events import PolicyResult, Preview, Step
from preview.gate import ALLOW_LABEL, Gate, gate
from preview.kinds import COLUMNS, Kind, changes, column, kind_of, short_type
from preview.md import INFO, code, fence, one_line, quote, text, utf16_len
from preview.resources import block, label, policy_line
from preview.traffic import Traffic, traffic

LIMIT = 65_536
BUDGET = LIMIT - 1_000  # headroom for a workflow link or a host's own counting
MAX_MESSAGE = 1_500
MAX_ERRORS = 20
MAX_POLICY_LINE = 120  # the whole message sits next to its resource below


@dataclass(frozen=True)
class Target:
    project: str
    stack: str
    labels: frozenset[str] = frozenset()
    run_url: str = ""  # where the whole preview log is (a CI run), named when something is left out


def marker(project: str, stack: str) -> str:
    """The hidden line by which the comment of one project/stack is found and edited."""
    return f"<!-- cdn-ingress-preview project={project} stack={stack} -->"


def _relevant(preview: Preview) -> list[Step]:
    return [s for s in preview.steps.values() if kind_of(s) is not None and column(s) is not None]


def _table(steps: list[Step]) -> str:
    """Counts per kind; resources of other types get a row per type (e.g. ``RuleDeployment``)."""
    groups: dict[str, list[Step]] = {kind.value: [] for kind in Kind if kind is not Kind.OTHER}
    for step in steps:
        kind = kind_of(step)
        groups.setdefault(short_type(step) if kind is Kind.OTHER else (kind or Kind.OTHER).value, []).append(step)
    rows = ["| | create | update | replace | delete | unchanged |", "|---|---:|---:|---:|---:|---:|"]
    for name, members in groups.items():
        counts = {c: sum(1 for s in members if column(s) == c) for c in COLUMNS}
        rows.append(f"| {text(name)} | " + " | ".join(str(counts[c] or "·") for c in COLUMNS) + " |")
    return "\n".join(rows)


def _more(total: int, shown: int, what: str = "") -> list[str]:
    return [f"- … and {total - shown:,} more{what} (left out for size)"] if shown < total else []


def _gate_block(g: Gate, keep: int | None) -> str:
    if not (g.protected and g.risky):
        return ""
    shown = g.risky if keep is None else g.risky[:keep and max(keep, 10)]
    names = ", ".join(code(label(s)) for s in shown)
    if names and len(shown) < len(g.risky):
        names += f", … and {len(g.risky) - len(shown):,} more"
    if g.allowed:
        return f"🔓 **Deletion gate: allowed** by the label {code(ALLOW_LABEL)}" + (f": {names}." if names else
                                                                                   f" ({len(g.risky)} of them).")
    return quote(["[!CAUTION]", f"⛔ **Deletion gate: blocked.** This stack protects its DNS record sets and CDN "
                  f"rules, and this change deletes or replaces {len(g.risky)} of them{': ' if names else ''}{names}. "
                  f"Add the label {code(ALLOW_LABEL)} to the pull request to allow it (docs/previews.md)."])


def _warnings_block(t: Traffic, keep: int | None) -> str:
    if not t.warnings:
        return ""
    shown = t.warnings if keep is None else t.warnings[:keep and max(keep, 10)]
    return quote(["[!CAUTION]", f"**{len(t.warnings)} change(s) that can break live traffic**",
                  *(f"- {w}" for w in shown), *_more(len(t.warnings), len(shown))])


def _errors_block(preview: Preview, keep: int | None) -> str:
    errors = ["\n".join(map(one_line, d.message.split("\n"))) for d in preview.diagnostics if d.severity == "error"]
    if not errors:
        return ""
    unique = list(dict.fromkeys(errors))
    shown = [m if len(m) <= MAX_MESSAGE else f"{m[:MAX_MESSAGE]}… ({len(m)} chars)" for m in unique]
    kept = shown[:MAX_ERRORS if keep is None else min(MAX_ERRORS, max(keep, 3))]
    more = f"\n\n… and {len(unique) - len(kept):,} more error(s)" if len(kept) < len(unique) else ""
    return "#### ❌ Errors\n\n" + fence("\n\n".join(kept) + more, "text")


def _bullets(title: str, lines: list[str], keep: int | None) -> str:
    if not lines:
        return ""
    shown = lines if keep is None else lines[:keep]
    return "\n".join([f"**{title}**", "", *(f"- {line}" for line in shown), *_more(len(lines), len(shown))])


def _traffic_block(t: Traffic, keep: int | None) -> str:
    parts = [_bullets("Routes", t.routes, keep), _bullets("Origins", t.origins, keep),
             _bullets("Ingress status", t.statuses, keep)]
    body = "\n\n".join(p for p in parts if p) or "No route, origin or Ingress status changes."
    return "#### What changes for traffic\n\n" + body


def _policy_lines(preview: Preview) -> list[str]:
    lines = []
    for result in preview.policies:
        step = preview.steps.get(result.urn)
        where = code(label(step)) if step else (code(result.urn.rsplit("::", 1)[-1]) if result.urn else "the stack")
        lines.append(f"- {policy_line(result, with_resource=where, limit=MAX_POLICY_LINE)}")
    return lines


def _policy_block(lines: list[str], keep: int | None) -> str:
    if not lines:
        return ""
    shown = lines if keep is None else lines[:keep]
    return "#### Policy results\n\n" + "\n".join([*shown, *_more(len(lines), len(shown), " policy result(s)")])


def _warning_lines(preview: Preview) -> list[str]:
    warnings = dict.fromkeys(d.message for d in preview.diagnostics if d.severity == "warning")
    return [f"- {text(' '.join(w.split())[:MAX_MESSAGE])}" for w in warnings]


def _program_warnings(lines: list[str], keep: int | None) -> str:
    if not lines:
        return ""
    shown = lines if keep is None else lines[:keep]
    body = "\n".join([*shown, *_more(len(lines), len(shown), " warning(s)")])
    return f"<details><summary>⚠️ {len(lines)} warning(s) from the program</summary>\n\n{body}\n\n</details>"


_KIND_ORDER = (Kind.CDN, Kind.DNS, Kind.STATUS, Kind.KUBERNETES, Kind.OTHER)
_OP_ORDER = ("delete", "replace", "update", "create")


def _listed(preview: Preview, steps: list[Step]) -> list[Step]:
    """Changed resources, and unchanged ones that carry policy results: what reaches the vendors
    first, and within a kind the riskiest operation first."""
    flagged = {p.urn for p in preview.policies}
    listed = [s for s in steps if changes(s) or s.urn in flagged]
    return sorted(listed, key=lambda s: (_KIND_ORDER.index(kind_of(s) or Kind.OTHER),
                                         _OP_ORDER.index(s.op) if s.op in _OP_ORDER else len(_OP_ORDER)))


def _resources_block(c: _Context, mode: str) -> tuple[str, int]:
    """Mode ``diffs`` (every diff), ``vendor`` (diffs of DNS and CDN only), ``lines`` (no diffs) or
    ``none``; returns the block and how many property diffs it left out."""
    if mode == "none" or not c.listed:
        return "", sum(1 for s in c.listed if changes(s))
    blocks, left_out = [], 0
    for step in c.listed:
        kind = kind_of(step)
        with_diff = mode == "diffs" or (mode == "vendor" and kind is not None and kind.vendor)
        left_out += int(changes(step) and not with_diff)
        blocks.append(block(step, c.policies_of.get(step.urn, []), with_diff=with_diff))
    return "#### Resources\n\n" + "\n\n".join(blocks), left_out


def _headline(preview: Preview, target: Target, g: Gate) -> str:
    status = "❌ preview failed" if preview.failed else ("⛔ deletion gate blocks" if g.blocked else "✅ preview ok")
    return f"### Pulumi preview: {code(target.project)} / {code(target.stack)} · {status}"


def _left_out_note(target: Target, what: str, full_size: int) -> str:
    where = f" The whole preview is in [the workflow run]({target.run_url})." if target.run_url else ""
    return (f"{INFO} Left out to stay under GitHub's {LIMIT:,}-character limit: {what} (the full comment is "
            f"{full_size:,} characters). {code(f'make preview-comment STACK={target.stack}')} prints all of it.{where}")


@dataclass(frozen=True)
class _Context:
    """What every attempt at a size shares, computed once."""

    preview: Preview
    target: Target
    steps: list[Step]
    gate: Gate
    traffic: Traffic
    listed: list[Step]
    policies_of: dict[str, list[PolicyResult]]
    policy_lines: list[str]
    warning_lines: list[str]

    @classmethod
    def of(cls, preview: Preview, target: Target) -> _Context:
        steps = _relevant(preview)
        policies_of: dict[str, list[PolicyResult]] = {}
        for result in preview.policies:
            policies_of.setdefault(result.urn, []).append(result)
        return cls(preview, target, steps, gate(preview, target.labels), traffic(steps), _listed(preview, steps),
                   policies_of, _policy_lines(preview), _warning_lines(preview))


def _document(c: _Context, mode: str, keep: int | None) -> tuple[str, int]:
    resources, left_out = _resources_block(c, mode)
    parts = [marker(c.target.project, c.target.stack), _headline(c.preview, c.target, c.gate),
             _gate_block(c.gate, keep), _warnings_block(c.traffic, keep), _errors_block(c.preview, keep),
             _table(c.steps), _traffic_block(c.traffic, keep), _policy_block(c.policy_lines, keep),
             _program_warnings(c.warning_lines, keep), resources]
    return "\n\n".join(p for p in parts if p) + "\n", left_out


def _no_op(preview: Preview, target: Target) -> str | None:
    steps = _relevant(preview)
    if preview.failed or preview.policies or any(changes(s) for s in steps):
        return None
    return (f"{marker(target.project, target.stack)}\n✅ {code(f'{target.project}/{target.stack}')}: "
            f"no changes ({len(steps)} resources unchanged).\n")


_ATTEMPTS: list[tuple[str, int | None, Callable[[int], str]]] = [
    ("vendor", None, lambda n: f"the property diffs of {n} Kubernetes object(s)"),
    ("lines", None, lambda n: f"the property diffs of {n} resource(s)"),
    ("none", None, lambda n: f"the list of {n} changed resource(s) and their property diffs"),
    *(("none", keep, lambda n: f"the list of {n} changed resource(s), and the tail of long traffic lists, "
       "policy results and warnings") for keep in (200, 50, 10, 0)),
]


def render(preview: Preview, target: Target, budget: int = BUDGET) -> str:
    """The comment section for one stack, at most ``budget`` UTF-16 code units long. Never fails for
    size: the verdict, the deletion gate and the summary table are the last to go."""
    quiet = _no_op(preview, target)
    if quiet is not None:
        return quiet
    context = _Context.of(preview, target)
    full, _ = _document(context, "diffs", None)
    if utf16_len(full) <= budget:
        return full
    for mode, keep, what in _ATTEMPTS:
        text, left_out = _document(context, mode, keep)
        note = _left_out_note(target, what(left_out), utf16_len(full))
        if utf16_len(text) + utf16_len(note) + 2 <= budget:
            return f"{text}\n{note}\n"
    return _cut(f"{text}\n{note}\n", budget)


def _cut(text: str, budget: int) -> str:
    """Whole blocks from the top while they fit: only a budget smaller than the gate and the table gets here."""
    kept, size = [], 0
    for part in text.split("\n\n"):
        size += utf16_len(part) + 2
        if size > budget:
            break
        kept.append(part)
    return "\n\n".join(kept) + "\n"
