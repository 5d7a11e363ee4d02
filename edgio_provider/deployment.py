"""``RuleDeployment``: waits until every rule of a group (one Ingress) is deployed, so that no
rule write holds one of the provider server's four workers for the CDN's propagation time.

Every deployment of a provider process shares one poll loop (``watch.py``): a cycle costs one
read per pending rule when few are pending, else one listing per shortname, for all of them
(and a read of each rule the listing missed: only a 404 for its uuid makes a rule gone).
A rule that fails (a FAILED or ERROR state) or outlives the timeout fails the resource, naming
each rule; the rules themselves are in state either way, so the next
``up`` waits again and ``destroy`` removes them.
"""

from __future__ import annotations

import time
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from edgio_provider.client import EdgioClient
from edgio_provider.errors import EdgioDeployError, EdgioNotFound
from edgio_provider.provider import EdgioSettings
from edgio_provider.watch import DeployWatch
from restkit.provider import ConfiguredProvider
from restkit.values import known

#: Up to this many pending rules of one shortname are read one by one; more cost a listing.
SINGLE_READS = 2
DONE = "COMPLETED"


def _failed(state: str) -> bool:
    return "FAIL" in state.upper() or "ERROR" in state.upper()


def check_rules(news: dict[str, Any]) -> list[CheckFailure]:
    rules, timeout = news.get("rules"), news.get("timeout_seconds", 600)
    failures = []
    if known(rules) and not (isinstance(rules, list) and all(
            isinstance(r, dict) and {"uuid", "version", "shortname", "label"} <= set(r) for r in rules)):
        failures.append(CheckFailure("rules", f"rules={rules!r}: must be a list of {{uuid, version, "
                                              "shortname, label}"))
    if known(timeout) and not (isinstance(timeout, int | float) and not isinstance(timeout, bool) and timeout > 0):
        failures.append(CheckFailure("timeout_seconds", f"timeout_seconds={timeout!r}: must be a positive "
                                                        "number of seconds"))
    return failures


class RuleDeploymentProvider(ConfiguredProvider):
    def __init__(self) -> None:
        self.settings = EdgioSettings()

    def configure(self, req: ConfigureRequest) -> None:
        self.settings.configure(req.config)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(news, check_rules(news))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = not known(news.get("rules")) or _key(olds.get("rules")) != _key(news.get("rules"))
        return DiffResult(changes=changed, replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("deployed", self._wait(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(self._wait(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, props, {k: props.get(k) for k in ("rules", "timeout_seconds")})

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None  # waiting leaves nothing at the vendor

    def _wait(self, props: dict[str, Any]) -> dict[str, Any]:
        rules = {r["uuid"]: r for r in props.get("rules") or []}
        timeout = float(props.get("timeout_seconds") or 600)
        deadline = time.monotonic() + timeout
        states = {uuid: "" for uuid in rules}
        pending = set(rules)
        watch = DeployWatch.shared(f"{self.settings.endpoint} {self.settings.username}", self._poll,
                                   self.settings.poll)
        while pending:
            seen = watch.observe({u: rules[u]["shortname"] for u in pending})
            for uuid, (state, version) in seen.items():
                if version is not None and version < rules[uuid]["version"]:
                    continue  # a read from before our write (a lagging listing): still pending
                states[uuid] = state
                if state == DONE and version is not None:
                    pending.discard(uuid)
            bad = sorted(u for u in pending if _failed(states[u]) or states[u] == "GONE")
            if bad:
                raise EdgioDeployError("Edgio rules did not deploy: " + "; ".join(
                    f"{rules[u]['label']} (uuid={u}) is {states[u]}" for u in bad))
            if pending and time.monotonic() >= deadline:
                raise EdgioDeployError(f"Edgio rules not deployed after {timeout:g} s (deployTimeoutSeconds): "
                                       + "; ".join(f"{rules[u]['label']} (uuid={u}) still {states[u]!r}"
                                                   for u in sorted(pending)))
        return {**props, "states": states}

    def _poll(self, wanted: dict[str, str]) -> dict[str, tuple[str, Any]]:
        """uuid -> (state, version) of every rule wanted ({uuid: shortname}), with as few reads
        as the API allows; a rule is ("GONE", None) only when a read of it by uuid is a 404."""
        client = self.settings.client()
        seen: dict[str, tuple[str, Any]] = {}
        by_shortname: dict[str, list[str]] = {}
        for uuid, shortname in wanted.items():
            by_shortname.setdefault(shortname, []).append(uuid)
        for shortname, uuids in sorted(by_shortname.items()):
            listed = client.list_rules(shortname) if len(uuids) > SINGLE_READS else []
            seen.update({r["uuid"]: _state(r) for r in listed if r.get("uuid") in uuids})
            # The listing is paged by offset: a rule another stack deletes between two pages moves
            # every later rule up one place, and one of ours can be on neither page.
            seen.update({uuid: _read(client, uuid) for uuid in uuids if uuid not in seen})
        return seen


def _state(rule: dict[str, Any]) -> tuple[str, Any]:
    return str((rule.get("status") or {}).get("state") or ""), (rule.get("revision") or {}).get("versionNumber")


def _read(client: EdgioClient, uuid: str) -> tuple[str, Any]:
    try:
        return _state(client.get(uuid))
    except EdgioNotFound:
        return "GONE", None


def _key(rules: Any) -> Any:
    if not isinstance(rules, list):
        return rules
    return sorted((r.get("uuid"), r.get("version")) for r in rules if isinstance(r, dict))
