"""Edgio Config API v1: delivery service instances (E1-E12 of edgio-config-api.md), HMAC auth."""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
import time
import uuid
from collections.abc import Sequence
from typing import Any

from emulators._core import JSONBodyError, Request, Response, Router
from emulators._core.store import Namespace
from emulators.edgio.settings import EdgioSettings

BASE = "/config-api/v1"
PROTOCOLS = ("http", "https")
SERVER_FIELDS = ("uuid", "isLatest", "isEnabled", "revision", "meta", "status", "shortname")
_FQDN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


class EdgioError(Exception):
    def __init__(self, status: int, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def _norm_path(path: Any) -> str:
    text = "" if path is None else str(path)
    return text if text.startswith("/") else "/" + text


class EdgioApp:
    name = "edgio"
    base_path = BASE

    def __init__(self, ns: Namespace, *, username: str, key: bytes, shortnames: Sequence[str],
                 settings: EdgioSettings) -> None:
        self._ns, self._user, self._key = ns, username, key
        self._shortnames = set(shortnames)
        self.settings = settings
        self._router = Router()
        svc = f"{BASE}/svcinst/delivery"
        for method, path, handler in (
            ("GET", f"{BASE}/health/check", self.health), ("GET", f"{BASE}/utils/status", self.status),
            ("GET", f"{svc}/shortname/{{sn}}", self.list_rules),
            ("GET", f"{svc}/shortname/{{sn}}/searchAuto", self.search),
            ("POST", f"{svc}/validate", self.validate), ("POST", svc, self.create),
            ("GET", f"{svc}/{{uid}}", self.get), ("PUT", f"{svc}/{{uid}}", self.update),
            ("DELETE", f"{svc}/{{uid}}", self.delete), ("GET", f"{svc}/{{uid}}/versions", self.versions),
            ("GET", f"{svc}/{{uid}}/versions/{{number}}", self.version),
            ("POST", f"{svc}/{{uid}}/rollbackTo/{{number}}", self.rollback),
        ):
            self._router.add(method, path, handler)

    # -- server interface --------------------------------------------------------------------
    def error_response(self, status: int, message: str, code: int = 0) -> Response:
        # [?] The config-api error body is undocumented; the ED-SP envelope is used throughout.
        return Response.json(status, {"errors": [{"message": message, "code": code,
                                                  "description": message, "source": "config-api"}]})

    def handle(self, request: Request) -> Response:
        try:
            self._authenticate(request)
            found = self._router.match(request.method, request.path)
            if not found:
                raise EdgioError(405 if found is False else 404, "no such endpoint")
            handler, params = found
            with self._ns.transaction():
                return handler(request, **params)
        except EdgioError as exc:
            return self.error_response(exc.status, str(exc), exc.code)
        except JSONBodyError as exc:
            return self.error_response(400, str(exc))

    def state(self) -> dict[str, Any]:
        return {"rules": self._ns.list("rules"), "deleted": self._ns.list("deleted")}

    def reset(self) -> None:
        self._ns.clear()

    # -- auth (contract §2) --------------------------------------------------------------------
    def _authenticate(self, request: Request) -> None:
        principal = request.headers.get("X-LLNW-Security-Principal")
        stamp = request.headers.get("X-LLNW-Security-Timestamp") or ""
        token = (request.headers.get("X-LLNW-Security-Token") or "").lower()
        if not principal or not stamp or not token:
            raise EdgioError(401, "Missing signature", 1026)
        if not stamp.isdigit():
            raise EdgioError(401, "Invalid timestamp", 1010)
        age = time.time() - int(stamp) / 1000
        skew = self.settings.max_clock_skew_seconds
        if age > skew or age < -skew or (age < 0 and not self.settings.accept_future_timestamps):
            raise EdgioError(401, "Invalid timestamp: expired or out of range", 1010)
        scheme_host = f"{request.scheme}://{request.host}"
        candidates = [scheme_host]
        if ":" not in request.host:  # [?] also accept an explicit default port in the signed URL
            candidates.append(f"{scheme_host}:{443 if request.scheme == 'https' else 80}")
        ok = principal == self._user and any(
            hmac.compare_digest(token, self.sign(request.method, base + request.path, request.raw_query,
                                                 stamp, request.body))
            for base in candidates)
        if not ok:
            raise EdgioError(401, "Authentication failed", 1024)

    def sign(self, method: str, url: str, query: str, stamp: str, body: bytes) -> str:
        data = method.upper().encode() + url.encode() + query.encode() + stamp.encode() + body
        return hmac.new(self._key, data, hashlib.sha256).hexdigest()

    def _own(self, shortname: str) -> None:
        if shortname not in self._shortnames:
            raise EdgioError(403, f"shortname {shortname!r} is not authorized for this user", 1025)

    # -- read endpoints ------------------------------------------------------------------------
    def health(self, request: Request) -> Response:
        return Response.json(200, {"status": "OK"})

    def status(self, request: Request) -> Response:
        return Response.json(200, {"version": "emulator", "mysqlConnection": {"connectionTime": "0"},
                                   "cfgMgmtConnection": {"available": "true"}})

    def _page(self, request: Request, items: list[Any]) -> Response:
        try:
            size = int(request.query_one("size") or self.settings.default_page_size)
            page = int(request.query_one("page") or 1)
        except ValueError as exc:
            raise EdgioError(400, "size and page must be integers") from exc
        if not 1 <= size <= self.settings.max_page_size or page < 1:
            raise EdgioError(400, f"size must be 1..{self.settings.max_page_size} and page >= 1")
        return Response.json(200, {"results": items[(page - 1) * size: page * size]})

    def list_rules(self, request: Request, sn: str) -> Response:
        self._own(sn)
        return self._page(request, [self._view(r) for r in self._ns.list("rules") if r["shortname"] == sn])

    def search(self, request: Request, sn: str) -> Response:
        self._own(sn)
        filters = {k: v[-1] for k, v in request.query.items() if k.startswith("body.")}
        if "body.publishedUrlPath" in filters:  # the API adds the leading "/" [C K8S]
            filters["body.publishedUrlPath"] = _norm_path(filters["body.publishedUrlPath"])
        hits = [self._view(r) for r in self._ns.list("rules") if r["shortname"] == sn
                and all(str(_dotted(r, key)) == value for key, value in filters.items())]
        return self._page(request, hits)

    def get(self, request: Request, uid: str) -> Response:
        return Response.json(200, self._view(self._rule(uid), advance=True))

    def versions(self, request: Request, uid: str) -> Response:
        rule = self._rule(uid)
        versions = range(1, rule["revision"]["versionNumber"] + 1)
        return Response.json(200, {"results": [self._history(rule, n) for n in versions]})

    def version(self, request: Request, uid: str, number: str) -> Response:
        return Response.json(200, self._history(self._rule(uid), _number(number)))

    # -- write endpoints -----------------------------------------------------------------------
    def validate(self, request: Request) -> Response:
        errors = self._problems(_payload(request))
        return Response.json(200, {self.settings.validate_success_key: not errors, "errors": errors})

    def create(self, request: Request) -> Response:
        payload = _payload(request)
        shortname = self._checked(payload)
        body = self._normal_body(payload["body"])
        self._unique(shortname, body, ignore=None)
        rule = {"uuid": str(uuid.uuid4()), "shortname": shortname, "accounts": [{"shortname": shortname}],
                "body": body, "revision": {"createdBy": self._user, "createdDate": _ms(), "versionNumber": 1},
                "createdDate": _ms()}
        self._save(rule)
        return Response.json(200, self._view(rule))

    def update(self, request: Request, uid: str) -> Response:
        rule = self._rule(uid)
        payload = _payload(request)
        shortname = self._checked(payload)
        if shortname != rule["shortname"]:
            raise EdgioError(400, "accounts[0].shortname cannot change on update")
        body = self._normal_body(payload["body"])
        self._unique(shortname, body, ignore=uid)
        rule["body"] = body
        rule["revision"] = {"createdBy": self._user, "createdDate": _ms(),
                            "versionNumber": rule["revision"]["versionNumber"] + 1}
        self._save(rule)
        return Response.json(200, self._view(rule))

    def rollback(self, request: Request, uid: str, number: str) -> Response:
        rule = self._rule(uid)
        old = self._history(rule, _number(number))
        self._unique(rule["shortname"], old["body"], ignore=uid)
        rule["body"] = copy.deepcopy(old["body"])
        rule["revision"] = {"createdBy": self._user, "createdDate": _ms(),
                            "versionNumber": rule["revision"]["versionNumber"] + 1}
        self._save(rule)
        return Response.json(200, self._view(rule))

    def delete(self, request: Request, uid: str) -> Response:
        rule = self._rule(uid)
        self._ns.delete("rules", uid)
        self._ns.put("deleted", uid, {"uuid": uid, "deletedDate": _ms()})
        return Response.json(200, self._view(rule))

    # -- helpers -------------------------------------------------------------------------------
    def _rule(self, uid: str) -> dict[str, Any]:
        rule = self._ns.get("rules", uid)
        if rule is None:
            raise EdgioError(404, f"service instance {uid} not found")
        self._own(rule["shortname"])
        return dict(rule)

    def _save(self, rule: dict[str, Any]) -> None:
        rule["reads"] = 0  # deploy state restarts with every new version
        self._ns.put("rules", rule["uuid"], rule)
        self._ns.put("history", f"{rule['uuid']}/{rule['revision']['versionNumber']}",
                     {"revision": rule["revision"], "body": rule["body"]})

    def _history(self, rule: dict[str, Any], number: int) -> dict[str, Any]:
        found = self._ns.get("history", f"{rule['uuid']}/{number}")
        if found is None:
            raise EdgioError(404, f"version {number} of {rule['uuid']} not found")
        return {"uuid": rule["uuid"], **found}

    def _view(self, rule: dict[str, Any], advance: bool = False) -> dict[str, Any]:
        reads = rule.get("reads", 0)
        if advance:
            rule = {**rule, "reads": reads + 1}
            self._ns.put("rules", rule["uuid"], rule)
        if reads < self.settings.pending_reads:
            state = self.settings.pending_state
        else:
            state = self.settings.failure_state or "COMPLETED"
        return {"uuid": rule["uuid"], "isLatest": True, "isEnabled": True, "revision": rule["revision"],
                "meta": {"manifestVersion": "4", "serviceIdentifier": "deliverysvcinst", "serviceKey": "delivery"},
                "status": {"state": state}, "accounts": rule["accounts"], "shortname": rule["shortname"],
                "body": copy.deepcopy(rule["body"])}

    def _checked(self, payload: dict[str, Any]) -> str:
        errors = self._problems(payload)
        if errors:
            raise EdgioError(400, "; ".join(e["message"] for e in errors), 1019)
        shortname = payload["accounts"][0]["shortname"]
        self._own(shortname)
        return str(shortname)

    def _unique(self, shortname: str, body: dict[str, Any], ignore: str | None) -> None:
        for other in self._ns.list("rules"):
            if other["uuid"] != ignore and other["shortname"] == shortname and \
                    (other["body"]["publishedHostname"], other["body"]["publishedUrlPath"]) == \
                    (body["publishedHostname"], body["publishedUrlPath"]):
                raise EdgioError(self.settings.duplicate_status,
                                 f"a service instance for {body['publishedHostname']}"
                                 f"{body['publishedUrlPath']} exists already: {other['uuid']}", 1030)

    @staticmethod
    def _normal_body(body: dict[str, Any]) -> dict[str, Any]:
        body = copy.deepcopy(body)
        for key in SERVER_FIELDS:
            body.pop(key, None)
        body["publishedUrlPath"] = _norm_path(body.get("publishedUrlPath"))
        body["sourceUrlPath"] = _norm_path(body.get("sourceUrlPath"))
        return body

    @staticmethod
    def _problems(payload: Any) -> list[dict[str, str]]:
        errors: list[str] = []
        if not isinstance(payload, dict):
            return [{"field": "", "message": "payload must be a JSON object"}]
        accounts = payload.get("accounts")
        if not (isinstance(accounts, list) and len(accounts) == 1 and isinstance(accounts[0], dict)
                and accounts[0].get("shortname")):
            errors.append("accounts: exactly one {shortname} is required")
        body = payload.get("body")
        if not isinstance(body, dict):
            return [{"field": "body", "message": "body: required object"},
                    *[{"field": "", "message": e} for e in errors]]
        if (body.get("serviceKey") or {}).get("name") != "delivery":
            errors.append("body.serviceKey.name: must be 'delivery'")
        for key in ("serviceProfileName", "publishedHostname", "sourceHostname"):
            if not isinstance(body.get(key), str) or not body.get(key):
                errors.append(f"body.{key}: required")
        host = body.get("publishedHostname")
        if isinstance(host, str) and host and (_IPV4.match(host) or not _FQDN.match(host)):
            errors.append(f"body.publishedHostname: {host!r} must be an FQDN (IP addresses are not accepted)")
        source = body.get("sourceHostname")
        if isinstance(source, str) and source and not (_FQDN.match(source) or _IPV4.match(source)):
            errors.append(f"body.sourceHostname: {source!r} must be an FQDN or IP address")
        sets = body.get("protocolSets")
        if not isinstance(sets, list) or not 1 <= len(sets) <= 2:
            errors.append("body.protocolSets: 1 to 2 protocol sets are required")
        else:
            seen = []
            for i, pset in enumerate(sets):
                pset = pset if isinstance(pset, dict) else {}
                for key in ("publishedProtocol", "sourceProtocol"):
                    if pset.get(key) not in PROTOCOLS:
                        errors.append(f"body.protocolSets[{i}].{key}: must be 'http' or 'https'")
                port = pset.get("sourcePort")
                if port is not None and (isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535):
                    errors.append(f"body.protocolSets[{i}].sourcePort: must be 1..65535 or null")
                seen.append(pset.get("publishedProtocol"))
            if len(set(seen)) != len(seen):
                errors.append("body.protocolSets: one set per published protocol")
        return [{"field": e.split(":", 1)[0], "message": e} for e in errors]


def _payload(request: Request) -> dict[str, Any]:
    payload = request.json()
    if not isinstance(payload, dict):
        raise EdgioError(400, "request body must be a JSON object")
    return payload


def _dotted(rule: dict[str, Any], key: str) -> Any:
    value: Any = rule
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _number(text: str) -> int:
    if not text.isdigit():
        raise EdgioError(400, f"version {text!r} must be a number")
    return int(text)


def _ms() -> int:
    return int(time.time() * 1000)
