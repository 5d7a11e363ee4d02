"""Both emulators at the edges of HTTP: odd header bytes, lying Content-Length, chunked bodies,
stalled clients, control calls, one vendor alone, and flags that cannot work."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
import requests

from emulators._core.admin import refusal
from tests.conftest import VULTR_TEST_KEY
from tests.emulators.conftest import CREDENTIALS, ZONE
from tests.support.emulator import ROOT, Emulators


def raw(base: str, request: bytes, *, wait: float = 5.0) -> tuple[int, bytes]:
    """Sends ``request`` as is on a new connection; the status and body of the answer."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=wait) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def request(base: str, method: str, path: str, headers: list[bytes], body: bytes = b"") -> bytes:
    host = urlsplit(base).netloc.encode()
    prefix = urlsplit(base).path.encode()
    return b"\r\n".join([f"{method} ".encode() + prefix + path.encode() + b" HTTP/1.1", b"Host: " + host,
                         *headers, b"", body])


BEARER = f"Authorization: Bearer {VULTR_TEST_KEY}".encode()
LLNW = [b"X-LLNW-Security-Principal: tester@example.com", b"X-LLNW-Security-Timestamp: 1700000000000",
        b"X-LLNW-Security-Token: " + b"0" * 64]


@pytest.mark.parametrize(("vendor", "headers"), [
    ("vultr", [b"Authorization: Bearer \xd0\xba\xd0\xbb\xd1\x8e\xd1\x87"]),
    ("vultr", [b"Authorization: Bearer \xff\xfe"]),
    ("edgio", [*LLNW[:1], b"X-LLNW-Security-Timestamp: \xb2\xb3", *LLNW[2:]]),
    ("edgio", [*LLNW[:1], b"X-LLNW-Security-Timestamp: \xd9\xa1\xd9\xa2", *LLNW[2:]]),
    ("edgio", [*LLNW[:2], b"X-LLNW-Security-Token: \xe9" * 1]),
    ("edgio", [b"X-LLNW-Security-Principal: \xe9t\xe9", *LLNW[1:]]),
], ids=["vultr-utf8-token", "vultr-latin1-token", "edgio-superscript-stamp", "edgio-arabic-stamp",
        "edgio-latin1-token", "edgio-latin1-principal"])
def test_non_ascii_credentials_are_401(live: Emulators, vendor: str, headers: list[bytes]) -> None:
    base = getattr(live, vendor)
    path = "/domains" if vendor == "vultr" else "/svcinst/delivery/shortname/acme"
    status, body = raw(base, request(base, "GET", path, [*headers, b"Connection: close"]))
    assert status == 401, body
    assert all(call["outcome"] == "handled" for call in live.calls(vendor))


@pytest.mark.parametrize("length", [b"-1", b"abc", b"1e3", b"99999999999999999999", b"+5", b"\xb2"])
@pytest.mark.parametrize("vendor", ["vultr", "edgio"])
def test_unusable_content_length_is_400(live: Emulators, vendor: str, length: bytes) -> None:
    base = getattr(live, vendor)
    status, body = raw(base, request(base, "POST", "/domains", [BEARER, b"Content-Length: " + length], b"{}"))
    assert status == 400, body
    assert b"Content-Length" in body and ("error" in json.loads(body) or "errors" in json.loads(body))


def test_conflicting_framing_is_400(live: Emulators) -> None:
    for headers in ([b"Content-Length: 2", b"Content-Length: 3"],
                    [b"Content-Length: 2", b"Transfer-Encoding: chunked"], [b"Transfer-Encoding: gzip"]):
        status, body = raw(live.vultr, request(live.vultr, "POST", "/domains", [BEARER, *headers], b"{}"))
        assert status == 400, (headers, body)


def test_chunked_body_is_read(live: Emulators) -> None:
    payload = json.dumps({"name": "c", "type": "A", "data": "192.0.2.9"}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload)
    status, body = raw(live.vultr, request(live.vultr, "POST", f"/domains/{ZONE}/records",
                                           [BEARER, b"Transfer-Encoding: chunked"], chunked))
    assert status == 201 and json.loads(body)["record"]["data"] == "192.0.2.9"


def test_body_over_the_limit_is_400(spawn: Callable[..., Emulators]) -> None:
    own = spawn(*CREDENTIALS, "--max-body-bytes", "64")
    response = requests.post(own.vultr + f"/domains/{ZONE}/records", data=b"{" + b" " * 100 + b"}",
                             headers={"Authorization": f"Bearer {VULTR_TEST_KEY}"}, timeout=10)
    assert response.status_code == 400 and "over the limit of 64 bytes" in response.json()["error"]


