"""Every Kubernetes call of the program (node list, Ingress status) takes ``kubernetes:kubeconfig``
as a path or as content, merges several ``KUBECONFIG`` files as kubectl does, has a timeout, and
never shows kubeconfig content in a message."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
import yaml
from pulumi.dynamic import Config, ConfigureRequest

from cdn_ingress import kubeconfig as kubeconfig_module
from cdn_ingress.nodes import NodeAddressError, cluster_node_addresses
from cdn_ingress.status import IngressStatusProvider
from tests.program.kube_api import KubeApi, kube_api
from tests.support.provider_server import ProviderServer, secret, urn

NODES = {"n1": [("ExternalIP", "203.0.113.1")], "n2": [("ExternalIP", "2001:db8::2")]}
TOKEN = "kubeconfig-token-7f3a9c0e5b1d4e2f8a6c"
KEY_DATA = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2Z0lCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDQktnd2dnU2tBZ0VBQW9JQkFR"
STATUS = "pulumi-python:dynamic/cdn:IngressStatus"


@pytest.fixture()
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[KubeApi]:
    monkeypatch.delenv("KUBECONFIG", raising=False)
    with kube_api(NODES) as server:
        yield server


def long_content(api: KubeApi) -> str:
    content = api.kubeconfig(TOKEN, padding=60)
    assert len(content) > 4096  # longer than any file name may be
    return content


def test_inline_content_of_several_kb_lists_the_nodes(api: KubeApi) -> None:
    addresses, _ = cluster_node_addresses(long_content(api), None, "ExternalIP")
    assert addresses == ["203.0.113.1", "2001:db8::2"]
    assert api.tokens == [TOKEN]


def test_a_path_still_works(api: KubeApi, tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text(api.kubeconfig(TOKEN))
    assert cluster_node_addresses(str(path), None, "ExternalIP")[0] == ["203.0.113.1", "2001:db8::2"]
    assert api.tokens == [TOKEN]


def _two_files(api: KubeApi, tmp_path: Path) -> str:
    first, second = tmp_path / "first", tmp_path / "second"
    first.write_text(yaml.safe_dump({
        "current-context": "main",
        "clusters": [{"name": "fake", "cluster": {"server": api.url}}],
        "contexts": [{"name": "main", "context": {"cluster": "fake", "user": "u1"}}],
        "users": [{"name": "u1", "user": {"token": "token-one"}}],
    }))
    second.write_text(yaml.safe_dump({
        "current-context": "other",  # kubectl: the first file that sets it wins
        "clusters": [{"name": "fake", "cluster": {"server": "http://127.0.0.1:9"}}],  # first wins
        "contexts": [{"name": "other", "context": {"cluster": "fake", "user": "u2"}}],
        "users": [{"name": "u2", "user": {"token": "token-two"}}],
    }))
    return f"{first}:{tmp_path / 'missing'}:{second}"


@pytest.mark.parametrize(("context", "token"), [(None, "token-one"), ("other", "token-two")],
                         ids=["current-context-of-the-first-file", "context-of-the-second-file"])
def test_kubeconfig_files_merge_as_kubectl_merges_them(api: KubeApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       context: str | None, token: str) -> None:
    monkeypatch.setenv("KUBECONFIG", _two_files(api, tmp_path))
    assert cluster_node_addresses(None, context, "ExternalIP")[0] == ["203.0.113.1", "2001:db8::2"]
    assert api.tokens == [token]


def test_status_provider_writes_and_reads_with_inline_content(api: KubeApi) -> None:
    provider = IngressStatusProvider()
    provider.configure(ConfigureRequest(Config({"kubernetes:kubeconfig": long_content(api)}, "cdn-ingress")))
    provider.create({"namespace": "shop", "ingress": "web", "hostnames": ["www.example.com"]})
    assert api.statuses[("shop", "web")] == {"loadBalancer": {"ingress": [{"hostname": "www.example.com"}]}}
    found = provider.read("shop/web", {"namespace": "shop", "ingress": "web", "hostnames": []})
    assert found.outs is not None and found.outs["hostnames"] == ["www.example.com"]
    assert set(api.tokens) == {TOKEN}


def test_every_call_has_a_timeout(api: KubeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kubeconfig_module, "REQUEST_TIMEOUT", (1.0, 1.0), raising=False)
    api.hang_seconds = 4
    provider = IngressStatusProvider()
    provider.configure(ConfigureRequest(Config({"kubernetes:kubeconfig": api.kubeconfig(TOKEN)}, "cdn-ingress")))
    calls = {
        "status write": lambda: provider.create({"namespace": "s", "ingress": "w", "hostnames": ["a.example.com"]}),
        "status read": lambda: provider.read("s/w", {"namespace": "s", "ingress": "w", "hostnames": []}),
        "node list": lambda: cluster_node_addresses(api.kubeconfig(TOKEN), None, "ExternalIP"),
    }
    for label, call in calls.items():
        started = time.monotonic()
        with pytest.raises(Exception, match="timed out"):
            call()
        assert time.monotonic() - started < 3, label


def _content_shown(message: str, content: str) -> list[str]:
    return [line for line in content.splitlines() if len(line.strip()) >= 12 and line.strip() in message]


@pytest.mark.parametrize("broken", ["unreachable", "not-yaml", "unknown-context"])
def test_no_message_shows_kubeconfig_content(api: KubeApi, broken: str) -> None:
    content = api.kubeconfig(TOKEN, padding=60, **{"client-key-data": KEY_DATA})
    context = None
    if broken == "unreachable":
        content = content.replace(api.url, "http://127.0.0.1:9")
    elif broken == "not-yaml":
        content = content.replace("current-context: here", "current-context: [here")
    else:
        context = "nowhere"
    with pytest.raises(NodeAddressError) as caught:
        cluster_node_addresses(content, context, "ExternalIP")
    message = str(caught.value)
    assert "kubernetes:kubeconfig" in message
    assert _content_shown(message, content) == [] and TOKEN not in message and KEY_DATA[:20] not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_no_provider_server_output_shows_kubeconfig_content(api: KubeApi) -> None:
    content = api.kubeconfig(TOKEN, padding=60, **{"client-key-data": KEY_DATA}).replace(api.url, "http://127.0.0.1:9")
    server = ProviderServer(IngressStatusProvider())
    try:
        server.configure({"kubernetes:kubeconfig": secret(content)})
        with pytest.raises(grpc.RpcError) as caught:
            server.create(urn(STATUS, "shop/web"), {"namespace": "shop", "ingress": "web", "hostnames": ["a.b.com"]})
        details = str(caught.value.details())
    finally:
        server.close()
    output = details + server.stderr()
    assert "kubernetes:kubeconfig" in details
    assert _content_shown(output, content) == [] and TOKEN not in output and KEY_DATA[:20] not in output
