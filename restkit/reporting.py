"""Expected failures reach the user as their message alone. Pulumi's dynamic provider server
(``python -m pulumi.dynamic``, ``_abort_with_traceback``) sends the engine ``traceback.format_exc()``
for every exception; inside that module only, that call gives an ``OperationalError``'s message.
"""

from __future__ import annotations

import sys
import traceback
from types import ModuleType
from typing import Any, Self

#: The module name the provider server runs under (``runpy`` keeps it in ``__main__.__spec__``).
SERVER_MODULE = "pulumi.dynamic.__main__"


class OperationalError(Exception):
    """An expected failure (a conflict, a refused payload, a deploy that failed or timed out,
    missing credentials, a vendor that does not answer): the user sees its message alone. Any
    other exception is a bug and keeps its traceback."""

    def about(self, subject: str) -> Self:
        """Puts ``subject`` (the object the failure concerns) in front of the message, once."""
        text = str(self)
        if not text.startswith(f"{subject}: "):
            self.args = (f"{subject}: {text}",)
        return self


class _ServerTraceback:
    """Stands in for the ``traceback`` module in the provider server's namespace."""

    def __init__(self, real: ModuleType) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def format_exc(self, limit: int | None = None, chain: bool = True) -> str:
        failure = sys.exc_info()[1]
        if isinstance(failure, OperationalError):
            return str(failure) or type(failure).__name__
        return str(self._real.format_exc(limit, chain))


def install() -> bool:
    """When this process is the provider server, make it report ``OperationalError`` by its
    message; True when that is in place. Elsewhere, or in a server that does not format failures
    with the ``traceback`` module, nothing changes."""
    server = sys.modules.get("__main__")
    if getattr(getattr(server, "__spec__", None), "name", None) != SERVER_MODULE:
        return False
    current = getattr(server, "traceback", None)
    if isinstance(current, _ServerTraceback):
        return True
    if current is not traceback:
        return False
    server.traceback = _ServerTraceback(traceback)  # type: ignore[union-attr]
    return True
