"""Property: whatever YAML the manifests hold and whatever the annotations say, the program either
plans (and then declares everything) or raises ManifestError with short messages; nothing else."""

from __future__ import annotations

import contextlib
import copy
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdn_ingress.annotations import PARSERS, PREFIX
from cdn_ingress.errors import ManifestError
from cdn_ingress.manifests import load_documents
from cdn_ingress.routes import Plan, plan
from tests.program.manifests_kit import ingress, shipped, write
from tests.program.mocks_kit import run_program

SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=12)
           | st.dates() | st.binary(max_size=6) | st.sampled_from(["", "/", "http", "NodePort", "edgio", "²", "80"]))
KEYS = st.text(max_size=8) | st.integers(-3, 3) | st.booleans() | st.none() | st.sampled_from(
    ["name", "port", "spec", "metadata", "rules", "paths", "http", "backend", "service", "number", "data"])
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                      max_leaves=8)
YAML_TEXT = st.lists(st.sampled_from([*"ab:-&*!|>'\"#%@`,?{}[] \n\t01.²", "<<", "!!binary ", "---\n", "&a ", "*a"]),
                     max_size=40).map("".join)
ANNOTATION_KEYS = st.sampled_from([PREFIX + key for key in PARSERS] + [PREFIX + "nope", "kubernetes.io/ingress.class"])
ANNOTATION_VALUES = st.text(max_size=20) | st.sampled_from(["http,https", "https", "X-A: b; X-C: d", "0", "9" * 11])
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        found.extend(_paths(child, (*at, key)))
    return found


def base_files() -> dict[str, list[dict[str, Any]]]:
    files = shipped()
    files["shop.yaml"] = [ingress("shop", "shop.example.com", "/api", annotations={PREFIX + "profile": "x"})]
    return files


PATHS = [p for p in _paths(base_files()) if len(p) >= 2]  # (file, document index, ...)


def _replace(files: Any, path: tuple[Any, ...], value: Any) -> None:
    *parents, last = path
    node = files
    for key in parents:
        node = node[key]
    node[last] = value


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    files: dict[str, Any] = copy.deepcopy(base_files())
    for path in draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=3)):
        with contextlib.suppress(KeyError, IndexError, TypeError):  # an earlier change removed its parent
            _replace(files, path, draw(VALUES))
    return files


def outcome(files: dict[str, Any]) -> Plan | None:
    """The plan, or None after a ManifestError whose every message is short and placed."""
    with tempfile.TemporaryDirectory() as work:
        try:
            return plan(load_documents(write(Path(work) / "m", files), root=Path(work)))
        except ManifestError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.file.startswith("m/") and problem.allowed
                assert len(str(problem)) < 1200, str(problem)[:300]
            return None


@SETTINGS
@given(mutated())
def test_any_value_at_any_field_plans_or_is_a_manifest_error(files: dict[str, Any]) -> None:
    outcome(files)


@SETTINGS
@given(st.lists(YAML_TEXT, min_size=1, max_size=3))
def test_random_yaml_text_plans_or_is_a_manifest_error(texts: list[str]) -> None:
    outcome({**base_files(), **{f"random-{i}.yaml": text for i, text in enumerate(texts)}})


@SETTINGS
@given(st.dictionaries(ANNOTATION_KEYS | KEYS, ANNOTATION_VALUES | VALUES, max_size=4))
def test_random_annotations_plan_or_are_a_manifest_error(annotations: dict[Any, Any]) -> None:
    files = base_files()
    files["shop.yaml"][0]["metadata"]["annotations"] = annotations
    outcome(files)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_whatever_plans_is_declared_without_error(files: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as work:
        directory = write(Path(work) / "m", files)
        try:
            plan(load_documents(directory, root=Path(work)))
        except ManifestError:
            return
        run = run_program(directory)
        assert run.mocks.registered
