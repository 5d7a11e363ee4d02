"""Stack policies: each judges the stack as a whole (every resource's outputs) after the run."""

from __future__ import annotations

from collections import defaultdict

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from .common import CDN_RULES, DELIVERY_RULE, DNS_RECORD_SET, ORIGIN_RULE, UNKNOWN, kind_of, prop, setting, violation

MIN_ADDRESSES = 2
MAX_ROUTES = 50


def _of(args: StackValidationArgs, *resource_types: str) -> list[PolicyResource]:
    return [r for r in args.resources if r.resource_type in resource_types]


def _fields(rule: PolicyResource) -> tuple[str, str]:
    return ("host", "path") if rule.resource_type == ORIGIN_RULE else ("published_hostname", "published_path")


def _route(rule: PolicyResource) -> tuple[str, str] | None:
    """Host + path as the CDN matches them: host case and trailing dot, path trailing slash ignored."""
    host, path = (prop(rule.props, key) for key in _fields(rule))
    if not isinstance(host, str) or not isinstance(path, str):
        return None
    return host.rstrip(".").lower(), path.rstrip("/") or "/"


def unique_host_path(args: StackValidationArgs, report: ReportViolation) -> None:
    first: dict[tuple[str, str], PolicyResource] = {}
    for rule in _of(args, *CDN_RULES):
        route = _route(rule)
        if route is None:
            continue
        if route not in first:
            first[route] = rule
            continue
        other = first[route]
        host, path = _fields(rule)
        value = f"{prop(rule.props, host)}{prop(rule.props, path)}"
        report(violation(rule.resource_type, rule.name, f"{host}+{path}", value,
                         f"{kind_of(other.resource_type)} {other.name!r} publishes the same host + path",
                         "one rule per host + path"), rule.urn)


def redundant_origins(args: StackValidationArgs, report: ReportViolation) -> None:
    least = int(setting(args.get_config(), "minAddresses", MIN_ADDRESSES))
    sets: dict[str, list[PolicyResource]] = defaultdict(list)
    addresses: dict[str, set[str]] = defaultdict(set)
    for record_set in _of(args, DNS_RECORD_SET):
        name, zone, listed = (prop(record_set.props, k) for k in ("name", "domain", "addresses"))
        if not isinstance(name, str) or not isinstance(zone, str) or listed is UNKNOWN:
            continue
        fqdn = f"{name}.{zone}" if name else zone
        sets[fqdn].append(record_set)  # A and AAAA sets of one name count together
        addresses[fqdn].update(str(a) for a in listed or [])
    for fqdn, members in sets.items():
        if len(addresses[fqdn]) < least:
            for record_set in members:
                report(violation(record_set.resource_type, record_set.name, "addresses",
                                 sorted(addresses[fqdn]),
                                 f"origin name {fqdn} has {len(addresses[fqdn])} address(es); one node is not "
                                 "a CDN origin (cdn-ingress:originAddresses or more ready nodes)",
                                 f"at least {least}"), record_set.urn)


def route_ceiling(args: StackValidationArgs, report: ReportViolation) -> None:
    ceiling = int(setting(args.get_config(), "maxRoutes", MAX_ROUTES))
    rules = _of(args, *CDN_RULES)
    if len(rules) > ceiling:
        names = ", ".join(repr(r.name) for r in rules[ceiling:][:5])
        kinds = " and ".join(sorted({kind_of(r.resource_type) + "s" for r in rules}))
        report(f"stack routes={len(rules)}: {len(rules)} {kinds} (CDN routes), over the ceiling by "
               f"{len(rules) - ceiling}, e.g. {names}; allowed: at most {ceiling} (policy config maxRoutes)", None)


def shared_origin_port(args: StackValidationArgs, report: ReportViolation) -> None:
    """A shared origin name states the port its clusters serve on, and this stack's rules to it use it."""
    ports: dict[str, int] = {}
    for record_set in _of(args, DNS_RECORD_SET):
        if prop(record_set.props, "shared") is not True:
            continue
        name, zone, port = (prop(record_set.props, k) for k in ("name", "domain", "port"))
        if not isinstance(port, int) or port <= 0:
            report(violation(record_set.resource_type, record_set.name, "port", port,
                             "a shared origin name must state the NodePort every cluster sharing it serves",
                             "the Service's explicit nodePort"), record_set.urn)
        elif isinstance(name, str) and isinstance(zone, str):
            ports[f"{name}.{zone}" if name else zone] = port
    for rule in _of(args, DELIVERY_RULE):
        origin, port = prop(rule.props, "source_hostname"), prop(rule.props, "source_port")
        if isinstance(origin, str) and origin in ports and isinstance(port, int) and port != ports[origin]:
            report(violation(rule.resource_type, rule.name, "source_port", port,
                             f"shared origin name {origin} is served on port {ports[origin]} by every cluster "
                             "sharing it", f"source_port {ports[origin]}"), rule.urn)


POLICIES = [
    StackValidationPolicy(
        name="unique-host-path", validate=unique_host_path, enforcement_level=EnforcementLevel.MANDATORY,
        description="No two CDN rules publish the same host + path."),
    StackValidationPolicy(
        name="redundant-origins", validate=redundant_origins, enforcement_level=EnforcementLevel.ADVISORY,
        description="Every origin name has at least two addresses (mandatory in prod).",
        config_schema=PolicyConfigSchema(properties={
            "minAddresses": {"type": "integer", "minimum": 1, "default": MIN_ADDRESSES}})),
    StackValidationPolicy(
        name="shared-origin-port", validate=shared_origin_port, enforcement_level=EnforcementLevel.MANDATORY,
        description="A shared origin name states its NodePort, and the stack's rules to it use that port."),
    StackValidationPolicy(
        name="route-ceiling", validate=route_ceiling, enforcement_level=EnforcementLevel.MANDATORY,
        description="The number of CDN routes stays within the configured ceiling.",
        config_schema=PolicyConfigSchema(properties={
            "maxRoutes": {"type": "integer", "minimum": 1, "default": MAX_ROUTES}})),
]
