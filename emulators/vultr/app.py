"""Vultr DNS v2, the whole DnsApi of Vultr's OpenAPI document: domains (with SOA and DNSSEC) and
records, Bearer auth, cursor pages, errors shaped ``{"error": ..., "status": ...}``."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import hmac
import re
import uuid
from collections.abc import Sequence
from typing import Any

from emulators._core import JSONBodyError, Request, Response, Router
from emulators._core.settings import changed_at_run_time
from emulators._core.store import Namespace
from emulators.vultr import domains
from emulators.vultr.records import PRIORITY_TYPES, TYPES, RecordError, check_data, check_priority
from emulators.vultr.settings import START_ONLY, VultrSettings

_LABEL = r"(\*|[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)"
_NAME = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")


class VultrError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


class VultrApp:
    name = "vultr"
    base_path = "/v2"

    def __init__(self, ns: Namespace, *, api_key: str, domains: Sequence[str],
                 settings: VultrSettings) -> None:
        self._ns = ns
        self._key = api_key.encode()
        self._seed = [d.lower().rstrip(".") for d in domains]
        self.settings = self._initial = settings
        self._router = Router()
        d, r = "/v2/domains/{domain}", "/v2/domains/{domain}/records"
        for method, path, handler in (
            ("GET", "/v2/domains", self.list_domains), ("POST", "/v2/domains", self.create_domain),
            ("GET", d, self.get_domain), ("PUT", d, self.update_domain), ("DELETE", d, self.delete_domain),
            ("GET", f"{d}/soa", self.get_soa), ("PATCH", f"{d}/soa", self.update_soa),
            ("GET", f"{d}/dnssec", self.get_dnssec),
            ("GET", r, self.list_records), ("POST", r, self.create_record),
            ("GET", f"{r}/{{record_id}}", self.get_record), ("PATCH", f"{r}/{{record_id}}", self.update_record),
            ("DELETE", f"{r}/{{record_id}}", self.delete_record),
        ):
            self._router.add(method, path, handler)
        with ns.transaction():
            if not ns.list("domains"):
                self._seed_domains()

    # -- server interface ------------------------------------------------------------------
    def error_response(self, status: int, message: str) -> Response:
        if status == 429:  # [U] the rate-limit layer's own body, key order included
            return Response(429, b'{"status": 429,"error": "rate limit exceeded"}',
                            {"Content-Type": "application/json"})
        return Response.json(status, {"error": message, "status": status})

    def handle(self, request: Request) -> Response:
        auth = request.headers.get("Authorization") or ""
        token = auth[7:].encode("utf-8", "replace") if auth.startswith("Bearer ") else b""
        if not hmac.compare_digest(token, self._key):
            return self.error_response(401, "Invalid API token.")
        found = self._router.match(request.method, request.path)
        if not isinstance(found, tuple):
            return self.error_response(405 if found is False else 404, "Invalid endpoint.")
        handler, params = found
        try:
            with self._ns.transaction():
                return handler(request, **params)
        except VultrError as exc:
            return self.error_response(exc.status, str(exc))
        except (RecordError, JSONBodyError) as exc:
            return self.error_response(400, str(exc))

    def state(self) -> dict[str, Any]:
        return {d["domain"]: self._ns.list(f"records:{d['domain']}") for d in self._ns.list("domains")}

    def reset(self) -> None:
        self.settings = self._initial
        with self._ns.transaction():
            self._ns.clear()
            self._seed_domains()

    def settings_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self.settings)

    def configure(self, changes: dict[str, Any]) -> None:
        self.settings = changed_at_run_time(self.settings, changes, START_ONLY)

    def _seed_domains(self) -> None:
        for domain in self._seed:
            self._ns.put("domains", domain, {"domain": domain, "date_created": _now(), "dns_sec": "disabled"})

    # -- helpers ---------------------------------------------------------------------------
    def _domain(self, domain: str) -> dict[str, Any]:
        found = self._ns.get("domains", domain.lower())
        if found is None:
            raise VultrError(404, "Invalid domain.")
        return dict(found)

    def _page(self, request: Request, items: list[Any], key: str) -> Response:
        raw = request.query_one("per_page")
        if raw is not None and not re.fullmatch(r"-?[0-9]{1,9}", raw):
            raise VultrError(400, "per_page must be an integer")
        per_page = int(raw) if raw is not None else self.settings.default_per_page
        if per_page <= 0:
            raise VultrError(400, "per_page must be greater than 0")
        per_page = min(per_page, self.settings.max_per_page)
        offset = _decode_cursor(request.query_one("cursor"))
        chunk = items[offset:offset + per_page]
        nxt = _encode_cursor(offset + per_page) if offset + per_page < len(items) else ""
        prev = _encode_cursor(max(0, offset - per_page)) if offset > 0 else ""
        meta = {"total": len(items), "links": {"next": nxt, "prev": prev}}
        return Response.json(200, {key: chunk, "meta": meta})

    # -- domains ---------------------------------------------------------------------------
    def list_domains(self, request: Request) -> Response:
        return self._page(request, self._ns.list("domains"), "domains")

    def get_domain(self, request: Request, domain: str) -> Response:
        return Response.json(200, {"domain": self._domain(domain)})

    def create_domain(self, request: Request) -> Response:
        body = _object(request)
        domain = domains.domain_name(body.get("domain"))
        dns_sec = domains.dns_sec(body.get("dns_sec", "disabled"))
        address = domains.seed_address(body.get("ip"))
        if self._ns.get("domains", domain) is not None:
            raise VultrError(400, "Domain already exists.")
        record = {"domain": domain, "date_created": _now(), "dns_sec": dns_sec}
        self._ns.put("domains", domain, record)
        for seeded in domains.seeded_records(domain, address) if address else []:
            self._store(domain, {"id": str(uuid.uuid4()), **seeded})
        return Response.json(self.settings.create_domain_status, {"domain": record})

    def update_domain(self, request: Request, domain: str) -> Response:
        record = self._domain(domain)
        body = _object(request)
        if "dns_sec" not in body:
            raise VultrError(400, "Missing required field(s): dns_sec.")
        record["dns_sec"] = domains.dns_sec(body["dns_sec"])
        self._ns.put("domains", record["domain"], record)
        return Response.empty(204)

    def delete_domain(self, request: Request, domain: str) -> Response:
        name = self._domain(domain)["domain"]
        for record in self._ns.list(f"records:{name}"):
            self._ns.delete(f"records:{name}", record["id"])
        self._ns.delete("soa", name)
        self._ns.delete("domains", name)
        return Response.empty(204)

    def _soa(self, domain: str) -> dict[str, str]:
        name = self._domain(domain)["domain"]
        stored = self._ns.get("soa", name) or {}
        return {"nsprimary": self.settings.soa_nsprimary, "email": self.settings.soa_email, **stored}

    def get_soa(self, request: Request, domain: str) -> Response:
        return Response.json(200, {"dns_soa": self._soa(domain)})

    def update_soa(self, request: Request, domain: str) -> Response:
        soa = {**self._soa(domain), **domains.soa_changes(_object(request))}
        self._ns.put("soa", domain.lower(), soa)
        return Response.empty(204)

    def get_dnssec(self, request: Request, domain: str) -> Response:
        record = self._domain(domain)
        shown = record["dns_sec"] == "enabled" or self.settings.dnssec_keys_when_disabled
        return Response.json(200, {"dns_sec": domains.dnssec_records(record["domain"]) if shown else []})

    # -- records ---------------------------------------------------------------------------
    def _records(self, domain: str) -> list[dict[str, Any]]:
        self._domain(domain)
        return list(self._ns.list(f"records:{domain.lower()}"))

    def _record(self, domain: str, record_id: str) -> dict[str, Any]:
        self._domain(domain)
        found = self._ns.get(f"records:{domain.lower()}", record_id)
        if found is None:
            raise VultrError(404, "Invalid record.")
        return dict(found)

    def _store(self, domain: str, record: dict[str, Any]) -> None:
        self._ns.put(f"records:{domain}", record["id"], record)

    def list_records(self, request: Request, domain: str) -> Response:
        return self._page(request, self._records(domain), "records")

    def get_record(self, request: Request, domain: str, record_id: str) -> Response:
        return Response.json(200, {"record": self._record(domain, record_id)})

    def create_record(self, request: Request, domain: str) -> Response:
        domain = self._domain(domain)["domain"]  # [S] an unknown zone is a 404; TF matches "Invalid domain"
        body = _object(request)
        rtype = body["type"].upper() if isinstance(body.get("type"), str) else body.get("type")
        missing = [k for k in ("name", "type", "data") if k not in body]
        if rtype in PRIORITY_TYPES and "priority" not in body and self.settings.require_mx_srv_priority:
            missing.append("priority")
        if missing:
            raise VultrError(400, f"Missing required field(s): {', '.join(missing)}.")
        if rtype not in TYPES:
            raise VultrError(400, f"Invalid record type {body['type']!r}; allowed: {', '.join(TYPES)}.")
        record = {"id": str(uuid.uuid4()), "type": rtype, "name": self._name(domain, body["name"]),
                  "data": check_data(rtype, body["data"]), "priority": check_priority(rtype, body.get("priority", 0)),
                  "ttl": self._ttl(body.get("ttl", self.settings.default_ttl))}
        self._check_set(domain, record, ignore_id=None)
        self._store(domain, record)
        return Response.json(201, {"record": record})

    def update_record(self, request: Request, domain: str, record_id: str) -> Response:
        domain = domain.lower()
        record = self._record(domain, record_id)
        body = _object(request)  # "type" is not part of the update body: accepted and ignored
        if "name" in body:
            record["name"] = self._name(domain, body["name"])
        if "data" in body:
            record["data"] = check_data(record["type"], body["data"])
        if "ttl" in body:
            record["ttl"] = self._ttl(body["ttl"])
        if "priority" in body:
            record["priority"] = check_priority(record["type"], body["priority"])
        self._check_set(domain, record, ignore_id=record_id)
        self._store(domain, record)
        return Response.empty(204)

    def delete_record(self, request: Request, domain: str, record_id: str) -> Response:
        self._record(domain, record_id)
        self._ns.delete(f"records:{domain.lower()}", record_id)
        return Response.empty(204)

    def _name(self, domain: str, given: Any) -> str:
        if not isinstance(given, str):
            raise VultrError(400, "Record name must be a string.")
        name = given.rstrip(".").lower() if given not in ("", "@") else given
        if name == "@":
            if not self.settings.accept_at_apex:
                raise VultrError(400, "Invalid record name '@'; use an empty name for the apex.")
            name = ""
        if self.settings.strip_zone_suffix:
            if name == domain:
                name = ""
            elif name.endswith("." + domain):
                name = name[: -len(domain) - 1]
        if name and (len(name) > 253 or not _NAME.match(name)):
            raise VultrError(400, f"Invalid record name {name!r}.")
        return name

    def _ttl(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise VultrError(400, "Invalid ttl: must be an integer.")
        if not self.settings.min_ttl <= value <= self.settings.max_ttl:
            raise VultrError(400, f"Invalid TTL {value}; allowed {self.settings.min_ttl}..{self.settings.max_ttl}.")
        return int(value)

    def _check_set(self, domain: str, record: dict[str, Any], ignore_id: str | None) -> None:
        for other in self._ns.list(f"records:{domain}"):
            if other["id"] == ignore_id or (other["name"], other["type"]) != (record["name"], record["type"]):
                continue
            if other["ttl"] != record["ttl"]:  # [C/U] one TTL per RRset
                raise VultrError(400, "Unable to save record: records with the same name and type "
                                      f"must share one TTL (existing TTL {other['ttl']}).")
            if self.settings.reject_identical_duplicates and other["data"] == record["data"]:
                raise VultrError(400, "Unable to save record: an identical record exists.")


def _object(request: Request) -> dict[str, Any]:
    body = request.json()
    if not isinstance(body, dict):
        raise VultrError(400, "Request body must be a JSON object.")
    return body


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind == "offset" and value.isascii() and value.isdigit():
            return int(value)
    except (ValueError, UnicodeDecodeError):
        pass
    raise VultrError(400, "Invalid cursor.")
