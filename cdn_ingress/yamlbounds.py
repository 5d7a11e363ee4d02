"""Bounds on what one YAML file may cost: its size, its nesting, and what its aliases expand to
(a "billion laughs" file of a few hundred bytes otherwise expands to gigabytes)."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

MAX_FILE_BYTES = 3 * 1024 * 1024  # the Kubernetes API server's own limit on one request body
MAX_DEPTH = 100  # nested lists and mappings; the parser recurses, and so do Pulumi and deepcopy
MAX_VALUES = 100_000  # values of one document once every alias is expanded


@dataclass(frozen=True)
class Shown:
    """A value shown in a message as it is (a size, a count), not as a Python repr."""

    text: str

    def __repr__(self) -> str:
        return self.text


def too_deep(text: str) -> int | None:
    """The line (1-based) where the text nests lists and mappings deeper than MAX_DEPTH, before anything recurses."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1 if event.start_mark else 0
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def alias_problem(root: yaml.Node) -> tuple[Shown, str] | None:
    """(value, what is allowed) when the document's aliases expand too far or refer to themselves."""
    measured = _expanded(root)
    if measured is None:
        return Shown("a value that contains itself"), "must not be used inside the value they name"
    values, depth = measured
    if values > MAX_VALUES:
        return Shown(f"{values} values"), f"must expand to at most {MAX_VALUES} values"
    if depth > MAX_DEPTH:
        return Shown(f"{depth} levels"), f"must expand to at most {MAX_DEPTH} nested lists and mappings"
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _expanded(root: yaml.Node) -> tuple[int, int] | None:
    """(values, depth) with aliases expanded, without expanding them (shared nodes are measured
    once); None for a cycle."""
    measured: dict[int, tuple[int, int]] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            on_path.discard(id(node))
            parts = [measured[id(child)] for child in _children(node)]
            measured[id(node)] = (1 + sum(v for v, _ in parts), 1 + max((d for _, d in parts), default=0))
            continue
        if id(node) in measured:
            continue
        on_path.add(id(node))
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                return None
            stack.append((child, False))
    return measured[id(root)]
