"""One request, sent with a deadline and bounded retries; never logs headers or bodies."""

from __future__ import annotations

import email.utils
import json
import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from restkit.limits import RateLimiter
from restkit.reporting import OperationalError

BODY_LIMIT = 256
Signer = Callable[[requests.PreparedRequest], None]


def shorten(text: str, limit: int = BODY_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class TransportError(OperationalError):
    """No usable HTTP answer: connection refused or reset, timeout, retries used up."""

    def __init__(self, message: str, *, method: str, path: str) -> None:
        super().__init__(message)
        self.method = method
        self.path = path


class OutcomeUnknown(TransportError):
    """A write that may or may not have taken effect; look it up before sending it again."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 0.2  # seconds; doubles per attempt, full jitter
    max_delay: float = 5.0
    deadline: float = 60.0  # seconds for all attempts of one call
    retry_statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 500, 502, 503, 504}))

    def backoff(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.deadline)
        return rng.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


def _retry_after(response: requests.Response) -> float | None:
    """Seconds the server asks us to wait, or None when it says nothing usable (a malformed,
    negative or non-finite value is ignored: the policy's own backoff applies)."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if parsed.tzinfo is None:
            return None
        seconds = parsed.timestamp() - time.time()
    return max(0.0, seconds) if math.isfinite(seconds) else None


class Transport:
    """Sends requests to ``base_url``. Writes (``idempotent=False``) are retried only when the
    server certainly did not act on them (429); any other failure of a write raises
    OutcomeUnknown so the caller can look the object up first."""

    def __init__(self, base_url: str, *, timeout: tuple[float, float] = (5.0, 30.0),
                 retry: RetryPolicy | None = None, limiter: RateLimiter | None = None,
                 signer: Signer | None = None, headers: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.limiter = limiter
        self._signer = signer
        self._headers = dict(headers or {})
        self._sleep = sleep
        self._rng = random.Random()
        self._session = requests.Session()
        self._session.trust_env = False  # proxies from the environment would see credentials

    def close(self) -> None:
        self._session.close()

    def send(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
             body: bytes | None = None, idempotent: bool, headers: Mapping[str, str] | None = None
             ) -> requests.Response:
        """The final response (any status); raises TransportError / OutcomeUnknown."""
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            response, failure = self._attempt(method, path, params, body, headers)
            out_of_time = time.monotonic() - started >= self.retry.deadline
            if response is not None and response.status_code not in self.retry.retry_statuses:
                return response
            may_retry = attempt < self.retry.max_attempts and not out_of_time
            if response is not None:
                status = response.status_code
                if not idempotent and status != 429:
                    raise OutcomeUnknown(
                        f"{method} {path} answered {status}; the write may have happened",
                        method=method, path=path)
                if not may_retry:
                    return response
                delay = self.retry.backoff(attempt, _retry_after(response), self._rng)
            else:
                if not idempotent:
                    raise OutcomeUnknown(
                        f"{method} {path} got no answer ({failure}); the write may have happened",
                        method=method, path=path)
                if not may_retry:
                    raise TransportError(
                        f"{method} {path} failed after {attempt} attempt(s): {failure}",
                        method=method, path=path)
                delay = self.retry.backoff(attempt, None, self._rng)
            remaining = self.retry.deadline - (time.monotonic() - started)
            self._sleep(max(0.0, min(delay, remaining)))

    def json(self, vendor: str, operation: str, method: str, path: str, *, body: Any = None,
             params: Mapping[str, Any] | None = None, idempotent: bool = True,
             transport_error: Callable[[str], Exception],
             error_for_status: Callable[[int], Callable[[str, int, str, str, str], Exception]],
             ) -> requests.Response:
        """``send`` with a JSON body. A 4xx/5xx answer raises the vendor's
        ``error_for_status(status)(operation, status, method, path, shortened body)``, a transport
        failure ``transport_error("<vendor> <operation> failed: ...")``. OutcomeUnknown passes
        through untouched: the caller must look the object up."""
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else None
        try:
            response = self.send(method, path, params=params, body=data, idempotent=idempotent,
                                 headers=headers)
        except OutcomeUnknown:
            raise
        except TransportError as exc:
            raise transport_error(f"{vendor} {operation} failed: {exc}") from exc
        if response.status_code >= 400:
            detail = shorten(response.text or response.reason or "")
            raise error_for_status(response.status_code)(operation, response.status_code, method, path, detail)
        return response

    def _attempt(self, method: str, path: str, params: Mapping[str, Any] | None,
                 body: bytes | None, headers: Mapping[str, str] | None
                 ) -> tuple[requests.Response | None, str]:
        if self.limiter is not None:
            self.limiter.acquire()
        request = requests.Request(method, self.base_url + path, params=params, data=body,
                                   headers={**self._headers, **(headers or {})})
        prepared = self._session.prepare_request(request)
        if self._signer is not None:
            self._signer(prepared)  # per attempt: signatures carry a timestamp
        try:
            return self._session.send(prepared, timeout=self.timeout, allow_redirects=False), ""
        except requests.Timeout as exc:
            return None, f"timeout: {type(exc).__name__}"
        except requests.ConnectionError as exc:
            return None, f"connection error: {type(exc).__name__}"
