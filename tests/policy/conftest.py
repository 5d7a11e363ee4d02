"""The pack's modules import as the CLI runs them: with policy/ on the path."""

from __future__ import annotations

import sys
from pathlib import Path

PACK = Path(__file__).resolve().parents[2] / "policy"
if str(PACK) not in sys.path:
    sys.path.insert(0, str(PACK))
