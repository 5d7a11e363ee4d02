"""Reading every YAML document under the manifests directory, keeping file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cdn_ingress.errors import MISSING, ManifestError, Problem
from cdn_ingress.yamlbounds import MAX_DEPTH, MAX_FILE_BYTES, Shown, alias_problem, too_deep

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Document:
    file: str  # as the user would name it: relative to the project when possible
    line: int  # 1-based line where the document starts
    body: dict[str, Any]

    @property
    def metadata(self) -> dict[str, Any]:
        metadata = self.body.get("metadata")
        return metadata if isinstance(metadata, dict) else {}

    @property
    def kind(self) -> str:
        kind = self.body.get("kind")
        return kind if isinstance(kind, str) else ""

    @property
    def name(self) -> str:
        name = self.metadata.get("name")
        return name if isinstance(name, str) else ""

    @property
    def namespace(self) -> str:
        namespace = self.metadata.get("namespace")
        return namespace if isinstance(namespace, str) and namespace else "default"

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
        documents.extend(_read(path, _display(path, root), problems))
    if problems:
        raise ManifestError(problems)
    return documents


def _read(path: Path, shown: str, problems: list[Problem]) -> list[Document]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(shown, "", "file", Shown(f"{size} bytes"),
                                    f"must be at most {MAX_FILE_BYTES} bytes"))
            return []
        return _parse(path.read_text(encoding="utf-8"), shown, problems)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1} column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(shown, "", f"YAML syntax{line}", MISSING, f"{reason}; must be valid YAML"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, "", "file", MISSING, f"cannot be read as UTF-8: {exc.reason}"))
    except ValueError as exc:  # a YAML timestamp that is no date, such as 2024-13-45 unquoted
        problems.append(Problem(shown, "", "YAML value", MISSING, f"{exc}; quote it to keep it a string"))
    except OSError as exc:
        problems.append(Problem(shown, "", "file", MISSING, f"cannot be read: {exc}"))
    return []


def _parse(text: str, shown: str, problems: list[Problem]) -> list[Document]:
    deep = too_deep(text)
    if deep is not None:
        problems.append(Problem(shown, "", f"YAML nesting line {deep}", Shown(f"more than {MAX_DEPTH} levels"),
                                f"must be at most {MAX_DEPTH} nested lists and mappings"))
        return []
    documents = []
    loader = yaml.SafeLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            line = node.start_mark.line + 1
            aliases = alias_problem(node)
            if aliases is not None:
                problems.append(Problem(shown, f"document at line {line}", "YAML aliases", *aliases))
                continue
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
