"""``python -m preview render LOG`` writes a stack's comment (exit 3 when the deletion gate blocks);
``python -m preview comment FILE`` posts it as, or edits, that stack's sticky pull-request comment."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from preview.events import EventLogError, Preview, load
from preview.gate import ALLOW_LABEL, Gate, gate, lowered_note, reasons
from preview.github import DEFAULT_AUTHOR, Comments, GitHubError
from preview.protection import ProtectionError, read
from preview.render import Target, marker, render

GATE_BLOCKED = 3


def _names(preview: Preview) -> tuple[str, str]:
    """Project and stack from any URN (``urn:pulumi:<stack>::<project>::...``)."""
    for urn in preview.steps:
        parts = urn.split("::")
        if len(parts) >= 2 and parts[0].startswith("urn:pulumi:"):
            return parts[1], parts[0].removeprefix("urn:pulumi:")
    return "", ""


def _with_note(text: str, note: str) -> str:
    """The note on lowered protection right under the headline (or under the one-line no-op)."""
    if not note:
        return text
    parts = text.split("\n\n", 2)
    if len(parts) == 3 and parts[1].startswith("### "):
        return "\n\n".join([parts[0], parts[1], note, parts[2]])
    return f"{text.rstrip()}\n\n{note}\n"


def _render(args: argparse.Namespace) -> int:
    preview = load(Path(args.event_log))
    project, stack = _names(preview)
    labels = frozenset(filter(None, (x.strip() for x in args.labels.split(","))))
    target = Target(args.project or project or "project", args.stack or stack or "stack", labels, args.run_url)
    if args.base_stacks:  # "protected" as the base branch says, never as the pull request says
        preview.base = read(Path(args.base_stacks), target.stack)
        preview.head = read(Path(args.head_stacks), target.stack) if args.head_stacks else None
    g = gate(preview, labels)
    text = _with_note(render(preview, target), lowered_note(g))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    if g.blocked:
        _explain(g, target.stack)
        return GATE_BLOCKED
    return 0


def _explain(g: Gate, stack: str) -> None:
    print(f"deletion gate: stack {stack!r} is protected and this change deletes, replaces or lowers the protection "
          f"of: {'; '.join(reasons(g))}; add the pull-request label {ALLOW_LABEL!r} to allow it", file=sys.stderr)


def _comment(args: argparse.Namespace) -> int:
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        print("GITHUB_TOKEN is not set: it needs pull-requests: write on the repository", file=sys.stderr)
        return 2
    body = Path(args.file).read_text(encoding="utf-8")
    comments = Comments(args.repo, args.pr, token, args.api, author=args.author)
    action, comment_id = comments.upsert(marker(args.project, args.stack), body)
    print(f"{action} comment {comment_id} for {args.project}/{args.stack} on {args.repo}#{args.pr}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m preview", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render", help="event log -> Markdown comment for one stack")
    r.add_argument("event_log", help="file written by `pulumi preview --event-log FILE`")
    r.add_argument("--project", default="", help="default: from the event log's URNs")
    r.add_argument("--stack", default="", help="default: from the event log's URNs")
    r.add_argument("--labels", default="", help=f"pull-request labels, comma-separated ({ALLOW_LABEL} opens the gate)")
    r.add_argument("--run-url", default="", help="link to the whole log, named when something is left out")
    r.add_argument("--out", default="", help="also write the Markdown to this file")
    r.add_argument("--base-stacks", default="", help="the base branch's stacks/ folder: decides whether the stack "
                   "is protected (CI: never the pull request's own)")
    r.add_argument("--head-stacks", default="", help="the pull request's stacks/ folder: settings it lowers against "
                   "--base-stacks are gated")
    c = sub.add_parser("comment", help="post or edit the stack's sticky pull-request comment")
    c.add_argument("file", help="the Markdown written by `render`")
    c.add_argument("--repo", required=True, help="owner/name")
    c.add_argument("--pr", required=True, type=int)
    c.add_argument("--project", required=True)
    c.add_argument("--stack", required=True)
    c.add_argument("--api", default=os.environ.get("GITHUB_API_URL", "https://api.github.com"))
    c.add_argument("--author", default=os.environ.get("PREVIEW_COMMENT_AUTHOR") or DEFAULT_AUTHOR,
                   help="login the token posts as; only its comment is edited (default: $PREVIEW_COMMENT_AUTHOR, "
                        f"else {DEFAULT_AUTHOR})")
    args = parser.parse_args(argv)
    try:
        return _render(args) if args.command == "render" else _comment(args)
    except (EventLogError, GitHubError, ProtectionError, OSError) as exc:
        print(f"preview: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
