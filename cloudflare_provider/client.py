"""Cloudflare API v4 client over the official ``cloudflare`` library, whose HTTP goes through
restkit (``transport.py``). One method per call the providers make (docs/api/cloudflare.md); a
create whose answer was lost is looked up (by name and claim, or by rule ref) before it is sent again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import cloudflare
import httpx
from cloudflare import Cloudflare
from cloudflare.types.rulesets import Phase

from cloudflare_provider.errors import (
    CloudflareBadRequest,
    CloudflareConfigError,
    CloudflareNotFound,
    CloudflareTransportError,
    error_for_status,
)
from cloudflare_provider.transport import RestkitHTTPTransport
from cloudflare_provider.types import DnsRecordWire, RulesetWire, RuleWire
from restkit import OutcomeUnknown, RateLimiter, RetryPolicy, Transport, clean_credential, shorten

DEFAULT_ENDPOINT = "https://api.cloudflare.com/client/v4"
ORIGIN_PHASE: Phase = "http_request_origin"
#: 1,200 requests per five minutes per user is 4 per second; a token bucket at that rate with a
#: small burst never crosses the window, whatever the calls' timing.
DEFAULT_RATE = 4.0
#: Records per page of a DNS record listing (Cloudflare's default, docs/api/cloudflare.md).
PAGE = 100
T = TypeVar("T")


def _detail(body: object) -> tuple[str, tuple[int, ...]]:
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        items = [e for e in body["errors"] if isinstance(e, dict)]
        text = "; ".join(f"code {e.get('code')}: {e.get('message')}" + (
            f" (at {e['source'].get('pointer')})" if isinstance(e.get("source"), dict) else "") for e in items)
        return shorten(text), tuple(e["code"] for e in items if isinstance(e.get("code"), int))
    return shorten(str(body or "")), ()


class CloudflareClient:
    def __init__(self, api_token: str, *, endpoint: str = DEFAULT_ENDPOINT,
                 requests_per_second: float = DEFAULT_RATE, timeout: float = 30.0,
                 retry: RetryPolicy | None = None) -> None:
        token = clean_credential(api_token, setting="cloudflare:apiToken", error=CloudflareConfigError)
        transport = Transport("", timeout=(min(5.0, timeout), timeout), retry=retry,
                              limiter=RateLimiter.shared(f"cloudflare:{requests_per_second}", requests_per_second,
                                                         burst=4))
        self._endpoint = endpoint.rstrip("/")
        self._lib = Cloudflare(api_token=token, base_url=self._endpoint, max_retries=0, timeout=timeout,
                               http_client=httpx.Client(transport=RestkitHTTPTransport(transport)))
        # The library would prefer CLOUDFLARE_EMAIL / CLOUDFLARE_API_KEY from the environment over
        # the token given: only the configured token may authenticate.
        self._lib.api_key = self._lib.api_email = self._lib.user_service_key = None

    def __repr__(self) -> str:
        return f"CloudflareClient(endpoint={self._endpoint!r})"

    def _call(self, operation: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except cloudflare.APIStatusError as exc:
            detail, codes = _detail(exc.body)
            raise error_for_status(exc.status_code)(operation, exc.status_code, exc.request.method,
                                                    exc.request.url.path, detail, codes) from exc
        except cloudflare.APIConnectionError as exc:
            if isinstance(exc.__cause__, OutcomeUnknown):
                raise exc.__cause__ from exc
            raise CloudflareTransportError(f"Cloudflare {operation} failed: {exc.__cause__ or exc}") from exc

    # -- token and zones -------------------------------------------------------------------
    def verify_token(self) -> dict[str, Any]:
        answer = self._call("verify_token", lambda: self._lib.user.tokens.verify())
        return answer.model_dump(mode="json") if answer is not None else {}

    def zone_id(self, name: str) -> str:
        # A name matches one zone at most: the first page is the answer (iterating would ask for a second).
        zones = self._call("list_zones", lambda: list(self._lib.zones.list(name=name).result))
        if not zones:
            raise CloudflareConfigError(f"no Cloudflare zone named {name!r} is visible to this token "
                                        "(cloudflare:zoneName); check the name and the token's zone resources")
        return str(zones[0].id)

    # -- DNS records -----------------------------------------------------------------------
    def list_records(self, zone_id: str, name: str) -> list[DnsRecordWire]:
        pages = self._call("list_records", lambda: _every_page(lambda page: self._lib.dns.records.list(
            zone_id=zone_id, name={"exact": name}, per_page=PAGE, page=page)))
        return [cast(DnsRecordWire, r.model_dump(mode="json")) for r in pages]

    def zone_records(self, zone_id: str) -> list[DnsRecordWire]:
        """Every record of the zone (a page per 100)."""
        pages = self._call("list_zone_records", lambda: _every_page(
            lambda page: self._lib.dns.records.list(zone_id=zone_id, per_page=PAGE, page=page)))
        return [cast(DnsRecordWire, r.model_dump(mode="json")) for r in pages]

    def get_record(self, zone_id: str, record_id: str) -> DnsRecordWire:
        answer = self._call("get_record", lambda: self._lib.dns.records.get(record_id, zone_id=zone_id))
        return cast(DnsRecordWire, answer.model_dump(mode="json") if answer is not None else {})

    def create_record(self, zone_id: str, fields: dict[str, Any], *, attempts: int = 3,
                      before: set[str] | None = None) -> DnsRecordWire:
        """POST; a lost answer is settled by listing the name: a record with our claim and content
        that was not there before (``before``: the ids at the name, listed now when not given) is
        the one made. One that cannot be settled is removed."""
        if before is None:
            before = {r["id"] for r in self.list_records(zone_id, fields["name"])}

        def made() -> list[DnsRecordWire]:
            return [r for r in self.list_records(zone_id, fields["name"]) if r["id"] not in before
                    and (r.get("comment"), r.get("type"), r.get("content")) ==
                    (fields["comment"], fields["type"], fields["content"])]

        for attempt in range(1, attempts + 1):
            try:
                answer = self._call("create_record", lambda: self._lib.dns.records.create(zone_id=zone_id, **fields))
                return cast(DnsRecordWire, answer.model_dump(mode="json") if answer is not None else {})
            except (OutcomeUnknown, CloudflareTransportError) as exc:
                found = made()
                if found:
                    return found[0]
                if attempt == attempts:
                    raise CloudflareTransportError(f"Cloudflare create_record failed: {exc}") from exc
        raise AssertionError("unreachable")

    def update_record(self, zone_id: str, record_id: str, fields: dict[str, Any]) -> DnsRecordWire:
        """PUT: the whole record, so sending it twice is harmless."""
        answer = self._call("update_record", lambda: self._lib.dns.records.update(
            record_id, zone_id=zone_id, **fields))
        return cast(DnsRecordWire, answer.model_dump(mode="json") if answer is not None else {})

    def delete_record(self, zone_id: str, record_id: str) -> None:
        self._call("delete_record", lambda: self._lib.dns.records.delete(record_id, zone_id=zone_id))

    # -- rulesets --------------------------------------------------------------------------
    def entrypoint(self, zone_id: str, phase: Phase = ORIGIN_PHASE) -> RulesetWire | None:
        try:
            answer = self._call("get_entrypoint", lambda: self._lib.rulesets.phases.get(phase, zone_id=zone_id))
        except CloudflareNotFound:
            return None
        return cast(RulesetWire, answer.model_dump(mode="json", exclude_none=True))

    def ensure_entrypoint(self, zone_id: str, phase: Phase = ORIGIN_PHASE) -> RulesetWire:
        """The phase's entry point ruleset, created empty when the zone has none. It holds every
        owner's rules of the phase, so it is never replaced or deleted here."""
        found = self.entrypoint(zone_id, phase)
        if found is not None:
            return found
        try:
            return cast(RulesetWire, self._call("create_ruleset", lambda: self._lib.rulesets.create(
                zone_id=zone_id, kind="zone", phase=phase, name=f"{phase} entry point", rules=[])))
        except (OutcomeUnknown, CloudflareBadRequest):
            found = self.entrypoint(zone_id, phase)  # made by the lost answer, or by someone at the same time
            if found is None:
                raise
            return found

    def create_rule(self, zone_id: str, ruleset_id: str, rule: dict[str, Any], *, attempts: int = 3
                    ) -> RulesetWire:
        """POST one rule; the answer is the whole ruleset after the write (``rule_by_ref`` finds
        the rule in it). A lost answer is settled by the rule's ref, which is unique in the ruleset."""
        for attempt in range(1, attempts + 1):
            try:
                return _ruleset(self._call("create_rule", lambda: self._lib.rulesets.rules.create(
                    ruleset_id, zone_id=zone_id, **rule)))
            except OutcomeUnknown as exc:
                live = self.entrypoint(zone_id) or {}
                if any(r.get("ref") == rule["ref"] for r in live.get("rules", [])):
                    return live
                if attempt == attempts:
                    raise CloudflareTransportError(f"Cloudflare create_rule failed: {exc}") from exc
        raise AssertionError("unreachable")

    def edit_rule(self, zone_id: str, ruleset_id: str, rule_id: str, rule: dict[str, Any]) -> RulesetWire:
        """PATCH with the rule's whole definition (fields left out are not kept); the answer is the
        whole ruleset after the write."""
        return _ruleset(self._call("edit_rule", lambda: self._lib.rulesets.rules.edit(
            rule_id, ruleset_id=ruleset_id, zone_id=zone_id, **rule)))

    def delete_rule(self, zone_id: str, ruleset_id: str, rule_id: str) -> None:
        self._call("delete_rule", lambda: self._lib.rulesets.rules.delete(
            rule_id, ruleset_id=ruleset_id, zone_id=zone_id))


