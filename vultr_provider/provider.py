"""``DnsRecordSet`` lifecycle: one record per address, owned by id, never a gap, never a
record that is not in state (or explicitly adopted).

With an ``owner`` (the program passes ``<project>/<stack>``), the set also keeps an ownership
marker, a TXT record ``_cdn-ingress.<name>`` saying ``heritage=cdn-ingress owner=<owner>``,
written before the first address record. A run killed after it wrote records but before Pulumi
saved them leaves that marker behind, so the next create knows the records with this name,
type and one of its addresses are its own (it checked that none existed before writing the
marker) and takes them over instead of failing on a collision. Vultr records carry no
description or tag, so a marker record is the only place such a claim can live.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

from vultr_provider.client import DEFAULT_ENDPOINT, VultrClient
from vultr_provider.errors import VultrConfigError, VultrConflict, VultrNotFound

INPUTS = ("domain", "name", "type", "addresses", "ttl", "adopt", "owner")
MARKER_PREFIX = "_cdn-ingress"
MARKER_TTL = 300
_OWNER = re.compile(r"^[A-Za-z0-9._/-]{1,200}$")
REPLACE_ON = ("domain", "name", "type")
TYPES = {"A": 4, "AAAA": 6}
TTL_RANGE = (60, 86400)
_LABEL = r"([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)"
_DOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})+$")
_NAME = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")


def _known(value: Any) -> bool:
    return not isinstance(value, Unknown)


def check_inputs(news: dict[str, Any]) -> list[CheckFailure]:
    """Every problem of the inputs; values not yet known (preview) are not judged."""
    failures: list[CheckFailure] = []

    def fail(field: str, reason: str) -> None:
        failures.append(CheckFailure(field, f"{field}={news.get(field)!r}: {reason}"))

    domain, name, rtype = news.get("domain"), news.get("name"), news.get("type", "A")
    if _known(domain) and not (isinstance(domain, str) and _DOMAIN.match(domain)):
        fail("domain", "must be the zone's lower-case FQDN without a trailing dot, e.g. 'example.com'")
    if _known(name) and not (isinstance(name, str) and (name == "" or _NAME.match(name))):
        fail("name", "must be a lower-case name relative to the zone ('' for the apex), e.g. 'www'")
    elif _known(name) and _known(domain) and isinstance(domain, str) and name.endswith("." + domain):
        fail("name", f"must be relative to the zone: drop the trailing '.{domain}'")
    if _known(rtype) and rtype not in TYPES:
        fail("type", f"must be one of {sorted(TYPES)}")
    addresses = news.get("addresses")
    if _known(addresses):
        failures.extend(_check_addresses(addresses, TYPES.get(rtype, 4) if _known(rtype) else None))
    ttl = news.get("ttl", 120)
    if _known(ttl) and (isinstance(ttl, bool) or not isinstance(ttl, int | float) or int(ttl) != ttl
                        or not TTL_RANGE[0] <= ttl <= TTL_RANGE[1]):
        fail("ttl", f"must be a whole number of seconds from {TTL_RANGE[0]} to {TTL_RANGE[1]}")
    adopt = news.get("adopt", False)
    if _known(adopt) and not isinstance(adopt, bool):
        fail("adopt", "must be true or false")
    owner = news.get("owner", "")
    if _known(owner) and not (owner == "" or (isinstance(owner, str) and _OWNER.match(owner))):
        fail("owner", "must be empty or 1..200 characters of letters, digits, '.', '_', '/', '-'")
    return failures


def _check_addresses(addresses: Any, version: int | None) -> list[CheckFailure]:
    if not isinstance(addresses, list) or not addresses:
        return [CheckFailure("addresses", f"addresses={addresses!r}: must be a non-empty list of IP addresses")]
    failures, seen = [], set()
    for index, address in enumerate(addresses):
        if not _known(address):
            continue
        try:
            parsed = ipaddress.ip_address(address)
        except (ValueError, TypeError):
            failures.append(CheckFailure("addresses", f"addresses[{index}]={address!r}: not an IP address"))
            continue
        if version is not None and parsed.version != version:
            failures.append(CheckFailure(
                "addresses", f"addresses[{index}]={address!r}: must be an IPv{version} address for this type"))
        if str(parsed) in seen:
            failures.append(CheckFailure("addresses", f"addresses[{index}]={address!r}: listed twice"))
        seen.add(str(parsed))
    return failures


def _normal(news: dict[str, Any]) -> dict[str, Any]:
    """Inputs with defaults applied and addresses in canonical, sorted form."""
    out = {"type": "A", "ttl": 120, "adopt": False, "owner": "", **{k: news[k] for k in INPUTS if k in news}}
    addresses = out.get("addresses")
    if _known(addresses) and isinstance(addresses, list) and all(_known(a) for a in addresses):
        out["addresses"] = sorted({str(ipaddress.ip_address(a)) for a in addresses}, key=_sort_key)
    if _known(out["ttl"]) and isinstance(out["ttl"], float):
        out["ttl"] = int(out["ttl"])
    return out


class DnsRecordSetProvider(ResourceProvider):
    def __init__(self) -> None:
        self._api_key: str | None = None
        self._endpoint = DEFAULT_ENDPOINT
        self._rate = 20.0
        self._timeout = 30.0
        self._client: VultrClient | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {}  # credentials and clients come from configure(), never from state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

    def configure(self, req: ConfigureRequest) -> None:
        config = req.config
        self._api_key = config.get("vultr:apiKey") or os.environ.get("VULTR_API_KEY")
        self._endpoint = config.get("vultr:endpoint") or os.environ.get("VULTR_ENDPOINT") or DEFAULT_ENDPOINT
        self._rate = float(config.get("vultr:requestsPerSecond") or 20)
        self._timeout = float(config.get("vultr:timeoutSeconds") or 30)

    def client(self) -> VultrClient:
        if self._client is None:
            if not self._api_key:
                raise VultrConfigError(
                    "no Vultr API key: set it with `pulumi config set --secret vultr:apiKey <key>` "
                    "(or the environment variable VULTR_API_KEY)")
            self._client = VultrClient(self._api_key, endpoint=self._endpoint,
                                       requests_per_second=self._rate, timeout=self._timeout)
        return self._client

    # -- pure --------------------------------------------------------------------------------
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = check_inputs(news)
        return CheckResult(news if failures else _normal(news), failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        news = _normal(news)
        changed = []
        olds = {"owner": "", **olds}  # state written before owners existed has none
        for key in ("domain", "name", "type", "ttl", "owner"):
            if not _known(news.get(key)) or olds.get(key) != news.get(key):
                changed.append(key)
        new_addresses = news.get("addresses")
        if not _known(new_addresses) or not all(_known(a) for a in new_addresses or []) or \
                set(olds.get("addresses") or []) != set(new_addresses or []):
            changed.append("addresses")
        replaces = [key for key in REPLACE_ON if key in changed]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)

    # -- lifecycle ---------------------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        p = _normal(props)
        client = self.client()
        zone = client.list_records(p["domain"])
        existing = [r for r in zone if (r["name"], r["type"]) == (p["name"], p["type"])]
        marker = _marker_of(zone, p)
        owned: dict[str, str] = {}
        collisions = [r for r in existing if r["data"] in p["addresses"]]
        if collisions and not p["adopt"] and marker is None:
            names = ", ".join(f"id={r['id']} {_fqdn(p)} {r['type']} {r['data']}" for r in collisions)
            raise VultrConflict(f"records exist already and are not managed by this stack: {names}; "
                                "set adopt to take them over (cdn-ingress:adoptExisting)")
        for record in collisions:
            owned.setdefault(record["data"], record["id"])
        known = {r["id"] for r in zone}
        made_marker: dict[str, str] = {}
        try:
            if p["owner"] and marker is None:
                marker = made_marker["marker"] = self._write_marker(p, known)
            for address in p["addresses"]:
                if address not in owned:
                    made = client.create_record(p["domain"], name=p["name"], type=p["type"], data=address,
                                                ttl=p["ttl"], known_ids=known)
                    owned[address] = made["id"]
            for record in collisions:
                if record["ttl"] != p["ttl"] and owned.get(record["data"]) == record["id"]:
                    client.update_record(p["domain"], record["id"], ttl=p["ttl"])
        except Exception:
            self._undo(p, {**owned, **made_marker}, known=known, attempted=set(p["addresses"]))
            raise
        return CreateResult(_set_id(p), self._outputs(p, owned, marker))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        p = _normal(news)
        client = self.client()
        live = {r["id"]: r for r in client.list_records(p["domain"])}
        owned = {addr: rid for addr, rid in (olds.get("record_ids") or {}).items() if rid in live}
        owned = {live[rid]["data"]: rid for rid in owned.values()}  # out-of-band data changes
        wanted = set(p["addresses"])
        if owned and any(live[rid]["ttl"] != p["ttl"] for rid in owned.values()):
            owned = self._retime(p, owned, wanted)
        old_marker = olds.get("marker_id")
        marker = old_marker if old_marker in live else None
        if marker and _marker_data(p) != live[marker]["data"].strip('"'):
            marker = None  # the owner changed: a new marker first, then the old one goes
        made: dict[str, str] = {}
        known, missing = set(live), wanted - set(owned)
        try:
            if p["owner"] and marker is None:
                marker = _marker_of(list(live.values()), p)
                if marker is None:
                    marker = made["marker"] = self._write_marker(p, known)
            for address in sorted(missing, key=_sort_key):
                made[address] = client.create_record(p["domain"], name=p["name"], type=p["type"],
                                                     data=address, ttl=p["ttl"], known_ids=known)["id"]
            for address in set(owned) - wanted:  # only after the new ones exist: no gap
                self._delete(p["domain"], owned[address])
                del owned[address]
        except Exception:
            # A failed update leaves the old state in Pulumi: the records this run made would be
            # nobody's, so they go. What is still live of the old set stays (never zero records).
            self._undo(p, made, known=known, attempted=missing)
            raise
        made.pop("marker", None)
        if old_marker and old_marker in live and old_marker != marker:
            self._delete(p["domain"], old_marker)
        return UpdateResult(self._outputs(p, {**owned, **made}, marker))

    def _retime(self, p: dict[str, Any], owned: dict[str, str], wanted: set[str]) -> dict[str, str]:
        """Vultr refuses mixed TTLs within a set: shrink our records to one, re-time it, regrow."""
        anchor = min(set(owned) & wanted or set(owned), key=_sort_key)
        for address in [a for a in owned if a != anchor]:
            self._delete(p["domain"], owned.pop(address))
        self.client().update_record(p["domain"], owned[anchor], ttl=p["ttl"])
        return owned

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        for record_id in (props.get("record_ids") or {}).values():
            self._delete(props["domain"], record_id)
        if props.get("marker_id"):  # last: a delete cut short still has its claim
            self._delete(props["domain"], props["marker_id"])

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        p = _normal(props)
        ids = set((props.get("record_ids") or {}).values())
        zone = self.client().list_records(p["domain"])
        live = [r for r in zone if r["id"] in ids]
        if not live:
            return ReadResult("", {})
        owned = {r["data"]: r["id"] for r in live}
        p["addresses"] = sorted(owned, key=_sort_key)
        p["ttl"] = live[0]["ttl"]
        marker = props.get("marker_id")
        if marker and not any(r["id"] == marker for r in zone):
            marker = None
        outs = self._outputs(p, owned, marker)
        return ReadResult(id_, outs, {k: outs[k] for k in INPUTS})

    # -- helpers -----------------------------------------------------------------------------
    def _delete(self, domain: str, record_id: str) -> None:
        with contextlib.suppress(VultrNotFound):  # gone already: the goal of a delete
            self.client().delete_record(domain, record_id)

    def _undo(self, p: dict[str, Any], made: dict[str, str], *, known: set[str], attempted: set[str]
              ) -> None:
        """Delete what a failed operation made: the ids it got back (its marker too, if it wrote
        one), and any record with our name,
        type and one of the addresses it tried that appeared during the operation (a create whose
        answer was lost). Records there before it started (``known``) are never touched. Best
        effort, a few passes; the original error is what the user must see."""
        for _ in range(3):
            try:
                live = self.client().list_records(p["domain"])
                appeared = {r["id"] for r in live if r["id"] not in known and r["data"] in attempted
                            and (r["name"], r["type"]) == (p["name"], p["type"])}
                targets = (set(made.values()) - known) | appeared
                for record_id in sorted(targets & {r["id"] for r in live}):
                    self._delete(p["domain"], record_id)
                return
            except Exception:  # retried, then given up on purpose
                continue

    def _write_marker(self, p: dict[str, Any], known: set[str]) -> str:
        made = self.client().create_record(p["domain"], name=_marker_name(p), type="TXT",
                                           data=f'"{_marker_data(p)}"', ttl=MARKER_TTL, known_ids=known)
        return str(made["id"])

    @staticmethod
    def _outputs(p: dict[str, Any], owned: dict[str, str], marker: str | None = None) -> dict[str, Any]:
        addresses = sorted(owned, key=_sort_key)
        return {**{k: p[k] for k in INPUTS}, "addresses": addresses, "fqdn": _fqdn(p),
                "record_ids": {a: owned[a] for a in addresses}, "marker_id": marker or ""}


def _marker_name(p: dict[str, Any]) -> str:
    return f"{MARKER_PREFIX}.{p['name']}" if p["name"] else MARKER_PREFIX


def _marker_data(p: dict[str, Any]) -> str:
    return f"heritage=cdn-ingress owner={p['owner']} type={p['type']}"


def _marker_of(zone: list[Any], p: dict[str, Any]) -> str | None:
    """Id of this set's ownership marker in the zone listing, if the set has an owner."""
    if not p.get("owner"):
        return None
    for r in zone:
        if (r["name"], r["type"]) == (_marker_name(p), "TXT") and r["data"].strip('"') == _marker_data(p):
            return str(r["id"])
    return None


def _sort_key(address: str) -> Any:
    try:
        parsed = ipaddress.ip_address(address)
        return (parsed.version, parsed)
    except ValueError:
        return (9, address)


def _fqdn(p: dict[str, Any]) -> str:
    return f"{p['name']}.{p['domain']}" if p["name"] else str(p["domain"])


def _set_id(p: dict[str, Any]) -> str:
    return f"{p['domain']}/{p['name'] or '@'}/{p['type']}"

