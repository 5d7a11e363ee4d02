"""Published paths: a literal prefix starting with '/'. Regular expressions and globs are refused,
never published as literal text (the CDN matches a path by literal prefix)."""

from __future__ import annotations

from typing import Any

from cdn_ingress.annotations import hidden_character
from cdn_ingress.manifests import Document
from cdn_ingress.model import Findings

PATTERN_CHARS = "*()[]{}$^|\\?"


def check_path(findings: Findings, doc: Document, at: str, path: Any) -> bool:
    if not isinstance(path, str) or not path.startswith("/") or any(c.isspace() for c in path):
        findings.refuse(doc, at, path, "must start with '/' and contain no spaces")
        return False
    hidden = hidden_character(path)
    if hidden is not None:
        findings.refuse(doc, at, path, hidden)
        return False
    pattern = sorted({c for c in path if c in PATTERN_CHARS})
    if pattern:
        findings.refuse(doc, at, path, f"looks like a regular expression or glob ({''.join(pattern)}); the "
                        "CDN matches literal path prefixes: write the literal prefix, e.g. '/api'")
        return False
    return True
