"""Markdown and HTML escaping for GitHub-flavoured Markdown (code spans, fences, HTML)."""

from __future__ import annotations

import html
import re

_BACKTICKS = re.compile(r"`+")


def code(text: str) -> str:
    """An inline code span that survives backticks inside the text."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fence(body: str, lang: str = "") -> str:
    """A fenced block longer than any backtick run in the body, so a value cannot close it."""
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{lang}\n{body}\n{marks}"


def html_code(text: str) -> str:
    """Code inside an HTML block (``<summary>``), where Markdown is not parsed."""
    return f"<code>{html.escape(text)}</code>"


def quote(lines: list[str]) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def utf16_len(text: str) -> int:
    """GitHub's comment limit counts characters as JavaScript does (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2

# Icons spelled by code point: the glyphs look like ASCII '+', '-' and 'i' in source.
ADD = "\N{HEAVY PLUS SIGN}"
REMOVE = "\N{HEAVY MINUS SIGN}"
INFO = "\N{INFORMATION SOURCE}\N{VARIATION SELECTOR-16}"
