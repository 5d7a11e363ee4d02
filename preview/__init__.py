"""Pull-request previews: the engine's event log of a ``pulumi preview`` rendered as a Markdown
comment that says what changes for traffic. Reads only what the CLI writes; imports no provider."""

from preview.events import Preview, load, parse
from preview.gate import ALLOW_LABEL, gate
from preview.render import LIMIT, Target, marker, render

__all__ = ["ALLOW_LABEL", "LIMIT", "Preview", "Target", "gate", "load", "marker", "parse", "render"]
