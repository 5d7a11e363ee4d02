"""``DeliveryRule`` lifecycle: one Edgio delivery service instance per published host + path.

The rule owned is exactly the uuid in state. An update is refused when the live version moved
since our last write or refresh (someone else edited the rule): ``pulumi refresh`` takes the
live version into state, and the next ``up`` then writes over it knowingly.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import time
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

from edgio_provider.client import DEFAULT_ENDPOINT, EdgioClient
from edgio_provider.errors import EdgioConfigError, EdgioConflict, EdgioDeployError, EdgioError, EdgioNotFound

INPUTS = ("shortname", "published_hostname", "published_path", "source_hostname", "source_path",
          "source_port", "published_protocols", "source_protocol", "profile_name", "options", "adopt",
          "wait_for_deploy", "deploy_timeout_seconds")
DEFAULTS = {"source_path": "/", "published_protocols": ["https"], "source_protocol": "http",
            "profile_name": "LLNW-Generic", "options": [], "adopt": False, "wait_for_deploy": True,
            "deploy_timeout_seconds": 600}
REPLACE_ON = ("shortname", "profile_name")
NO_DIFF = ("adopt", "wait_for_deploy", "deploy_timeout_seconds")
PROTOCOLS = ("http", "https")
_SHORTNAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_FQDN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
_IPV4 = re.compile(r"^(\d{1,3})(\.\d{1,3}){3}$")


def _known(value: Any) -> bool:
    if isinstance(value, Unknown):
        return False
    if isinstance(value, list):
        return all(_known(v) for v in value)
    if isinstance(value, dict):
        return all(_known(v) for v in value.values())
    return True


def _whole(value: Any) -> Any:
    """Numbers cross the engine's wire as doubles: give whole ones back their int type."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole(v) for v in value]
    if isinstance(value, dict):
        return {k: _whole(v) for k, v in value.items()}
    return value


def _normal(props: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **{k: _whole(props[k]) for k in INPUTS if k in props and props[k] is not None}}


def check_inputs(p: dict[str, Any]) -> list[CheckFailure]:
    failures: list[CheckFailure] = []

    def rule(field: str, ok: bool, allowed: str) -> None:
        if _known(p.get(field)) and not ok:
            failures.append(CheckFailure(field, f"{field}={p.get(field)!r}: {allowed}"))

    rule("shortname", isinstance(p.get("shortname"), str) and bool(_SHORTNAME.match(p["shortname"])),
         "must be an account shortname: lower-case letters, digits, '-' or '_'")
    host = p.get("published_hostname")
    rule("published_hostname", isinstance(host, str) and bool(_FQDN.match(host)),
         "must be a lower-case FQDN without scheme or port (IP addresses are not accepted)")
    for field in ("published_path", "source_path"):
        value = p.get(field)
        rule(field, isinstance(value, str) and value.startswith("/") and not any(c.isspace() for c in value),
             "must start with '/' and contain no spaces")
    source = p.get("source_hostname")
    rule("source_hostname", isinstance(source, str) and bool(_FQDN.match(source) or _IPV4.match(source)),
         "must be an FQDN or an IPv4 address")
    port = p.get("source_port")
    rule("source_port", isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535,
         "must be a port number from 1 to 65535")
    protocols = p.get("published_protocols")
    rule("published_protocols", isinstance(protocols, list) and 1 <= len(protocols) <= 2
         and len(set(protocols)) == len(protocols) and all(x in PROTOCOLS for x in protocols),
         "must be 1 or 2 of ['http', 'https'] without repeats")
    rule("source_protocol", p.get("source_protocol") in PROTOCOLS, "must be 'http' or 'https'")
    rule("profile_name", isinstance(p.get("profile_name"), str) and bool(p.get("profile_name")),
         "must name a delivery service profile, e.g. 'LLNW-Generic'")
    options = p.get("options")
    rule("options", isinstance(options, list) and all(
        isinstance(o, dict) and isinstance(o.get("name"), str) and o["name"]
        and isinstance(o.get("parameters", []), list) for o in options),
         "must be a list of {name: str, parameters: [str | int, ...]}")
    for field in ("adopt", "wait_for_deploy"):
        rule(field, isinstance(p.get(field), bool), "must be true or false")
    timeout = p.get("deploy_timeout_seconds")
    rule("deploy_timeout_seconds", isinstance(timeout, int) and not isinstance(timeout, bool) and timeout > 0,
         "must be a positive number of seconds")
    return failures


