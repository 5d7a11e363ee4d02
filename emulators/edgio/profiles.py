"""Answers of the read-only catalogue calls (R1-R4 of edgio-config-api.md): service profiles of a
shortname, listed, searched or by uuid, and the config options a profile allows.

R4's shape is the one llnw-sdk-go and the Terraform provider decode [C GO]; the profile object
itself is not shown by any public client, so it mirrors a service instance [?].
"""

from __future__ import annotations

from typing import Any

from emulators.edgio.catalogue import Catalogue, Profile


def profile_view(profile: Profile, shortname: str) -> dict[str, Any]:
    return {"uuid": profile.uuid, "isLatest": True, "isEnabled": True,
            "meta": {"manifestVersion": "4", "serviceIdentifier": "deliverysvcprof", "serviceKey": "delivery"},
            "accounts": [{"shortname": shortname}], "shortname": shortname,
            "body": {"serviceKey": {"name": "delivery"}, "name": profile.name, "useCase": profile.use_case,
                     "description": profile.description}}


def profiles(catalogue: Catalogue, shortname: str, filters: dict[str, str]) -> list[dict[str, Any]]:
    """Profiles whose dotted fields equal every filter (``body.useCase=DownloadLargeFile``)."""
    views = [profile_view(p, shortname) for p in catalogue.profiles]
    return [v for v in views if all(str(dotted(v, key)) == value for key, value in filters.items())]


def options(catalogue: Catalogue, profile: Profile) -> list[dict[str, Any]]:
    return [{"body": {"optionName": name, "optionDetails": {"argumentList": [
        {"position": position, "type": kind} for position, kind in enumerate(catalogue.options[name])]}}}
        for name in profile.options]


def dotted(item: dict[str, Any], key: str) -> Any:
    value: Any = item
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value
