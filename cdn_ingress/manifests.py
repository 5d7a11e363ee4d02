"""Reading every YAML document under the manifests directory, keeping file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cdn_ingress.errors import MISSING, ManifestError, Problem

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Document:
    file: str  # as the user would name it: relative to the project when possible
    line: int  # 1-based line where the document starts
    body: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @property
    def name(self) -> str:
        return str((self.body.get("metadata") or {}).get("name", ""))

    @property
    def namespace(self) -> str:
        return str((self.body.get("metadata") or {}).get("namespace") or "default")

    @property
    def label(self) -> str:
        """How messages name the object: ``Ingress default/shop (line 3)``."""
        return f"{self.kind or '?'} {self.namespace}/{self.name or '?'} (line {self.line})"


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def load_documents(directory: Path, *, root: Path | None = None) -> list[Document]:
    """All documents of every ``*.yaml``/``*.yml`` file below ``directory``, in path order.

    Raises ManifestError listing every unreadable file, syntax error and non-object document.
    """
    root = root or Path.cwd()
    if not directory.is_dir():
        problem = Problem(_display(directory, root), "", "manifestsPath", str(directory),
                          "must be a directory of Kubernetes YAML files")
        raise ManifestError([problem])
    documents: list[Document] = []
    problems: list[Problem] = []
    for path in sorted(p for p in directory.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
        shown = _display(path, root)
        try:
            documents.extend(_parse(path.read_text(encoding="utf-8"), shown, problems))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" line {mark.line + 1} column {mark.column + 1}" if mark else ""
            reason = getattr(exc, "problem", None) or str(exc)
            problems.append(Problem(shown, "", f"YAML syntax{line}", MISSING, f"{reason}; must be valid YAML"))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(shown, "", "file", MISSING, f"cannot be read: {exc}"))
    if problems:
        raise ManifestError(problems)
    return documents


def _parse(text: str, shown: str, problems: list[Problem]) -> list[Document]:
    documents = []
    loader = yaml.SafeLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            line = node.start_mark.line + 1
            body = loader.construct_document(node)
            if body is None:
                continue
            if not isinstance(body, dict):
                problems.append(Problem(
                    shown, f"document at line {line}", "document", type(body).__name__,
                    "must be a Kubernetes object (a mapping with apiVersion, kind, metadata)"))
                continue
            documents.append(Document(shown, line, body))
    finally:
        loader.dispose()
    return documents