def payload(p: dict[str, Any], live: dict[str, Any] | None = None) -> dict[str, Any]:
    """The create/PUT payload; fields of the live rule we do not model are kept."""
    live_body = copy.deepcopy((live or {}).get("body") or {})
    live_sets = {s.get("publishedProtocol"): s for s in live_body.get("protocolSets") or []}
    sets = []
    for protocol in p["published_protocols"]:
        pset = {**live_sets.get(protocol, {}), "publishedProtocol": protocol,
                "sourceProtocol": p["source_protocol"], "sourcePort": p["source_port"],
                "options": [dict(o) for o in p["options"]]}
        sets.append(pset)
    body = {**live_body, "serviceKey": {"name": "delivery"}, "serviceProfileName": p["profile_name"],
            "publishedHostname": p["published_hostname"], "publishedUrlPath": p["published_path"],
            "sourceHostname": p["source_hostname"], "sourceUrlPath": p["source_path"], "protocolSets": sets}
    return {"accounts": [{"shortname": p["shortname"]}], "body": body}


def inputs_from_live(rule: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    body = rule.get("body") or {}
    sets = body.get("protocolSets") or [{}]
    return {**base, "shortname": rule.get("shortname") or base.get("shortname"),
            "published_hostname": body.get("publishedHostname"), "published_path": body.get("publishedUrlPath"),
            "source_hostname": body.get("sourceHostname"), "source_path": body.get("sourceUrlPath"),
            "source_port": sets[0].get("sourcePort"), "source_protocol": sets[0].get("sourceProtocol"),
            "published_protocols": [s.get("publishedProtocol") for s in sets],
            "profile_name": body.get("serviceProfileName"), "options": sets[0].get("options") or []}


class DeliveryRuleProvider(ResourceProvider):
    poll_interval = 1.0

    def __init__(self) -> None:
        self._username: str | None = None
        self._key: str | None = None
        self._endpoint = DEFAULT_ENDPOINT
        self._rate, self._timeout = 5.0, 30.0
        self._client: EdgioClient | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {}  # credentials and clients come from configure(), never from state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

    def configure(self, req: ConfigureRequest) -> None:
        c, env = req.config, os.environ
        self._username = c.get("edgio:username") or env.get("EDGIO_USERNAME") or env.get("LLNW_API_USERNAME")
        self._key = c.get("edgio:sharedKey") or env.get("EDGIO_SHARED_KEY") or env.get("LLNW_API_KEY")
        self._endpoint = (c.get("edgio:endpoint") or env.get("EDGIO_ENDPOINT") or env.get("LLNW_CONFIG_API_URL")
                          or DEFAULT_ENDPOINT)
        self._rate = float(c.get("edgio:requestsPerSecond") or 5)
        self._timeout = float(c.get("edgio:timeoutSeconds") or 30)
        self.poll_interval = float(c.get("edgio:pollSeconds") or self.poll_interval)

    def client(self) -> EdgioClient:
        if self._client is None:
            if not self._username or not self._key:
                raise EdgioConfigError(
                    "no Edgio credentials: set `pulumi config set edgio:username <user>` and "
                    "`pulumi config set --secret edgio:sharedKey <hex key>` (or EDGIO_USERNAME / EDGIO_SHARED_KEY)")
            self._client = EdgioClient(self._username, self._key, endpoint=self._endpoint,
                                       requests_per_second=self._rate, timeout=self._timeout)
        return self._client

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        p = _normal(news)
        failures = check_inputs(p)
        # Inputs the vendor accepted before are not sent again: an unchanged stack costs no call.
        unchanged = bool(olds) and all(olds.get(k) == p[k] for k in INPUTS)
        if (not failures and not unchanged and all(_known(p[k]) for k in INPUTS)
                and self._username and self._key):
            try:  # the vendor's own verdict, so preview shows a rejection before up does
                verdict = self.client().validate(payload(p))
                if verdict.get("Success", verdict.get("success", True)) is False:
                    for error in verdict.get("errors") or []:
                        message = error.get("message", error) if isinstance(error, dict) else error
                        failures.append(CheckFailure("published_hostname", f"Edgio validate: {message}"))
            except EdgioError:
                pass  # unreachable in preview is not a reason to fail; create reports real errors
        return CheckResult(news if failures else p, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        p = _normal(news)
        changed = [k for k in INPUTS if k not in NO_DIFF and (not _known(p[k]) or olds.get(k) != p[k])]
        replaces = [k for k in REPLACE_ON if k in changed]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        p = _normal(props)
        client = self.client()
        existing = client.search(p["shortname"], p["published_hostname"], p["published_path"])
        if existing and not p["adopt"] and not self._left_by_us(existing[0], p):
            raise EdgioConflict(
                f"an Edgio rule for {p['published_hostname']}{p['published_path']} exists already and is "
                f"not managed by this stack: uuid={existing[0]['uuid']}; set adopt "
                "(cdn-ingress:adoptExisting) to take it over")
        rule = client.update(existing[0]["uuid"], payload(p, existing[0])) if existing else client.create(payload(p))
        return CreateResult(rule["uuid"], self._outputs(p, self._deployed(p, rule)))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        p = _normal(news)
        client = self.client()
        live = client.get(id_)
        live_version = (live.get("revision") or {}).get("versionNumber")
        if olds.get("version") is not None and live_version != olds.get("version"):
            if self._left_by_us(live, p):  # our own earlier PUT landed, its answer was lost
                return UpdateResult(self._outputs(p, self._deployed(p, live)))
            raise EdgioConflict(
                f"Edgio rule {id_} was changed outside this stack (state has version {olds.get('version')}, "
                f"live is version {live_version}); run `pulumi refresh` to take the live rule into state, "
                "then `pulumi up` to apply this program's values")
        rule = client.update(id_, payload(p, live))
        return UpdateResult(self._outputs(p, self._deployed(p, rule)))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        with contextlib.suppress(EdgioNotFound):
            self.client().delete(id_)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            rule = self.client().get(id_)
        except EdgioNotFound:
            return ReadResult("", {})
        p = inputs_from_live(rule, _normal(props))
        outs = self._outputs(p, rule)
        return ReadResult(id_, outs, {k: outs[k] for k in INPUTS})

    def _left_by_us(self, rule: dict[str, Any], p: dict[str, Any]) -> bool:
        """A rule (or rule version) this program wrote in a run that died, or whose answer was
        lost, before Pulumi recorded it: written by our own API user, with exactly the content we
        are about to write. Taking it over is the repair the next run owes; anything else with
        this host + path, or any other edit, is someone else's."""
        if not self._username or (rule.get("revision") or {}).get("createdBy") != self._username:
            return False
        live = inputs_from_live(rule, p)
        return all(live.get(k) == p[k] for k in INPUTS if k not in NO_DIFF)

    def _deployed(self, p: dict[str, Any], rule: dict[str, Any]) -> dict[str, Any]:
        if not p["wait_for_deploy"]:
            return rule
        deadline = time.monotonic() + p["deploy_timeout_seconds"]
        while True:
            state = str((rule.get("status") or {}).get("state") or "")
            if state == "COMPLETED":
                return rule
            if "FAIL" in state.upper() or "ERROR" in state.upper():
                raise EdgioDeployError(f"Edgio rule {rule['uuid']} did not deploy: state {state!r}")
            if time.monotonic() >= deadline:
                raise EdgioDeployError(f"Edgio rule {rule['uuid']} still {state!r} after "
                                       f"{p['deploy_timeout_seconds']} s (deploy_timeout_seconds)")
            time.sleep(self.poll_interval)
            rule = self.client().get(rule["uuid"])

    @staticmethod
    def _outputs(p: dict[str, Any], rule: dict[str, Any]) -> dict[str, Any]:
        scheme = "https" if "https" in p["published_protocols"] else "http"
        return {**{k: p[k] for k in INPUTS}, "uuid": rule["uuid"],
                "version": (rule.get("revision") or {}).get("versionNumber"),
                "state": (rule.get("status") or {}).get("state"),
                "published_url": f"{scheme}://{p['published_hostname']}{p['published_path']}"}
