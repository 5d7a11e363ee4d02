"""Edgio Config API v1: delivery service instances (E1-E13 of edgio-config-api.md), the service
profile catalogue (R1-R4), HMAC auth, errors in the ``{"errors": [...]}`` envelope."""

from __future__ import annotations

import copy
import dataclasses
import time
import uuid
from collections.abc import Sequence
from typing import Any

from emulators._core import JSONBodyError, Request, Response, Router
from emulators._core.settings import changed_at_run_time
from emulators._core.store import Namespace
from emulators.edgio import profiles
from emulators.edgio.auth import AuthError, authenticate
from emulators.edgio.catalogue import Catalogue
from emulators.edgio.settings import START_ONLY, EdgioSettings
from emulators.edgio.validation import problems

BASE = "/config-api/v1"
SERVER_FIELDS = ("uuid", "isLatest", "isEnabled", "revision", "meta", "status", "shortname")


class EdgioError(Exception):
    def __init__(self, status: int, message: str, code: int = 0, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.status, self.code, self.details = status, code, list(details)


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
        self.settings = self._initial = settings
        self.catalogue = Catalogue.load(settings.catalogue_file)
        self._router = Router()
        svc, prof = f"{BASE}/svcinst/delivery", f"{BASE}/svcprof/delivery/shortname/{{sn}}"
        for method, path, handler in (
            ("GET", f"{BASE}/health/check", self.health), ("GET", f"{BASE}/utils/status", self.status),
            ("GET", f"{svc}/shortname/{{sn}}", self.list_rules),
            ("GET", f"{svc}/shortname/{{sn}}/searchAuto", self.search),
            ("POST", f"{svc}/validate", self.validate), ("POST", f"{svc}/inheritance", self.inherit),
            ("POST", svc, self.create),
            ("GET", f"{svc}/{{uid}}", self.get), ("PUT", f"{svc}/{{uid}}", self.update),
            ("DELETE", f"{svc}/{{uid}}", self.delete), ("GET", f"{svc}/{{uid}}/versions", self.versions),
            ("GET", f"{svc}/{{uid}}/versions/{{number}}", self.version),
            ("POST", f"{svc}/{{uid}}/rollbackTo/{{number}}", self.rollback),
            ("GET", prof, self.list_profiles), ("GET", f"{prof}/search", self.search_profiles),
            ("GET", f"{prof}/{{uid}}", self.get_profile),
            ("GET", f"{BASE}/configoption/shortname/{{sn}}/svcProf/{{profile}}", self.config_options),
        ):
            self._router.add(method, path, handler)

    # -- server interface --------------------------------------------------------------------
    def error_response(self, status: int, message: str, code: int = 0, details: Sequence[str] = ()) -> Response:
        # [?] The config-api error body is undocumented; the ED-SP envelope is used throughout,
        # one entry per problem when a payload has several.
        entries = [{"message": text, "code": code, "description": text, "source": "config-api"}
                   for text in (details or [message])]
        return Response.json(status, {"errors": entries})

    def handle(self, request: Request) -> Response:
        try:
            s = self.settings
            authenticate(request, user=self._user, key=self._key, skew=s.max_clock_skew_seconds,
                         accept_future=s.accept_future_timestamps)
            found = self._router.match(request.method, request.path)
            if not isinstance(found, tuple):
                raise EdgioError(405 if found is False else 404, "no such endpoint")
            handler, params = found
            with self._ns.transaction():
                return handler(request, **params)
        except AuthError as exc:
            return self.error_response(401, str(exc), exc.code)
        except EdgioError as exc:
            return self.error_response(exc.status, str(exc), exc.code, exc.details)
        except JSONBodyError as exc:
            return self.error_response(400, str(exc))

    def state(self) -> dict[str, Any]:
        return {"rules": self._ns.list("rules"), "deleted": self._ns.list("deleted")}

    def reset(self) -> None:
        self._apply(self._initial)
        self._ns.clear()

    def settings_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self.settings)

    def configure(self, changes: dict[str, Any]) -> None:
        self._apply(changed_at_run_time(self.settings, changes, START_ONLY))

    def _apply(self, settings: EdgioSettings) -> None:
        catalogue = Catalogue.load(settings.catalogue_file)  # a bad file leaves the settings unchanged
        self.settings, self.catalogue = settings, catalogue

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
        size_text, page_text = request.query_one("size") or "", request.query_one("page") or ""
        if not all(t.isascii() and t.isdigit() and len(t) < 10 for t in (size_text, page_text) if t):
            raise EdgioError(400, "size and page must be whole numbers")
        size, page = int(size_text or self.settings.default_page_size), int(page_text or 1)
        if not 1 <= size <= self.settings.max_page_size or page < 1:
            raise EdgioError(400, f"size must be 1..{self.settings.max_page_size} and page >= 1")
        return Response.json(200, {"results": items[(page - 1) * size: page * size]})

    @staticmethod
    def _filters(request: Request) -> dict[str, str]:
        return {k: v[-1] for k, v in request.query.items() if k.startswith("body.")}

    def list_rules(self, request: Request, sn: str) -> Response:
        self._own(sn)
        return self._page(request, [self._view(r) for r in self._ns.list("rules") if r["shortname"] == sn])

    def search(self, request: Request, sn: str) -> Response:
        self._own(sn)
        filters = self._filters(request)
        if "body.publishedUrlPath" in filters:  # the API adds the leading "/" [C K8S]
            filters["body.publishedUrlPath"] = _norm_path(filters["body.publishedUrlPath"])
        prefix = self.settings.search_prefix_match
        hits = [self._view(r) for r in self._ns.list("rules") if r["shortname"] == sn
                and all(str(profiles.dotted(r, key)).startswith(value) if prefix
                        else str(profiles.dotted(r, key)) == value for key, value in filters.items())]
        return self._page(request, hits)

    def get(self, request: Request, uid: str) -> Response:
        return Response.json(200, self._view(self._rule(uid), advance=True))

    def versions(self, request: Request, uid: str) -> Response:
        rule = self._rule(uid)
        versions = range(1, rule["revision"]["versionNumber"] + 1)
        return Response.json(200, {"results": [self._history(rule, n) for n in versions]})

    def version(self, request: Request, uid: str, number: str) -> Response:
        return Response.json(200, self._history(self._rule(uid), _number(number)))

    def list_profiles(self, request: Request, sn: str) -> Response:
        self._own(sn)
        return self._page(request, profiles.profiles(self.catalogue, sn, {}))

    def search_profiles(self, request: Request, sn: str) -> Response:
        self._own(sn)
        return self._page(request, profiles.profiles(self.catalogue, sn, self._filters(request)))

    def get_profile(self, request: Request, sn: str, uid: str) -> Response:
        self._own(sn)
        found = next((p for p in self.catalogue.profiles if p.uuid == uid), None)
        if found is None:
            raise EdgioError(404, f"service profile {uid} not found")
        return Response.json(200, profiles.profile_view(found, sn))

    def config_options(self, request: Request, sn: str, profile: str) -> Response:
        self._own(sn)
        found = self.catalogue.profile(profile)
        if found is None:
            raise EdgioError(404, f"service profile {profile!r} not found; known: {self.catalogue.names()}")
        return Response.json(200, {"results": profiles.options(self.catalogue, found)})

    # -- write endpoints -----------------------------------------------------------------------
    def validate(self, request: Request) -> Response:
        errors = problems(_payload(request), self.catalogue)
        return Response.json(200, {self.settings.validate_success_key: not errors, "errors": errors})

    def create(self, request: Request) -> Response:
        return self._create(_payload(request), parent=None)

    def inherit(self, request: Request) -> Response:
        parent_id = request.query_one("parentId")
        if not parent_id:
            raise EdgioError(400, "query parameter parentId is required")
        parent = self._rule(parent_id)
        payload = _payload(request)
        if self.settings.inherit_missing_fields:
            payload.setdefault("accounts", copy.deepcopy(parent["accounts"]))
            if isinstance(payload.get("body"), dict):
                payload["body"] = {**copy.deepcopy(parent["body"]), **payload["body"]}
        return self._create(payload, parent=parent)

    def _create(self, payload: dict[str, Any], parent: dict[str, Any] | None) -> Response:
        shortname = self._checked(payload)
        if parent is not None and parent["shortname"] != shortname:
            raise EdgioError(400, f"accounts[0].shortname {shortname!r} must be the parent's "
                                  f"{parent['shortname']!r}")
        body = self._normal_body(payload["body"])
        self._unique(shortname, body, ignore=None)
        rule = {"uuid": str(uuid.uuid4()), "shortname": shortname, "accounts": [{"shortname": shortname}],
                "body": body, "revision": {"createdBy": self._user, "createdDate": _ms(), "versionNumber": 1},
                "createdDate": _ms(), "parentId": parent["uuid"] if parent else None}
        self._save(rule)
        return Response.json(200, self._view(rule))

    def update(self, request: Request, uid: str) -> Response:
        rule, payload = self._rule(uid), _payload(request)
        shortname = self._checked(payload)
        if shortname != rule["shortname"]:
            raise EdgioError(400, "accounts[0].shortname cannot change on update")
        body = self._normal_body(payload["body"])
        self._unique(shortname, body, ignore=uid)
        self._new_version(rule, body)
        return Response.json(200, self._view(rule))

    def rollback(self, request: Request, uid: str, number: str) -> Response:
        rule = self._rule(uid)
        old = self._history(rule, _number(number))
        self._unique(rule["shortname"], old["body"], ignore=uid)
        self._new_version(rule, copy.deepcopy(old["body"]))
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

    def _new_version(self, rule: dict[str, Any], body: dict[str, Any]) -> None:
        rule["body"] = body
        rule["revision"] = {"createdBy": self._user, "createdDate": _ms(),
                            "versionNumber": rule["revision"]["versionNumber"] + 1}
        self._save(rule)

    def _save(self, rule: dict[str, Any]) -> None:
        rule["reads"], rule["writtenAt"] = 0, time.time()  # deploy state restarts with every version
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
        age = time.time() - rule.get("writtenAt", 0.0)
        if reads < self.settings.pending_reads or age < self.settings.pending_seconds:
            state = self.settings.pending_state
        else:
            state = self.settings.failure_state or "COMPLETED"
        return {"uuid": rule["uuid"], "isLatest": True, "isEnabled": True, "revision": rule["revision"],
                "meta": {"manifestVersion": "4", "serviceIdentifier": "deliverysvcinst", "serviceKey": "delivery"},
                "status": {"state": state}, "accounts": rule["accounts"], "shortname": rule["shortname"],
                "body": copy.deepcopy(rule["body"])}

    def _checked(self, payload: dict[str, Any]) -> str:
        errors = problems(payload, self.catalogue)
        if errors:
            messages = [e["message"] for e in errors]
            raise EdgioError(400, "; ".join(messages), 1019, messages)
        shortname = str(payload["accounts"][0]["shortname"])
        self._own(shortname)
        return shortname

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


def _payload(request: Request) -> dict[str, Any]:
    payload = request.json()
    if not isinstance(payload, dict):
        raise EdgioError(400, "request body must be a JSON object")
    return payload


def _number(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise EdgioError(400, f"version {text!r} must be a number")
    return int(text)


def _ms() -> int:
    return int(time.time() * 1000)