def _every_page(fetch: Callable[[int], Any]) -> list[Any]:
    """Every item of a paged list, up to ``result_info.total_pages``: iterating the library's page
    asks for one more page past the last, a call per listing for nothing."""
    items: list[Any] = []
    number = 1
    while True:
        page = fetch(number)
        items += page.result or []
        total = getattr(page.result_info, "total_pages", None)
        if not page.result or (total is not None and number >= total) or (total is None and len(page.result) < PAGE):
            return items
        number += 1


def _ruleset(answer: Any) -> RulesetWire:
    """A rules endpoint's answer (the library's model, or the plain object its union leaves)."""
    dumped = answer.model_dump(mode="json", exclude_none=True) if hasattr(answer, "model_dump") else dict(answer)
    return cast(RulesetWire, dumped)


def rules_of(ruleset: RulesetWire | None) -> list[RuleWire]:
    """A ruleset's rules, each with the ruleset's id (what a rule's edit and delete name)."""
    return [{**rule, "ruleset_id": (ruleset or {}).get("id", "")} for rule in (ruleset or {}).get("rules", [])]


def rule_by_ref(ruleset: RulesetWire, ref: str) -> RuleWire:
    """The rule with this ref in a ruleset, with the ruleset's id."""
    for rule in rules_of(ruleset):
        if rule.get("ref") == ref:
            return rule
    raise CloudflareNotFound("find_rule", 404, "GET", f"ruleset {ruleset.get('id')}", f"no rule with ref {ref}")
