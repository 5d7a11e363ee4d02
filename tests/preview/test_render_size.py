"""Every preview gets a comment under GitHub's limit: the verdict, the summary and the deletion gate
stay; long lists are cut with a count of what was left out."""

from __future__ import annotations

import re
from typing import Any

import pytest

from preview import LIMIT, Target, parse, render
from preview.events import Preview
from preview.kinds import CDN_TYPE
from preview.md import utf16_len
from tests.preview.kit import lines, policy, prelude, rule, rule_step, urn

TARGET = Target("cdn-ingress", "prod")
MESSAGE = "published over plain http: every route must redirect to https before it reaches the origin " * 3


def _flagged_rules(count: int) -> Preview:
    events: list[dict[str, Any]] = []
    for i in range(count):
        path = f"/flagged/{i:04}"
        events += [rule_step("create", path, None, rule(path, published_protocols=["http"])),
                   policy(urn(CDN_TYPE, f"shop.example.com{path}"), "mandatory", f"{MESSAGE} ({i})")]
    return parse(lines(*events, {"summaryEvent": {"result": "failed"}}))


def _program_warnings(count: int) -> Preview:
    warnings = [{"diagnosticEvent": {"urn": "", "severity": "warning", "color": "never",
                                     "message": f"Ingress default/shop-{i}: pathType Exact is published as a prefix; "
                                                + "x" * 1400}} for i in range(count)]
    return parse(lines(rule_step("create", "/api", None, rule("/api")), *warnings))


def _protected_deletes(count: int) -> Preview:
    deletes = [rule_step("delete", f"/gone/{'long-segment/' * 8}{i:05}", rule(f"/gone/{'long-segment/' * 8}{i:05}"),
                         None) for i in range(count)]
    return parse(lines(prelude({"cdn-ingress:protect": "true"}), *deletes))


CASES = {"300-mandatory-policies": (_flagged_rules, 300), "400-program-warnings": (_program_warnings, 400),
         "3000-protected-deletes": (_protected_deletes, 3000)}


def _headline(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("### "))


def _more(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"… and ([\d,]+) more", text)]


@pytest.mark.parametrize("case", list(CASES))
def test_a_huge_preview_still_gets_a_comment_under_the_limit(case: str) -> None:
    make, count = CASES[case]
    text = render(make(count), TARGET)
    assert utf16_len(text) < LIMIT
    assert _headline(text).startswith("### Pulumi preview: `cdn-ingress` / `prod` · ")
    assert "| CDN rules |" in text
    assert _more(text), "a cut list says how many it left out"


def test_policy_results_are_cut_with_a_count() -> None:
    text = render(_flagged_rules(300), TARGET)
    section = text.split("#### Policy results", 1)[1].split("####", 1)[0]
    shown = section.count("⛔ **mandatory**")
    assert 0 < shown < 300
    assert f"… and {300 - shown} more policy result(s)" in section
    assert "preview failed" in _headline(text)


def test_program_warnings_are_cut_with_a_count() -> None:
    text = render(_program_warnings(400), TARGET)
    shown = text.count("pathType Exact is published as a prefix")
    assert 0 < shown < 400
    assert f"… and {400 - shown} more warning(s)" in text
    assert "400 warning(s) from the program" in text


def test_the_gate_stays_and_names_how_many_it_blocks() -> None:
    text = render(_protected_deletes(3000), TARGET)
    assert "⛔ deletion gate blocks" in _headline(text)
    gate = next(line for line in text.splitlines() if "Deletion gate: blocked" in line)
    assert "deletes or replaces 3000 of them" in gate
    assert re.search(r"… and [\d,]+ more", gate)
    assert "allow-cdn-deletion" in text


@pytest.mark.parametrize("budget", [6_000, 1_500, 300], ids=["small", "tiny", "smaller-than-the-gate"])
def test_any_budget_gives_a_comment_within_it(budget: int) -> None:
    text = render(_protected_deletes(3000), TARGET, budget=budget)
    assert utf16_len(text) <= budget
    assert text.startswith("<!-- cdn-ingress-preview project=cdn-ingress stack=prod -->")
    assert "deletion gate blocks" in text
