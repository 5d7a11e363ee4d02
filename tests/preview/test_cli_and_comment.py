"""``python -m preview``: render's exit codes and messages, and the sticky comment against a local
HTTP server that answers like GitHub's issue-comments API (pagination, auth, edit in place)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from preview import marker
from tests.preview.kit import lines, prelude, rule, rule_step
from tests.support.pulumi_cli import ROOT

TOKEN = "ghs_test_token_0123456789"
BOT = "github-actions[bot]"  # whom GitHub names as the author of what the workflow's token posts


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "preview", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, check=False, timeout=60)


def test_render_exits_3_with_a_reason_when_the_gate_blocks(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text("\n".join(lines(prelude({"cdn-ingress:protect": "true"}),
                                   rule_step("delete", "/api", rule("/api"), None))))
    blocked = run("render", str(log), "--out", str(tmp_path / "c.md"))
    assert blocked.returncode == 3
    assert "add the pull-request label 'allow-cdn-deletion'" in blocked.stderr
    assert blocked.stdout == (tmp_path / "c.md").read_text()
    assert blocked.stdout.startswith(marker("cdn-ingress", "test"))  # names taken from the URNs
    allowed = run("render", str(log), "--labels", "docs,allow-cdn-deletion")
    assert allowed.returncode == 0, allowed.stderr


def test_render_names_the_line_of_a_log_that_is_not_an_event_log(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text('{"sequence": 0}\nPreviewing update (dev):\n')
    done = run("render", str(log))
    assert done.returncode == 2
    assert f"preview: {log} line 2: not JSON" in done.stderr
    assert "Traceback" not in done.stderr


class FakeGitHub(BaseHTTPRequestHandler):
    comments: ClassVar[list[dict[str, Any]]] = []
    calls: ClassVar[list[str]] = []
    author: ClassVar[str] = BOT

    def _reply(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self) -> None:
        url = urlparse(self.path)
        self.calls.append(f"{self.command} {url.path}")
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._reply(401, {"message": "Bad credentials"})
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        if self.command == "GET" and url.path == "/repos/o/r/issues/7/comments":
            query = parse_qs(url.query)
            size, page = int(query["per_page"][0]), int(query["page"][0])
            return self._reply(200, self.comments[(page - 1) * size:page * size])
        if self.command == "POST" and url.path == "/repos/o/r/issues/7/comments":
            comment = {"id": 1000 + len(self.comments), "body": body["body"], "user": {"login": self.author}}
            self.comments.append(comment)
            return self._reply(201, comment)
        if self.command == "PATCH" and url.path.startswith("/repos/o/r/issues/comments/"):
            wanted = int(url.path.rsplit("/", 1)[1])
            for comment in self.comments:
                if comment["id"] == wanted:
                    comment["body"] = body["body"]
                    return self._reply(200, comment)
        return self._reply(404, {"message": "Not Found"})

    do_GET = do_POST = do_PATCH = _handle

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def github() -> Iterator[str]:
    FakeGitHub.comments = [{"id": i, "body": f"review comment {i}", "user": {"login": "reviewer"}}
                           for i in range(150)]  # two pages
    FakeGitHub.calls = []
    FakeGitHub.author = BOT
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _comment(api: str, file: Path, stack: str, token: str = TOKEN, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {"GITHUB_TOKEN": token, "PATH": "/usr/bin:/bin"}
    return run("comment", str(file), "--repo", "o/r", "--pr", "7", "--project", "cdn-ingress", "--stack", stack,
               "--api", api, *extra, env=env)


def test_one_sticky_comment_per_stack_is_posted_then_edited(github: str, tmp_path: Path) -> None:
    body = tmp_path / "c.md"
    for stack, text in (("dev", "first"), ("prod", "prod"), ("dev", "second")):
        body.write_text(f"{marker('cdn-ingress', stack)}\n{text}\n")
        done = _comment(github, body, stack)
        assert done.returncode == 0, done.stderr
    ours = [c for c in FakeGitHub.comments if c["body"].startswith("<!-- cdn-ingress-preview")]
    assert [c["body"].splitlines()[1] for c in ours] == ["second", "prod"]
    assert len(FakeGitHub.comments) == 152
    assert FakeGitHub.calls.count("PATCH /repos/o/r/issues/comments/1150") == 1
    assert "edited comment 1150 for cdn-ingress/dev on o/r#7" in done.stdout


def test_comment_failure_is_one_clear_line_without_the_token(github: str, tmp_path: Path) -> None:
    body = tmp_path / "c.md"
    body.write_text(f"{marker('cdn-ingress', 'dev')}\nx\n")
    done = _comment(github, body, "dev", token="wrong-token-value")
    assert done.returncode == 2
    assert "GitHub GET /repos/o/r/issues/7/comments failed: 401" in done.stderr.replace(github, "")
    assert "wrong-token-value" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_a_comment_by_anyone_else_is_never_taken_for_ours(github: str, tmp_path: Path) -> None:
    fake = f"{marker('cdn-ingress', 'dev')}\n✅ preview ok, Deletion gate: allowed"
    FakeGitHub.comments.insert(3, {"id": 9001, "body": fake, "user": {"login": "mallory"}})
    body = tmp_path / "c.md"
    for text in ("first", "second"):
        body.write_text(f"{marker('cdn-ingress', 'dev')}\n{text}\n")
        done = _comment(github, body, "dev")
        assert done.returncode == 0, done.stderr
    assert next(c for c in FakeGitHub.comments if c["id"] == 9001)["body"] == fake
    assert not [call for call in FakeGitHub.calls if call.endswith("/comments/9001")]
    assert [c["body"] for c in FakeGitHub.comments if c["user"]["login"] == BOT] == [body.read_text()]
    assert "edited comment 1151 for cdn-ingress/dev" in done.stdout


def test_the_workflow_identity_can_be_named(github: str, tmp_path: Path) -> None:
    FakeGitHub.author = "cdn-preview[bot]"  # a GitHub App's token instead of the workflow's
    ours = f"{marker('cdn-ingress', 'dev')}\nold\n"
    FakeGitHub.comments[140:140] = [{"id": 9002, "body": ours, "user": {"login": BOT}},
                                    {"id": 9003, "body": ours, "user": {"login": "cdn-preview[bot]"}}]
    body = tmp_path / "c.md"
    body.write_text(f"{marker('cdn-ingress', 'dev')}\nnew\n")
    done = _comment(github, body, "dev", TOKEN, "--author", "cdn-preview[bot]")
    assert done.returncode == 0, done.stderr
    assert "edited comment 9003" in done.stdout
    assert [c["body"] for c in FakeGitHub.comments if c["id"] in (9002, 9003)] == [ours, body.read_text()]
