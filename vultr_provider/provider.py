"""``DnsRecordSet`` lifecycle: one record per address, owned by id, never a gap, never a record
that is not in state (or explicitly adopted), never a record some other set owns.

With an ``owner`` (the program passes its stack instance) and a ``set_key`` (the resource), the
set keeps a TXT ownership marker (``ownership.py``), written before the first address record and
deleted last. What the marker decides at create or update:
- our own marker: records at the name are ours (a killed run left them), taken over;
- a sibling's marker (same owner, other set: a Service moved between namespaces, the old resource
  not yet deleted): the claim is handed over in one write, and the old resource's delete then
  finds its marker no longer naming it and leaves the records alone;
- anyone else's marker, or records with no marker: a conflict naming every record, unless
  ``adopt``, after which the set ends exactly as declared.
"""

from __future__ import annotations

import os
import random
import threading
import time
from typing import Any

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from restkit import positive_setting
from restkit.provider import ConfiguredProvider
from vultr_provider import claims
from vultr_provider.checks import INPUTS, check_inputs, known, normal, sort_key
from vultr_provider.claims import StateClaim
from vultr_provider.client import DEFAULT_ENDPOINT, VultrClient, usable_api_key
from vultr_provider.errors import VultrConfigError, VultrConflict, VultrNotFound
from vultr_provider.ownership import Claim, NameView, parse_marker, view
from vultr_provider.records import SetWriter
from vultr_provider.types import DnsRecord
from vultr_provider.zone import DEFAULT_MAX_AGE, ZoneSnapshots

REPLACE_ON = ("domain", "name", "type")
CLAIM_ATTEMPTS = 3


