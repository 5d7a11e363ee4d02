"""What a preview changes for traffic, in the program's terms: routes (host + path -> origin name :
node port), origin addresses and TTLs, Ingress status; and the warnings a reviewer must not miss.

Reads only the inputs the engine logged for the CDN rules, origin record sets and Ingress statuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from preview.events import Step
from preview.kinds import (
    CDN_TYPES,
    CLOUDFLARE_DNS_TYPE,
    DNS_TYPE,
    ORIGIN_RULE_TYPE,
    ROUTE_STATUS_TYPE,
    STATUS_TYPE,
    VENDOR_OF,
)
from preview.md import ADD, REMOVE, code, text
from preview.rules import as_route_inputs, describe_rule_update, protocols, route_of, target_of
from preview.values import Unknown, is_known


@dataclass
class Traffic:
    warnings: list[str] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.warnings or self.routes or self.origins or self.statuses)


def _text(value: Any) -> str:
    return str(value) if is_known(value) else repr(value)


def _guard(step: Step) -> str:
    return " (protected)" if step.protected else ""


# -- CDN rules ---------------------------------------------------------------------------------
def _signature(inputs: Mapping[str, Any]) -> tuple[str, ...] | None:
    """What a route serves besides its path; None when not fully known (never paired then)."""
    keys = ("published_hostname", "source_hostname", "source_port", "source_protocol", "profile_name", "shortname")
    # The request path kept (source path = published path) is the same service from another path.
    source = inputs.get("source_path")
    kept = "(kept)" if source is not None and source == inputs.get("published_path") else source
    values = [inputs.get(k) for k in keys] + [kept, inputs.get("published_protocols"), inputs.get("options")]
    return tuple(repr(v) for v in values) if is_known(values) else None


def _pair_moves(deleted: list[Step], created: list[Step]) -> list[tuple[Step, Step]]:
    """A deleted and a created rule that serve the same thing from different paths: a path change
    (a rule is named by its host + path, so a new path is a new rule)."""
    by_sig: dict[tuple[str, ...], tuple[list[Step], list[Step]]] = {}
    for steps, side in ((deleted, 0), (created, 1)):
        for step in steps:
            sig = _signature((step.old if side == 0 else step.new) or {})
            if sig is not None:
                by_sig.setdefault(sig, ([], []))[side].append(step)
    return [(gone[0], made[0]) for gone, made in by_sig.values() if len(gone) == 1 and len(made) == 1]


def _aliases(steps: list[Step]) -> dict[str, str]:
    """Cloudflare origin alias -> the origin name it points to, from the alias records in the plan."""
    found: dict[str, str] = {}
    for step in (s for s in steps if s.type == CLOUDFLARE_DNS_TYPE):
        for inputs in (step.old or {}, step.new or {}):
            name, content = inputs.get("name"), inputs.get("content")
            if inputs.get("proxied") is False and isinstance(name, str) and isinstance(content, str):
                found[name] = content
    return found


def _as_rule(step: Step, aliases: dict[str, str]) -> Step:
    if step.type != ORIGIN_RULE_TYPE:
        return step
    return replace(step, old=as_route_inputs(step.old, aliases), new=as_route_inputs(step.new, aliases))


def _detail(inputs: Mapping[str, Any]) -> str:
    """How the CDN serves the route: Edgio's protocols; a Cloudflare rule's match and alias."""
    if inputs.get("cdn") != "Cloudflare":
        return text(protocols(inputs))
    via = inputs.get("via")
    alias = f", via alias {code(via)}" if isinstance(via, str) else ""
    return f"Cloudflare Origin Rule, {text(_text(inputs.get('match')))} match{alias}"


def _rules(steps: list[Step], out: Traffic) -> None:
    aliases = _aliases(steps)
    rules = [_as_rule(s, aliases) for s in steps if s.type in CDN_TYPES]
    deleted = [s for s in rules if s.op == "delete"]
    created = [s for s in rules if s.op == "create"]
    moves = _pair_moves(deleted, created)
    moved = {id(s) for pair in moves for s in pair}
    for gone, made in moves:
        old, new = route_of(gone.old or {}), route_of(made.new or {})
        out.routes.append(f"🔀 {code(old)} → {code(new)}: path changed (same origin "
                          f"{code(target_of(made.new or {}))}); {code(old)} stops being served, "
                          f"{code(new)} starts")
    for step in rules:
        if step.op == "delete":
            _rule_deleted(step, out, listed=id(step) in moved)
        elif step.op == "create" and id(step) not in moved:
            inputs = step.new or {}
            out.routes.append(f"{ADD} {code(route_of(inputs))} will be served by the CDN from "
                              f"{code(target_of(inputs))} ({_detail(inputs)})")
        elif step.op == "update":
            changed = describe_rule_update(step.old or {}, step.new or {})
            out.routes.append(f"✏️ {code(route_of(step.new or {}))}: {text('; '.join(changed)) or 'settings change'}")
        elif step.op == "replace":
            _rule_replaced(step, out)


def _rule_deleted(step: Step, out: Traffic, *, listed: bool) -> None:
    route = route_of(step.old or {})
    vendor = VENDOR_OF.get(step.type, "the CDN")
    if step.retain_on_delete:
        out.warnings.append(f"CDN rule for {code(route)} leaves the program but is **retained** at {vendor} "
                            f"(retainOnDelete): it keeps serving {code(route)} and nothing manages it any more")
        if not listed:
            out.routes.append(f"{REMOVE} {code(route)} leaves the program; the rule stays at {vendor} (retained)")
        return
    out.warnings.append(f"CDN rule for {code(route)} is **deleted**{_guard(step)}: {code(route)} will stop "
                        "being served by the CDN")
    if not listed:
        was = code(target_of(step.old or {}))
        out.routes.append(f"{REMOVE} {code(route)} will stop being served by the CDN (was {was})")


def _rule_replaced(step: Step, out: Traffic) -> None:
    route = route_of(step.new or step.old or {})
    why = text("; ".join(describe_rule_update(step.old or {}, step.new or {})) or ", ".join(step.replace_keys))
    if step.type == ORIGIN_RULE_TYPE and not step.delete_first:
        order = f"the new rule is written before the old one is deleted, so {code(route)} stays served"
    else:
        order = (f"{VENDOR_OF.get(step.type, 'the CDN')} deletes it before creating the new one, so {code(route)} "
                 "is unserved between delete and create")
    out.warnings.append(f"CDN rule for {code(route)} is **replaced**{_guard(step)} ({why}): {order}")
    out.routes.append(f"♻️ {code(route)} is replaced: {why}")


# -- origin record sets ------------------------------------------------------------------------
def origin_of(step: Step) -> str:
    inputs = step.new or step.old or {}
    name, domain = inputs.get("name"), inputs.get("domain")
    if isinstance(name, str) and isinstance(domain, str):
        return f"{name}.{domain}" if name else domain
    return f"origin of Service {step.name}"


def _addresses(inputs: Mapping[str, Any] | None) -> list[str] | None:
    value = (inputs or {}).get("addresses")
    return [str(a) for a in value] if isinstance(value, list) and is_known(value) else None


def _origin_update(step: Step, out: Traffic) -> None:
    origin = origin_of(step)
    before, after = _addresses(step.old), _addresses(step.new)
    if before is not None and after is not None:
        lost = [a for a in before if a not in after]
        gained = [a for a in after if a not in before]
        if lost:
            shared = _shared(step)
            empty = "; no address of this stack is left" if shared else "; no address is left"
            out.warnings.append(f"Origin {code(origin)} **loses** {text(', '.join(lost))}: the CDN stops sending "
                                "requests there" + (empty if not after else "") + shared)
            out.origins.append(f"{REMOVE} {code(origin)} loses {text(', '.join(lost))}")
        if gained:
            out.origins.append(f"{ADD} {code(origin)} gains {text(', '.join(gained))}")
    elif after is None:
        out.origins.append(f"✏️ {code(origin)}: addresses known after apply")
    ttl_old, ttl_new = (step.old or {}).get("ttl"), (step.new or {}).get("ttl")
    if ttl_old != ttl_new:
        out.origins.append(f"⏱️ {code(origin)} TTL {text(_text(ttl_old))} s → {text(_text(ttl_new))} s")


def _shared(step: Step) -> str:
    """A shared origin name: other stacks' clusters contribute to it; this stack changes only its own.
    The other contributors are named as the last run saw them: the preview has no vendor key."""
    props = step.new or step.old
    if not props or props.get("shared") is not True:
        return ""
    return (f" (shared with other stacks, port {text(_text(props.get('port')))}: only this stack's addresses "
            f"change, the other contributors' stay{_contributors(step.last_seen.get('contributors'))})")


def _contributors(seen: Any) -> str:
    if not isinstance(seen, list) or not seen:
        return ""
    named = [f"{text(_text(c.get('owner')))} ({text(', '.join(map(str, c.get('addresses') or [])) or 'no address')})"
             for c in seen if isinstance(c, dict)]
    return f"; other contributors as of the last run: {'; '.join(named)}"


def _origins(steps: list[Step], out: Traffic) -> None:
    for step in (s for s in steps if s.type == DNS_TYPE):
        origin = origin_of(step)
        note = _shared(step)
        if step.op == "create":
            addresses = _addresses(step.new)
            shown = ", ".join(addresses) if addresses is not None else repr(Unknown())
            out.origins.append(f"{ADD} {code(origin)} is created: {text(_text((step.new or {}).get('type')))} "
                               f"{text(shown)} (TTL {text(_text((step.new or {}).get('ttl')))} s){note}")
        elif step.op == "update":
            _origin_update(step, out)
        elif step.op == "delete":
            if step.retain_on_delete:
                out.warnings.append(f"Origin {code(origin)} leaves the program but its records are **retained** "
                                    "at Vultr (retainOnDelete): nothing manages them any more")
            else:
                gone = text(", ".join(_addresses(step.old) or []))
                out.warnings.append(f"Origin {code(origin)} is **deleted**{_guard(step)}: its records ({gone}) are "
                                    "removed; CDN rules still pointing at it stop reaching the origin")
            out.origins.append(f"{REMOVE} {code(origin)} leaves the program{note}")
        elif step.op == "replace":
            order = ("deleted before the new ones are created: the name does not resolve in between"
                     if step.delete_first else "created anew before the old records are deleted")
            keys = text(", ".join(step.replace_keys) or "name")
            out.warnings.append(f"Origin {code(origin)} is **replaced**{_guard(step)} ({keys} changed): its records "
                                f"are {order}")
            out.origins.append(f"♻️ {code(origin)} is replaced ({keys} changed)")


# -- Cloudflare records: published hosts (proxied) and origin aliases ------------------------
def _cloudflare_records(steps: list[Step], out: Traffic) -> None:
    for step in (s for s in steps if s.type == CLOUDFLARE_DNS_TYPE):
        inputs = step.new or step.old or {}
        name, target = code(_text(inputs.get("name"))), code(_text(inputs.get("content")))
        if inputs.get("proxied") is False:
            _alias_record(step, name, target, out)
        else:
            _host_record(step, name, target, out)


def _alias_record(step: Step, name: str, target: str, out: Traffic) -> None:
    if step.op == "create":
        out.origins.append(f"{ADD} {name} is created: unproxied CNAME → {target} (the origin alias of "
                           "Cloudflare rules)")
    elif step.op in ("update", "replace"):
        before = code(_text((step.old or {}).get("content")))
        out.origins.append(f"✏️ origin alias {name}: {before} → {target}")
    elif step.op == "delete":
        kept = " (retained at Cloudflare)" if step.retain_on_delete else ""
        out.origins.append(f"{REMOVE} origin alias {name} leaves the program{kept}")


def _host_record(step: Step, name: str, target: str, out: Traffic) -> None:
    if step.op == "create":
        out.routes.append(f"{ADD} {name} is created: proxied by Cloudflare (CNAME → {target})")
    elif step.op in ("update", "replace"):
        out.routes.append(f"✏️ published host {name}: CNAME {code(_text((step.old or {}).get('content')))} → "
                          f"{target}")
    elif step.op == "delete" and step.retain_on_delete:
        out.warnings.append(f"Published host {name} leaves the program but its record is **retained** at "
                            "Cloudflare (retainOnDelete): nothing manages it any more")
    elif step.op == "delete":
        out.warnings.append(f"Published host {name} is **deleted** at Cloudflare{_guard(step)}: the host stops "
                            "resolving, and no rule of it is served")
        out.routes.append(f"{REMOVE} {name} is no longer published")


# -- Ingress status ----------------------------------------------------------------------------
def _statuses(steps: list[Step], out: Traffic) -> None:
    for step in (s for s in steps if s.type == STATUS_TYPE):
        inputs = step.new or step.old or {}
        ingress = f"{_text(inputs.get('namespace'))}/{_text(inputs.get('ingress'))}"
        before = ", ".join(map(str, (step.old or {}).get("hostnames") or [])) or "nothing"
        after = ", ".join(map(str, (step.new or {}).get("hostnames") or [])) or "nothing"
        if step.op == "create":
            out.statuses.append(f"{ADD} Ingress {code(ingress)} reports {code(after)} in status.loadBalancer")
        elif step.op == "delete":
            out.statuses.append(f"{REMOVE} Ingress {code(ingress)}: status.loadBalancer is cleared "
                                f"(was {code(before)})")
        elif step.op in ("update", "replace"):
            out.statuses.append(f"✏️ Ingress {code(ingress)} status.loadBalancer: {code(before)} → {code(after)}")


def _route_status_text(inputs: dict[str, Any]) -> str:
    found = inputs.get("status")
    status: dict[str, Any] = found if isinstance(found, dict) else {}
    if inputs.get("plural") == "gateways":
        hosts = ", ".join(str(a.get("value")) for a in status.get("addresses") or [] if isinstance(a, dict))
        return f"reports {code(hosts or 'nothing')} in status.addresses"
    parts = []
    for parent in status.get("parents") or []:
        accepted: dict[str, Any] = next((c for c in parent.get("conditions") or [] if c.get("type") == "Accepted"),
                                        {})
        name = _text((parent.get("parentRef") or {}).get("name"))
        parts.append(f"Accepted={text(_text(accepted.get('status')))} ({text(_text(accepted.get('reason')))}) "
                     f"for parent {code(name)}")
    return "reports " + ("; ".join(parts) or "no parent")


def _route_statuses(steps: list[Step], out: Traffic) -> None:
    for step in (s for s in steps if s.type == ROUTE_STATUS_TYPE):
        inputs = step.new or step.old or {}
        kind = "Gateway" if inputs.get("plural") == "gateways" else "HTTPRoute"
        what = f"{kind} {code(_text(inputs.get('namespace')) + '/' + _text(inputs.get('name')))}"
        if step.op == "delete":
            out.statuses.append(f"{REMOVE} {what}: our status entries are removed")
        elif step.op in ("create", "update", "replace"):
            out.statuses.append(f"{ADD if step.op == 'create' else '✏️'} {what} {_route_status_text(inputs)}")


def traffic(steps: list[Step]) -> Traffic:
    out = Traffic()
    _rules(steps, out)
    _origins(steps, out)
    _cloudflare_records(steps, out)
    _statuses(steps, out)
    _route_statuses(steps, out)
    return out
