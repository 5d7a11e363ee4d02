"""A Cloudflare stack (``cdn-ingress:cdn: cloudflare``) under Pulumi's mocks: per origin name an
in-zone alias, per published host a proxied record, per host + path an Origin Rule; no deployment
wait; the Edgio-only options refused before anything is registered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest

from cdn_ingress.cdn.cloudflare_refusals import ANNOTATION_REFUSED
from cdn_ingress.errors import ManifestError
from cloudflare_provider import origin_alias
from tests.program.gateway_kit import gateway, gateway_class, httproute, listener, rule
from tests.program.ingress_kit import files_with, ingress, path
from tests.program.ingress_kit import rule as ingress_rule
from tests.program.manifests_kit import SHIPPED, write
from tests.program.mocks_kit import (
    CF_RECORD,
    CF_RULE,
    DEPLOYMENT,
    NODE_PORT_BASE,
    ORIGIN_DOMAIN,
    RECORDS,
    RULE,
    STATUS,
    Recorder,
    run_program,
)

ZONE = "acme.test"
HOST = "www.acme.test"
ORIGIN = f"pywai-inline-service.{ORIGIN_DOMAIN}"
ALIAS = origin_alias(ORIGIN, ZONE)
ROUTE_STATUS = "pulumi-python:dynamic/cdn:GatewayApiStatus"
CLOUDFLARE = {"cloudflare:zoneName": ZONE}


def run(tmp_path: Path, *docs: dict[str, Any], preview: bool = False, mocks: Recorder | None = None,
        **config: Any) -> Any:
    settings = {"cdn": "cloudflare", "edgioShortname": "", **config}
    return run_program(write(tmp_path / "m", files_with(*docs)), preview=preview, mocks=mocks,
                       other_config=CLOUDFLARE, **settings)


def by_name(result: Any, typ: str) -> dict[str, Any]:
    return {r.name: r for r in result.mocks.of_type(typ)}


def shop(*paths: str, host: str = HOST, **extra: Any) -> dict[str, Any]:
    return ingress(rules=[ingress_rule(host, *(path(p) for p in paths))], **extra)


def refusals(tmp_path: Path, *docs: dict[str, Any], **config: Any) -> tuple[list[str], Recorder]:
    mocks = Recorder(False)
    with pytest.raises(ManifestError) as caught:
        run(tmp_path, *docs, mocks=mocks, **config)
    return [str(p) for p in caught.value.problems], mocks


def test_ingress_only_registers_alias_host_record_and_rules(tmp_path: Path) -> None:
    result = run(tmp_path, shop("/", "/api"))
    assert RULE not in {r.typ for r in result.mocks.registered}
    assert by_name(result, DEPLOYMENT) == {}
    records = {name: r.inputs for name, r in by_name(result, CF_RECORD).items()}
    alias = records["alias/default/pywai-inline-service"]
    assert {k: alias[k] for k in ("name", "content", "type", "proxied", "ttl", "zone", "adopt", "owner")} == {
        "name": ALIAS, "content": ORIGIN, "type": "CNAME", "proxied": False, "ttl": 1, "zone": ZONE,
        "adopt": False, "owner": "cdn-ingress/test/5f3a9c0d1e2b"}
    assert {k: records[f"host/{HOST}"][k] for k in ("name", "content", "proxied", "zone")} == {
        "name": HOST, "content": ALIAS, "proxied": True, "zone": ZONE}
    rules = {name: r.inputs for name, r in by_name(result, CF_RULE).items()}
    assert sorted(rules) == [f"{HOST}/", f"{HOST}/api"]
    api = rules[f"{HOST}/api"]
    assert {k: api[k] for k in ("host", "path", "match", "origin_host", "origin_port", "zone", "options")} == {
        "host": HOST, "path": "/api", "match": "prefix", "origin_host": ALIAS, "origin_port": NODE_PORT_BASE,
        "zone": ZONE, "options": []}
    assert api["owner"] == "cdn-ingress/test/5f3a9c0d1e2b"


def test_the_origin_name_stays_on_vultr(tmp_path: Path) -> None:
    result = run(tmp_path, shop("/api"))
    (records,) = result.mocks.of_type(RECORDS)
    assert (records.name, records.inputs["domain"], records.inputs["name"]) == (
        "default/pywai-inline-service", ORIGIN_DOMAIN, "pywai-inline-service")


def test_rule_depends_on_alias_host_record_origin_set_and_ingress(tmp_path: Path) -> None:
    result = run(tmp_path, shop("/api"))
    urns = result.mocks.urns
    deps = result.mocks.dependencies[(CF_RULE, f"{HOST}/api")]
    for key in [(CF_RECORD, "alias/default/pywai-inline-service"), (CF_RECORD, f"host/{HOST}"),
                (RECORDS, "default/pywai-inline-service"),
                ("kubernetes:networking.k8s.io/v1:Ingress", "default/shop")]:
        assert urns[key] in deps, key


def test_ingress_status_written_once_rules_exist_without_deployment_wait(tmp_path: Path) -> None:
    result = run(tmp_path, shop("/", "/api"))
    (status,) = result.mocks.of_type(STATUS)
    assert status.inputs["hostnames"] == [HOST]
    deps = result.mocks.dependencies[(STATUS, "default/shop")]
    rules = [urn for urn in deps if "cloudflare:OriginRule" in urn]
    assert len(rules) == 2 and not [urn for urn in deps if "RuleDeployment" in urn], deps


def test_stack_output_per_route(tmp_path: Path) -> None:
    result = run(tmp_path, shop("/api"))
    assert result.routes[f"{HOST}/api"] == {"published_url": f"https://{HOST}/api", "origin": ORIGIN,
                                             "rule_id": f"{HOST}/api-id"}


def test_host_record_points_at_the_alias_of_its_root_route(tmp_path: Path) -> None:
    other = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "other"},
             "spec": {"type": "NodePort", "selector": {"app": "x"}, "ports": [{"name": "http", "port": 80}]}}
    second = ingress(name="other", rules=[ingress_rule(HOST, path("/"))])
    second["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"] = {"name": "other", "port": {"number": 80}}
    result = run(tmp_path, shop("/api"), other, second)
    records = {name: r.inputs for name, r in by_name(result, CF_RECORD).items()}
    assert records[f"host/{HOST}"]["content"] == origin_alias(f"other.{ORIGIN_DOMAIN}", ZONE)
    assert sorted(records) == ["alias/default/other", "alias/default/pywai-inline-service", f"host/{HOST}"]


def test_httproute_exact_path_is_an_exact_rule(tmp_path: Path) -> None:
    gw = gateway("edge", listener("http", "HTTP"), listener("https", "HTTPS"))
    result = run(tmp_path, gateway_class(), gw, httproute("web", rule("/api"), rule("/x", path_type="Exact"),
                                                           hostnames=[HOST]))
    rules = {name: r.inputs for name, r in by_name(result, CF_RULE).items()}
    assert {name: inputs["match"] for name, inputs in rules.items()} == {f"{HOST}/api": "prefix",
                                                                         f"{HOST}/x": "exact"}
    statuses = by_name(result, ROUTE_STATUS)
    assert sorted(statuses) == ["Gateway/default/edge", "HTTPRoute/default/web"]
    deps = result.mocks.dependencies[(ROUTE_STATUS, "HTTPRoute/default/web")]
    assert len([urn for urn in deps if "cloudflare:OriginRule" in urn]) == 2, deps


def test_preview_names_every_resource(tmp_path: Path) -> None:
    result = run(tmp_path, shop("/api"), preview=True)
    assert sorted(by_name(result, CF_RULE)) == [f"{HOST}/api"]
    assert sorted(by_name(result, CF_RECORD)) == ["alias/default/pywai-inline-service", f"host/{HOST}"]


def test_protect_and_retain_apply_to_cloudflare_objects(tmp_path: Path) -> None:
    result = run(tmp_path, shop("/api"), protect="true", retainOnDelete="true")
    for typ in (CF_RULE, CF_RECORD):
        for r in result.mocks.of_type(typ):
            assert result.mocks.options[(typ, r.name)] == {"protect": True, "retain_on_delete": True}


def test_edgio_annotations_are_refused_before_anything_is_registered(tmp_path: Path) -> None:
    files = {"cdn-ingress.io/profile": "Custom", "cdn-ingress.io/response-headers": "X-A: b",
             "nginx.ingress.kubernetes.io/rewrite-target": "/"}
    found, mocks = refusals(tmp_path, shop("/api", annotations=files))
    where = "app.yaml: Ingress default/shop (line 1)"
    assert sorted(f.split("/m/", 1)[1] for f in found) == sorted(
        f"{where}: metadata.annotations[{key!r}]={value!r}: " + _why(key) for key, value in files.items())
    assert mocks.registered == []


def _why(key: str) -> str:
    return ANNOTATION_REFUSED  # the same sentence for each: an Edgio option


def test_shipped_manifests_are_refused_naming_each_edgio_annotation(tmp_path: Path) -> None:
    mocks = Recorder(False)
    with pytest.raises(ManifestError) as caught:
        run_program(SHIPPED, mocks=mocks, cdn="cloudflare", other_config={"cloudflare:zoneName": "s.llnwi.net"})
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == [f"metadata.annotations['cdn-ingress.io/{k}']"
                      for k in ("cache-max-seconds", "published-protocols", "response-headers")]
    assert {p.obj for p in caught.value.problems} == {"Ingress default/external-pywai-inline-ingress2 (line 2)"}
    assert mocks.registered == []


def test_httproute_filters_are_refused(tmp_path: Path) -> None:
    headers = {"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "X-A", "value": "b"}]}}
    rewrite = {"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch",
                                                            "replacePrefixMatch": "/"}}}
    found, _ = refusals(tmp_path, gateway_class(), gateway(),
                        httproute("web", rule("/api", filters=[headers, rewrite]), hostnames=[HOST]))
    assert [f.split(": ")[2].split("=")[0] for f in found] == ["spec.rules[0].filters[0]", "spec.rules[0].filters[1]"]
    assert "RequestHeaderModifier" in found[0] and "URLRewrite" in found[1]
    assert all("Cloudflare" in f for f in found)


def test_host_outside_the_zone_is_refused(tmp_path: Path) -> None:
    found, _ = refusals(tmp_path, shop("/api", host="www.other.test"))
    assert [f.split("/m/", 1)[1] for f in found] == [
        "app.yaml: Ingress default/shop (line 1): spec.rules[0].host='www.other.test': "
        "a Cloudflare stack publishes hosts of its zone 'acme.test' (cloudflare:zoneName) only"]


def test_missing_zone_name_is_a_config_problem(tmp_path: Path) -> None:
    with pytest.raises(pulumi.RunError, match=r"cloudflare:zoneName=\(missing\): a Cloudflare stack"):
        run_program(write(tmp_path / "m", files_with(shop("/api"))), cdn="cloudflare")


def test_a_bad_cdn_value_is_refused(tmp_path: Path) -> None:
    with pytest.raises(pulumi.RunError, match=r"cdn-ingress:cdn='akamai': must be one of \['edgio', 'cloudflare'\]"):
        run_program(write(tmp_path / "m", files_with(shop("/api"))), cdn="akamai")


def test_an_edgio_stack_still_needs_its_shortname(tmp_path: Path) -> None:
    with pytest.raises(pulumi.RunError, match=r"cdn-ingress:edgioShortname=\(missing\)"):
        run_program(write(tmp_path / "m", files_with(shop("/api"))), edgioShortname="")


def test_the_local_cloudflare_stack_plans_its_routes() -> None:
    """stacks/Pulumi.local-cloudflare.yaml with its manifests: no refusal, two Origin Rules."""
    import yaml

    from tests.program.mocks_kit import ROOT

    config = yaml.safe_load((ROOT / "stacks/Pulumi.local-cloudflare.yaml").read_text())["config"]
    plain = {k.split(":", 1)[1]: v for k, v in config.items() if k.startswith("cdn-ingress:")}
    manifests = ROOT / plain.pop("manifestsPath")
    result = run_program(manifests, other_config={"cloudflare:zoneName": config["cloudflare:zoneName"]},
                         edgioShortname="", **plain)
    assert sorted(by_name(result, CF_RULE)) == ["shop.example.net/bob", "shop.example.net/mark/and/fred"]
    assert sorted(by_name(result, CF_RECORD)) == ["alias/default/pywai-inline-service", "host/shop.example.net"]


def test_each_record_is_registered_once_however_many_routes_use_it(tmp_path: Path) -> None:
    """Two resources of one name are a duplicate URN for the engine (the mocks do not refuse them)."""
    result = run(tmp_path, shop("/", "/api", "/web"))
    names = [r.name for r in result.mocks.of_type(CF_RECORD)]
    assert sorted(names) == ["alias/default/pywai-inline-service", f"host/{HOST}"]
