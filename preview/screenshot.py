"""``python -m preview.screenshot COMMENT.md OUT.png``: the comment rendered as GitHub-flavoured
HTML (markdown-it-py, tables and raw HTML on) and photographed by Debian's headless Chromium.
Dev tool for the README; needs ``chromium`` (apt) and the dev requirements."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt

WIDTH, HEIGHT = 820, 800  # keeps the PNG near 140 KB
# GitHub's look, roughly; its alert blocks ("> [!CAUTION]") are drawn red as GitHub does.
CSS = """
body{font:13px/1.35 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;margin:14px 18px;}
h3{font-size:16px;margin:0 0 10px} h4{font-size:14px;margin:14px 0 6px}
code{font:11.5px ui-monospace,Menlo,monospace;background:#eff1f3;padding:1px 4px;border-radius:4px}
pre{background:#f6f8fa;padding:8px;border-radius:6px;overflow:hidden} pre code{background:none;padding:0}
table{border-collapse:collapse;margin:6px 0} td,th{border:1px solid #d1d9e0;padding:1px 10px}
blockquote{margin:8px 0;padding:2px 12px;border-left:4px solid #d1d9e0;color:#59636e}
blockquote.caution{border-left-color:#cf222e;color:#1f2328;background:#fff5f5}
details{margin:4px 0} summary{cursor:pointer} ul{margin:4px 0;padding-left:22px}
.del{color:#cf222e} .add{color:#1a7f37}
"""
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--force-device-scale-factor=1")


def to_html(markdown: str) -> str:
    """GitHub-flavoured Markdown to HTML: tables, strikethrough, raw HTML (``<details>``) kept."""
    return str(MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown))


def _github_look(body: str) -> str:
    body = body.replace("<blockquote>\n<p>[!CAUTION]", '<blockquote class="caution">\n<p><b>Caution</b>')
    body = re.sub(r'(<code class="language-diff">)(.*?)(</code>)', _color_diff, body, flags=re.S)
    # Open one in-place update, as a reviewer clicking it would see it.
    if "<details><summary>🟡" in body:
        return body.replace("<details><summary>🟡", "<details open><summary>🟡", 1)
    return body.replace("<details>", "<details open>", 1)


def _color_diff(match: re.Match[str]) -> str:
    lines = [f'<span class="{"del" if x.startswith("-") else "add" if x.startswith("+") else ""}">{x}</span>'
             for x in match.group(2).split("\n")]
    return match.group(1) + "\n".join(lines) + match.group(3)


def page(markdown: str) -> str:
    return f"<!doctype html><meta charset=utf-8><style>{CSS}</style>\n{_github_look(to_html(markdown))}"


def screenshot(markdown: str, out: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium is not installed: apt-get update && apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as work:
        html_file = Path(work) / "comment.html"
        html_file.write_text(page(markdown), encoding="utf-8")
        profile = Path(work) / "profile"
        profile.mkdir()
        subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}",
                        f"--screenshot={out.resolve()}", html_file.as_uri()],
                       check=True, capture_output=True, timeout=120)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m preview.screenshot COMMENT.md OUT.png", file=sys.stderr)
        return 2
    source, out = Path(argv[0]), Path(argv[1])
    screenshot(source.read_text(encoding="utf-8"), out)
    print(f"{out}: {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
