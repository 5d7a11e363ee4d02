"""The X-LLNW-Security HMAC scheme (edgio-config-api.md §2), checked on the raw request.

Header text that is not plain ASCII can never be a valid timestamp or hex token: it is a 401
like any other bad signature, never an error of the emulator.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from emulators._core import Request


class AuthError(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def sign(key: bytes, method: str, url: str, query: str, stamp: str, body: bytes) -> str:
    data = method.upper().encode() + url.encode() + query.encode() + stamp.encode() + body
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def authenticate(request: Request, *, user: str, key: bytes, skew: float, accept_future: bool) -> None:
    """Returns when the request is signed by ``user`` with ``key``; else AuthError (a 401)."""
    principal = request.headers.get("X-LLNW-Security-Principal")
    stamp = request.headers.get("X-LLNW-Security-Timestamp") or ""
    token = (request.headers.get("X-LLNW-Security-Token") or "").lower()
    if not principal or not stamp or not token:
        raise AuthError("Missing signature", 1026)
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 16:
        raise AuthError("Invalid timestamp", 1010)
    age = time.time() - int(stamp) / 1000
    if age > skew or age < -skew or (age < 0 and not accept_future):
        raise AuthError("Invalid timestamp: expired or out of range", 1010)
    if not token.isascii() or not request.host.isascii() or not request.path.isascii():
        raise AuthError("Authentication failed", 1024)
    scheme_host = f"{request.scheme}://{request.host}"
    candidates = [scheme_host]
    if ":" not in request.host:  # [?] also accept an explicit default port in the signed URL
        candidates.append(f"{scheme_host}:{443 if request.scheme == 'https' else 80}")
    ok = principal == user and any(
        hmac.compare_digest(token, sign(key, request.method, base + request.path, request.raw_query, stamp,
                                        request.body))
        for base in candidates)
    if not ok:
        raise AuthError("Authentication failed", 1024)
