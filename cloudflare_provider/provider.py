"""``DnsRecord`` lifecycle: one DNS record in the stack's Cloudflare zone, owned by its id.

Its ``comment`` carries the owner's claim. A record at the name that would collide and is not
this stack instance's is a conflict naming it, unless adoption is asked for; a record with our
own claim (left by a killed run) is taken over. An update is refused when the record was changed
outside the stack since state last saw it: ``pulumi refresh`` first.
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

from cloudflare_provider.common import claim, claim_of
from cloudflare_provider.errors import CloudflareConflict, CloudflareNotFound
from cloudflare_provider.records import (
    INPUTS,
    NO_DIFF,
    REPLACE_ON,
    check_inputs,
    collides,
    fields,
    inputs_from_live,
    normal,
    same,
)
from cloudflare_provider.settings import CloudflareSettings
from cloudflare_provider.types import DnsRecordWire
from restkit.provider import ConfiguredProvider
from restkit.values import known


class DnsRecordProvider(ConfiguredProvider):
    def __init__(self) -> None:
        self.settings = CloudflareSettings()

    def configure(self, req: ConfigureRequest) -> None:
        self.settings.configure(req.config)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        p = normal(news)
        failures = check_inputs(p)
        return CheckResult(news if failures else p, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        p = normal(news)
        old = normal(olds)
        changed = [k for k in INPUTS if k not in NO_DIFF and (not known(p[k]) or old.get(k) != p[k])]
        return DiffResult(changes=bool(changed), replaces=[k for k in REPLACE_ON if k in changed],
                          delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        p = normal(props)
        client = self.settings.client()
        zone_id = self.settings.zone_id(p["zone"])
        at_name = client.list_records(zone_id, p["name"])
        colliding = [r for r in at_name if collides(r, p["type"])]
        foreign = [r for r in colliding if not (p["owner"] and claim_of(r.get("comment")) == p["owner"])]
        if foreign and not p["adopt"]:
            raise CloudflareConflict(
                f"Cloudflare DNS name {p['name']} has record(s) this stack does not own: "
                + ", ".join(_describe(r) for r in foreign) + "; set adopt (cdn-ingress:adoptExisting) to take the "
                "name over")
        if not colliding:
            made = client.create_record(zone_id, fields(p), before={str(r["id"]) for r in at_name})
            return CreateResult(made["id"], _outputs(p, zone_id, made))
        keep, *extra = colliding  # a killed run's record, or the one adopted; the rest would collide
        record = client.update_record(zone_id, keep["id"], fields(p))
        for other in extra:
            client.delete_record(zone_id, other["id"])
        return CreateResult(record["id"], _outputs(p, zone_id, record))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        p, old = normal(news), normal(olds)
        client = self.settings.client()
        zone_id = olds.get("zone_id") or self.settings.zone_id(p["zone"])
        live = client.get_record(zone_id, id_)
        owner = claim_of(live.get("comment"))
        if old["owner"] and owner != old["owner"] and not p["adopt"]:
            raise CloudflareConflict(f"Cloudflare DNS record {id_} ({old['name']}) is claimed by "
                                     f"{owner or 'nobody'} now, not by this stack; set adopt to take it back")
        if not (same(live, old) or same(live, p)):
            raise CloudflareConflict(
                f"Cloudflare DNS record {id_} ({old['name']}) was changed outside this stack; run `pulumi refresh` "
                "to take the live record into state, then `pulumi up` to apply this program's values")
        if same(live, p) and claim(p["owner"]) == (live.get("comment") or ""):
            return UpdateResult(_outputs(p, zone_id, live))
        return UpdateResult(_outputs(p, zone_id, client.update_record(zone_id, id_, fields(p))))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        p = normal(props)
        client = self.settings.client()
        zone_id = props.get("zone_id") or self.settings.zone_id(p["zone"])
        try:
            if p["owner"] and claim_of(client.get_record(zone_id, id_).get("comment")) != p["owner"]:
                return  # another stack adopted it, or someone rewrote it: not ours to delete
            client.delete_record(zone_id, id_)
        except CloudflareNotFound:
            return

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        p = normal(props)
        zone_id = props.get("zone_id") or self.settings.zone_id(p["zone"])
        try:  # one listing for every record of the refresh; one missing from it is read before it is gone
            record = self.settings.records().get(zone_id, id_) or self.settings.client().get_record(zone_id, id_)
        except CloudflareNotFound:
            return ReadResult("", {})
        if p["owner"] and claim_of(record.get("comment")) not in ("", p["owner"]):
            return ReadResult("", {})  # adopted by another stack: no longer ours
        live = inputs_from_live(record, p)
        outs = _outputs(live, zone_id, record)
        return ReadResult(id_, outs, {k: outs[k] for k in INPUTS})


def _describe(record: DnsRecordWire) -> str:
    owner = claim_of(record.get("comment"))
    return f"id={record.get('id')} {record.get('type')} {record.get('content')}" + (
        f" (claimed by owner {owner})" if owner else "")


def _outputs(p: dict[str, Any], zone_id: str, record: DnsRecordWire) -> dict[str, Any]:
    return {**{k: p[k] for k in INPUTS}, "zone_id": zone_id,
            "modified_on": record.get("modified_on")}
