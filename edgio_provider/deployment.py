"""``RuleDeployment``: waits until every rule of a group (one Ingress) is deployed, polling them
all together, so that no rule write holds one of the provider server's four workers for the
CDN's propagation time.

Each poll costs one read per pending rule when few are pending, else one listing page per
shortname for all of them. A rule that fails (a FAILED or ERROR state) or outlives the timeout
fails the resource, naming each rule; the rules themselves are in state either way, so the next
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
    ResourceProvider,
    UpdateResult,
)

from edgio_provider.errors import EdgioDeployError, EdgioNotFound
from edgio_provider.provider import EdgioSettings
from edgio_provider.rules import known

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


class RuleDeploymentProvider(ResourceProvider):
    def __init__(self) -> None:
        self.settings = EdgioSettings()

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

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
        states: dict[str, str] = {}
        pending = set(rules)
        while pending:
            seen = self._poll(rules, pending)
            for uuid in list(pending):
                state, version = seen.get(uuid, ("GONE", None))
                states[uuid] = state
                if state == DONE and version is not None and version >= rules[uuid]["version"]:
                    pending.discard(uuid)
            bad = sorted(u for u in pending if _failed(states[u]) or states[u] == "GONE")
            if bad:
                raise EdgioDeployError("Edgio rules did not deploy: " + "; ".join(
                    f"{rules[u]['label']} (uuid={u}) is {states[u]}" for u in bad))
            if pending and time.monotonic() >= deadline:
                raise EdgioDeployError(f"Edgio rules not deployed after {timeout:g} s (deployTimeoutSeconds): "
                                       + "; ".join(f"{rules[u]['label']} (uuid={u}) still {states[u]!r}"
                                                   for u in sorted(pending)))
            if pending:
                time.sleep(self.settings.poll)
        return {**props, "states": states}

    def _poll(self, rules: dict[str, Any], pending: set[str]) -> dict[str, tuple[str, Any]]:
        """uuid -> (state, version) of every pending rule, with as few reads as the API allows."""
        client = self.settings.client()
        seen: dict[str, tuple[str, Any]] = {}
        by_shortname: dict[str, list[str]] = {}
        for uuid in pending:
            by_shortname.setdefault(rules[uuid]["shortname"], []).append(uuid)
        for shortname, uuids in sorted(by_shortname.items()):
            if len(uuids) <= SINGLE_READS:
                found = []
                for uuid in uuids:
                    try:
                        found.append(client.get(uuid))
                    except EdgioNotFound:
                        continue
            else:
                found = client.list_rules(shortname)
            for rule in found:
                if rule.get("uuid") in pending:
                    seen[rule["uuid"]] = (str((rule.get("status") or {}).get("state") or ""),
                                          (rule.get("revision") or {}).get("versionNumber"))
        return seen


def _key(rules: Any) -> Any:
    if not isinstance(rules, list):
        return rules
    return sorted((r.get("uuid"), r.get("version")) for r in rules if isinstance(r, dict))
