"""Vultr DNS v2: domains and records, Bearer auth, cursor pages, vendor-shaped errors."""

from __future__ import annotations

import base64
import datetime
import hmac
import ipaddress
import re
import uuid
from collections.abc import Sequence
from typing import Any

from emulators._core import JSONBodyError, Request, Response, Router
from emulators._core.store import Namespace
from emulators.vultr.settings import VultrSettings

TYPES = ("A", "AAAA", "CNAME", "NS", "MX", "SRV", "TXT", "CAA", "SSHFP")
_LABEL = r"(\*|[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)"
_NAME = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
_HOST = re.compile(r"^([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


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
        self.settings = settings
        self._router = Router()
        for method, path, handler in (
            ("GET", "/v2/domains", self.list_domains), ("POST", "/v2/domains", self.create_domain),
            ("GET", "/v2/domains/{domain}", self.get_domain),
            ("DELETE", "/v2/domains/{domain}", self.delete_domain),
            ("GET", "/v2/domains/{domain}/records", self.list_records),
            ("POST", "/v2/domains/{domain}/records", self.create_record),
            ("GET", "/v2/domains/{domain}/records/{record_id}", self.get_record),
            ("PATCH", "/v2/domains/{domain}/records/{record_id}", self.update_record),
            ("DELETE", "/v2/domains/{domain}/records/{record_id}", self.delete_record),
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
        token = auth[7:].encode() if auth.startswith("Bearer ") else b""
        if not hmac.compare_digest(token, self._key):
            return self.error_response(401, "Invalid API token.")
        found = self._router.match(request.method, request.path)
        if not found:
            return self.error_response(405 if found is False else 404, "Invalid endpoint.")
        handler, params = found
        try:
            with self._ns.transaction():
                return handler(request, **params)
        except VultrError as exc:
            return self.error_response(exc.status, str(exc))
        except JSONBodyError as exc:
            return self.error_response(400, str(exc))

    def state(self) -> dict[str, Any]:
        return {d["domain"]: self._ns.list(f"records:{d['domain']}") for d in self._ns.list("domains")}

    def reset(self) -> None:
        with self._ns.transaction():
            self._ns.clear()
            self._seed_domains()

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
        try:
            per_page = int(raw) if raw is not None else self.settings.default_per_page
        except ValueError as exc:
            raise VultrError(400, "per_page must be an integer") from exc
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
        body = request.json() or {}
        domain = str(body.get("domain") or "").lower().rstrip(".")
        if not _HOST.match(domain):
            raise VultrError(400, "Invalid domain name.")
        if self._ns.get("domains", domain) is not None:
            raise VultrError(400, "Domain already exists.")
        record = {"domain": domain, "date_created": _now(), "dns_sec": body.get("dns_sec", "disabled")}
        self._ns.put("domains", domain, record)
        if body.get("ip"):  # [U] Vultr seeds these five records when an ip is given
            ip = str(body["ip"])
            for rtype, name, data, prio in (("A", "", ip, 0), ("CNAME", "*", domain, 0),
                                            ("MX", "", domain, 10), ("NS", "", "ns1.vultr.com", 0),
                                            ("NS", "", "ns2.vultr.com", 0)):
                self._store(domain, {"id": str(uuid.uuid4()), "type": rtype, "name": name,
                                     "data": data, "priority": prio, "ttl": 300})
        return Response.json(self.settings.create_domain_status, {"domain": record})

    def delete_domain(self, request: Request, domain: str) -> Response:
        self._domain(domain)
        for record in self._ns.list(f"records:{domain}"):
            self._ns.delete(f"records:{domain}", record["id"])
        self._ns.delete("domains", domain.lower())
        return Response.empty(204)

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
        domain = domain.lower()
        body = _object(request)
        missing = [k for k in ("name", "type", "data") if k not in body]
        if missing:
            raise VultrError(400, f"Missing required field(s): {', '.join(missing)}.")
        rtype = str(body["type"]).upper()
        if rtype not in TYPES:
            raise VultrError(400, f"Invalid record type {body['type']!r}; allowed: {', '.join(TYPES)}.")
        record = {"id": str(uuid.uuid4()), "type": rtype, "name": self._name(domain, body["name"]),
                  "data": _data(rtype, body["data"]), "priority": _int(body.get("priority", 0), "priority"),
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
            record["data"] = _data(record["type"], body["data"])
        if "ttl" in body:
            record["ttl"] = self._ttl(body["ttl"])
        if "priority" in body:
            record["priority"] = _int(body["priority"], "priority")
        self._check_set(domain, record, ignore_id=record_id)
        self._store(domain, record)
        return Response.empty(204)

    def delete_record(self, request: Request, domain: str, record_id: str) -> Response:
        self._record(domain, record_id)
        self._ns.delete(f"records:{domain.lower()}", record_id)
        return Response.empty(204)

    def _name(self, domain: str, name: Any) -> str:
        if not isinstance(name, str):
            raise VultrError(400, "Record name must be a string.")
        name = name.rstrip(".").lower() if name not in ("", "@") else name
        if name == "@":
            if not self.settings.accept_at_apex:
                raise VultrError(400, "Invalid record name '@'; use an empty name for the apex.")
            name = ""
        if self.settings.strip_zone_suffix:
            if name == domain:
                name = ""
            elif name.endswith("." + domain):
                name = name[: -len(domain) - 1]
        if name and not _NAME.match(name):
            raise VultrError(400, f"Invalid record name {name!r}.")
        return name

    def _ttl(self, value: Any) -> int:
        ttl = _int(value, "ttl")
        if not self.settings.min_ttl <= ttl <= self.settings.max_ttl:
            raise VultrError(400, f"Invalid TTL {ttl}; allowed {self.settings.min_ttl}..{self.settings.max_ttl}.")
        return ttl

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


def _int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise VultrError(400, f"Invalid {field}: must be an integer.")
    return value


def _data(rtype: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise VultrError(400, "Record data must be a non-empty string.")
    value = value.strip()
    if rtype in ("A", "AAAA"):
        try:
            address = ipaddress.ip_address(value)
        except ValueError as exc:
            raise VultrError(400, f"Invalid {rtype} record data {value!r}: must be an IP address.") from exc
        if address.version != (4 if rtype == "A" else 6):
            raise VultrError(400, f"Invalid {rtype} record data {value!r}: wrong address family.")
        return str(address)
    if rtype == "TXT":  # [C] trimmed, balanced outer quotes stripped, stored and returned quoted
        if value.startswith('"') != value.endswith('"') or value == '"':
            raise VultrError(400, "Unable to add record: Record data must be enclosed in quotes")
        inner = value[1:-1] if value.startswith('"') else value
        if '"' in inner:
            raise VultrError(400, "Unable to add record: Quotes may only appear at the beginning and end of the data")
        return f'"{inner}"'
    if rtype in ("CNAME", "NS", "MX"):
        return value.rstrip(".") or "."
    return value


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind == "offset" and value.isdigit():
            return int(value)
    except (ValueError, UnicodeDecodeError):
        pass
    raise VultrError(400, "Invalid cursor.")
