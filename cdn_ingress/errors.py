"""Problems found in the manifests or the stack configuration, reported all at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

MAX_LISTED = 100  # problems shown in the message; all of them stay in ``ManifestError.problems``
#: The exit code by which a Python program tells the language host "the error was shown to the user":
#: the engine stops without adding "the Python program exited with code 1" (pulumi-language-python-exec).
ERROR_SHOWN_EXIT = 32
VALUE_CHARS = 120  # a value in a message is cut here: a YAML bomb must not become a 14 MB message


@dataclass(frozen=True)
class Problem:
    """One problem: where (file, object, field), the value found, and what is allowed."""

    file: str
    obj: str  # "Kind namespace/name", or "" for a whole file / the stack config
    field: str
    value: Any
    allowed: str

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.obj) if part)
        value = "(missing)" if self.value is _MISSING else short_repr(self.value)
        return f"{where}: {self.field}={value}: {self.allowed}"


def short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except RecursionError:  # a value that contains itself
        return f"<{type(value).__name__} that contains itself>"
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS] + "…"


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


_MISSING: Any = _Missing()
MISSING: Any = _MISSING


class ManifestError(ValueError, pulumi.RunError):
    """The manifests (or config) cannot be deployed; nothing was registered.

    A ``RunError``: the Pulumi language host ends the program with the message alone, no traceback.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems[:MAX_LISTED])
        more = f"\n  ... and {count - MAX_LISTED} more" if count > MAX_LISTED else ""
        super().__init__(f"{count} problem(s) in the manifests; nothing was changed:\n{lines}{more}")
