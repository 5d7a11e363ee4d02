"""``DeliveryRule`` lifecycle: one Edgio delivery service instance per published host + path.

The rule owned is exactly the uuid in state. Writes return as soon as the vendor accepted them:
waiting for the deploy is ``RuleDeployment``'s job, so a rule is in state (and removed by
``destroy``) whatever its deploy does. Each rule written carries its owner's claim (``rules.py``),
so a rule a killed run left behind is recognised by the next run of the same stack instance, and
never by another stack or another copy of this one. An update is refused when someone else
changed the rule since our last write or refresh: ``pulumi refresh`` takes the live rule into
state, and the next ``up`` then writes over it knowingly.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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

from edgio_provider.client import DEFAULT_ENDPOINT, EdgioClient
from edgio_provider.errors import (
    EdgioAPIError,
    EdgioConfigError,
    EdgioConflict,
    EdgioError,
    EdgioNotFound,
    EdgioTransportError,
)
from edgio_provider.listing import DEFAULT_MAX_AGE, RuleListings
from edgio_provider.rules import (
    INPUTS,
    NO_DIFF,
    REPLACE_ON,
    check_inputs,
    claim_of,
    inputs_from_live,
    normal,
    payload,
)
from restkit import clean_credential, positive_setting
from restkit.provider import ConfiguredProvider
from restkit.values import known


class EdgioSettings:
    """Credentials and tuning from ``configure()``; never pickled into state."""

    def __init__(self) -> None:
        self.username: str | None = None
        self.key: str | None = None
        self.endpoint = DEFAULT_ENDPOINT
        self.rate, self.timeout, self.poll, self.listing_age = 5.0, 30.0, 1.0, DEFAULT_MAX_AGE
        self._client: EdgioClient | None = None
        self._listings: RuleListings | None = None
        self._lock = threading.Lock()

    def configure(self, c: Any) -> None:
        env = os.environ
        user = c.get("edgio:username") or env.get("EDGIO_USERNAME") or env.get("LLNW_API_USERNAME")
        key = c.get("edgio:sharedKey") or env.get("EDGIO_SHARED_KEY") or env.get("LLNW_API_KEY")
        self.username = clean_credential(user, setting="edgio:username", error=EdgioConfigError) if user else None
        self.key = clean_credential(key, setting="edgio:sharedKey", error=EdgioConfigError) if key else None
        self.endpoint = (c.get("edgio:endpoint") or env.get("EDGIO_ENDPOINT") or env.get("LLNW_CONFIG_API_URL")
                         or DEFAULT_ENDPOINT)
        self.rate = _positive(c, "edgio:requestsPerSecond", 5.0)
        self.timeout = _positive(c, "edgio:timeoutSeconds", 30.0)
        self.poll = _positive(c, "edgio:pollSeconds", 1.0)
        self.listing_age = _positive(c, "edgio:listingSeconds", DEFAULT_MAX_AGE)

    def client(self) -> EdgioClient:
        with self._lock:
            if self._client is None:
                if not self.username or not self.key:
                    raise EdgioConfigError(
                        "no Edgio credentials: set `pulumi config set edgio:username <user>` and "
                        "`pulumi config set --secret edgio:sharedKey <hex key>` "
                        "(or EDGIO_USERNAME / EDGIO_SHARED_KEY)")
                self._client = EdgioClient(self.username, self.key, endpoint=self.endpoint,
                                           requests_per_second=self.rate, timeout=self.timeout)
            return self._client

    def listings(self) -> RuleListings:
        client = self.client()
        with self._lock:
            if self._listings is None:
                self._listings = RuleListings(client.list_rules, max_age=self.listing_age)
            return self._listings


def _positive(c: Any, setting: str, default: float) -> float:
    return positive_setting(c.get(setting), default, setting=setting, error=EdgioConfigError)


class DeliveryRuleProvider(ConfiguredProvider):
    def __init__(self) -> None:
        self.settings = EdgioSettings()

    def configure(self, req: ConfigureRequest) -> None:
        self.settings.configure(req.config)

    def client(self) -> EdgioClient:
        return self.settings.client()

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        p = normal(news)
        failures = check_inputs(p)
        # Inputs the vendor accepted before are not sent again: an unchanged stack costs no call.
        unchanged = bool(olds) and all(olds.get(k) == p[k] for k in INPUTS)
        if not failures and not unchanged and all(known(p[k]) for k in INPUTS) and self.settings.key:
            failures = self._validate(p)
        return CheckResult(news if failures else p, failures)

    def _validate(self, p: dict[str, Any]) -> list[CheckFailure]:
        """The vendor's own verdict, so preview shows a rejection before up does."""
        try:
            verdict = self.client().validate(payload(p))
        except EdgioError:
            return []  # unreachable in preview is not a reason to fail; create reports real errors
        if verdict.get("Success", verdict.get("success", True)) is not False:
            return []
        messages = [e.get("message", e) if isinstance(e, dict) else e for e in verdict.get("errors") or []]
        return [CheckFailure("published_hostname", f"Edgio validate: {m}") for m in messages]

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        p = normal(news)
        olds = {"owner": "", **olds}
        changed = [k for k in INPUTS if k not in NO_DIFF and (not known(p[k]) or olds.get(k) != p[k])]
        replaces = [k for k in REPLACE_ON if k in changed]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        p = normal(props)
        with _about(p):
            return self._create(p)

    def _create(self, p: dict[str, Any]) -> CreateResult:
        client, listings = self.client(), self.settings.listings()
        existing = listings.matching(p["shortname"], p["published_hostname"], p["published_path"])
        if existing and not p["adopt"] and not (p["owner"] and claim_of(existing[0]) == p["owner"]):
            claim = claim_of(existing[0])
            raise EdgioConflict(
                f"an Edgio rule for {p['published_hostname']}{p['published_path']} exists already and is "
                f"not managed by this stack: uuid={existing[0]['uuid']}"
                f"{f' (claimed by owner {claim})' if claim else ''}; set adopt "
                "(cdn-ingress:adoptExisting) to take it over")
        rule = (client.update(existing[0]["uuid"], payload(p, existing[0])) if existing
                else client.create(payload(p), known=set()))
        listings.put(p["shortname"], rule)
        return CreateResult(rule["uuid"], _outputs(p, rule))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        p = normal(news)
        with _about(p, id_):
            return self._update(id_, olds, p)

    def _update(self, id_: str, olds: dict[str, Any], p: dict[str, Any]) -> UpdateResult:
        client = self.client()
        live = client.get(id_)
        if not self._writable(live, olds, p):
            raise EdgioConflict(
                f"Edgio rule {id_} was changed outside this stack (state has version {olds.get('version')}, "
                f"live is version {_version(live)}); run `pulumi refresh` to take the live rule into state, "
                "then `pulumi up` to apply this program's values")
        if self._same(live, p):
            return UpdateResult(_outputs(p, live))  # our own earlier PUT landed, its answer was lost
        rule = client.update(id_, payload(p, live))
        self.settings.listings().put(p["shortname"], rule)
        return UpdateResult(_outputs(p, rule))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """The owner check reads the shared listing (at most ``edgio:listingSeconds`` old), not the
        rule: one listing for a whole destroy instead of a read per rule."""
        client, shortname = self.client(), str(props.get("shortname") or "")
        with _about(props, id_):
            listings = self.settings.listings()
            live = listings.get(shortname, id_) if shortname else client.get(id_)
            owner = props.get("owner") or ""
            if live is not None and owner and claim_of(live) not in ("", owner):
                return  # another stack adopted the rule: it is theirs now
            with suppress(EdgioNotFound):
                client.delete(id_)
            listings.drop(shortname, id_)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """From the shared listing; a rule it does not show is read by uuid, and only a 404 makes
        it gone (a listing paged by offset can miss a rule while others are deleted)."""
        shortname = str(props.get("shortname") or "")
        try:
            with _about(props, id_):
                rule = (self.settings.listings().get(shortname, id_) if shortname else None) \
                    or self.client().get(id_)
        except EdgioNotFound:
            return ReadResult("", {})
        p = normal(props)
        if p["owner"] and claim_of(rule) not in ("", p["owner"]):
            return ReadResult("", {})  # adopted by another stack: no longer ours
        live = inputs_from_live(rule, p)
        live["owner"] = live["owner"] or p["owner"]
        outs = _outputs(live, rule)
        return ReadResult(id_, outs, {k: outs[k] for k in INPUTS})

    def _same(self, rule: dict[str, Any], p: dict[str, Any]) -> bool:
        live = inputs_from_live(rule, p)
        return all(live.get(k) == p[k] for k in INPUTS if k not in NO_DIFF)

    def _writable(self, live: dict[str, Any], olds: dict[str, Any], p: dict[str, Any]) -> bool:
        """Nobody else changed the rule since state last saw it: same version, or content equal to
        what state holds (a rolled-back or re-saved rule), or exactly what we are about to write
        under our own claim (our PUT landed unseen)."""
        if olds.get("version") is None or _version(live) == olds.get("version"):
            return True
        old_inputs = normal({**olds, "owner": olds.get("owner") or ""})
        if self._same(live, old_inputs):
            return True
        return bool(p["owner"]) and claim_of(live) == p["owner"] and self._same(live, p)


@contextmanager
def _about(p: dict[str, Any], uuid: str = "") -> Iterator[None]:
    """A vendor failure names the rule it concerns (the client knows only the request)."""
    try:
        yield
    except (EdgioAPIError, EdgioTransportError) as exc:
        subject = f"Edgio rule {p.get('published_hostname')}{p.get('published_path')}"
        exc.about(f"{subject} (uuid={uuid})" if uuid else subject)
        raise


def _version(rule: dict[str, Any]) -> Any:
    return (rule.get("revision") or {}).get("versionNumber")


def _outputs(p: dict[str, Any], rule: dict[str, Any]) -> dict[str, Any]:
    scheme = "https" if "https" in p["published_protocols"] else "http"
    return {**{k: p[k] for k in INPUTS}, "uuid": rule["uuid"], "version": _version(rule),
            "state": (rule.get("status") or {}).get("state"),
            "published_url": f"{scheme}://{p['published_hostname']}{p['published_path']}"}
