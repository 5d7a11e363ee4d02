"""A wrong type at any field, a YAML bomb or a bad config value is one listed problem naming file,
object, field, value and what is allowed: never a traceback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pulumi
import pytest

from cdn_ingress.errors import ManifestError
from cdn_ingress.manifests import MAX_FILE_BYTES, load_documents
from cdn_ingress.routes import plan
from tests.program.manifests_kit import SHIPPED, ingress, shipped, write
from tests.program.mocks_kit import run_program

INGRESS = "m/pywai-ingress.yaml: Ingress default/shop (line 1)"


def problems(tmp_path: Path, files: dict[str, Any]) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        plan(load_documents(write(tmp_path / "m", files), root=tmp_path))
    return [str(problem) for problem in caught.value.problems]


def shop(change: Any) -> dict[str, Any]:
    """The shipped manifests with one CDN Ingress ``shop`` that ``change(doc)`` has edited."""
    files: dict[str, Any] = shipped()
    doc = ingress("shop", "shop.example.com", "/")
    change(doc)
    files["pywai-ingress.yaml"] = [doc]
    return files


def _set(path: str, value: Any) -> Any:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return change


RULE = "spec.rules.0"
PATH = "spec.rules.0.http.paths.0"


@pytest.mark.parametrize(("path", "value", "expected"), [
    ("metadata", "x", "metadata='x': must be a mapping"),
    ("spec", ["a"], "spec=['a']: must be a mapping"),
    ("spec.rules", "all", "spec.rules='all': a CDN Ingress needs at least one rule"),
    (RULE, "shop.example.com", "spec.rules[0]='shop.example.com': must be a mapping"),
    (f"{RULE}.http", 7, "spec.rules[0].http=7: must be a mapping"),
    (f"{RULE}.http.paths", {"a": 1}, "spec.rules[0].http.paths={'a': 1}: a CDN rule needs at least one path"),
    (PATH, "/", "spec.rules[0].http.paths[0]='/': must be a mapping"),
    (f"{PATH}.backend", "svc", "spec.rules[0].http.paths[0].backend='svc': must be a mapping"),
    (f"{PATH}.backend.service", "svc", "spec.rules[0].http.paths[0].backend.service='svc': must be a mapping"),
    (f"{PATH}.backend.service.name", 5, "backend.service.name=5: must be a string"),
    (f"{PATH}.backend.service.port", 80, "backend.service.port=80: must be a mapping"),
    (f"{PATH}.backend.service.port", {"number": "http"}, "port.number='http': must be an integer"),
    (f"{PATH}.path", ["/"], "spec.rules[0].http.paths[0].path=['/']: must start with '/'"),
    ("metadata.annotations", "a=b", "metadata.annotations='a=b': must be a mapping"),
    ("metadata.annotations", {1: "x"}, "metadata.annotations[1]='x': keys must be strings"),
    ("metadata.labels", {"cdn": 1}, "metadata.labels['cdn']=1: values must be strings"),
    ("metadata.name", ["shop"], "metadata.name=['shop']: every object needs a name"),
    ("metadata.namespace", 3, "metadata.namespace=3: must be a string"),
], ids=lambda v: v if isinstance(v, str) and "." in v and len(v) < 40 else None)
def test_wrong_type_is_one_problem(tmp_path: Path, path: str, value: Any, expected: str) -> None:
    found = problems(tmp_path, shop(_set(path, value)))
    assert len(found) == 1, found
    assert found[0].startswith("m/pywai-ingress.yaml: Ingress default/"), found
    assert expected in found[0]


@pytest.mark.parametrize(("ports", "expected"), [
    ("http", "spec.ports='http': must be a list"),
    (["http"], "spec.ports[0]='http': must be a mapping"),
], ids=["ports-string", "port-string"])
def test_wrong_type_in_the_backend_service(tmp_path: Path, ports: Any, expected: str) -> None:
    files = shipped()
    files["pywai-service.yaml"][0]["spec"]["ports"] = ports
    found = problems(tmp_path, files)
    assert any(expected in line and "Service default/pywai-inline-service" in line for line in found), found


def test_unicode_digit_in_seconds_annotation(tmp_path: Path) -> None:
    annotations = {"cdn-ingress.io/cache-min-seconds": "²"}
    found = problems(tmp_path, shop(_set("metadata.annotations", annotations)))
    assert found == [f"{INGRESS}: metadata.annotations['cdn-ingress.io/cache-min-seconds']='²': "
                     "must be a whole number of seconds from 0 to 31536000"]


def test_yaml_values_that_are_not_json(tmp_path: Path) -> None:
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dates\n"
            "data:\n  since: 2024-01-02\n  ratio: .nan\n  raw: !!binary aGk=\n")
    found = problems(tmp_path, {**shipped(), "dates.yaml": text})
    where = "m/dates.yaml: ConfigMap default/dates (line 1)"
    assert f"{where}: data.since=datetime.date(2024, 1, 2): must be a string" in "\n".join(found)
    assert any(line.startswith(f"{where}: data.ratio=nan: must be a finite number") for line in found), found
    assert any(line.startswith(f"{where}: data.raw=b'hi'") for line in found), found


def test_alias_bomb_is_refused_with_a_short_message(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n" + "\n".join(lines) + "\n"
    message = "\n".join(problems(tmp_path, {**shipped(), "bomb.yaml": bomb}))
    found = re.search(r"m/bomb\.yaml: document at line 1: YAML aliases=(\d+) values: must expand to at most "
                      r"100000 values", message)
    assert found and int(found.group(1)) > 10**8, message
    assert len(message) < 1000


def test_self_referencing_alias_is_refused(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loop}\ndata: &d {self: *d}\n"
    message = "\n".join(problems(tmp_path, {**shipped(), "loop.yaml": text}))
    assert ("m/loop.yaml: document at line 1: YAML aliases=a value that contains itself: "
            "must not be used inside the value they name") in message


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: " + "[" * 5000 + "]" * 5000 + "\n"
    message = "\n".join(problems(tmp_path, {**shipped(), "deep.yaml": text}))
    assert ("m/deep.yaml: YAML nesting line 4=more than 100 levels: must be at most 100 nested lists "
            "and mappings") in message


def test_file_size_is_bounded(tmp_path: Path) -> None:
    text = "# " + "x" * MAX_FILE_BYTES + "\n"
    message = "\n".join(problems(tmp_path, {**shipped(), "huge.yaml": text}))
    assert message == f"m/huge.yaml: file={MAX_FILE_BYTES + 3} bytes: must be at most {MAX_FILE_BYTES} bytes"


def test_long_values_are_cut_short_in_messages(tmp_path: Path) -> None:
    message = "\n".join(problems(tmp_path, shop(_set("metadata.annotations", "x" * 5000))))
    assert "xxx…" in message and len(message) < 500


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("originTtl", 0, "cdn-ingress:originTtl=0: must be 60..86400 seconds"),
    ("originTtl", -120, "cdn-ingress:originTtl=-120: must be 60..86400 seconds"),
    ("originTtl", "soon", "cdn-ingress:originTtl='soon': must be a whole number"),
    ("deployTimeoutSeconds", 0, "cdn-ingress:deployTimeoutSeconds=0: must be 1..86400 seconds"),
    ("deployTimeoutSeconds", -5, "cdn-ingress:deployTimeoutSeconds=-5: must be 1..86400 seconds"),
    ("waitForDeploy", "maybe", "cdn-ingress:waitForDeploy='maybe': must be true or false"),
    ("originAddresses", "198.51.100.1", "cdn-ingress:originAddresses='198.51.100.1': must be a list"),
    ("originAddresses", {"a": 1}, "cdn-ingress:originAddresses={'a': 1}: must be a list"),
], ids=["ttl-zero", "ttl-negative", "ttl-text", "timeout-zero", "timeout-negative", "bool-text",
        "addresses-string", "addresses-object"])
def test_bad_config_value_is_listed(key: str, value: Any, expected: str) -> None:
    with pytest.raises(ManifestError) as caught:
        run_program(SHIPPED, **{key: value})
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"stack config: {expected}")


def test_several_config_problems_are_listed_together() -> None:
    with pytest.raises(ManifestError) as caught:
        run_program(SHIPPED, originTtl=0, deployTimeoutSeconds=-1, originDomain="x")
    fields = [p.field for p in caught.value.problems]
    assert fields == ["cdn-ingress:originDomain", "cdn-ingress:originTtl", "cdn-ingress:deployTimeoutSeconds"]


def test_a_long_list_of_problems_is_cut_short(tmp_path: Path) -> None:
    labels = {f"l{i}": i for i in range(300)}
    with pytest.raises(ManifestError) as caught:
        plan(load_documents(write(tmp_path / "m", shop(_set("metadata.labels", labels))), root=tmp_path))
    message = str(caught.value)
    assert len(caught.value.problems) == 300 and message.startswith("300 problem(s) in the manifests")
    assert message.count("\n  - ") == 100 and message.endswith("\n  ... and 200 more")


def test_manifest_error_ends_the_program_without_a_traceback() -> None:
    assert issubclass(ManifestError, pulumi.RunError)
