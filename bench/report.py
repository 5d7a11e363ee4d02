"""The results as a Markdown table: ours beside the baseline, and the bound beside our wall time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bench.floor import floor
from bench.measure import Measure

HEADER = ("| N | foreign | phase | ours reads / writes / 429s | ours wall s | bound s | wall / bound "
          "| (wall - no-op) / bound | floor calls | floor s | calls / floor | wall / floor "
          "| baseline reads / writes / 429s | baseline wall s | calls ours / baseline |")
COLUMNS = 15


@dataclass(frozen=True)
class Row:
    routes: int
    foreign: int
    phase: str
    ours: Measure
    baseline: Measure | None
    pending_seconds: float
    idle: float = 0.0  # our no-op's wall time in the same run: what a command costs with no vendor call
    poll_seconds: float = 1.0


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def line(row: Row) -> str:
    o, b = row.ours, row.baseline
    bound = o.bound(row.pending_seconds)
    base = (f"{b.reads} / {b.writes} / {b.throttled} | {b.seconds:.1f} | {_ratio(o.calls, b.calls)}"
            if b else "not run | | ")
    beyond = _ratio(max(o.seconds - row.idle, 0.0), bound)
    least = floor(row.phase, routes=row.routes, foreign=row.foreign, pending_seconds=row.pending_seconds,
                  poll_seconds=row.poll_seconds)
    return (f"| {row.routes} | {row.foreign} | {row.phase} | {o.reads} / {o.writes} / {o.throttled} "
            f"| {o.seconds:.1f} | {bound:.1f} | {_ratio(o.seconds, bound)} | {beyond} "
            f"| {least.calls} | {least.seconds:.1f} | {_ratio(o.calls, least.calls)} "
            f"| {_ratio(o.seconds, least.seconds)} | {base} |")


def totals(rows: list[Row]) -> str:
    """The whole lifecycle per N and zone: our calls against the baseline's."""
    out = []
    for key in sorted({(r.routes, r.foreign) for r in rows}):
        group = [r for r in rows if (r.routes, r.foreign) == key]
        ours = sum(r.ours.calls for r in group)
        base = sum(r.baseline.calls for r in group if r.baseline)
        throttled = sum(r.ours.throttled for r in group)
        versus = f"{base} for the baseline, ratio {_ratio(ours, base)}" if base else "baseline not run"
        out.append(f"- N={key[0]}, {key[1]} foreign records: our lifecycle {ours} calls ({throttled} 429s), {versus}")
    return "\n".join(out)


def markdown(rows: list[Row], command: str, conditions: Iterable[str]) -> str:
    body = "\n".join(line(r) for r in rows)
    return (f"# Benchmark results\n\nCommand: `{command}`\n\n" + "\n".join(f"- {c}" for c in conditions)
            + f"\n\n{HEADER}\n|{'---|' * COLUMNS}\n{body}\n\n## Whole lifecycle\n\n{totals(rows)}\n")
