"""The report's rows: an Edgio run keeps its columns (ours, bound, floor, baseline); a Cloudflare
run gives Vultr's and Cloudflare's reads / writes / 429s beside ours, priced at Cloudflare's pace."""

from __future__ import annotations

from bench.measure import Measure, Tally
from bench.report import CLOUDFLARE_COLUMNS, CLOUDFLARE_HEADER, COLUMNS, HEADER, Row, line, markdown, totals

VULTR, CLOUDFLARE = Tally(reads=3, writes=10, throttled=0), Tally(reads=38, writes=15, throttled=2)
CREATE = Measure(reads=41, writes=25, throttled=2, seconds=13.0, vultr_calls=13, edgio_calls=0, rule_gets=0,
                 rule_listings=0, rule_writes=0, cloudflare_calls=53,
                 vendors={"vultr": VULTR, "cloudflare": CLOUDFLARE})


def cells(text: str) -> list[str]:
    return [c.strip() for c in text.strip().strip("|").split("|")]


def test_a_cloudflare_row_has_each_vendors_calls_and_is_priced_at_four_calls_a_second() -> None:
    row = Row(10, 0, "create", CREATE, None, pending_seconds=30, cdn="cloudflare")
    found = cells(line(row))
    assert len(found) == len(cells(CLOUDFLARE_HEADER)) == CLOUDFLARE_COLUMNS
    assert found[3:6] == ["41 / 25 / 2", "3 / 10 / 0", "38 / 15 / 2"]
    assert found[7] == f"{53 / 4:.1f}"  # the bound: no deploy time, Cloudflare's calls at 4/s
    assert found[10] == "27"  # the floor's calls (tests/bench/test_floor.py: 10 Vultr + 17 Cloudflare)


def test_an_edgio_row_keeps_its_columns() -> None:
    row = Row(10, 0, "no-op", CREATE, None, pending_seconds=30)
    assert len(cells(line(row))) == len(cells(HEADER)) == COLUMNS
    assert cells(line(row))[-3:] == ["not run", "", ""]


def test_the_cloudflare_totals_split_the_calls_per_vendor() -> None:
    rows = [Row(10, 0, "create", CREATE, None, 30, cdn="cloudflare")]
    assert totals(rows) == "- N=10, 0 foreign records: our lifecycle 66 calls (Vultr 13, Cloudflare 53) (2 429s), " \
                           "baseline not run"
    assert CLOUDFLARE_HEADER in markdown(rows, "python -m bench --cdn cloudflare", ["a note"], "cloudflare")
