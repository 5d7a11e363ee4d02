"""Markdown and HTML escaping for GitHub-flavoured Markdown (code spans, fences, HTML, plain text).

Every phrase taken from a manifest, a vendor or the engine goes through ``code``, ``text``, ``fence``
or ``html_code``: on one line, with no Markdown, HTML, mention (``@team``) or issue link (``#12``).
"""

from __future__ import annotations

import html
import re
import unicodedata

_BACKTICKS = re.compile(r"`+")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Markdown punctuation escaped wherever it stands; '_' only where it can start or end emphasis.
_ALWAYS = frozenset("\\`*[]~|$")
_SPECIAL = re.compile(r"[<>&\\`*\[\]~|$_#@]")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d{1,9}[.)](?=\s|$))")
# U+2060 WORD JOINER: invisible, and GitHub links '@name' and '#12' only when a word character follows.
JOINER = "\N{WORD JOINER}"


def _hidden(char: str) -> bool:
    """Characters that break a line, reorder text (bidi controls) or hide themselves (format)."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def one_line(text: str) -> str:
    """The text with every control, format (bidi, zero-width) and line-separator character shown as an
    escape (``\\n``, ``\\x00``, ``\\u2028``), as Python's ``repr`` shows it."""
    if text.isprintable():  # the common case, checked in C: no Cc, Cf, Zl, Zp (nor other separators)
        return text
    return "".join(_escape_char(c) if _hidden(c) else c for c in text)


def _escape_char(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    point = ord(char)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def text(value: object) -> str:
    """Plain text inside Markdown: one line, Markdown and HTML shown as typed, no mention or issue link."""
    escaped = _SPECIAL.sub(_escape_markdown, one_line(str(value)))
    start = _LINE_START.match(escaped)  # a list marker or setext underline where the text opens a line
    return f"{escaped[:start.end() - 1]}\\{escaped[start.end() - 1:]}" if start else escaped


def _escape_markdown(match: re.Match[str]) -> str:
    char, at, whole = match[0], match.start(), match.string
    before, after = whole[at - 1:at], whole[at + 1:at + 2]
    if char in "<>&":
        return html.escape(char)
    if char in _ALWAYS or (char == "_" and not (before.isalnum() and after.isalnum())):
        return "\\" + char
    if char == "#":
        return "\\#" + (JOINER if after.isalnum() else "")
    if char == "@" and after.isalnum():
        return "@" + JOINER
    return char


def code(value: object) -> str:
    """An inline code span, on one line, that survives backticks inside the text."""
    body = one_line(str(value))
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    marks = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{marks}{pad}{body}{pad}{marks}"


def fence(body: str, lang: str = "") -> str:
    """A fenced block longer than any backtick run in the body, so a value cannot close it."""
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{lang}\n{body}\n{marks}"


def html_code(value: object) -> str:
    """Code inside an HTML block (``<summary>``), where Markdown is not parsed; on one line, since a
    blank line would end the block."""
    return f"<code>{html.escape(one_line(str(value)))}</code>"


def quote(lines: list[str]) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def utf16_len(value: str) -> int:
    """GitHub's comment limit counts characters as JavaScript does (UTF-16 code units)."""
    return len(value.encode("utf-16-le")) // 2

# Icons spelled by code point: the glyphs look like ASCII '+', '-' and 'i' in source.
ADD = "\N{HEAVY PLUS SIGN}"
REMOVE = "\N{HEAVY MINUS SIGN}"
INFO = "\N{INFORMATION SOURCE}\N{VARIATION SELECTOR-16}"
