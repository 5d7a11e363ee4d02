"""The service profiles a shortname may use and the config options each profile allows, with each
option's argument types: answers R1-R4 of edgio-config-api.md and checks create, update, validate.

The built-in catalogue below is a guess [?] except where tagged; ``--edgio-catalogue-file`` replaces
it with a JSON file of the same shape (``{"profiles": [...], "options": {...}}``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

ARGUMENT_TYPES = ("Int", "String")  # [C GO] "Int" means a JSON integer; "String" is our name [?]
_STRINGS2 = ["String", "String"]

BUILTIN: dict[str, Any] = {
    # name -> argument types. [C PY, TF] these five names appear in client code and tests.
    "options": {
        "req_send_header": _STRINGS2, "reply_send_header": _STRINGS2,
        "refresh_absmin": ["Int"], "refresh_absmax": ["Int"], "genreply": ["Int", "String"],
        "req_strip_query": [], "reply_cors": ["String"], "origin_timeout": ["Int"],
    },
    "profiles": [
        # [C TF] LLNW-Generic is the Terraform provider's default; [S PY] useCase DownloadLargeFile.
        {"name": "LLNW-Generic", "useCase": "Generic", "description": "General web delivery",
         "options": ["req_send_header", "reply_send_header", "refresh_absmin", "refresh_absmax", "genreply",
                     "req_strip_query", "reply_cors", "origin_timeout"]},
        {"name": "LLNW-DownloadLargeFile", "useCase": "DownloadLargeFile", "description": "Large file downloads",
         "options": ["req_send_header", "reply_send_header", "refresh_absmin", "refresh_absmax", "origin_timeout"]},
        {"name": "LLNW-SmallObjects", "useCase": "SmallObjects", "description": "Small web objects and APIs",
         "options": ["req_send_header", "reply_send_header", "refresh_absmin", "refresh_absmax", "reply_cors"]},
        {"name": "LLNW-VideoOnDemand", "useCase": "VideoOnDemand", "description": "HTTP video on demand",
         "options": ["req_send_header", "reply_send_header", "refresh_absmin", "refresh_absmax"]},
    ],
}


@dataclass(frozen=True)
class Profile:
    name: str
    use_case: str
    description: str
    options: tuple[str, ...]

    @property
    def uuid(self) -> str:  # stable across restarts, so a client may keep it
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"svcprof/delivery/{self.name}"))


class Catalogue:
    def __init__(self, data: dict[str, Any]) -> None:
        self.options: dict[str, tuple[str, ...]] = {name: tuple(types) for name, types in data["options"].items()}
        self.profiles = [Profile(p["name"], p.get("useCase", ""), p.get("description", ""), tuple(p["options"]))
                         for p in data["profiles"]]

    @classmethod
    def load(cls, path: str) -> Catalogue:
        """The built-in catalogue for ``""``, else the file; ValueError names what is wrong in it."""
        if not path:
            return cls(BUILTIN)
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise ValueError(f"catalogue file {path!r} cannot be read as JSON: {exc}") from exc
        _check(data, path)
        return cls(data)

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    def names(self) -> list[str]:
        return [p.name for p in self.profiles]


def _check(data: Any, path: str) -> None:
    options = data.get("options") if isinstance(data, dict) else None
    profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(options, dict) or not isinstance(profiles, list) or not profiles:
        raise ValueError(f"catalogue file {path!r} must be an object with 'options' (an object) "
                         "and 'profiles' (a non-empty list)")
    for name, types in options.items():
        if not isinstance(types, list) or any(t not in ARGUMENT_TYPES for t in types):
            raise ValueError(f"catalogue file {path!r} option {name!r}: argument types must be a list "
                             f"of {list(ARGUMENT_TYPES)}")
    for index, profile in enumerate(profiles):
        named = isinstance(profile, dict) and isinstance(profile.get("name"), str) and profile["name"]
        allowed = named and isinstance(profile.get("options"), list)
        if not allowed or any(o not in options for o in profile["options"]):
            raise ValueError(f"catalogue file {path!r} profiles[{index}] must have a 'name' and 'options' "
                             "that the 'options' object defines")
