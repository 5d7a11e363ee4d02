"""Annotation values reach Edgio (and the preview comment) as given: a control, line-separator or bidi
character in any of them is a listed problem naming file, object, annotation and the escaped value."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdn_ingress.annotations import PARSERS, PREFIX
from cdn_ingress.errors import ManifestError
from cdn_ingress.manifests import load_documents
from cdn_ingress.routes import Plan, plan
from tests.program.manifests_kit import ingress, shipped, write
from tests.program.mocks_kit import Recorder, run_program

INGRESS = "m/pywai-ingress.yaml: Ingress default/shop (line 1)"
REFUSED = ("control characters (C0 such as newline, tab and CR; DEL; C1), line and paragraph separators "
           "(U+2028, U+2029) and bidi controls are not allowed")
# One value per annotation that is valid but for the character inserted (the case's id says which).
HOSTILE = {
    "published-protocols": "https\n",
    "source-protocol": "http\t",
    "source-path": "/api\x00",
    "profile": "LLNW-Generic\u202e",
    "shortname": "acme\n",
    "request-headers": "X-A: a\r\nX-Evil: 1",
    "response-headers": "X-A: a\n### Deletion gate: allowed @acme/oncall <!--",
    "cache-min-seconds": "60\n",
    "cache-max-seconds": "600\x85",
    "rules": "off\u2028",
}
CHARACTERS = {"\x00": "U+0000", "\t": "U+0009", "\x1f": "U+001F", "\x7f": "U+007F", "\x9b": "U+009B",
              "\u2028": "U+2028", "\u2029": "U+2029", "\u200e": "U+200E", "\u202a": "U+202A", "\u2066": "U+2066",
              "\u061c": "U+061C"}


def _plan(tmp_path: Path, annotations: dict[str, Any], host: str = "shop.example.com") -> Plan:
    files: dict[str, Any] = shipped()
    files["pywai-ingress.yaml"] = [ingress("shop", host, "/", annotations=annotations)]
    return plan(load_documents(write(tmp_path / "m", files), root=tmp_path))


def _problems(tmp_path: Path, annotations: dict[str, Any], host: str = "shop.example.com") -> list[str]:
    with pytest.raises(ManifestError) as caught:
        _plan(tmp_path, annotations, host)
    return [str(problem) for problem in caught.value.problems]


def test_every_annotation_has_a_hostile_and_a_valid_case() -> None:
    assert sorted(HOSTILE) == sorted(VALID) == sorted(PARSERS)


@pytest.mark.parametrize("short", sorted(HOSTILE))
def test_a_control_character_in_any_annotation_is_refused(tmp_path: Path, short: str) -> None:
    key, value = PREFIX + short, HOSTILE[short]
    found = _problems(tmp_path, {key: value})
    assert len(found) == 1, found
    assert found[0].startswith(f"{INGRESS}: metadata.annotations[{key!r}]={value!r}: must be one line of text: ")
    assert REFUSED in found[0]
    assert "\n" not in found[0] and "\u202e" not in found[0], "the value is shown escaped"


@pytest.mark.parametrize("char", sorted(CHARACTERS), ids=lambda c: CHARACTERS[c])
def test_each_kind_of_hidden_character_is_named(tmp_path: Path, char: str) -> None:
    (found,) = _problems(tmp_path, {PREFIX + "profile": f"LLNW{char}Generic"})
    assert f"found {CHARACTERS[char]} at character 5" in found


def test_refused_values_are_listed_with_the_other_problems(tmp_path: Path) -> None:
    found = _problems(tmp_path, {PREFIX + "profile": "a\nb", PREFIX + "shortname": "acme\n"}, host="localhost")
    fields = sorted(line.split(": ")[2].split("=")[0] for line in found)
    assert fields == [f"metadata.annotations['{PREFIX}profile']", f"metadata.annotations['{PREFIX}shortname']",
                      "spec.rules[0].host"]


def test_a_refused_value_registers_nothing(tmp_path: Path) -> None:
    files: dict[str, Any] = shipped()
    files["pywai-ingress.yaml"] = [ingress("shop", "shop.example.com", "/", annotations={
        PREFIX + "response-headers": HOSTILE["response-headers"]})]
    mocks = Recorder(preview=True)
    with pytest.raises(ManifestError, match="must be one line of text: found U\\+000A at character 7"):
        run_program(write(tmp_path / "m", files), mocks=mocks)
    assert mocks.registered == []


def test_printable_unicode_is_still_allowed(tmp_path: Path) -> None:
    annotations = {PREFIX + "response-headers": "X-Greeting: grüß dich ✓", PREFIX + "profile": "LLNW Generic"}
    (route,) = [r for r in _plan(tmp_path, annotations).routes if r.host == "shop.example.com"]
    assert route.options.options[0]["parameters"] == ["X-Greeting", "grüß dich ✓"]


VALID = {"published-protocols": "http,https", "source-protocol": "https", "source-path": "/api", "profile": "LLNW",
         "shortname": "acme", "request-headers": "X-A: a", "response-headers": "X-A: a; X-B: b",
         "cache-min-seconds": "60", "cache-max-seconds": "600", "rules": "off"}
HIDDEN = st.sampled_from([*sorted(CHARACTERS), "\n", "\r", "\x85", "\u202e", "\u2069"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(short=st.sampled_from(sorted(VALID)), at=st.integers(0, 20), char=HIDDEN)
def test_no_hidden_character_anywhere_in_any_annotation_plans(short: str, at: int, char: str) -> None:
    value = VALID[short][:at] + char + VALID[short][at:]
    with tempfile.TemporaryDirectory() as work, pytest.raises(ManifestError) as caught:
        _plan(Path(work), {PREFIX + short: value})
    assert any(REFUSED in str(p) for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(("path", "annotations"), [
    ("/shop\u202e", {}),
    ("/shop", {"nginx.ingress.kubernetes.io/rewrite-target": "/\n# fake heading"}),
    ("/shop", {"nginx.org/proxy-set-headers": "X-A: a\u2028X-B: b"}),
], ids=["path", "rewrite-target", "proxy-set-headers"])
def test_other_values_that_reach_the_vendor_are_refused_too(tmp_path: Path, path: str,
                                                            annotations: dict[str, Any]) -> None:
    files: dict[str, Any] = shipped()
    files["pywai-ingress.yaml"] = [ingress("shop", "shop.example.com", path, annotations=annotations)]
    with pytest.raises(ManifestError) as caught:
        plan(load_documents(write(tmp_path / "m", files), root=tmp_path))
    assert any(REFUSED in str(problem) for problem in caught.value.problems), caught.value.problems
