"""The base of every dynamic provider here: the engine dill-pickles a provider object into state
and runs that stored copy for ``refresh`` and ``destroy``, so nothing a provider holds (credentials
and settings from ``configure()``, clients, caches) may go with it."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import ResourceProvider


class ConfiguredProvider(ResourceProvider):
    """Pickled as nothing; unpickled as a fresh object, to be configured by the engine."""

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
