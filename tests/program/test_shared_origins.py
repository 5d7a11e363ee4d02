"""Origin names shared by several stacks: which names are shared, the explicit NodePort each must
state, and a stack that contributes addresses only (no rule). Under Pulumi's mocks and on the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cdn_ingress.errors import ManifestError
from cdn_ingress.manifests import load_documents
from cdn_ingress.routes import plan
from cdn_ingress.shared import ANNOTATION, shared_origins
from tests.program.manifests_kit import shipped, write
from tests.program.mocks_kit import DEPLOYMENT, RECORDS, RULE, STATUS, run_program

SERVICE = "m/pywai-service.yaml: Service default/pywai-inline-service (line 1)"


def manifests(tmp_path: Path, *, node_port: int | None = 30080, annotation: str | None = None) -> Path:
    files: dict[str, Any] = shipped()
    service = files["pywai-service.yaml"][0]
    if node_port is not None:
        service["spec"]["ports"][0]["nodePort"] = node_port
    if annotation is not None:
        service["metadata"]["annotations"] = {ANNOTATION: annotation}
    return write(tmp_path / "m", files)


def shared(tmp_path: Path, *, default: bool, **kwargs: Any) -> dict[tuple[str, str], int]:
    return shared_origins(plan(load_documents(manifests(tmp_path, **kwargs), root=tmp_path)), default=default)


@pytest.mark.parametrize(("default", "annotation", "expected"), [
    (False, None, {}),
    (True, None, {("default", "pywai-inline-service"): 30080}),
    (False, "true", {("default", "pywai-inline-service"): 30080}),
    (True, "false", {}),
], ids=["off", "stack", "service", "service-opts-out"])
def test_which_names_are_shared(tmp_path: Path, default: bool, annotation: str | None,
                                expected: dict[tuple[str, str], int]) -> None:
    assert shared(tmp_path, default=default, annotation=annotation) == expected


def test_a_shared_origin_needs_an_explicit_node_port(tmp_path: Path) -> None:
    with pytest.raises(ManifestError) as caught:
        shared(tmp_path, default=True, node_port=None)
    assert [str(p) for p in caught.value.problems] == [
        f"{SERVICE}: spec.ports[0].nodePort=(missing): a shared origin name needs an explicit nodePort "
        "(30000-32767): every cluster sharing the name must serve the same port"]


def test_the_annotation_is_true_or_false(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=f"metadata.annotations.{ANNOTATION}='yes': must be"):
        shared(tmp_path, default=False, annotation="yes")


def test_a_shared_set_states_its_port_in_its_inputs(tmp_path: Path) -> None:
    run = run_program(manifests(tmp_path), sharedOrigins="true")
    sets = [dict(r.inputs) for r in run.mocks.of_type(RECORDS)]
    assert [(s["shared"], s["port"]) for s in sets] == [(True, 30080)]
    assert {r.inputs["source_port"] for r in run.mocks.of_type(RULE)} == {30080}


def test_a_stack_that_only_contributes_origins_writes_no_rule(tmp_path: Path) -> None:
    run = run_program(manifests(tmp_path), sharedOrigins="true", manageRules="false")
    assert len(run.mocks.of_type(RECORDS)) == 1
    assert run.mocks.of_type(RULE) == [] and run.mocks.of_type(DEPLOYMENT) == [] and run.mocks.of_type(STATUS) == []


def test_an_unshared_stack_is_unchanged(tmp_path: Path) -> None:
    run = run_program(manifests(tmp_path))
    assert [(r.inputs["shared"], r.inputs["port"]) for r in run.mocks.of_type(RECORDS)] == [(False, 0)]
    assert run.mocks.of_type(RULE)
