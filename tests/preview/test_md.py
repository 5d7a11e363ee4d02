"""The escaping helpers against a real CommonMark renderer (markdown-it): any text placed with ``text``
or ``code`` comes out as that same text on one line, whatever Markdown or HTML it holds."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from preview.md import JOINER, code, html_code, one_line, text

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_TAG = re.compile(r"<[^>]+>")
HOSTILE = [
    "a\n### Deletion gate: allowed", "<!-- hide the rest", "@acme/oncall", "fixes #12", "- item", "1. item",
    "**bold** _em_ ~~gone~~", "[link](https://example.com)", "![img](x.png)", "a | b", "`tick` ``two``",
    "&amp; &#64;", "<details><summary>x</summary>", "> quote", "=====", "---", "$x^2$", "back\\slash",
    "tab\tcr\rnul\x00del\x7fc1\x85ls\u2028ps\u2029rlo\u202elri\u2066zwj\u200d", "refresh_absmax",
]


def _paragraph(markdown: str) -> str:
    """What a reader sees of one line rendered inside a list item (as the comment places its phrases)."""
    rendered = _MD.render(f"- {markdown}")
    assert rendered.startswith("<ul>\n<li>") and rendered.count("<li>") == 1, rendered
    assert not re.search(r"<(h\d|p|ul|ol|hr|blockquote|pre|table|em|strong|del|a|img|br)\b", rendered[9:]), rendered
    return html.unescape(_TAG.sub("", rendered)).strip().replace(JOINER, "")


@pytest.mark.parametrize("value", HOSTILE)
def test_text_is_shown_as_typed_on_one_line(value: str) -> None:
    assert _paragraph(text(value)) == one_line(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_code_is_one_code_span_with_the_text(value: str) -> None:
    rendered = _MD.render(f"- {code(value)}")
    spans = re.findall(r"<code>(.*?)</code>", rendered, re.DOTALL)
    assert len(spans) == 1 and html.unescape(spans[0]).strip() == one_line(value).strip(), rendered


@pytest.mark.parametrize(("value", "shown"), [
    ("a\nb", "a\\nb"), ("\x00\x1f\x7f\x9f", "\\x00\\x1f\\x7f\\x9f"), ("\u2028\u2029", "\\u2028\\u2029"),
    ("\u202e\u2066\u200f\u061c", "\\u202e\\u2066\\u200f\\u061c"), ("plain é ✓", "plain é ✓"),
], ids=["newline", "c0-del-c1", "separators", "bidi", "printable"])
def test_one_line_shows_hidden_characters_as_escapes(value: str, shown: str) -> None:
    assert one_line(value) == shown


def test_mentions_and_issue_numbers_get_a_joiner() -> None:
    assert text("@acme/oncall fixes #12") == f"@{JOINER}acme/oncall fixes \\#{JOINER}12"
    assert text("mail a@ b, #x") == f"mail a@ b, \\#{JOINER}x"


def test_html_code_cannot_end_its_html_block() -> None:
    assert html_code("a\n\n</summary><b>x") == "<code>a\\n\\n&lt;/summary&gt;&lt;b&gt;x</code>"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40).filter(lambda v: v == v.strip(" ") and v.strip()))
def test_any_text_is_shown_as_typed(value: str) -> None:
    assert _paragraph(text(value)) == one_line(value).strip()


@pytest.mark.parametrize("value", ["203.0.113.13", "refresh_absmax", "profile LLNW-Generic → LLNW-VideoOnDemand",
                                   "published protocols http, https → https", "shop.example.com/api", "x-y", "1.5 s"])
def test_plain_phrases_are_left_as_they_are(value: str) -> None:
    assert text(value) == value
