"""Each resource policy called directly, as the SDK calls it: once passing, once failing with its message."""

from __future__ import annotations

import json

import pulumi.runtime.config
import pytest
from cdn_policy import resources
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE, UNKNOWN_STRING_VALUE

from tests.policy.kit import DNS, RULE, SERVICE, record_set, resource, rule, violations

NAME = "shop.example.com/api"
ZONE = {"originDomain": "origin.example.com"}


def messages(validate, args) -> list[str]:  # type: ignore[no-untyped-def]
    return [message for message, _ in violations(validate, args)]


# -- cdn-https-only -------------------------------------------------------------------------
@pytest.mark.parametrize("protocols", [["https"], UNKNOWN_ARRAY_VALUE], ids=["https", "unknown-in-preview"])
def test_https_only_passes(protocols: object) -> None:
    assert messages(resources.https_only, resource(RULE, NAME, rule(published_protocols=protocols))) == []


def test_https_only_fails_on_http() -> None:
    args = resource(RULE, NAME, rule(published_protocols=["http", "https"]))
    assert messages(resources.https_only, args) == [
        "DeliveryRule 'shop.example.com/api' published_protocols=['http', 'https']: this stack publishes https "
        "only (annotation cdn-ingress.io/published-protocols); allowed: ['https']"]


def test_https_only_ignores_other_types() -> None:
    assert messages(resources.https_only, resource(DNS, "default/shop", {"published_protocols": ["http"]})) == []


# -- origin-in-zone -------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "props"), [
    (RULE, rule()), (RULE, rule(source_hostname=UNKNOWN_STRING_VALUE)), (DNS, record_set()),
    (DNS, record_set(domain="Origin.Example.com.")),
], ids=["rule", "rule-origin-unknown-in-preview", "record-set", "record-set-case-and-dot"])
def test_origin_in_zone_passes(kind: str, props: dict[str, object]) -> None:
    assert messages(resources.origin_in_zone, resource(kind, NAME, props, config=ZONE)) == []


def test_origin_in_zone_fails_on_rule_outside_zone() -> None:
    args = resource(RULE, NAME, rule(source_hostname="shop.elsewhere.net"), config=ZONE)
    assert messages(resources.origin_in_zone, args) == [
        "DeliveryRule 'shop.example.com/api' source_hostname='shop.elsewhere.net': the rule's origin must be a "
        "name in the stack's origin zone; allowed: '<name>.origin.example.com'"]


def test_origin_in_zone_fails_on_lookalike_zone() -> None:
    args = resource(RULE, NAME, rule(source_hostname="shop.evilorigin.example.com"), config=ZONE)
    assert len(messages(resources.origin_in_zone, args)) == 1


def test_origin_in_zone_fails_on_record_set_in_other_zone() -> None:
    args = resource(DNS, "default/shop", record_set(domain="example.net"), config=ZONE)
    assert messages(resources.origin_in_zone, args) == [
        "DnsRecordSet 'default/shop' domain='example.net': origin names must live in the stack's origin zone; "
        "allowed: 'origin.example.com'"]


def test_origin_in_zone_reads_the_stack_config(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the language host hands the pack: the stack's config as PULUMI_CONFIG.
    monkeypatch.delitem(pulumi.runtime.config.CONFIG.get(), "cdn-ingress:originDomain", raising=False)
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"cdn-ingress:originDomain": "origin-prod.example.com"}))
    assert messages(resources.origin_in_zone, resource(RULE, NAME, rule())) == [
        "DeliveryRule 'shop.example.com/api' source_hostname='shop.origin.example.com': the rule's origin must be "
        "a name in the stack's origin zone; allowed: '<name>.origin-prod.example.com'"]


# -- dns-ttl-bounds -------------------------------------------------------------------------
@pytest.mark.parametrize("ttl", [60, 120, 3600], ids=["low-end", "default", "high-end"])
def test_ttl_within_default_bounds_passes(ttl: int) -> None:
    assert messages(resources.ttl_bounds, resource(DNS, "default/shop", record_set(ttl=ttl))) == []


def test_ttl_above_configured_bound_fails() -> None:
    args = resource(DNS, "default/shop", record_set(ttl=600.0), config={"minTtl": 60, "maxTtl": 300})
    assert messages(resources.ttl_bounds, args) == [
        "DnsRecordSet 'default/shop' ttl=600: outside this stack's bounds (cdn-ingress:originTtl); "
        "allowed: 60..300 seconds"]


def test_ttl_below_default_bound_fails() -> None:
    assert len(messages(resources.ttl_bounds, resource(DNS, "default/shop", record_set(ttl=30)))) == 1


# -- allowed-profiles -----------------------------------------------------------------------
def test_allowed_profile_passes() -> None:
    args = resource(RULE, NAME, rule(profile_name="Video"), config={"allowedProfiles": ["LLNW-Generic", "Video"]})
    assert messages(resources.allowed_profiles, args) == []


def test_profile_outside_default_list_fails() -> None:
    assert messages(resources.allowed_profiles, resource(RULE, NAME, rule(profile_name="Video"))) == [
        "DeliveryRule 'shop.example.com/api' profile_name='Video': not a delivery profile this stack may use "
        "(annotation cdn-ingress.io/profile or cdn-ingress:edgioProfile); allowed: ['LLNW-Generic']"]


# -- app-labels -----------------------------------------------------------------------------
LABELS = {"app.kubernetes.io/name": "pywai", "app.kubernetes.io/part-of": "cdn-ingress"}


def test_labelled_object_passes() -> None:
    args = resource(SERVICE, "default/pywai", {"metadata": {"name": "pywai", "labels": LABELS}})
    assert messages(resources.app_labels, args) == []


def test_object_without_app_labels_fails() -> None:
    args = resource(SERVICE, "default/pywai", {"metadata": {"name": "pywai", "labels": {"app": "pywai"}}})
    assert messages(resources.app_labels, args) == [
        "Service 'default/pywai' metadata.labels={'app': 'pywai'}: missing app.kubernetes.io/name, "
        "app.kubernetes.io/part-of; allowed: labels that include app.kubernetes.io/name, app.kubernetes.io/part-of"]


def test_app_labels_leave_our_dynamic_resources_alone() -> None:
    assert messages(resources.app_labels, resource(RULE, NAME, rule())) == []


# -- protected-in-protected-stacks ----------------------------------------------------------
@pytest.mark.parametrize(("kind", "protect", "config"), [
    (RULE, True, {"protected": True}), (DNS, False, {"protected": False}), (DNS, False, None),
], ids=["protected-rule", "stack-not-protected", "no-config"])
def test_protected_passes(kind: str, protect: bool, config: dict[str, object] | None) -> None:
    args = resource(kind, NAME, rule(), protect=protect, config=config)
    assert messages(resources.protected, args) == []


def test_unprotected_record_set_in_protected_stack_fails() -> None:
    args = resource(DNS, "default/shop", record_set(), protect=False, config={"protected": True})
    assert messages(resources.protected, args) == [
        "DnsRecordSet 'default/shop' protect=False: this stack is marked protected, so its DNS record sets and "
        "CDN rules must not be deletable by a run (set cdn-ingress:protect: true in the stack config); "
        "allowed: protect=True"]
