"""What every route source produces and the rest of the program consumes: ``Route``s to
``Backend``s, and the problems (refused) and warnings (served with a loss) found on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cdn_ingress.annotations import RuleOptions
from cdn_ingress.errors import Problem
from cdn_ingress.manifests import Document

_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_FQDN = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})+$")


def is_fqdn(value: Any) -> bool:
    """A lower-case DNS name of two or more labels whose last label is not numeric (no IPs)."""
    return isinstance(value, str) and bool(_FQDN.match(value)) and not value.rsplit(".", 1)[-1].isdigit()


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Backend:
    """A Service port that the CDN reaches through its NodePort."""

    namespace: str
    service: str
    port_index: int  # position in the Service's spec.ports: where its node_port output sits
    port: str  # as the route named it: a port name or number


@dataclass(frozen=True)
class Route:
    """One published host + path prefix: a CDN rule.

    ``ingress`` is the object the route comes from; ``at`` the field that declared it, for messages.
    ``options.source_path`` is final: the request path itself unless a rewrite was asked for.
    """

    ingress: Document
    host: str
    path: str
    path_type: str
    backend: Backend
    options: RuleOptions
    at: str = ""

    @property
    def key(self) -> str:
        return f"{self.host}{self.path}"


@dataclass
class Findings:
    """Problems refuse the manifests; warnings are shown and the rest is served."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    exact_paths: bool = False  # the stack's CDN matches an Exact path exactly (no "served as a prefix" loss)

    def refuse(self, doc: Document, at: str, value: Any, allowed: str) -> None:
        self.problems.append(Problem(doc.file, doc.label, at, value, allowed))

    def warn(self, doc: Document, at: str, value: Any, lost: str) -> None:
        self.warnings.append(Problem(doc.file, doc.label, at, value, lost))

    def checked_mapping(self, doc: Document, at: str, value: Any) -> dict[str, Any] | None:
        """The value if it is a mapping (absent: empty), else None after refusing it."""
        if value is None or isinstance(value, dict):
            return value or {}
        self.refuse(doc, at, value, "must be a mapping")
        return None
