"""What a program run registers, as plain data: each resource's type, name, inputs, parent,
dependencies and deletion options, in a stable order (a golden file compares two runs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi

from tests.program.mocks_kit import Run

GOLDEN = Path(__file__).parent / "golden"


def _unknown(value: Any) -> str:
    if isinstance(value, pulumi.output.Unknown):
        return "<unknown>"
    raise TypeError(f"not plain data: {value!r}")


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True, default=_unknown))


def registrations(run: Run) -> list[dict[str, Any]]:
    recorder = run.mocks
    out = []
    for resource in recorder.registered:
        key = (resource.typ, resource.name)
        out.append({"type": resource.typ, "name": resource.name, "inputs": _plain(resource.inputs),
                    "parent": recorder.parents.get(key, ""), "dependencies": recorder.dependencies.get(key, []),
                    **recorder.options.get(key, {})})
    return sorted(out, key=lambda r: (r["type"], r["name"]))


def golden(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((GOLDEN / f"{name}.json").read_text())
    return data


def record(name: str, run: Run) -> None:
    """Writes a golden file: only by hand, from the code whose behaviour it keeps."""
    (GOLDEN / f"{name}.json").write_text(json.dumps(registrations(run), indent=1, sort_keys=True) + "\n")