def test_stalled_client_is_cut_off_and_others_are_served(spawn: Callable[..., Emulators]) -> None:
    own = spawn(*CREDENTIALS, "--read-timeout-seconds", "0.5")
    parts = urlsplit(own.vultr)
    stalled = [socket.create_connection((parts.hostname, parts.port), timeout=5) for _ in range(3)]
    stalled[0].sendall(request(own.vultr, "POST", "/domains", [BEARER, b"Content-Length: 100"], b"{"))
    stalled[1].sendall(b"GET /v2/domains HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    started = time.monotonic()
    headers = {"Authorization": f"Bearer {VULTR_TEST_KEY}"}
    assert requests.get(own.vultr + "/domains", headers=headers, timeout=5).status_code == 200
    for sock in stalled:  # each closed by the server, without an answer, well before our 5 s timeout
        with sock:
            assert sock.recv(65536) == b""
    assert time.monotonic() - started < 3


def test_control_calls_need_the_token_when_one_is_set(spawn: Callable[..., Emulators]) -> None:
    own = spawn(*CREDENTIALS, "--admin-token", "s3cret-token")
    url = own.admin_url("vultr", "state")
    assert requests.get(url, timeout=5).status_code == 401
    assert requests.get(url, headers={"X-Emulator-Token": "wrong"}, timeout=5).status_code == 401
    assert requests.get(url, headers={"X-Emulator-Token": "s3cret-token"}, timeout=5).status_code == 200
    headers = {"Authorization": f"Bearer {VULTR_TEST_KEY}"}
    assert requests.get(own.vultr + "/domains", headers=headers, timeout=5).status_code == 200


@pytest.mark.parametrize(("client", "token", "supplied", "status"), [
    ("127.0.0.1", "", None, None), ("127.8.9.10", "", None, None), ("::1", "", None, None),
    ("203.0.113.5", "", None, 403), ("10.1.2.3", "", None, 403), ("203.0.113.5", "t", "t", None),
    ("203.0.113.5", "t", None, 401), ("127.0.0.1", "t", "\xe9", 401),
], ids=["v4-loopback", "v4-loopback-range", "v6-loopback", "remote", "private", "remote-token",
        "remote-no-token", "loopback-odd-token"])
def test_who_may_use_control_calls(client: str, token: str, supplied: str | None, status: int | None) -> None:
    answer = refusal(client, supplied, token)
    assert (answer.status if answer else None) == status


@pytest.mark.parametrize("vendor", ["vultr", "edgio"])
def test_one_vendor_alone_needs_only_its_credentials(spawn: Callable[..., Emulators], vendor: str) -> None:
    flags = {"vultr": ["--vultr-api-key", VULTR_TEST_KEY],
             "edgio": ["--edgio-username", "u@example.com", "--edgio-shared-key", "00ff"]}[vendor]
    own = spawn("--only", vendor, *flags)
    assert getattr(own, vendor) and not getattr(own, "edgio" if vendor == "vultr" else "vultr")
    assert requests.get(own.admin_url(vendor, "settings"), timeout=5).status_code == 200


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "emulators", "serve", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=30)


@pytest.mark.parametrize(("args", "message"), [
    (["--vultr-port", "0", "--edgio-port", "0", "--vultr-api-key", "k"], "or --only vultr"),
    (["--only", "vultr", "--vultr-api-key", "k", "--read-timeout-seconds", "0"], "--read-timeout-seconds 0"),
    (["--only", "vultr", "--vultr-api-key", "k", "--vultr-min-ttl", "9", "--vultr-max-ttl", "3"], "min_ttl=9"),
    (["--only", "edgio", "--edgio-username", "u", "--edgio-shared-key", "00", "--edgio-pending-seconds", "-1"],
     "pending_seconds=-1"),
    (["--only", "vultr", "--vultr-api-key", "k", "--call-log-bytes", "-1"], "--call-log-bytes -1 must be 0 or more"),
], ids=["missing-edgio", "timeout", "ttl-bounds", "pending", "call-log"])
def test_bad_start_flags_are_named_without_traceback(args: list[str], message: str) -> None:
    done = serve(*args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_bad_environment_value_is_named_without_traceback() -> None:
    done = subprocess.run([sys.executable, "-m", "emulators", "serve", "--only", "vultr", "--vultr-api-key", "k"],
                          cwd=ROOT, capture_output=True, text=True, timeout=30,
                          env={**os.environ, "EMULATOR_VULTR_MIN_TTL": "abc"})
    assert done.returncode == 2 and "EMULATOR_VULTR_MIN_TTL='abc'" in done.stderr and "Traceback" not in done.stderr


def test_port_in_use_is_named(live: Emulators) -> None:
    port = str(urlsplit(live.vultr).port)
    done = serve("--only", "vultr", "--vultr-api-key", "k", "--vultr-port", port)
    assert done.returncode == 2 and f"127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("changes", "message"), [
    ({"pending_secs": 1}, "unknown setting(s) ['pending_secs']"), ({"pending_reads": "2"}, "must be of type int"),
    ({"rate_limit_per_second": 1.0}, "/_emulator/faults"), ({"duplicate_status": 418}, "400 or 409"),
], ids=["unknown", "type", "start-only", "value"])
def test_bad_run_time_settings_are_400_and_change_nothing(live: Emulators, changes: dict[str, object],
                                                          message: str) -> None:
    before = live.admin("edgio", "GET", "settings")
    response = requests.post(live.admin_url("edgio", "settings"), json=changes, timeout=5)
    assert response.status_code == 400 and message in response.json()["error"]
    assert live.admin("edgio", "GET", "settings") == before


def test_answers_on_a_kept_alive_connection_are_not_held_back(live: Emulators) -> None:
    """Headers and body leave in two writes: with Nagle's algorithm on, the body waited for the
    client's delayed ACK of the headers, some 40 ms per call."""
    seconds = []
    with requests.Session() as session:
        for _ in range(21):
            started = time.monotonic()
            response = session.get(f"{live.vultr}/domains", headers={"Authorization": f"Bearer {VULTR_TEST_KEY}"},
                                   timeout=10)
            seconds.append(time.monotonic() - started)
            assert response.status_code == 200
    assert sorted(seconds)[10] < 0.02, f"median {sorted(seconds)[10] * 1000:.0f} ms per call"
