"""Pure parts of ``OriginRule``: input checks (refusing what an Origin Rule cannot do), the rule's
expression for host + path, its ``ref`` (one per host + path + match) and ``description`` (the
owner's claim), the way back from a live rule to inputs, and where a new rule goes in the phase.

Matching Origin Rules merge, later rules winning (Cloudflare's Origin Rules FAQ): a more specific
path must come after a less specific one of the same host."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from pulumi.dynamic import CheckFailure

from cloudflare_provider.common import FQDN, OWNER, check_zone, checker, claim, claim_of, outside_zone
from cloudflare_provider.types import RuleWire
from restkit.values import known, whole

INPUTS = ("zone", "host", "path", "match", "origin_host", "origin_port", "host_header", "sni", "rewrite_path",
          "request_headers", "response_headers", "options", "adopt", "owner")
DEFAULTS: dict[str, Any] = {"zone": "", "match": "prefix", "host_header": "", "sni": "", "rewrite_path": "",
                            "request_headers": {}, "response_headers": {}, "options": [], "adopt": False, "owner": ""}
REPLACE_ON = ("zone",)
NO_DIFF = ("adopt",)
MATCHES = ("prefix", "exact")
REF_PREFIX = "cdn_ingress_"
_PATH = re.compile(r'^/[^"\\\s]*$')
_HOST_EQ = re.compile(r'^\(http\.host eq "([^"]+)"\)$')
_PREFIX = re.compile(r'^\(http\.host eq "([^"]+)" and \(http\.request\.uri\.path eq "([^"]+)" or '
                     r'starts_with\(http\.request\.uri\.path, "([^"]+)/"\)\)\)$')
_EXACT = re.compile(r'^\(http\.host eq "([^"]+)" and http\.request\.uri\.path eq "([^"]+)"\)$')


def normal(props: dict[str, Any]) -> dict[str, Any]:
    p = {**DEFAULTS, **{k: whole(props[k]) for k in INPUTS if k in props and props[k] is not None}}
    for key in ("host", "origin_host"):
        if isinstance(p.get(key), str):
            p[key] = p[key].strip().rstrip(".").lower()
    if p.get("match") == "prefix" and isinstance(p.get("path"), str) and len(p["path"]) > 1:
        p["path"] = p["path"].rstrip("/") or "/"  # Kubernetes: "/api/" and "/api" are the same prefix
    return p


def check_inputs(p: dict[str, Any]) -> list[CheckFailure]:
    failures, rule = checker(p)
    check_zone(p, rule)
    zone = p.get("zone")
    for field in ("host", "origin_host"):
        rule(field, isinstance(p.get(field), str) and bool(FQDN.match(p[field])), "must be a lower-case FQDN")
        rule(field, not (known(zone) and outside_zone(p.get(field), zone)),
             f"must be inside the zone {zone!r} (an Origin Rule's DNS override must name a record of the zone)")
    rule("path", isinstance(p.get("path"), str) and bool(_PATH.match(p["path"])),
         "must start with '/' and hold no spaces, quotes or backslashes")
    rule("match", p.get("match") in MATCHES, f"must be one of {list(MATCHES)}")
    port = p.get("origin_port")
    rule("origin_port", isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535,
         "must be a port number from 1 to 65535")
    for field in ("host_header", "sni"):
        value = p.get(field)
        rule(field, value == "" or (isinstance(value, str) and bool(FQDN.match(value))),
             "must be empty (keep the request's) or a lower-case FQDN")
    _refusals(p, rule)
    rule("adopt", isinstance(p.get("adopt"), bool), "must be true or false")
    owner = p.get("owner")
    rule("owner", owner == "" or (isinstance(owner, str) and bool(OWNER.match(owner))),
         "must be empty or up to 80 letters, digits, '.', '_', '/', '-'")
    return failures


def _refusals(p: dict[str, Any], rule: Any) -> None:
    """What an Origin Rule (action ``route``) cannot do: said plainly instead of dropped silently."""
    rule("rewrite_path", p.get("rewrite_path") == "",
         "a Cloudflare Origin Rule cannot rewrite the path (that is a URL Rewrite Rule, phase "
         "http_request_transform, which this provider does not write); leave the path unchanged on a "
         "Cloudflare stack")
    for field in ("request_headers", "response_headers"):
        rule(field, p.get(field) in ({}, None),
             "a Cloudflare Origin Rule cannot set headers (that is a Transform Rule, which this provider does "
             "not write); remove them on a Cloudflare stack")
    options = p.get("options")
    names = [o.get("name") if isinstance(o, dict) else o for o in options] if isinstance(options, list) else options
    rule("options", options == [], f"Edgio option(s) {names!r} have no Cloudflare equivalent; remove them "
                                   "(or the Edgio profile that brings them) on a Cloudflare stack")


def expression(p: dict[str, Any]) -> str:
    host, path = p["host"], p["path"]
    if p["match"] == "exact":
        return f'(http.host eq "{host}" and http.request.uri.path eq "{path}")'
    if path == "/":
        return f'(http.host eq "{host}")'
    return f'(http.host eq "{host}" and (http.request.uri.path eq "{path}" or ' \
           f'starts_with(http.request.uri.path, "{path}/")))'


def parse_expression(text: Any) -> tuple[str, str, str] | None:
    """(host, path, match) of an expression ``expression`` wrote, else None."""
    if not isinstance(text, str):
        return None
    if found := _HOST_EQ.match(text):
        return found.group(1), "/", "prefix"
    if (found := _PREFIX.match(text)) and found.group(2) == found.group(3):
        return found.group(1), found.group(2), "prefix"
    if found := _EXACT.match(text):
        return found.group(1), found.group(2), "exact"
    return None


def ref(p: dict[str, Any]) -> str:
    """One ref per host + path + match: unique in the ruleset, so two writers of one route collide."""
    digest = hashlib.sha256(f"{p['host']} {p['match']} {p['path']}".encode()).hexdigest()[:24]
    return REF_PREFIX + digest


def definition(p: dict[str, Any]) -> dict[str, Any]:
    """The rule as sent to the one-rule endpoints (the whole definition, as a PATCH needs)."""
    parameters: dict[str, Any] = {"origin": {"host": p["origin_host"], "port": p["origin_port"]}}
    if p["host_header"]:
        parameters["host_header"] = p["host_header"]
    if p["sni"]:
        parameters["sni"] = {"value": p["sni"]}
    description = f"{claim(p['owner'])} route={p['host']}{p['path']} match={p['match']}".strip()
    return {"action": "route", "expression": expression(p), "action_parameters": parameters,
            "description": description, "enabled": True, "ref": ref(p)}


def inputs_from_live(rule: RuleWire, base: dict[str, Any]) -> dict[str, Any]:
    parameters = rule.get("action_parameters") or {}
    origin = parameters.get("origin") or {}
    host, path, match = parse_expression(rule.get("expression")) or (base["host"], "(not ours)", base["match"])
    return normal({**base, "host": host, "path": path, "match": match, "origin_host": origin.get("host", ""),
                   "origin_port": origin.get("port"), "host_header": parameters.get("host_header", ""),
                   "sni": (parameters.get("sni") or {}).get("value", ""),
                   "owner": claim_of(rule.get("description")) or base.get("owner", "")})


def same(rule: RuleWire, p: dict[str, Any]) -> bool:
    live = inputs_from_live(rule, p)
    return rule.get("enabled", True) is not False and all(
        live[k] == p[k] for k in ("host", "path", "match", "origin_host", "origin_port", "host_header", "sni"))


def _specificity(p: dict[str, Any]) -> tuple[bool, int]:
    return p["match"] == "exact", len(p["path"])


def _ours_for_host(rules: list[RuleWire], host: str) -> list[tuple[str, tuple[bool, int]]]:
    found = []
    for rule in rules:
        parsed = parse_expression(rule.get("expression"))
        if str(rule.get("ref", "")).startswith(REF_PREFIX) and parsed is not None and parsed[0] == host:
            found.append((str(rule.get("id")), _specificity({"match": parsed[2], "path": parsed[1]})))
    return found


def misplaced(rules: list[RuleWire], rule_id: str, p: dict[str, Any]) -> dict[str, str] | None:
    """Where rule ``rule_id`` must move so that no less specific rule of its host comes after it
    and no more specific one before it (two writers appending at once can leave it wrong), or
    None when it is in place. Only this rule moves: the others may belong to other stacks."""
    same_host = _ours_for_host(rules, p["host"])
    ids = [i for i, _ in same_host]
    if rule_id not in ids:
        return None
    at, mine = ids.index(rule_id), _specificity(p)
    later_less = [i for i, spec in same_host[at + 1:] if spec < mine]
    if later_less:
        return {"after": later_less[-1]}
    earlier_more = [i for i, spec in same_host[:at] if spec > mine]
    return {"before": earlier_more[0]} if earlier_more else None


def position(rules: list[RuleWire], p: dict[str, Any], skip: str = "") -> dict[str, str]:
    """Before the first rule of this program for the same host that is more specific, else last."""
    mine = _specificity(p)
    for rule in rules:
        parsed = parse_expression(rule.get("expression"))
        if rule.get("id") == skip or not str(rule.get("ref", "")).startswith(REF_PREFIX) or parsed is None:
            continue
        host, path, match = parsed
        if host == p["host"] and _specificity({"match": match, "path": path}) > mine:
            return {"before": str(rule["id"])}
    return {"after": ""}
