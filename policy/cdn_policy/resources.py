"""Resource policies: each judges one resource as the program declares it (its inputs).

A value a preview cannot know yet is not judged; the same policy sees it known during `pulumi up`.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from .common import (
    CDN_RULES,
    CLOUDFLARE_RECORD,
    DELIVERY_RULE,
    DNS_RECORD_SET,
    KUBERNETES,
    UNKNOWN,
    prop,
    setting,
    stack_config,
    violation,
)

TTL_BOUNDS = (60, 3600)
ALLOWED_PROFILES = ["LLNW-Generic"]
APP_LABELS = ["app.kubernetes.io/name", "app.kubernetes.io/part-of"]


def https_only(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != DELIVERY_RULE:
        return
    protocols = prop(args.props, "published_protocols")
    if protocols is UNKNOWN or protocols is None:  # None: the provider's default, https only
        return
    if not isinstance(protocols, list) or not protocols or any(p != "https" for p in protocols):
        report(violation(args.resource_type, args.name, "published_protocols", protocols,
                         "this stack publishes https only (annotation cdn-ingress.io/published-protocols)",
                         "['https']"), None)


def origin_domain(config: dict[str, object]) -> str | None:
    """The policy's originDomain, else the stack's cdn-ingress:originDomain."""
    domain = setting(config, "originDomain", None) or stack_config("cdn-ingress:originDomain")
    return str(domain).rstrip(".").lower() if domain else None


def origin_in_zone(args: ResourceValidationArgs, report: ReportViolation) -> None:
    domain = origin_domain(dict(args.get_config()))
    if domain is None or args.resource_type not in (DNS_RECORD_SET, DELIVERY_RULE, CLOUDFLARE_RECORD):
        return
    if args.resource_type == CLOUDFLARE_RECORD:
        _alias_in_zone(args, domain, report)
        return
    if args.resource_type == DNS_RECORD_SET:
        zone = prop(args.props, "domain")
        if isinstance(zone, str) and zone.rstrip(".").lower() != domain:
            report(violation(args.resource_type, args.name, "domain", zone,
                             "origin names must live in the stack's origin zone", repr(domain)), None)
        return
    host = prop(args.props, "source_hostname")
    if isinstance(host, str) and not host.rstrip(".").lower().endswith("." + domain):
        report(violation(args.resource_type, args.name, "source_hostname", host,
                         "the rule's origin must be a name in the stack's origin zone", f"'<name>.{domain}'"), None)


def _alias_in_zone(args: ResourceValidationArgs, domain: str, report: ReportViolation) -> None:
    """An Origin Rule reaches its origin through an unproxied alias of the Cloudflare zone: the
    alias, not the rule, names the origin (a proxied record is a published host)."""
    target = prop(args.props, "content")
    if prop(args.props, "proxied") is not False or not isinstance(target, str):
        return
    if not target.rstrip(".").lower().endswith("." + domain):
        report(violation(args.resource_type, args.name, "content", target,
                         "the origin alias must point to a name in the stack's origin zone", f"'<name>.{domain}'"),
               None)


def ttl_bounds(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != DNS_RECORD_SET:
        return
    config = args.get_config()
    low, high = int(setting(config, "minTtl", TTL_BOUNDS[0])), int(setting(config, "maxTtl", TTL_BOUNDS[1]))
    ttl = prop(args.props, "ttl")
    if isinstance(ttl, (int, float)) and not low <= ttl <= high:
        report(violation(args.resource_type, args.name, "ttl", int(ttl),
                         "outside this stack's bounds (cdn-ingress:originTtl)", f"{low}..{high} seconds"), None)


def allowed_profiles(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != DELIVERY_RULE:
        return
    allowed = list(setting(args.get_config(), "allowedProfiles", ALLOWED_PROFILES))
    profile = prop(args.props, "profile_name")
    if isinstance(profile, str) and profile not in allowed:
        report(violation(args.resource_type, args.name, "profile_name", profile,
                         "not a delivery profile this stack may use (annotation cdn-ingress.io/profile "
                         "or cdn-ingress:edgioProfile)", repr(allowed)), None)


def app_labels(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if not args.resource_type.startswith(KUBERNETES):
        return
    required = list(setting(args.get_config(), "requiredLabels", APP_LABELS))
    metadata = prop(args.props, "metadata")
    if metadata is UNKNOWN:
        return
    labels = (metadata or {}).get("labels") or {}
    if labels is UNKNOWN:
        return
    missing = [label for label in required if not labels.get(label)]
    if missing:
        report(violation(args.resource_type, args.name, "metadata.labels", labels,
                         f"missing {', '.join(missing)}", f"labels that include {', '.join(required)}"), None)


def protected(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in (DNS_RECORD_SET, CLOUDFLARE_RECORD, *CDN_RULES):
        return
    if setting(args.get_config(), "protected", False) is True and not args.opts.protect:
        report(violation(args.resource_type, args.name, "protect", bool(args.opts.protect),
                         "this stack is marked protected, so its DNS record sets and CDN rules must not be "
                         "deletable by a run (set cdn-ingress:protect: true in the stack config)", "protect=True"),
               None)


def _schema(**properties: dict[str, object]) -> PolicyConfigSchema:
    return PolicyConfigSchema(properties=properties)


POLICIES = [
    ResourceValidationPolicy(
        name="cdn-https-only", validate=https_only, enforcement_level=EnforcementLevel.ADVISORY,
        description="CDN rules publish https only (mandatory in prod)."),
    ResourceValidationPolicy(
        name="origin-in-zone", validate=origin_in_zone, enforcement_level=EnforcementLevel.MANDATORY,
        description="Origin names and every CDN rule's origin lie in the stack's origin domain.",
        config_schema=_schema(originDomain={
            "type": "string", "description": "Origin zone; default: the stack's cdn-ingress:originDomain."})),
    ResourceValidationPolicy(
        name="dns-ttl-bounds", validate=ttl_bounds, enforcement_level=EnforcementLevel.MANDATORY,
        description="Origin DNS records have a TTL within the configured bounds.",
        config_schema=_schema(
            minTtl={"type": "integer", "minimum": 1, "default": TTL_BOUNDS[0]},
            maxTtl={"type": "integer", "minimum": 1, "default": TTL_BOUNDS[1]})),
    ResourceValidationPolicy(
        name="allowed-profiles", validate=allowed_profiles, enforcement_level=EnforcementLevel.MANDATORY,
        description="CDN rules use only the allowed Edgio delivery profiles.",
        config_schema=_schema(allowedProfiles={
            "type": "array", "items": {"type": "string"}, "default": ALLOWED_PROFILES})),
    ResourceValidationPolicy(
        name="app-labels", validate=app_labels, enforcement_level=EnforcementLevel.ADVISORY,
        description="Every Kubernetes object of the app carries the app.kubernetes.io/* labels.",
        config_schema=_schema(requiredLabels={
            "type": "array", "items": {"type": "string"}, "default": APP_LABELS})),
    ResourceValidationPolicy(
        name="protected-in-protected-stacks", validate=protected, enforcement_level=EnforcementLevel.MANDATORY,
        description="In a stack marked protected, DNS record sets and CDN rules carry Pulumi's protect option.",
        config_schema=_schema(protected={
            "type": "boolean", "default": False, "description": "This stack is protected."})),
]
