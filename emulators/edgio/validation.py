"""What create (E7), update (E8), inheritance (E13) and validate (E6) refuse in a delivery service
instance payload (edgio-config-api.md §4), each problem naming its field."""

from __future__ import annotations

import re
from typing import Any

from emulators.edgio.catalogue import Catalogue

PROTOCOLS = ("http", "https")
_FQDN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


def problems(payload: Any, catalogue: Catalogue) -> list[dict[str, str]]:
    """Every problem as ``{"field", "message"}``; empty when the payload may be stored."""
    if not isinstance(payload, dict):
        return [_problem("", "payload must be a JSON object")]
    found: list[dict[str, str]] = []
    accounts = payload.get("accounts")
    if not (isinstance(accounts, list) and len(accounts) == 1 and isinstance(accounts[0], dict)
            and isinstance(accounts[0].get("shortname"), str) and accounts[0]["shortname"]):
        found.append(_problem("accounts", "exactly one {shortname} is required"))
    body = payload.get("body")
    if not isinstance(body, dict):
        return [_problem("body", "required object"), *found]
    return found + _body_problems(body, catalogue)


def _problem(field: str, why: str) -> dict[str, str]:
    return {"field": field, "message": f"{field}: {why}" if field else why}


def _body_problems(body: dict[str, Any], catalogue: Catalogue) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    key = body.get("serviceKey")
    if not isinstance(key, dict) or key.get("name") != "delivery":
        found.append(_problem("body.serviceKey", "must be {\"name\": \"delivery\"}"))
    for field in ("serviceProfileName", "publishedHostname", "sourceHostname"):
        if not isinstance(body.get(field), str) or not body[field]:
            found.append(_problem(f"body.{field}", "required string"))
    for field in ("publishedUrlPath", "sourceUrlPath"):
        if body.get(field) is not None and not isinstance(body[field], str):
            found.append(_problem(f"body.{field}", f"must be a string path, got {type(body[field]).__name__}"))
    host, source = body.get("publishedHostname"), body.get("sourceHostname")
    if isinstance(host, str) and host and (_IPV4.match(host) or not _FQDN.match(host)):
        found.append(_problem("body.publishedHostname", f"{host!r} must be an FQDN (IP addresses are not accepted)"))
    if isinstance(source, str) and source and not (_FQDN.match(source) or _IPV4.match(source)):
        found.append(_problem("body.sourceHostname", f"{source!r} must be an FQDN or IP address"))
    profile_name = body.get("serviceProfileName")
    profile = catalogue.profile(profile_name) if isinstance(profile_name, str) else None
    if isinstance(profile_name, str) and profile_name and profile is None:
        found.append(_problem("body.serviceProfileName",
                              f"unknown service profile {profile_name!r}; allowed: {catalogue.names()}"))
    allowed = profile.options if profile else None
    return found + _protocol_set_problems(body.get("protocolSets"), catalogue, allowed)


def _protocol_set_problems(sets: Any, catalogue: Catalogue, allowed: tuple[str, ...] | None) -> list[dict[str, str]]:
    if not isinstance(sets, list) or not 1 <= len(sets) <= 2:
        return [_problem("body.protocolSets", "1 to 2 protocol sets are required")]
    found: list[dict[str, str]] = []
    seen = []
    for i, pset in enumerate(sets):
        where = f"body.protocolSets[{i}]"
        if not isinstance(pset, dict):
            found.append(_problem(where, "must be an object"))
            continue
        for key in ("publishedProtocol", "sourceProtocol"):
            if pset.get(key) not in PROTOCOLS:
                found.append(_problem(f"{where}.{key}", "must be 'http' or 'https'"))
        for key in ("sourcePort", "publishedPort"):
            port = pset.get(key)
            if port is not None and (isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535):
                found.append(_problem(f"{where}.{key}", f"must be an integer 1..65535 or null, got {port!r}"))
        found += _option_problems(pset.get("options"), f"{where}.options", catalogue, allowed)
        seen.append(pset.get("publishedProtocol"))
    if len(set(map(str, seen))) != len(seen):
        found.append(_problem("body.protocolSets", "one set per published protocol"))
    return found


def _option_problems(options: Any, where: str, catalogue: Catalogue,
                     allowed: tuple[str, ...] | None) -> list[dict[str, str]]:
    if options is None:
        return []
    if not isinstance(options, list):
        return [_problem(where, f"must be a list of {{name, parameters}}, got {type(options).__name__}")]
    found: list[dict[str, str]] = []
    for j, option in enumerate(options):
        at = f"{where}[{j}]"
        name = option.get("name") if isinstance(option, dict) else None
        parameters = option.get("parameters", []) if isinstance(option, dict) else None
        if not isinstance(name, str) or not isinstance(parameters, list):
            found.append(_problem(at, "must be {\"name\": str, \"parameters\": [...]}"))
        elif allowed is not None and name not in allowed:
            found.append(_problem(f"{at}.name", f"option {name!r} is not allowed by this service profile; "
                                                f"allowed: {list(allowed)}"))
        elif allowed is not None:
            found += _parameter_problems(parameters, catalogue.options[name], f"{at}.parameters")
    return found


def _parameter_problems(parameters: list[Any], types: tuple[str, ...], where: str) -> list[dict[str, str]]:
    if len(parameters) != len(types):
        return [_problem(where, f"takes {len(types)} argument(s) of type(s) {list(types)}, got {len(parameters)}")]
    found = []
    for k, (value, kind) in enumerate(zip(parameters, types, strict=True)):
        ok = (isinstance(value, int) and not isinstance(value, bool)) if kind == "Int" else isinstance(value, str)
        if not ok:
            expected = "a JSON integer" if kind == "Int" else "a string"
            found.append(_problem(f"{where}[{k}]", f"must be {expected} ({kind}), got {value!r}"))
    return found
