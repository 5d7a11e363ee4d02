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
import threading
from typing import Any

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from restkit import positive_setting
from vultr_provider.checks import INPUTS, check_inputs, known, normal, sort_key
from vultr_provider.client import DEFAULT_ENDPOINT, VultrClient, usable_api_key
from vultr_provider.errors import VultrConfigError, VultrConflict, VultrNotFound
from vultr_provider.ownership import MARKER_TTL, Claim, NameView, marker_data, marker_name, parse_marker, view
from vultr_provider.records import SetWriter
from vultr_provider.types import DnsRecord
from vultr_provider.zone import DEFAULT_MAX_AGE, ZoneSnapshots

REPLACE_ON = ("domain", "name", "type")


class DnsRecordSetProvider(ResourceProvider):
    def __init__(self) -> None:
        self._api_key: str | None = None
        self._endpoint = DEFAULT_ENDPOINT
        self._rate = 20.0
        self._timeout = 30.0
        self._zone_age = DEFAULT_MAX_AGE
        self._client: VultrClient | None = None
        self._zones: ZoneSnapshots | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {}  # credentials and clients come from configure(), never from state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

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
        olds = {"owner": "", "set_key": "", **olds}  # state written before these existed has none
        changed = [key for key in ("domain", "name", "type", "ttl", "owner", "set_key")
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
        names = self._view(p)
        owned = self._claimable(p, names, state_ids=set(), state_marker="")
        marker = self._claim(p, names)
        owned_map = self._converge(p, owned, names)
        return CreateResult(_set_id(p), _outputs(p, owned_map, marker))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        p = normal(news)
        names = self._view(p)
        state_ids = set((olds.get("record_ids") or {}).values())
        state_marker = str(olds.get("marker_id") or "")
        owned = self._claimable(p, names, state_ids=state_ids, state_marker=state_marker)
        marker = self._claim(p, names)
        owned_map = self._converge(p, owned, names)
        if state_marker and state_marker != marker:  # an owner change: the old claim goes last
            self._writer(p).delete(state_marker)
        return UpdateResult(_outputs(p, owned_map, marker))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        p = normal(props)
        writer = self._writer(p)
        marker = str(props.get("marker_id") or "")
        if marker and self._handed_over(p, marker):
            return  # another set of this owner took the records (and the marker) over
        for record_id in (props.get("record_ids") or {}).values():
            writer.delete(record_id)
        if marker:  # last: a delete cut short still has its claim
            writer.delete(marker)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Each owned record (and the marker) by id: correct whatever else writes to the zone,
        and as many calls as the set has records, however large the zone."""
        p = normal(props)
        found = [self._get(p, i) for i in (props.get("record_ids") or {}).values()]
        live = [r for r in found if r is not None]
        marker = str(props.get("marker_id") or "")
        live_marker = self._get(p, marker) if marker else None
        claim = parse_marker(live_marker) if live_marker else None
        if not live or (claim is not None and (claim.owner, claim.key) != (p["owner"], p["set_key"])):
            return ReadResult("", {})  # gone, or handed over to another set
        owned = {r["data"]: str(r["id"]) for r in live if (r["name"], r["type"]) == (p["name"], p["type"])}
        p["addresses"] = sorted(owned, key=sort_key)
        p["ttl"] = live[0]["ttl"]
        outs = _outputs(p, owned, marker if claim else None)
        return ReadResult(id_, outs, {k: outs[k] for k in INPUTS})

    # -- steps -------------------------------------------------------------------------------
    def _view(self, p: dict[str, Any]) -> NameView:
        zone = self.zones().records(p["domain"])
        return view(zone, name=p["name"], type_=p["type"], owner=p["owner"], key=p["set_key"])

    def _claimable(self, p: dict[str, Any], names: NameView, *, state_ids: set[str], state_marker: str
                   ) -> list[DnsRecord]:
        """The records at the name this set may own; raises VultrConflict naming every record and
        claim it may not. Its own (state); with its own marker, what its killed runs left (at a
        create: everything, the marker was written after checking the name was free; at an update:
        records of declared addresses); a sibling's, handed over; with adopt, all."""
        foreign_claims = [c for c in names.foreign_claims if c.record_id != state_marker]
        if p["adopt"] or (names.siblings and names.mine is None and not foreign_claims):
            return list(names.records) + list(names.parked)
        mine = names.mine is not None and not foreign_claims
        creating = not state_ids and not state_marker
        others = [r for r in names.records if r["id"] not in state_ids
                  and not (mine and (creating or r["data"] in p["addresses"]))]
        if others or foreign_claims:
            raise VultrConflict(_conflict_message(p, others, foreign_claims))
        parked = [r for r in names.parked if r["id"] in state_ids or (mine and creating)]
        return list(names.records) + parked

    def _claim(self, p: dict[str, Any], names: NameView) -> str | None:
        """This set's marker id: kept, handed over from a sibling, or written now (before any
        record, so a run killed after its first record is still recognised as ours)."""
        if not p["owner"]:
            return None
        if names.mine is not None:
            return names.mine.record_id
        writer = self._writer(p)
        data = f'"{marker_data(p["owner"], p["set_key"], p["type"])}"'
        if names.siblings:
            writer.patch_id(names.siblings[0].record_id, data=data)
            return names.siblings[0].record_id
        # No record holds this data yet (else it would be ours): a lost answer is found by data.
        return str(writer.create_at(marker_name(p["name"]), "TXT", data, MARKER_TTL, set())["id"])

    def _converge(self, p: dict[str, Any], owned: list[DnsRecord], names: NameView) -> dict[str, str]:
        writer = self._writer(p)
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

    def _handed_over(self, p: dict[str, Any], marker_id: str) -> bool:
        record = self._get(p, marker_id)
        claim = parse_marker(record) if record else None
        return claim is not None and claim.owner == p["owner"] and claim.key != p["set_key"]

    def _writer(self, p: dict[str, Any]) -> SetWriter:
        return SetWriter(self.client(), self.zones(), p["domain"], p["name"], p["type"])


def _conflict_message(p: dict[str, Any], others: list[DnsRecord], claims: list[Claim]) -> str:
    parts = [f"id={r['id']} {_fqdn(p)} {r['type']} {r['data']}" for r in others]
    parts += [f"id={c.record_id} {marker_name(p['name'])} TXT (claimed by owner {c.owner})" for c in claims]
    return (f"{_fqdn(p)} {p['type']} holds records this set does not own: {', '.join(parts)}; they would "
            "join its round robin. Remove them, or set adopt (cdn-ingress:adoptExisting) to take them over "
            "and make the set exactly as declared")


def _positive(config: Any, setting: str, default: float) -> float:
    return positive_setting(config.get(setting), default, setting=setting, error=VultrConfigError)


def _outputs(p: dict[str, Any], owned: dict[str, str], marker: str | None = None) -> dict[str, Any]:
    addresses = sorted(owned, key=sort_key)
    return {**{k: p[k] for k in INPUTS}, "addresses": addresses, "fqdn": _fqdn(p),
            "record_ids": {a: owned[a] for a in addresses}, "marker_id": marker or ""}


def _fqdn(p: dict[str, Any]) -> str:
    return f"{p['name']}.{p['domain']}" if p["name"] else str(p["domain"])


def _set_id(p: dict[str, Any]) -> str:
    return f"{p['domain']}/{p['name'] or '@'}/{p['type']}"
