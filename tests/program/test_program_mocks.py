"""The program's resource graph under Pulumi's mocks, in update and preview mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdn_ingress.errors import ManifestError
from tests.program.manifests_kit import SEED, ingress, shipped, write
from tests.program.mocks_kit import (
    DEPLOYMENT,
    IDENTITY,
    NODE_PORT_BASE,
    ORIGIN_DOMAIN,
    RECORDS,
    RULE,
    STATUS,
    Recorder,
    is_unknown,
    run_program,
)

SHIPPED = Path(__file__).resolve().parents[2] / "manifests"


def test_graph_of_the_shipped_manifests() -> None:
    run = run_program(SHIPPED)
    types = sorted(r.typ for r in run.mocks.registered)
    assert types == sorted([
        "cdn-ingress:index:CdnIngressApp", "kubernetes:apps/v1:Deployment",
        "kubernetes:core/v1:Service", "kubernetes:networking.k8s.io/v1:Ingress",
        "kubernetes:networking.k8s.io/v1:Ingress", RECORDS, RULE, RULE, STATUS, STATUS, IDENTITY,
        DEPLOYMENT, DEPLOYMENT,
    ])
    assert len(run.urns) == 11  # every resource but the component and the identity
    parent = "cdn-ingress:index:CdnIngressApp$"
    assert all(parent in urn for urn in run.urns), run.urns


def test_one_record_set_per_backend_service_with_the_origin_addresses() -> None:
    run = run_program(SHIPPED)
    (records,) = run.mocks.of_type(RECORDS)
    assert records.name == "default/pywai-inline-service"
    assert records.inputs["domain"] == ORIGIN_DOMAIN
    assert records.inputs["name"] == "pywai-inline-service"
    assert records.inputs["addresses"] == ["198.51.100.1", "198.51.100.2"]
    assert records.inputs["ttl"] == 120
    assert records.inputs["adopt"] is False


def test_node_port_flows_into_source_port() -> None:
    run = run_program(SHIPPED)
    rules = {r.name: r.inputs for r in run.mocks.of_type(RULE)}
    assert set(rules) == {"cstradtman.s.llnwi.net/bob", "cstradtman.s.llnwi.net/mark/and/fred/"}
    for inputs in rules.values():
        assert inputs["source_port"] == NODE_PORT_BASE
        assert inputs["source_hostname"] == f"pywai-inline-service.{ORIGIN_DOMAIN}"
        assert inputs["shortname"] == "cstradtman"


def test_annotations_become_rule_options() -> None:
    run = run_program(SHIPPED)
    rules = {r.name: r.inputs for r in run.mocks.of_type(RULE)}
    annotated = rules["cstradtman.s.llnwi.net/mark/and/fred/"]
    assert annotated["published_protocols"] == ["http", "https"]
    assert annotated["options"] == [
        {"name": "refresh_absmax", "parameters": [300]},
        {"name": "reply_send_header", "parameters": ["X-Served-By", "pywai"]},
    ]
    assert rules["cstradtman.s.llnwi.net/bob"]["published_protocols"] == ["https"]


def test_stack_output_per_route() -> None:
    run = run_program(SHIPPED)
    assert run.routes["cstradtman.s.llnwi.net/bob"] == {
        "published_url": "https://cstradtman.s.llnwi.net/bob",
        "origin": f"pywai-inline-service.{ORIGIN_DOMAIN}",
        "rule_uuid": "uuid-cstradtman.s.llnwi.net/bob",
    }


def test_cdn_ingresses_skip_await_and_get_a_status_writer() -> None:
    run = run_program(SHIPPED)
    for ingress_args in run.mocks.of_type("kubernetes:networking.k8s.io/v1:Ingress"):
        assert ingress_args.inputs["metadata"]["annotations"]["pulumi.com/skipAwait"] == "true"
    statuses = {r.name: r.inputs for r in run.mocks.of_type(STATUS)}
    assert statuses["default/external-pywai-inline-ingress"]["hostnames"] == ["cstradtman.s.llnwi.net"]


def test_preview_node_port_unknown_does_not_crash() -> None:
    run = run_program(SHIPPED, preview=True)
    rules = run.mocks.of_type(RULE)
    assert len(rules) == 2
    for rule in rules:
        assert is_unknown(rule.inputs.get("source_port", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"))
        assert rule.inputs["published_path"] in ("/bob", "/mark/and/fred/")


def test_adding_an_ingress_file_adds_exactly_its_resources(tmp_path: Path) -> None:
    before = run_program(write(tmp_path / "a", shipped()))
    files = {**shipped(), "shop.yaml": [ingress("shop", "shop.example.com", "/api")]}
    after = run_program(write(tmp_path / "b", files))
    added = sorted(set(after.urns) - set(before.urns))
    assert set(before.urns) <= set(after.urns)
    assert [urn.rsplit("::", 1)[1] for urn in added] == ["default/shop", "default/shop", "shop.example.com/api",
                                                        "default/shop"]  # Ingress, status, rule, deployment


def test_seed_ingresses_3_then_4_are_one_rule(tmp_path: Path) -> None:
    base = shipped()
    del base["pywai-ingress.yaml"], base["pywai-ingress2.yaml"]
    runs = []
    for seed_file in ("pywai-edgio-ingress3.yaml", "pywai-edgio-ingress4.yaml"):
        seed = (SEED / seed_file).read_text().replace("name: pywai-port", "name: http")
        runs.append(run_program(write(tmp_path / seed_file, {**base, seed_file: seed})))
    for run in runs:
        assert len(run.mocks.of_type(RULE)) == 1
        assert len(run.mocks.of_type("kubernetes:networking.k8s.io/v1:Ingress")) == 1
    paths = [run.mocks.of_type(RULE)[0].inputs["published_path"] for run in runs]
    assert paths == ["/mark/and/fred/", "/mary/and/fred/"]


def test_invalid_manifests_register_nothing(tmp_path: Path) -> None:
    files = shipped()
    files["pywai-ingress.yaml"] = [ingress("shop", "shop.example.com", "/", port={"name": "nope"})]
    mocks = Recorder(preview=True)
    with pytest.raises(ManifestError, match=r"port\.name='nope'"):
        run_program(write(tmp_path / "m", files), mocks=mocks)
    assert mocks.registered == []


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("originDomain", "not a domain", "cdn-ingress:originDomain='not a domain': must be the FQDN"),
    ("nodeAddressType", "Hostname", "must be one of ['ExternalIP', 'InternalIP']"),
    ("originAddresses", ["not-an-ip"], "cdn-ingress:originAddresses=['not-an-ip']: must be a list of IP"),
    ("originTtl", 5, "cdn-ingress:originTtl=5: must be 60..86400 seconds"),
], ids=["origin-domain", "address-type", "origin-addresses", "ttl"])
def test_bad_stack_config(key: str, value: object, expected: str) -> None:
    with pytest.raises(ManifestError) as caught:
        run_program(SHIPPED, **{key: value})
    assert expected in str(caught.value)


def test_vendor_objects_carry_the_stack_instance_owner_and_statuses_wait_for_deploys() -> None:
    run = run_program(SHIPPED)
    owner = "cdn-ingress/test/5f3a9c0d1e2b"
    (records,) = run.mocks.of_type(RECORDS)
    assert (records.inputs["owner"], records.inputs["set_key"]) == (owner, "default/pywai-inline-service")
    assert {r.inputs["owner"] for r in run.mocks.of_type(RULE)} == {owner}
    deployments = {d.name: d.inputs for d in run.mocks.of_type(DEPLOYMENT)}
    assert set(deployments) == {"default/external-pywai-inline-ingress", "default/external-pywai-inline-ingress2"}
    labels = sorted(r["label"] for d in deployments.values() for r in d["rules"])
    assert labels == ["https://cstradtman.s.llnwi.net/bob", "https://cstradtman.s.llnwi.net/mark/and/fred/"]
