"""Cloudflare API v4 (``/client/v4``), the calls the provider and the official library make: token
verify, zones lookup, DNS records CRUD, zone rulesets with their phase entry points and one-rule
endpoints. Bearer token auth, the v4 envelope, page paging and the per-token rate limit."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import uuid
from collections.abc import Sequence
from typing import Any

from emulators._core import JSONBodyError, Request, Response, Router
from emulators._core.settings import changed
from emulators._core.store import Namespace
from emulators.cloudflare import dns, rulesets
from emulators.cloudflare.envelope import CloudflareError, failure, page, success
from emulators.cloudflare.limits import TokenWindow
from emulators.cloudflare.settings import CloudflareSettings

ACCOUNT = {"id": "0123456789abcdef0123456789abcdef", "name": "Emulated account"}


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _hex_id() -> str:
    return uuid.uuid4().hex  # [S] identifiers are 32 hex characters


def zone_id_of(name: str) -> str:
    """[I] a stable id per zone name, so a restarted emulator and its clients agree."""
    return hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()


class CloudflareApp:
    name = "cloudflare"
    base_path = "/client/v4"

    def __init__(self, ns: Namespace, *, api_token: str, zones: Sequence[str], settings: CloudflareSettings) -> None:
        self._ns = ns
        self._token = api_token.encode()
        self._seed = [z.lower().rstrip(".") for z in zones]
        self.settings = self._initial = settings
        self._window = TokenWindow()
        self._router = Router()
        z, r = "/client/v4/zones/{zone_id}", "/client/v4/zones/{zone_id}/rulesets"
        for method, path, handler in (
            ("GET", "/client/v4/user/tokens/verify", self.verify_token),
            ("GET", "/client/v4/zones", self.list_zones), ("GET", z, self.get_zone),
            ("GET", f"{z}/dns_records", self.list_records), ("POST", f"{z}/dns_records", self.create_record),
            ("GET", f"{z}/dns_records/{{record_id}}", self.get_record),
            ("PATCH", f"{z}/dns_records/{{record_id}}", self.edit_record),
            ("PUT", f"{z}/dns_records/{{record_id}}", self.update_record),
            ("DELETE", f"{z}/dns_records/{{record_id}}", self.delete_record),
            ("GET", f"{r}/phases/{{phase}}/entrypoint", self.get_entrypoint),
            ("PUT", f"{r}/phases/{{phase}}/entrypoint", self.update_entrypoint),
            ("GET", r, self.list_rulesets), ("POST", r, self.create_ruleset),
            ("GET", f"{r}/{{ruleset_id}}", self.get_ruleset), ("DELETE", f"{r}/{{ruleset_id}}", self.delete_ruleset),
            ("POST", f"{r}/{{ruleset_id}}/rules", self.create_rule),
            ("PATCH", f"{r}/{{ruleset_id}}/rules/{{rule_id}}", self.edit_rule),
            ("DELETE", f"{r}/{{ruleset_id}}/rules/{{rule_id}}", self.delete_rule),
        ):
            self._router.add(method, path, handler)
        with ns.transaction():
            if not ns.list("zones"):
                self._seed_zones()

    # -- server interface ------------------------------------------------------------------
    def error_response(self, status: int, message: str) -> Response:
        code = {429: 971, 400: 6003}.get(status, 10000 if status in (401, 403) else 7000 if status in (404, 405)
                                          else 10001)
        if status == 429:
            message = "Please wait and consider throttling your request speed"  # [U]
        return failure(status, [{"code": code, "message": message}])

    def handle(self, request: Request) -> Response:
        refused = self._auth(request)
        if refused is not None:
            return refused
        allowed, headers = self._window.take(self._token.decode(), self.settings)
        if not allowed:
            response = self.error_response(429, "")
            response.headers.update(headers)
            return response
        response = self._route(request)
        response.headers.update(headers)
        return response

    def _auth(self, request: Request) -> Response | None:
        auth = request.headers.get("Authorization") or ""
        if not auth.startswith("Bearer ") or not auth[7:].strip():
            chain = [{"code": 6111, "message": "Invalid format for Authorization header"}]
            return failure(400, [{"code": 6003, "message": "Invalid request headers", "error_chain": chain}])
        if hmac.compare_digest(auth[7:].encode("utf-8", "replace"), self._token):
            return None
        if request.path.endswith("/user/tokens/verify"):
            return failure(401, [{"code": 1000, "message": "Invalid API Token"}])
        return failure(self.settings.bad_token_status, [{"code": 10000, "message": "Authentication error"}])

    def _route(self, request: Request) -> Response:
        found = self._router.match(request.method, request.path)
        if not isinstance(found, tuple):
            status = 405 if found is False else 404
            return failure(status, [{"code": 7001 if found is False else 7003,
                                     "message": f"No route for that URI: {request.method} {request.path[:120]}"}])
        handler, params = found
        try:
            with self._ns.transaction():
                return handler(request, **params)
        except CloudflareError as exc:
            return failure(exc.status, [exc.item()])
        except JSONBodyError as exc:
            return failure(400, [{"code": 6007, "message": f"Malformed JSON in request body: {exc}"}])

    def state(self) -> dict[str, Any]:
        return {z["name"]: {"id": z["id"], "dns_records": self._ns.list(f"records:{z['id']}"),
                            "rulesets": self._ns.list(f"rulesets:{z['id']}")} for z in self._ns.list("zones")}

    def reset(self) -> None:
        self.settings = self._initial
        self._window.reset()
        with self._ns.transaction():
            self._ns.clear()
            self._seed_zones()

    def settings_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self.settings)

    def configure(self, changes: dict[str, Any]) -> None:
        self.settings = changed(self.settings, changes)

    def _seed_zones(self) -> None:
        for name in self._seed:
            self._ns.put("zones", zone_id_of(name), {
                "id": zone_id_of(name), "name": name, "status": "active", "paused": False, "type": "full",
                "development_mode": 0, "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
                "original_name_servers": None, "account": ACCOUNT, "owner": {"id": None, "type": "user"},
                "plan": {"id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "name": "Free Website"},
                "meta": {}, "permissions": [], "created_on": _now(), "modified_on": _now(), "activated_on": _now()})

    # -- token and zones -------------------------------------------------------------------
    def verify_token(self, request: Request) -> Response:
        return success({"id": hashlib.sha256(self._token).hexdigest()[:32], "status": "active"})

    def list_zones(self, request: Request) -> Response:
        name, status = request.query_one("name"), request.query_one("status")
        zones = [z for z in self._ns.list("zones") if (name is None or z["name"] == name.lower().rstrip("."))
                 and (status is None or z["status"] == status)]
        return page(zones, request.query_one("page"), request.query_one("per_page"),
                    default=self.settings.zones_default_per_page, maximum=self.settings.zones_max_per_page)

    def _zone(self, zone_id: str) -> dict[str, Any]:
        zone = self._ns.get("zones", zone_id)
        if zone is None:  # [U] an unknown zone id is answered as an unroutable path
            raise CloudflareError(404, 7003, f"Could not route to /zones/{zone_id[:40]}, perhaps your object "
                                             "identifier is invalid?")
        return dict(zone)

    def get_zone(self, request: Request, zone_id: str) -> Response:
        return success(self._zone(zone_id))

    # -- DNS records -----------------------------------------------------------------------
    def _records(self, zone_id: str) -> list[dict[str, Any]]:
        self._zone(zone_id)
        return list(self._ns.list(f"records:{zone_id}"))

    def _record(self, zone_id: str, record_id: str) -> dict[str, Any]:
        self._zone(zone_id)
        found = self._ns.get(f"records:{zone_id}", record_id)
        if found is None:
            raise CloudflareError(404, 81044, "Record does not exist.")
        return dict(found)

    def list_records(self, request: Request, zone_id: str) -> Response:
        records = [r for r in self._records(zone_id) if dns.matches(r, request.query)]
        return page(records, request.query_one("page"), request.query_one("per_page"),
                    default=self.settings.records_default_per_page, maximum=self.settings.records_max_per_page)

    def get_record(self, request: Request, zone_id: str, record_id: str) -> Response:
        return success(self._record(zone_id, record_id))

    def create_record(self, request: Request, zone_id: str) -> Response:
        zone = self._zone(zone_id)
        record = {"id": _hex_id(), **dns.checked(zone["name"], _object(request), self.settings)}
        return success(self._save(zone, record, created=True))

    def edit_record(self, request: Request, zone_id: str, record_id: str) -> Response:
        zone, old = self._zone(zone_id), self._record(zone_id, record_id)
        record = {**old, **dns.checked(zone["name"], _object(request), self.settings, old=_inputs(old))}
        return success(self._save(zone, record, created=False))

    def update_record(self, request: Request, zone_id: str, record_id: str) -> Response:
        zone, old = self._zone(zone_id), self._record(zone_id, record_id)
        record = {**old, **dns.checked(zone["name"], _object(request), self.settings)}  # [S] full overwrite
        return success(self._save(zone, record, created=False))

    def _save(self, zone: dict[str, Any], record: dict[str, Any], *, created: bool) -> dict[str, Any]:
        dns.check_conflicts(record, self._ns.list(f"records:{zone['id']}"))
        now = _now()
        record.update(zone_id=zone["id"], zone_name=zone["name"], modified_on=now, meta={}, settings={})
        if created:
            record.update(created_on=now)
        self._ns.put(f"records:{zone['id']}", record["id"], record)
        return record

    def delete_record(self, request: Request, zone_id: str, record_id: str) -> Response:
        self._record(zone_id, record_id)
        self._ns.delete(f"records:{zone_id}", record_id)
        return success({"id": record_id})

    # -- rulesets --------------------------------------------------------------------------
    def _rulesets(self, zone_id: str) -> list[dict[str, Any]]:
        self._zone(zone_id)
        return list(self._ns.list(f"rulesets:{zone_id}"))

    def _ruleset(self, zone_id: str, ruleset_id: str) -> dict[str, Any]:
        found = next((r for r in self._rulesets(zone_id) if r["id"] == ruleset_id), None)
        if found is None:
            raise CloudflareError(404, 20001, f"could not find ruleset {ruleset_id[:40]}")  # [U]
        return found

    def _entrypoint(self, zone_id: str, phase: str) -> dict[str, Any] | None:
        if phase not in rulesets.PHASES:
            raise CloudflareError(400, 20002, f"unknown phase {phase[:60]!r}; allowed: {', '.join(rulesets.PHASES)}")
        return next((r for r in self._rulesets(zone_id) if r["kind"] == "zone" and r["phase"] == phase), None)

    def list_rulesets(self, request: Request, zone_id: str) -> Response:
        return success([{k: v for k, v in r.items() if k != "rules"} for r in self._rulesets(zone_id)])

    def get_ruleset(self, request: Request, zone_id: str, ruleset_id: str) -> Response:
        return success(self._ruleset(zone_id, ruleset_id))

    def get_entrypoint(self, request: Request, zone_id: str, phase: str) -> Response:
        found = self._entrypoint(zone_id, phase)
        if found is None:
            raise CloudflareError(404, 20001, f"could not find entrypoint ruleset in the {phase} phase")
        return success(found)

    def create_ruleset(self, request: Request, zone_id: str) -> Response:
        body = _object(request)
        if body.get("kind") != "zone":
            raise rulesets.bad("/kind", f"{body.get('kind')!r}: zone rulesets here are of kind 'zone'")
        phase = body.get("phase")
        if not isinstance(phase, str) or self._entrypoint(zone_id, phase) is not None:
            raise rulesets.bad("/phase", f"a zone entry point ruleset for phase {phase!r} exists already "
                                         "(one per phase)", 20217)
        if not isinstance(body.get("name"), str) or not body["name"]:
            raise rulesets.bad("/name", "required, a non-empty string")
        ruleset = {"id": _hex_id(), "name": body["name"], "description": body.get("description", ""),
                   "kind": "zone", "phase": phase, "version": "0", "rules": []}
        return success(self._store_ruleset(zone_id, ruleset, self._rules(zone_id, phase, body.get("rules") or [])))

    def update_entrypoint(self, request: Request, zone_id: str, phase: str) -> Response:
        """[S] replaces every rule of the phase; the provider never calls it (it would drop others' rules)."""
        body = _object(request)
        ruleset = self._entrypoint(zone_id, phase) or {"id": _hex_id(), "name": f"{phase} entry point",
                                                       "description": "", "kind": "zone", "phase": phase,
                                                       "version": "0", "rules": []}
        return success(self._store_ruleset(zone_id, ruleset, self._rules(zone_id, phase, body.get("rules") or [])))

    def delete_ruleset(self, request: Request, zone_id: str, ruleset_id: str) -> Response:
        self._ruleset(zone_id, ruleset_id)
        self._ns.delete(f"rulesets:{zone_id}", ruleset_id)
        return Response.empty(204)

    def _rules(self, zone_id: str, phase: str, bodies: Any) -> list[dict[str, Any]]:
        if not isinstance(bodies, list):
            raise rulesets.bad("/rules", "must be a list of rules")
        zone = self._zone(zone_id)["name"]
        return [{"id": _hex_id(), **rulesets.check_rule(b, phase, zone, self.settings)} for b in bodies]

    def _store_ruleset(self, zone_id: str, ruleset: dict[str, Any], rules: list[dict[str, Any]]) -> dict[str, Any]:
        if len(rules) > self.settings.max_rules_per_ruleset:
            limit = self.settings.max_rules_per_ruleset
            raise rulesets.bad("/rules", f"{len(rules)} rules exceed the limit of {limit} for this phase", 20010)
        refs = [r["ref"] for r in rules if r.get("ref")]
        if len(refs) != len(set(refs)):
            raise rulesets.bad("/rules", "each rule ref must be unique within the ruleset", 20209)
        version = str(int(ruleset["version"]) + 1)
        now = _now()
        for rule in rules:
            rule.setdefault("version", version)
            rule.setdefault("last_updated", now)
            rule["ref"] = rule.get("ref") or rule["id"]  # [C] the ref defaults to the rule id
        stored = {**ruleset, "version": version, "last_updated": now, "rules": rules}
        self._ns.put(f"rulesets:{zone_id}", stored["id"], stored)
        return stored

    def create_rule(self, request: Request, zone_id: str, ruleset_id: str) -> Response:
        ruleset = self._ruleset(zone_id, ruleset_id)
        body = _object(request)
        zone = self._zone(zone_id)["name"]
        rule = {"id": _hex_id(), **rulesets.check_rule(body, ruleset["phase"], zone, self.settings)}
        rule["version"] = str(int(ruleset["version"]) + 1)
        rules = rulesets.place(ruleset["rules"], rule, body.get("position"))
        return success(self._store_ruleset(zone_id, ruleset, rules))

    def edit_rule(self, request: Request, zone_id: str, ruleset_id: str, rule_id: str) -> Response:
        ruleset = self._ruleset(zone_id, ruleset_id)
        old = next((r for r in ruleset["rules"] if r["id"] == rule_id), None)
        if old is None:
            raise CloudflareError(404, 20001, f"could not find rule {rule_id[:40]} in ruleset {ruleset_id[:40]}")
        body = _object(request)
        zone = self._zone(zone_id)["name"]
        # [S] the body is the new definition of the rule: fields left out are not kept
        rule = {"id": rule_id, **rulesets.check_rule(body, ruleset["phase"], zone, self.settings),
                "version": str(int(ruleset["version"]) + 1)}
        others = [r for r in ruleset["rules"] if r["id"] != rule_id]
        index = [r["id"] for r in ruleset["rules"]].index(rule_id)
        rules = rulesets.place(others, rule, body.get("position")) if "position" in body \
            else [*others[:index], rule, *others[index:]]
        return success(self._store_ruleset(zone_id, ruleset, rules))

    def delete_rule(self, request: Request, zone_id: str, ruleset_id: str, rule_id: str) -> Response:
        ruleset = self._ruleset(zone_id, ruleset_id)
        if rule_id not in [r["id"] for r in ruleset["rules"]]:
            raise CloudflareError(404, 20001, f"could not find rule {rule_id[:40]} in ruleset {ruleset_id[:40]}")
        return success(self._store_ruleset(zone_id, ruleset, [r for r in ruleset["rules"] if r["id"] != rule_id]))


def _inputs(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in dns.FIELDS if k in record}


def _object(request: Request) -> dict[str, Any]:
    body = request.json()
    if not isinstance(body, dict):
        raise CloudflareError(400, 6007, "Malformed JSON in request body: expected a JSON object")
    return body
