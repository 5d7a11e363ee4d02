"""``OriginRule`` lifecycle: one rule in the zone's ``http_request_origin`` entry point ruleset,
written, changed and removed through the one-rule endpoints only, so rules others own in that
phase are never touched. The rule owned is the id in state; its ``description`` carries the
owner's claim and its ``ref`` names its host + path, so a rule a killed run left is recognised.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from cloudflare_provider.client import CloudflareClient, rule_by_ref, rules_of
from cloudflare_provider.common import claim_of
from cloudflare_provider.errors import CloudflareConflict, CloudflareNotFound
from cloudflare_provider.rules import (
    INPUTS,
    NO_DIFF,
    REPLACE_ON,
    check_inputs,
    definition,
    expression,
    inputs_from_live,
    misplaced,
    normal,
    position,
    ref,
    same,
)
from cloudflare_provider.settings import CloudflareSettings
from cloudflare_provider.types import RulesetWire, RuleWire
from restkit.provider import ConfiguredProvider
from restkit.values import known


def _find(ruleset: RulesetWire | None, rule_id: str) -> RuleWire | None:
    return next((rule for rule in rules_of(ruleset) if rule.get("id") == rule_id), None)


class OriginRuleProvider(ConfiguredProvider):
    def __init__(self) -> None:
        self.settings = CloudflareSettings()

    def configure(self, req: ConfigureRequest) -> None:
        self.settings.configure(req.config)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        p = normal(news)
        failures = check_inputs(p)
        return CheckResult(news if failures else p, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        p, old = normal(news), normal(olds)
        changed = [k for k in INPUTS if k not in NO_DIFF and (not known(p[k]) or old.get(k) != p[k])]
        return DiffResult(changes=bool(changed), replaces=[k for k in REPLACE_ON if k in changed],
                          delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        p = normal(props)
        client = self.settings.client()
        zone_id = self.settings.zone_id(p["zone"])
        ruleset = client.ensure_entrypoint(zone_id)
        existing = [r for r in ruleset.get("rules", [])
                    if r.get("ref") == ref(p) or r.get("expression") == expression(p)]
        foreign = [r for r in existing if not (p["owner"] and claim_of(r.get("description")) == p["owner"])]
        if foreign and not p["adopt"]:
            owner = claim_of(foreign[0].get("description"))
            raise CloudflareConflict(
                f"a Cloudflare Origin Rule for {p['host']}{p['path']} ({p['match']}) exists already and is not "
                f"managed by this stack: id={foreign[0].get('id')}{f' (claimed by owner {owner})' if owner else ''}; "
                "set adopt (cdn-ingress:adoptExisting) to take it over")
        if existing:  # a killed run's rule, or the one adopted: take it over in place
            after = client.edit_rule(zone_id, ruleset["id"], str(existing[0]["id"]), definition(p))
        else:
            body = {**definition(p), "position": position(ruleset.get("rules", []), p)}
            after = client.create_rule(zone_id, ruleset["id"], body)
        rule = self._in_order(client, zone_id, after, p)
        return CreateResult(str(rule["id"]), _outputs(p, zone_id, rule))

    def _in_order(self, client: CloudflareClient, zone_id: str, after: RulesetWire, p: dict[str, Any]) -> RuleWire:
        """Checked on the ruleset as our write left it (the write's answer): another writer of the
        same host may have appended at the same moment, and matching Origin Rules merge with the
        later one winning. One appending after us sees our rule in its own answer."""
        rule = rule_by_ref(after, ref(p))
        move = misplaced(after.get("rules", []), str(rule["id"]), p)
        if move is None:
            return rule
        return rule_by_ref(client.edit_rule(zone_id, str(after.get("id")), str(rule["id"]),
                                            {**definition(p), "position": move}), ref(p))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        p, old = normal(news), normal(olds)
        client = self.settings.client()
        zone_id = olds.get("zone_id") or self.settings.zone_id(p["zone"])
        live = _find(client.entrypoint(zone_id), id_)
        if live is None:
            raise CloudflareConflict(f"Cloudflare Origin Rule {id_} ({old['host']}{old['path']}) is gone; run "
                                     "`pulumi refresh` to drop it from state, then `pulumi up` to write it again")
        self._check_writable(id_, live, old, p)
        if same(live, p) and claim_of(live.get("description")) == p["owner"] and live.get("ref") == ref(p):
            return UpdateResult(_outputs(p, zone_id, live))
        body = definition(p)
        moved = (old["path"], old["match"]) != (p["path"], p["match"])
        if moved:
            rules = (client.entrypoint(zone_id) or {}).get("rules", [])
            body["position"] = position(rules, p, skip=id_)
        after = client.edit_rule(zone_id, live["ruleset_id"], id_, body)
        rule = self._in_order(client, zone_id, after, p) if moved else rule_by_ref(after, ref(p))
        return UpdateResult(_outputs(p, zone_id, rule))

    def _check_writable(self, id_: str, live: RuleWire, old: dict[str, Any], p: dict[str, Any]) -> None:
        owner = claim_of(live.get("description"))
        if old["owner"] and owner != old["owner"] and not p["adopt"]:
            raise CloudflareConflict(f"Cloudflare Origin Rule {id_} ({old['host']}{old['path']}) is claimed by "
                                     f"{owner or 'nobody'} now, not by this stack; set adopt to take it back")
        if not (same(live, old) or same(live, p)):
            raise CloudflareConflict(
                f"Cloudflare Origin Rule {id_} ({old['host']}{old['path']}) was changed outside this stack; run "
                "`pulumi refresh` to take the live rule into state, then `pulumi up` to apply this program's values")

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        p = normal(props)
        client = self.settings.client()
        zone_id = props.get("zone_id") or self.settings.zone_id(p["zone"])
        rule = _find(client.entrypoint(zone_id), id_)
        if rule is None or (p["owner"] and claim_of(rule.get("description")) != p["owner"]):
            return  # gone, or adopted by another stack: not ours to delete
        try:
            client.delete_rule(zone_id, rule["ruleset_id"], id_)
        except CloudflareNotFound:
            return

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        p = normal(props)
        zone_id = props.get("zone_id") or self.settings.zone_id(p["zone"])
        listed = self.settings.rules()  # one entry point read for every rule of the refresh
        rule = listed.get(zone_id, id_) or listed.get(zone_id, id_, fresh=True)
        if rule is None or (p["owner"] and claim_of(rule.get("description")) not in ("", p["owner"])):
            return ReadResult("", {})
        outs = _outputs(inputs_from_live(rule, p), zone_id, rule)
        return ReadResult(id_, outs, {k: outs[k] for k in INPUTS})

    def client(self) -> CloudflareClient:
        return self.settings.client()


def _outputs(p: dict[str, Any], zone_id: str, rule: RuleWire) -> dict[str, Any]:
    return {**{k: p[k] for k in INPUTS}, "zone_id": zone_id, "ruleset_id": rule.get("ruleset_id"),
            "ref": rule.get("ref"), "version": rule.get("version"), "expression": rule.get("expression"),
            "published_url": f"https://{p['host']}{p['path']}"}