class DnsRecordSetProvider(ConfiguredProvider):
    def __init__(self) -> None:
        self._api_key: str | None = None
        self._endpoint = DEFAULT_ENDPOINT
        self._rate = 20.0
        self._timeout = 30.0
        self._zone_age = DEFAULT_MAX_AGE
        self._client: VultrClient | None = None
        self._zones: ZoneSnapshots | None = None
        self._lock = threading.Lock()

    def configure(self, req: ConfigureRequest) -> None:
        config = req.config
        raw = config.get("vultr:apiKey") or os.environ.get("VULTR_API_KEY")
        self._api_key = usable_api_key(raw, setting="vultr:apiKey") if raw else None
        self._endpoint = config.get("vultr:endpoint") or os.environ.get("VULTR_ENDPOINT") or DEFAULT_ENDPOINT
        self._rate = _positive(config, "vultr:requestsPerSecond", 20.0)
        self._timeout = _positive(config, "vultr:timeoutSeconds", 30.0)
        self._zone_age = _positive(config, "vultr:zoneSnapshotSeconds", DEFAULT_MAX_AGE)

    def client(self) -> VultrClient:
        with self._lock:
            if self._client is None:
                if not self._api_key:
                    raise VultrConfigError(
                        "no Vultr API key: set it with `pulumi config set --secret vultr:apiKey <key>` "
                        "(or the environment variable VULTR_API_KEY)")
                self._client = VultrClient(self._api_key, endpoint=self._endpoint,
                                           requests_per_second=self._rate, timeout=self._timeout)
            return self._client

    def zones(self) -> ZoneSnapshots:
        client = self.client()
        with self._lock:
            if self._zones is None:
                self._zones = ZoneSnapshots(client.list_records, max_age=self._zone_age)
            return self._zones

    # -- pure --------------------------------------------------------------------------------
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = check_inputs(news)
        return CheckResult(news if failures else normal(news), failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        news = normal(news)
        olds = {"owner": "", "set_key": "", "shared": False, "port": 0, **olds}  # older state has none of these
        changed = [key for key in ("domain", "name", "type", "ttl", "owner", "set_key", "shared", "port")
                   if not known(news.get(key)) or olds.get(key) != news.get(key)]
        new_addresses = news.get("addresses")
        if not known(new_addresses) or not all(known(a) for a in new_addresses or []) or \
                set(olds.get("addresses") or []) != set(new_addresses or []):
            changed.append("addresses")
        replaces = [key for key in REPLACE_ON if key in changed]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)

    # -- lifecycle ---------------------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        p = normal(props)
        owned_map, marker, names = self._apply(p, StateClaim())
        return CreateResult(_set_id(p), _outputs(p, owned_map, marker, names))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        p = normal(news)
        state = StateClaim(frozenset((olds.get("record_ids") or {}).values()), str(olds.get("marker_id") or ""),
                           str(olds.get("owner") or ""), str(olds.get("set_key") or ""))
        owned_map, marker, names = self._apply(p, state)
        return UpdateResult(_outputs(p, owned_map, marker, names))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Removes the records in state, never one another claim names, and the marker last."""
        p = normal(props)
        marker = str(props.get("marker_id") or "")
        live = self._get(p, marker) if marker else None  # by id, now: an adoption rewrites it in place
        claim = parse_marker(live) if live else None
        if claim is not None and (claim.owner, claim.key) != (p["owner"], p["set_key"]):
            return  # handed over or adopted: the records are the claimant's now
        others = [c for c in self._view(p).claims if (c.owner, c.key) != (p["owner"], p["set_key"])]
        writer = self._writer(p)
        for record_id in (props.get("record_ids") or {}).values():
            if not any(c.names(record_id) if c.owner != p["owner"] else record_id in (c.records or ())
                       for c in others):
                writer.delete(record_id)
        if claim is not None:  # last: a delete cut short still has its claim
            writer.delete(claim.record_id)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """The owned records and the marker, from the zone listing the process shares: one listing
        (a page per 500 records) for every set of a refresh, not a read per record."""
        p = normal(props)
        names = self._view(p)
        by_id = {str(r["id"]): r for r in names.all_records}
        live = [by_id[i] for i in (props.get("record_ids") or {}).values() if i in by_id]
        claim = _claim_at(names, str(props.get("marker_id") or ""))
        if not live or (claim is not None and (claim.owner, claim.key) != (p["owner"], p["set_key"])):
            return ReadResult("", {})  # gone, or handed over to another set
        owned = {r["data"]: str(r["id"]) for r in live if r["name"] == p["name"]}
        p["addresses"] = sorted(owned, key=sort_key)
        p["ttl"] = live[0]["ttl"]
        outs = _outputs(p, owned, claim.record_id if claim else None, names)
        return ReadResult(id_, outs, {k: outs[k] for k in INPUTS})

    # -- steps -------------------------------------------------------------------------------
    def _apply(self, p: dict[str, Any], state: StateClaim) -> tuple[dict[str, str], str | None, NameView]:
        """Claim the name, bring the records to the declared set, name them in the marker. A claim
        that meets another stack's racing claim is withdrawn and tried again after a pause; any
        other failure withdraws it and removes the records this run made (Pulumi keeps the state
        of before, so nothing may outlive it)."""
        names = self._view(p)
        for attempt in range(1, CLAIM_ATTEMPTS + 1):
            decision = claims.decide(p, names, state)
            writer = self._writer(p)
            step = claims.write(writer, p, names, decision)
            try:
                if step.written_at is not None:  # decided again on a listing begun after the claim
                    names = self._view(p, not_before=step.written_at)
                    decision = claims.verify(p, names, step, decision)
                owned = self._converge(writer, p, decision.owned, names)
                claims.finish(writer, p, step, owned)
                return owned, step.marker_id, names
            except VultrConflict:
                claims.withdraw(writer, step)
                if attempt == CLAIM_ATTEMPTS or not self._raced(p, names, step):
                    raise
            except Exception:
                claims.withdraw(writer, step)
                raise
            time.sleep(random.uniform(0.2, 0.6) * attempt)  # two claimants that saw each other part
            names = self._view(p, fresh=True)
        raise AssertionError("unreachable")

    def _raced(self, p: dict[str, Any], names: NameView, step: claims.ClaimStep) -> bool:
        """Another owner's claim met ours at the same moment (not one that was there before)."""
        return step.written_at is not None and any(c.owner != p["owner"] for c in names.claims)

    def _view(self, p: dict[str, Any], *, fresh: bool = False, not_before: float | None = None) -> NameView:
        zone = self.zones().records(p["domain"], fresh=fresh, not_before=not_before)
        return view(zone, name=p["name"], type_=p["type"], owner=p["owner"], key=p["set_key"])

    def _converge(self, writer: SetWriter, p: dict[str, Any], owned: list[DnsRecord], names: NameView
                  ) -> dict[str, str]:
        known_ids = {str(r["id"]) for r in names.records}
        try:
            return writer.converge(owned, p["addresses"], p["ttl"], known_ids)
        except Exception:
            # Pulumi keeps the old state after a failure: the records this run made would be
            # nobody's, so they go. What was there before stays (never zero records).
            writer.undo(set(p["addresses"]), known_ids)
            raise

    def _get(self, p: dict[str, Any], record_id: str) -> DnsRecord | None:
        try:
            return self.client().get_record(p["domain"], record_id)
        except VultrNotFound:
            return None

    def _writer(self, p: dict[str, Any]) -> SetWriter:
        return SetWriter(self.client(), self.zones(), p["domain"], p["name"], p["type"])


def _claim_at(names: NameView, marker_id: str) -> Claim | None:
    return next((c for c in names.claims if c.record_id == marker_id), None) if marker_id else None


def _positive(config: Any, setting: str, default: float) -> float:
    return positive_setting(config.get(setting), default, setting=setting, error=VultrConfigError)


def _outputs(p: dict[str, Any], owned: dict[str, str], marker: str | None, names: NameView) -> dict[str, Any]:
    addresses = sorted(owned, key=sort_key)
    outs = {**{k: p[k] for k in INPUTS}, "addresses": addresses, "fqdn": _fqdn(p),
            "record_ids": {a: owned[a] for a in addresses}, "marker_id": marker or ""}
    if p["shared"]:
        outs["contributors"] = _contributors(p, names)
    return outs


def _contributors(p: dict[str, Any], names: NameView) -> list[dict[str, Any]]:
    """The other stacks contributing to a shared name and their addresses, as this run saw them: the
    preview shows them from state (the preview job has no vendor key)."""
    others = sorted((c for c in names.claims if c.shared and c.owner != p["owner"]), key=lambda c: (c.owner, c.key))
    return [{"owner": c.owner, "port": c.port,
             "addresses": sorted({r["data"] for r in names.records if c.holds(r)}, key=sort_key)} for c in others]


def _fqdn(p: dict[str, Any]) -> str:
    return f"{p['name']}.{p['domain']}" if p["name"] else str(p["domain"])


def _set_id(p: dict[str, Any]) -> str:
    return f"{p['domain']}/{p['name'] or '@'}/{p['type']}"
