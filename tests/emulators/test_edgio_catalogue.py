"""The Edgio service profile catalogue (list, search, get, config options), the inheritance call,
and the catalogue refusing unknown profiles, options and argument types in every write."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.emulators.conftest import CREDENTIALS, Edgio, rule
from tests.support.emulator import Emulators

PROF = "/svcprof/delivery/shortname/acme"


def test_profiles_listed_paged_and_searched(edgio: Edgio) -> None:
    status, listed = edgio.call("GET", PROF)
    names = [p["body"]["name"] for p in listed["results"]]
    assert status == 200 and names[0] == "LLNW-Generic" and len(names) == 4
    assert [p["body"]["name"] for p in edgio.call("GET", PROF, params={"size": 3, "page": 2})[1]["results"]] == \
        names[3:]
    found = edgio.call("GET", f"{PROF}/search", params={"body.useCase": "DownloadLargeFile"})[1]["results"]
    assert [p["body"]["name"] for p in found] == ["LLNW-DownloadLargeFile"]
    assert edgio.call("GET", f"{PROF}/{found[0]['uuid']}") == (200, found[0])
    assert edgio.call("GET", f"{PROF}/00000000-0000-0000-0000-000000000000")[0] == 404


def test_config_options_carry_argument_types(edgio: Edgio) -> None:
    status, answer = edgio.call("GET", "/configoption/shortname/acme/svcProf/LLNW-Generic")
    types = {o["body"]["optionName"]: [a["type"] for a in o["body"]["optionDetails"]["argumentList"]]
             for o in answer["results"]}
    assert status == 200
    assert types["req_send_header"] == ["String", "String"] and types["refresh_absmin"] == ["Int"]
    assert edgio.call("GET", "/configoption/shortname/acme/svcProf/LLNW-Nope")[0] == 404


@pytest.mark.parametrize("path", [PROF, f"{PROF}/search", "/configoption/shortname/other2/svcProf/LLNW-Generic"])
def test_foreign_shortname_is_403(edgio: Edgio, path: str) -> None:
    assert edgio.call("GET", path.replace("/acme", "/stranger"))[0] == 403


BAD_OPTIONS = [
    ([{"name": "no_such_option", "parameters": []}], "options[0].name", "not allowed by this service profile"),
    ([{"name": "refresh_absmin", "parameters": ["60"]}], "options[0].parameters[0]", "a JSON integer"),
    ([{"name": "req_send_header", "parameters": ["X-A"]}], "options[0].parameters", "takes 2 argument"),
    ([{"name": "reply_cors", "parameters": [True]}], "options[0].parameters[0]", "a string"),
]


@pytest.mark.parametrize(("options", "field", "why"), BAD_OPTIONS, ids=["unknown", "int-as-text", "count", "bool"])
@pytest.mark.parametrize("call", ["create", "update", "validate"])
def test_catalogue_refuses_options(edgio: Edgio, call: str, options: list[Any], field: str, why: str) -> None:
    _, existing = edgio.call("POST", "/svcinst/delivery", rule("base.example.com"))
    bad = rule("base.example.com", protocolSets=[{"publishedProtocol": "https", "sourceProtocol": "https",
                                                  "options": options}])
    path = {"create": "/svcinst/delivery", "validate": "/svcinst/delivery/validate",
            "update": f"/svcinst/delivery/{existing['uuid']}"}[call]
    status, answer = edgio.call("PUT" if call == "update" else "POST", path, bad)
    message = json.dumps(answer)
    assert status == (200 if call == "validate" else 400) and f"body.protocolSets[0].{field}" in message
    assert why in message
    assert len(edgio.call("GET", "/svcinst/delivery/shortname/acme")[1]["results"]) == 1


def test_unknown_profile_is_refused_and_named(edgio: Edgio) -> None:
    status, answer = edgio.call("POST", "/svcinst/delivery", rule(serviceProfileName="LLNW-Nope"))
    assert status == 400 and "unknown service profile 'LLNW-Nope'" in answer["errors"][0]["message"]
    assert "LLNW-Generic" in answer["errors"][0]["message"]


def test_options_of_the_profile_are_accepted(edgio: Edgio) -> None:
    options = [{"name": "req_send_header", "parameters": ["X-CDN", "edgio"]},
               {"name": "refresh_absmax", "parameters": [600]}]
    payload = rule(protocolSets=[{"publishedProtocol": "https", "sourceProtocol": "https", "options": options}])
    status, created = edgio.call("POST", "/svcinst/delivery", payload)
    assert status == 200 and created["body"]["protocolSets"][0]["options"] == options


def test_inheritance_clones_the_parent_with_new_hosts(edgio: Edgio) -> None:
    _, parent = edgio.call("POST", "/svcinst/delivery", rule(sourceUrlPath="/app"))
    clone = {k: v for k, v in parent.items() if k not in ("uuid", "revision", "shortname", "status")}
    clone["body"] = {**clone["body"], "publishedHostname": "clone.example.com", "sourceHostname": "o2.example.com"}
    status, child = edgio.call("POST", "/svcinst/delivery/inheritance", clone, params={"parentId": parent["uuid"]})
    assert status == 200 and child["uuid"] != parent["uuid"]
    assert (child["body"]["publishedHostname"], child["body"]["sourceUrlPath"]) == ("clone.example.com", "/app")
    partial = {"body": {"publishedHostname": "third.example.com"}}
    status, third = edgio.call("POST", "/svcinst/delivery/inheritance", partial, params={"parentId": parent["uuid"]})
    assert status == 200 and third["body"] == {**parent["body"], "publishedHostname": "third.example.com"}


@pytest.mark.parametrize(("params", "status"), [({}, 400), ({"parentId": "nope"}, 404)], ids=["no-parent", "unknown"])
def test_inheritance_needs_a_known_parent(edgio: Edgio, params: dict[str, str], status: int) -> None:
    assert edgio.call("POST", "/svcinst/delivery/inheritance", rule("c.example.com"), params=params)[0] == status


def test_catalogue_from_a_file(spawn: Callable[..., Emulators], tmp_path: Path) -> None:
    catalogue = {"options": {"x_tag": ["String"]}, "profiles": [{"name": "Only-One", "options": ["x_tag"]}]}
    (tmp_path / "catalogue.json").write_text(json.dumps(catalogue))
    own = spawn(*CREDENTIALS, "--edgio-catalogue-file", str(tmp_path / "catalogue.json"))
    edgio = Edgio(own.edgio)
    assert [p["body"]["name"] for p in edgio.call("GET", PROF)[1]["results"]] == ["Only-One"]
    options = [{"name": "x_tag", "parameters": ["blue"]}]
    payload = rule(serviceProfileName="Only-One",
                   protocolSets=[{"publishedProtocol": "http", "sourceProtocol": "http", "options": options}])
    assert edgio.call("POST", "/svcinst/delivery", payload)[0] == 200
    assert edgio.call("POST", "/svcinst/delivery", rule("b.example.com"))[0] == 400


def test_bad_catalogue_file_is_refused_by_name(spawn: Callable[..., Emulators], tmp_path: Path,
                                               live: Emulators) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"options": {"a": ["Float"]}, "profiles": []}))
    with pytest.raises(RuntimeError, match=r"catalogue file .*bad\.json"):
        spawn(*CREDENTIALS, "--edgio-catalogue-file", str(tmp_path / "bad.json"))
    answer: Any = live.admin("edgio", "GET", "settings")
    with pytest.raises(Exception, match="400"):
        live.settings("edgio", catalogue_file=str(tmp_path / "bad.json"))
    assert live.admin("edgio", "GET", "settings") == answer
