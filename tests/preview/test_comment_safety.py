"""Manifest and vendor text in the comment stays text: rendered to HTML (markdown-it, CommonMark with
GitHub's tables), a hostile value makes no heading, no mention, no issue link and no HTML comment that
would hide the sections after it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from markdown_it import MarkdownIt

from preview import Target, parse, render
from preview.kinds import CDN_TYPE, STATUS_TYPE
from tests.preview.kit import dns_step, lines, policy, records, rule, rule_step, step, urn

TARGET = Target("cdn-ingress", "test")
HOSTILE = "a\n### Deletion gate: allowed\n@acme/oncall fixes #12 <!-- "
_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _outside_code(rendered: str) -> str:
    """The text a reader sees outside code, where GitHub links mentions and issue numbers."""
    return html.unescape(_TAG.sub(" ", _CODE.sub(" ", rendered)))


def _rule_option() -> list[dict[str, Any]]:
    old = rule("/api", options=[{"name": "reply_send_header", "parameters": ["X-A", "b"]}])
    new = rule("/api", options=[{"name": "reply_send_header", "parameters": ["X-A", HOSTILE]}])
    return [rule_step("update", "/api", old, new)]


def _route_path() -> list[dict[str, Any]]:
    return [rule_step("create", "/x", None, rule(f"/x{HOSTILE}"))]


def _origin_address() -> list[dict[str, Any]]:
    return [dns_step("update", records(["203.0.113.9"]), records([HOSTILE]))]


def _policy_message() -> list[dict[str, Any]]:
    return [policy(urn(CDN_TYPE, "shop.example.com/api"), "advisory", HOSTILE)]


def _program_warning() -> list[dict[str, Any]]:
    return [{"diagnosticEvent": {"urn": "", "message": HOSTILE, "color": "never", "severity": "warning"}}]


def _ingress_status() -> list[dict[str, Any]]:
    inputs = {"namespace": "default", "ingress": "shop", "hostnames": [HOSTILE]}
    return [step("create", STATUS_TYPE, "default/shop", None, inputs)]


def _provider_diff_keys() -> list[dict[str, Any]]:
    event = step("update", "pulumi-python:dynamic/edgio:RuleDeployment", "default/web", {"a": 1}, {"a": 1})
    event["resourcePreEvent"]["metadata"]["diffs"] = [HOSTILE]
    return [event]


CASES: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "rule-option": _rule_option, "route-path": _route_path, "origin-address": _origin_address,
    "policy-message": _policy_message, "program-warning": _program_warning, "ingress-status": _ingress_status,
    "provider-diff-keys": _provider_diff_keys,
}


def _comment(case: str) -> str:
    """A preview with the hostile value at ``case``, next to a flagged rule whose diff must stay visible."""
    flagged = [rule_step("create", "/api", None, rule("/api")),
               policy(urn(CDN_TYPE, "shop.example.com/api"), "mandatory", "published over plain http")]
    return render(parse(lines(*flagged, *CASES[case]())), TARGET)


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_value_makes_no_heading_and_hides_nothing(case: str) -> None:
    rendered = _MD.render(_comment(case))
    headings = re.findall(r"<h[1-6]>(.*?)</h[1-6]>", rendered)
    assert not [h for h in headings if "Deletion gate" in h], headings
    assert rendered.count("<!--") == 1, "only the hidden marker is an HTML comment"
    assert "<h4>Policy results</h4>" in rendered and "<h4>Resources</h4>" in rendered
    assert "published over plain http" in rendered and 'class="language-diff"' in rendered
    assert "Deletion gate: allowed" in html.unescape(_TAG.sub("", rendered)), "the value is shown as text"


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_value_mentions_nobody_and_links_no_issue(case: str) -> None:
    seen = _outside_code(_MD.render(_comment(case)))
    assert not re.search(r"@acme", seen), seen
    assert not re.search(r"#12\b", seen), seen
