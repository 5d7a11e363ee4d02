"""Per-Ingress CDN options given as annotations under ``cdn-ingress.io/``.

Every annotation under the prefix must be known; a typo is an error, not a silent default.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

PREFIX = "cdn-ingress.io/"
PROTOCOLS = ("http", "https")
_SHORTNAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
_SECONDS = re.compile(r"^[0-9]{1,9}$")  # ASCII digits only: str.isdigit() also accepts '²'
# Bidi controls reorder what a reviewer reads (in the preview comment, in Edgio's console).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
HIDDEN_REFUSED = ("control characters (C0 such as newline, tab and CR; DEL; C1), line and paragraph separators "
                  "(U+2028, U+2029) and bidi controls are not allowed")


@dataclass(frozen=True)
class RuleOptions:
    published_protocols: tuple[str, ...] = ("https",)
    source_protocol: str = "http"
    source_path: str | None = None  # None: the request path itself, as the client sent it
    profile: str | None = None  # None: the stack's default profile
    shortname: str | None = None  # None: the stack's default account
    options: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    rules: bool = True  # False (cdn-ingress.io/rules: "off"): the object contributes its origin only, no CDN rule


class AnnotationError(ValueError):
    """``str(exc)`` says what is allowed; the caller adds file, object and value."""


def hidden_character(value: str) -> str | None:
    """Why a value that reaches a vendor is refused for a character no reviewer sees, or None."""
    for index, char in enumerate(value):
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI:
            return f"must be one line of text: found U+{ord(char):04X} at character {index + 1}; {HIDDEN_REFUSED}"
    return None


def _protocol_list(value: str) -> dict[str, Any]:
    items = [item.strip() for item in value.split(",")]
    if not items or any(item not in PROTOCOLS for item in items) or len(set(items)) != len(items):
        raise AnnotationError("must be 'https', 'http' or 'http,https' (no repeats)")
    return {"published_protocols": tuple(items)}


def _source_protocol(value: str) -> dict[str, Any]:
    if value not in PROTOCOLS:
        raise AnnotationError("must be 'http' or 'https'")
    return {"source_protocol": value}


def _source_path(value: str) -> dict[str, Any]:
    if not value.startswith("/") or any(c.isspace() for c in value):
        raise AnnotationError("must be a URL path starting with '/' and without spaces")
    return {"source_path": value}


def _profile(value: str) -> dict[str, Any]:
    if not value.strip():
        raise AnnotationError("must name a delivery service profile, e.g. 'LLNW-Generic'")
    return {"profile": value.strip()}


def _shortname(value: str) -> dict[str, Any]:
    if not _SHORTNAME.match(value):
        raise AnnotationError("must be an account shortname: lower-case letters, digits, '-', '_'")
    return {"shortname": value}


def _rules(value: str) -> dict[str, Any]:
    if value not in ("on", "off"):
        raise AnnotationError("must be \"on\" (the default: the object's CDN rules are written) or \"off\" "
                              "(its origin only, no CDN rule: another stack writes the rules)")
    return {"rules": value == "on"}


def _headers(option: str) -> Callable[[str], dict[str, Any]]:
    def parse(value: str) -> dict[str, Any]:
        options = []
        for item in filter(None, (part.strip() for part in value.split(";"))):
            name, sep, header_value = item.partition(":")
            if not sep or not _HEADER_NAME.match(name.strip()) or not header_value.strip():
                raise AnnotationError("must be 'Header-Name: value' pairs separated by ';'")
            options.append({"name": option, "parameters": [name.strip(), header_value.strip()]})
        if not options:
            raise AnnotationError("must be 'Header-Name: value' pairs separated by ';'")
        return {"options": tuple(options)}

    return parse


def _seconds(option: str) -> Callable[[str], dict[str, Any]]:
    def parse(value: str) -> dict[str, Any]:
        if not _SECONDS.match(value) or not 0 <= int(value) <= 31_536_000:
            raise AnnotationError("must be a whole number of seconds from 0 to 31536000")
        return {"options": ({"name": option, "parameters": [int(value)]},)}

    return parse


PARSERS: dict[str, Callable[[str], dict[str, Any]]] = {
    "published-protocols": _protocol_list,
    "source-protocol": _source_protocol,
    "source-path": _source_path,
    "profile": _profile,
    "shortname": _shortname,
    "request-headers": _headers("req_send_header"),
    "response-headers": _headers("reply_send_header"),
    "cache-min-seconds": _seconds("refresh_absmin"),
    "cache-max-seconds": _seconds("refresh_absmax"),
    "rules": _rules,
}
#: Not a rule option but whether the object has rules at all: served on every CDN.
RULES = PREFIX + "rules"


def parse_rule_options(annotations: Mapping[str, Any]) -> tuple[RuleOptions, list[tuple[str, Any, str]]]:
    """The options and a list of (annotation, value, what is allowed) problems."""
    values: dict[str, Any] = {}
    options: list[dict[str, Any]] = []
    problems: list[tuple[str, Any, str]] = []
    # Keys that are not strings are reported with the object's shape.
    for key in sorted(k for k in annotations if isinstance(k, str) and k.startswith(PREFIX)):
        value, short = annotations[key], key[len(PREFIX):]
        parser = PARSERS.get(short)
        if parser is None:
            problems.append((key, value, f"unknown annotation; allowed: {sorted(PREFIX + k for k in PARSERS)}"))
        elif not isinstance(value, str):
            problems.append((key, value, "annotation values must be strings (quote them in YAML)"))
        elif (hidden := hidden_character(value)) is not None:
            problems.append((key, value, hidden))
        else:
            try:
                parsed = parser(value)
            except AnnotationError as exc:
                problems.append((key, value, str(exc)))
                continue
            options.extend(parsed.pop("options", ()))
            values.update(parsed)
    absmin = _option_value(options, "refresh_absmin")
    absmax = _option_value(options, "refresh_absmax")
    if absmin is not None and absmax is not None and absmin > absmax:
        problems.append((PREFIX + "cache-min-seconds", str(absmin),
                         f"must not exceed {PREFIX}cache-max-seconds ({absmax})"))
    return RuleOptions(**values, options=tuple(options)), problems


def _option_value(options: list[dict[str, Any]], name: str) -> int | None:
    return next((int(o["parameters"][0]) for o in options if o["name"] == name), None)
