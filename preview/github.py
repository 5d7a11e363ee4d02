"""One sticky pull-request comment per project/stack: found by its hidden marker and its author (the
workflow's own identity), edited, never duplicated (GitHub REST API: issue comments)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

TIMEOUT = 30
PAGE = 100
#: The author of what a workflow posts with its own ``GITHUB_TOKEN``; a GitHub App posts as ``<app>[bot]``.
DEFAULT_AUTHOR = "github-actions[bot]"


class GitHubError(RuntimeError):
    pass


class Comments:
    def __init__(self, repo: str, pr: int, token: str, api: str = "https://api.github.com", *,
                 author: str = DEFAULT_AUTHOR) -> None:
        self._base = f"{api.rstrip('/')}/repos/{repo}/issues"
        self._pr = pr
        self._token = token
        self._author = author

    def _call(self, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Bearer {self._token}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:256].decode(errors="replace")
            raise GitHubError(f"GitHub {method} {url.split('?')[0]} failed: {exc.code} {detail}") from None

    def find(self, marker: str) -> int | None:
        """The id of the first comment written by our own identity whose body starts with the marker.

        Anyone can post a comment that starts with the marker; only ours is edited (and so shown as
        the preview)."""
        page = 1
        while True:
            batch = self._call("GET", f"{self._base}/{self._pr}/comments?per_page={PAGE}&page={page}")
            for comment in batch:
                if self._ours(comment) and str(comment.get("body", "")).startswith(marker):
                    return int(comment["id"])
            if len(batch) < PAGE:
                return None
            page += 1

    def _ours(self, comment: dict[str, Any]) -> bool:
        user = comment.get("user")
        return isinstance(user, dict) and user.get("login") == self._author

    def upsert(self, marker: str, body: str) -> tuple[str, int]:
        """Edit the stack's comment, or post it the first time; returns ("edited"|"posted", id)."""
        found = self.find(marker)
        if found is not None:
            self._call("PATCH", f"{self._base}/comments/{found}", {"body": body})
            return "edited", found
        created = self._call("POST", f"{self._base}/{self._pr}/comments", {"body": body})
        return "posted", int(created["id"])
