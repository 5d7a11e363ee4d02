"""Pure parts of ``DeliveryRule``: input checks, defaults, the vendor payload and the way back
from a live rule to inputs (edgio-config-api.md §4), and the ownership claim a rule carries."""

from __future__ import annotations

import copy
import re
from typing import Any

from pulumi.dynamic import CheckFailure

from restkit.values import known, whole

INPUTS = ("shortname", "published_hostname", "published_path", "source_hostname", "source_path",
          "source_port", "published_protocols", "source_protocol", "profile_name", "options", "adopt", "owner")
DEFAULTS: dict[str, Any] = {"source_path": "/", "published_protocols": ["https"], "source_protocol": "http",
                            "profile_name": "LLNW-Generic", "options": [], "adopt": False, "owner": ""}
REPLACE_ON = ("shortname", "profile_name")
NO_DIFF = ("adopt",)
#: The origin request header that carries the owner's claim: a rule has no tag or description
#: field, and one header the origin ignores is the only claim a rule can hold.
CLAIM_HEADER = "X-Cdn-Ingress-Owner"
CLAIM_OPTION = "req_send_header"
_OWNER = re.compile(r"^[A-Za-z0-9._/-]{1,200}$")
PROTOCOLS = ("http", "https")
_SHORTNAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_FQDN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
_IPV4 = re.compile(r"^(\d{1,3})(\.\d{1,3}){3}$")




def normal(props: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **{k: whole(props[k]) for k in INPUTS if k in props and props[k] is not None}}


def check_inputs(p: dict[str, Any]) -> list[CheckFailure]:
    failures: list[CheckFailure] = []

    def rule(field: str, ok: bool, allowed: str) -> None:
        if known(p.get(field)) and not ok:
            failures.append(CheckFailure(field, f"{field}={p.get(field)!r}: {allowed}"))

    rule("shortname", isinstance(p.get("shortname"), str) and bool(_SHORTNAME.match(p["shortname"])),
         "must be an account shortname: lower-case letters, digits, '-' or '_'")
    host = p.get("published_hostname")
    rule("published_hostname", isinstance(host, str) and bool(_FQDN.match(host)),
         "must be a lower-case FQDN without scheme or port (IP addresses are not accepted)")
    for field in ("published_path", "source_path"):
        value = p.get(field)
        rule(field, isinstance(value, str) and value.startswith("/") and not any(c.isspace() for c in value),
             "must start with '/' and contain no spaces")
    source = p.get("source_hostname")
    rule("source_hostname", isinstance(source, str) and bool(_FQDN.match(source) or _IPV4.match(source)),
         "must be an FQDN or an IPv4 address")
    port = p.get("source_port")
    rule("source_port", isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535,
         "must be a port number from 1 to 65535")
    protocols = p.get("published_protocols")
    rule("published_protocols", isinstance(protocols, list) and 1 <= len(protocols) <= 2
         and len(set(protocols)) == len(protocols) and all(x in PROTOCOLS for x in protocols),
         "must be 1 or 2 of ['http', 'https'] without repeats")
    rule("source_protocol", p.get("source_protocol") in PROTOCOLS, "must be 'http' or 'https'")
    rule("profile_name", isinstance(p.get("profile_name"), str) and bool(p.get("profile_name")),
         "must name a delivery service profile, e.g. 'LLNW-Generic'")
    options = p.get("options")
    rule("options", isinstance(options, list) and all(
        isinstance(o, dict) and isinstance(o.get("name"), str) and o["name"]
        and isinstance(o.get("parameters", []), list) for o in options),
         "must be a list of {name: str, parameters: [str | int, ...]}")
    rule("adopt", isinstance(p.get("adopt"), bool), "must be true or false")
    owner = p.get("owner")
    rule("owner", owner == "" or (isinstance(owner, str) and bool(_OWNER.match(owner))),
         "must be empty or 1..200 characters of letters, digits, '.', '_', '/', '-'")
    rule("options", not any(_is_claim(o) for o in options if isinstance(o, dict)) if isinstance(options, list)
         else True, f"the {CLAIM_OPTION} {CLAIM_HEADER} header is the ownership claim and cannot be set by hand")
    return failures


def payload(p: dict[str, Any], live: dict[str, Any] | None = None) -> dict[str, Any]:
    """The create/PUT payload; fields of the live rule we do not model are kept."""
    live_body = copy.deepcopy((live or {}).get("body") or {})
    live_sets = {s.get("publishedProtocol"): s for s in live_body.get("protocolSets") or []}
    sets = []
    claim = [{"name": CLAIM_OPTION, "parameters": [CLAIM_HEADER, p["owner"]]}] if p["owner"] else []
    for protocol in p["published_protocols"]:
        pset = {**live_sets.get(protocol, {}), "publishedProtocol": protocol,
                "sourceProtocol": p["source_protocol"], "sourcePort": p["source_port"],
                "options": [dict(o) for o in p["options"]] + claim}
        sets.append(pset)
    body = {**live_body, "serviceKey": {"name": "delivery"}, "serviceProfileName": p["profile_name"],
            "publishedHostname": p["published_hostname"], "publishedUrlPath": p["published_path"],
            "sourceHostname": p["source_hostname"], "sourceUrlPath": p["source_path"], "protocolSets": sets}
    return {"accounts": [{"shortname": p["shortname"]}], "body": body}


def _is_claim(option: Any) -> bool:
    parameters = option.get("parameters") if isinstance(option, dict) else None
    return bool(option.get("name") == CLAIM_OPTION and isinstance(parameters, list) and parameters
                and str(parameters[0]).lower() == CLAIM_HEADER.lower())


def claim_of(rule: dict[str, Any]) -> str:
    """The owner a live rule names in its claim header ('' for none)."""
    for pset in (rule.get("body") or {}).get("protocolSets") or []:
        for option in pset.get("options") or []:
            if _is_claim(option) and len(option["parameters"]) > 1:
                return str(option["parameters"][1])
    return ""


def inputs_from_live(rule: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    body = rule.get("body") or {}
    sets = body.get("protocolSets") or [{}]
    options = [o for o in sets[0].get("options") or [] if not _is_claim(o)]
    return {**base, "owner": claim_of(rule), "shortname": rule.get("shortname") or base.get("shortname"),
            "published_hostname": body.get("publishedHostname"), "published_path": body.get("publishedUrlPath"),
            "source_hostname": body.get("sourceHostname"), "source_path": body.get("sourceUrlPath"),
            "source_port": sets[0].get("sourcePort"), "source_protocol": sets[0].get("sourceProtocol"),
            "published_protocols": [s.get("publishedProtocol") for s in sets],
            "profile_name": body.get("serviceProfileName"), "options": options}


