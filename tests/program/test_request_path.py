"""The request path reaches the backend as the client sent it: each rule's source path is its
published path, and an existing stack sees that as an in-place update of each rule."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from cdn_ingress.errors import ManifestError
from edgio_provider.provider import DeliveryRuleProvider
from tests.program.ingress_kit import files_with, ingress, path, rule
from tests.program.manifests_kit import SHIPPED, write
from tests.program.mocks_kit import RULE, run_program

BEFORE = {  # a rule as the program wrote it while every source path was '/'
    "shortname": "cstradtman", "published_hostname": "cstradtman.s.llnwi.net", "published_path": "/bob",
    "source_hostname": "pywai-inline-service.origin.example.com", "source_path": "/", "source_port": 30080,
    "published_protocols": ["https"], "source_protocol": "http", "profile_name": "LLNW-Generic", "options": [],
    "adopt": False, "owner": "organization/cdn-ingress/test",
}


def test_each_rule_keeps_the_request_path() -> None:
    rules = {r.name: r.inputs for r in run_program(SHIPPED).mocks.of_type(RULE)}
    assert {name: inputs["source_path"] for name, inputs in rules.items()} == {
        "cstradtman.s.llnwi.net/bob": "/bob", "cstradtman.s.llnwi.net/mark/and/fred/": "/mark/and/fred/"}


def test_source_path_change_is_an_in_place_update() -> None:
    diff = DeliveryRuleProvider().diff("uuid-1", BEFORE, {**BEFORE, "source_path": "/bob"})
    assert (diff.changes, diff.replaces) == (True, [])


def test_warnings_reach_the_engine_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    doc = ingress(rules=[rule("shop.example.com", path("/api", "ImplementationSpecific"))])
    with caplog.at_level(logging.WARNING):
        run_program(write(tmp_path / "m", files_with(doc)))
    assert any("pathType='ImplementationSpecific': published as a prefix" in r.getMessage() for r in caplog.records)


def test_default_host_config_publishes_hostless_rules(tmp_path: Path) -> None:
    doc = ingress(rules=[rule(None, path("/a"))])
    run = run_program(write(tmp_path / "m", files_with(doc)), defaultHost="www.cstradtman.s.llnwi.net")
    assert [r.name for r in run.mocks.of_type(RULE)] == ["www.cstradtman.s.llnwi.net/a"]


def test_default_host_must_be_an_fqdn() -> None:
    with pytest.raises(ManifestError) as caught:
        run_program(SHIPPED, defaultHost="*.s.llnwi.net")
    assert "cdn-ingress:defaultHost='*.s.llnwi.net': must be a lower-case FQDN" in str(caught.value)


def test_legacy_ingress_is_declared_as_v1(tmp_path: Path) -> None:
    doc = {"apiVersion": "extensions/v1beta1", "kind": "Ingress",
           "metadata": {"name": "old", "annotations": {"kubernetes.io/ingress.class": "edgio"}},
           "spec": {"rules": [{"host": "old.example.com", "http": {"paths": [
               {"path": "/", "backend": {"serviceName": "pywai-inline-service", "servicePort": 8000}}]}}]}}
    run = run_program(write(tmp_path / "m", files_with(doc)))
    declared = [r.typ for r in run.mocks.registered if r.name == "default/old" and r.typ.startswith("kubernetes:")]
    assert declared == ["kubernetes:networking.k8s.io/v1:Ingress"]
    assert [r.name for r in run.mocks.of_type(RULE)] == ["old.example.com/"]
