"""The results as a Markdown table: ours beside the baseline, and the bound beside our wall time.
An Edgio run keeps its columns; a Cloudflare run gives each vendor's reads / writes / 429s (Vultr,
Cloudflare) beside ours and has no baseline (the original demo drove Edgio only)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bench.floor import floor
from bench.measure import CLOUDFLARE_PACE, EDGIO_PACE, VULTR_LIMIT, Measure, Tally

HEADER = ("| N | foreign | phase | ours reads / writes / 429s | ours wall s | bound s | wall / bound "
          "| (wall - no-op) / bound | floor calls | floor s | calls / floor | wall / floor "
          "| baseline reads / writes / 429s | baseline wall s | calls ours / baseline |")
COLUMNS = 15
#: Per CDN, the vendors whose calls get their own columns (an Edgio run keeps its columns as they were).
VENDOR_COLUMNS = {"edgio": (), "cloudflare": ("vultr", "cloudflare")}
NAMES = {"vultr": "Vultr", "edgio": "Edgio", "cloudflare": "Cloudflare"}
CLOUDFLARE_HEADER = ("| N | foreign | phase | ours reads / writes / 429s | Vultr reads / writes / 429s "
                     "| Cloudflare reads / writes / 429s | ours wall s | bound s | wall / bound "
                     "| (wall - no-op) / bound | floor calls | floor s | calls / floor | wall / floor |")
CLOUDFLARE_COLUMNS = 14


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
    cdn: str = "edgio"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def _tally(t: Tally | Measure) -> str:
    return f"{t.reads} / {t.writes} / {t.throttled}"


def _against_bound_and_floor(row: Row) -> str:
    o = row.ours
    bound = o.bound(row.pending_seconds)
    beyond = _ratio(max(o.seconds - row.idle, 0.0), bound)
    least = floor(row.phase, routes=row.routes, foreign=row.foreign, pending_seconds=row.pending_seconds,
                  poll_seconds=row.poll_seconds, cdn=row.cdn)
    return (f"{o.seconds:.1f} | {bound:.1f} | {_ratio(o.seconds, bound)} | {beyond} "
            f"| {least.calls} | {least.seconds:.1f} | {_ratio(o.calls, least.calls)} "
            f"| {_ratio(o.seconds, least.seconds)}")


def line(row: Row) -> str:
    o, b = row.ours, row.baseline
    vendors = "".join(f" | {_tally(o.of(v))}" for v in VENDOR_COLUMNS[row.cdn])
    head = f"| {row.routes} | {row.foreign} | {row.phase} | {_tally(o)}{vendors} | {_against_bound_and_floor(row)} |"
    if row.cdn != "edgio":
        return head
    base = (f"{_tally(b)} | {b.seconds:.1f} | {_ratio(o.calls, b.calls)}" if b else "not run | | ")
    return f"{head} {base} |"


def totals(rows: list[Row]) -> str:
    """The whole lifecycle per N and zone: our calls (per vendor when it has columns) against the baseline's."""
    out = []
    for key in sorted({(r.routes, r.foreign) for r in rows}):
        group = [r for r in rows if (r.routes, r.foreign) == key]
        ours = sum(r.ours.calls for r in group)
        base = sum(r.baseline.calls for r in group if r.baseline)
        throttled = sum(r.ours.throttled for r in group)
        split = ", ".join(f"{NAMES[v]} {sum(r.ours.of(v).calls for r in group)}" for v in VENDOR_COLUMNS[group[0].cdn])
        versus = f"{base} for the baseline, ratio {_ratio(ours, base)}" if base else "baseline not run"
        out.append(f"- N={key[0]}, {key[1]} foreign records: our lifecycle {ours} calls"
                   f"{f' ({split})' if split else ''} ({throttled} 429s), {versus}")
    return "\n".join(out)


def header_notes(cdn: str, *, latency_ms: float, pending_seconds: float, poll_seconds: float, driver: str
                 ) -> list[str]:
    """The conditions and the models of the bound and the floor, as the report's header prints them."""
    if cdn == "cloudflare":
        return _cloudflare_notes(latency_ms, driver)
    return [
        f"{latency_ms:g} ms added to every vendor call; Vultr limit {VULTR_LIMIT:g} requests/s on; "
        f"rules pending {pending_seconds:g} s after each write; deploy polls every {poll_seconds:g} s",
        driver + "; baseline: the original demo's calls with plain requests on four workers",
        f"bound: one deploy time (when rules are written) + calls at the slower vendor's pace "
        f"(Vultr {VULTR_LIMIT:g}/s, Edgio {EDGIO_PACE:g}/s, the provider's default pace); no-op: our no-op's "
        "wall time in the same run, what the command costs without a vendor call",
        "floor: the fewest calls a tool with our guarantees needs for the phase (bench/floor.py: one listing per "
        "page of the objects concerned, one write per changed object, one validate per changed rule, deploy polls "
        "shared per cycle), priced like the bound; calls / floor and wall / floor say how far we are from it",
        READS_AND_WRITES]


READS_AND_WRITES = "reads are GETs, writes every other method; 429s are answers refused by the rate limit (retried)"


def _cloudflare_notes(latency_ms: float, driver: str) -> list[str]:
    return [
        f"Cloudflare stack (cdn-ingress:cdn cloudflare, zone example.net): {latency_ms:g} ms added to every vendor "
        f"call; Vultr limit {VULTR_LIMIT:g} requests/s on; Cloudflare's own limit on (1,200 requests per 5 "
        "minutes per token); rules are live when written: no deploy wait, no poll",
        driver + "; per origin name one Vultr record set, one unproxied alias CNAME and one proxied host record "
        "in the Cloudflare zone, per route one Origin Rule (http_request_origin entry point, one-rule endpoints); "
        "no baseline: the original demo drove Edgio only",
        f"bound: calls at the slower vendor's pace (Vultr {VULTR_LIMIT:g}/s, Cloudflare {CLOUDFLARE_PACE:g}/s = "
        "1,200 per 5 minutes, the provider's default pace), no deploy time; no-op: our no-op's wall time in the "
        "same run, what the command costs without a vendor call",
        "floor: the fewest calls a tool with our guarantees needs for the phase (bench/floor.py, cloudflare_floor), "
        "priced like the bound. Vultr as on an Edgio stack. Cloudflare, per phase: one listing per page of 100 of "
        "the stack's DNS records of the zone (filtered by the owner's comment: foreign records cost nothing), the "
        "entry point ruleset read once (it holds every rule, no paging), one write per changed object (record, "
        "rule; on create the entry point itself); the order check after a rule write (matching Origin Rules "
        "merge, later wins) reads the ruleset the write answers with, no call of its own; no deploy polls. "
        "create: listing + read + entry point + records + rules; refresh: listing + read; path changed: read + "
        "new rule + old rule deleted; node replaced: none (the aliases name the origin names); destroy: "
        "listing + read + one delete per record and rule",
        READS_AND_WRITES]


def markdown(rows: list[Row], command: str, conditions: Iterable[str], cdn: str = "edgio") -> str:
    body = "\n".join(line(r) for r in rows)
    header, columns = (CLOUDFLARE_HEADER, CLOUDFLARE_COLUMNS) if cdn == "cloudflare" else (HEADER, COLUMNS)
    title = "# Benchmark results" + (": Cloudflare stack" if cdn == "cloudflare" else "")
    return (f"{title}\n\nCommand: `{command}`\n\n" + "\n".join(f"- {c}" for c in conditions)
            + f"\n\n{header}\n|{'---|' * columns}\n{body}\n\n## Whole lifecycle\n\n{totals(rows)}\n")
