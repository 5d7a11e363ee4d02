"""The emulators as a child process (``python -m emulators serve``), reached over loopback HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]


class Emulators:
    """Starts the emulators; ``vultr``/``edgio``/``cloudflare`` are their vendor base URLs ("" when not served)."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.stderr = ""
        self._process = subprocess.Popen(
            [sys.executable, "-m", "emulators", "serve", "--vultr-port", "0", "--edgio-port", "0", *args],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().decode()
        if not line.strip():
            self.stop()
            raise RuntimeError(f"emulators did not start: {self.stderr}")
        urls = json.loads(line)
        self.vultr: str = urls.get("vultr", "")  # one of them is absent under --only
        self.edgio: str = urls.get("edgio", "")
        self.cloudflare: str = urls.get("cloudflare", "")  # served only when given a token

    @property
    def pid(self) -> int:
        return self._process.pid

    def admin_url(self, vendor: str, call: str) -> str:
        base = getattr(self, vendor)
        scheme, _, rest = base.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}/_emulator/{call}"

    def admin(self, vendor: str, method: str, call: str, payload: Any = None) -> Any:
        response = requests.request(method, self.admin_url(vendor, call), json=payload, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None

    def reset(self) -> None:
        for vendor in ("vultr", "edgio", "cloudflare"):
            if getattr(self, vendor):
                self.admin(vendor, "POST", "reset")

    def faults(self, vendor: str, **settings: Any) -> Any:
        return self.admin(vendor, "POST", "faults", settings)

    def settings(self, vendor: str, **changes: Any) -> Any:
        return self.admin(vendor, "POST", "settings", changes)

    def state(self, vendor: str) -> Any:
        return self.admin(vendor, "GET", "state")

    def calls(self, vendor: str) -> list[dict[str, Any]]:
        return list(self.admin(vendor, "GET", "calls")["calls"])

    def stop(self) -> None:
        self._process.terminate()
        try:
            _, err = self._process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            _, err = self._process.communicate()
        self.stderr = err.decode(errors="replace")
