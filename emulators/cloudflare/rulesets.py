"""Zone rulesets and their rules: the phase entry point ruleset and the one-rule endpoints
(add, update, delete a single rule), with the checks made on a ``route`` rule (Origin Rules)."""

from __future__ import annotations

from typing import Any

from emulators.cloudflare.envelope import CloudflareError
from emulators.cloudflare.settings import CloudflareSettings

PHASES = ("http_request_origin", "http_request_transform", "http_request_late_transform",
          "http_request_dynamic_redirect", "http_request_cache_settings", "http_config_settings",
          "http_request_firewall_custom", "http_response_headers_transform")
#: [S] the actions each phase allows; only the origin phase is modelled in depth.
ACTIONS = {"http_request_origin": ("route",)}
RULE_FIELDS = ("id", "action", "action_parameters", "expression", "description", "enabled", "ref",
               "logging", "position")
ROUTE_PARAMETERS = ("host_header", "origin", "sni")


def bad(pointer: str, message: str, code: int = 20021) -> CloudflareError:
    return CloudflareError(400, code, f"{pointer.rsplit('/', 1)[-1]}: {message}", pointer)


def check_rule(body: Any, phase: str, zone: str, settings: CloudflareSettings, old: dict[str, Any] | None = None
               ) -> dict[str, Any]:
    """The rule ``body`` describes, or a 400 whose pointer names the field (``/rules/0/...``)."""
    if not isinstance(body, dict):
        raise bad("/rules/0", "the rule must be a JSON object")
    unknown = sorted(set(body) - set(RULE_FIELDS))
    if unknown:
        raise bad(f"/rules/0/{unknown[0]}", f"unknown field; allowed: {', '.join(RULE_FIELDS)}")
    merged = {**(old or {}), **{k: v for k, v in body.items() if k != "position"}}
    action = merged.get("action")
    allowed = ACTIONS.get(phase)
    if not isinstance(action, str) or (allowed and action not in allowed):
        raise bad("/rules/0/action", f"{action!r} is not allowed in phase {phase}; allowed: {allowed}", 20119)
    expression = merged.get("expression")
    if not isinstance(expression, str) or not expression.strip() \
            or len(expression) > settings.max_expression_length or not _balanced(expression):
        raise bad("/rules/0/expression", "must be a filter expression with balanced quotes and parentheses, "
                                         f"at most {settings.max_expression_length} characters", 20003)
    for name, kind in (("description", str), ("ref", str), ("enabled", bool)):
        if name in merged and not isinstance(merged[name], kind):
            raise bad(f"/rules/0/{name}", f"must be a {kind.__name__}")
    parameters = merged.get("action_parameters") or {}
    if action == "route":
        _check_route(parameters, zone, settings)
    return {"action": action, "action_parameters": parameters, "expression": expression,
            "description": merged.get("description", ""), "enabled": merged.get("enabled", True),
            "ref": merged.get("ref") or "", **({"logging": merged["logging"]} if "logging" in merged else {})}


def _check_route(parameters: Any, zone: str, settings: CloudflareSettings) -> None:
    base = "/rules/0/action_parameters"
    if not isinstance(parameters, dict) or not parameters:
        raise bad(base, f"a route rule needs at least one of {', '.join(ROUTE_PARAMETERS)}")
    unknown = sorted(set(parameters) - set(ROUTE_PARAMETERS))
    if unknown:
        raise bad(f"{base}/{unknown[0]}", f"unknown parameter; allowed: {', '.join(ROUTE_PARAMETERS)}")
    if "host_header" in parameters and not (isinstance(parameters["host_header"], str) and parameters["host_header"]):
        raise bad(f"{base}/host_header", "must be a host name")
    origin = parameters.get("origin")
    if origin is not None:
        if not isinstance(origin, dict) or not origin or set(origin) - {"host", "port"}:
            raise bad(f"{base}/origin", "must be an object with host and/or port")
        port = origin.get("port")
        if port is not None and (not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535):
            raise bad(f"{base}/origin/port", f"{port!r} must be a port number 1..65535")
        host = origin.get("host")
        if host is not None:
            if not isinstance(host, str) or not host:
                raise bad(f"{base}/origin/host", "must be a host name")
            if settings.origin_host_in_zone and host.lower() != zone and not host.lower().endswith("." + zone):
                raise bad(f"{base}/origin/host", f"{host!r} is not a host in zone {zone}: a DNS record override "
                                                 "must name a DNS record of the zone (a CNAME to the outside host)")
    sni = parameters.get("sni")
    if sni is not None and not (isinstance(sni, dict) and isinstance(sni.get("value"), str) and sni["value"]):
        raise bad(f"{base}/sni", "must be {\"value\": <host name>}")


def _balanced(expression: str) -> bool:
    depth, quoted, escaped = 0, False, False
    for char in expression:
        if quoted:
            escaped, quoted = (False, quoted) if escaped else (char == "\\", char != '"')
            continue
        if char == '"':
            quoted = True
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and not quoted


def place(rules: list[dict[str, Any]], rule: dict[str, Any], position: Any) -> list[dict[str, Any]]:
    """``rules`` with ``rule`` inserted where ``position`` says ([S] before/after/index; default: last)."""
    if position is None:
        return [*rules, rule]
    if not isinstance(position, dict) or len(position) != 1:
        raise bad("/rules/0/position", "must be one of {\"before\": id}, {\"after\": id}, {\"index\": n}")
    (kind, value), = position.items()
    ids = [r["id"] for r in rules]
    if kind == "index" and isinstance(value, int) and 1 <= value <= len(rules) + 1:
        return [*rules[: value - 1], rule, *rules[value - 1:]]
    if kind in ("before", "after") and value == "":
        return [rule, *rules] if kind == "before" else [*rules, rule]
    if kind in ("before", "after") and value in ids:
        at = ids.index(value) + (kind == "after")
        return [*rules[:at], rule, *rules[at:]]
    raise bad(f"/rules/0/position/{kind}", f"{value!r} names no rule of this ruleset")
