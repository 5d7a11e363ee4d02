"""One error tree for the Vultr client and provider; messages never contain the API key."""

from __future__ import annotations

from restkit.reporting import OperationalError


class VultrError(OperationalError):
    """Anything that went wrong talking to Vultr DNS."""


class VultrConfigError(VultrError):
    """Credentials or endpoint missing or unusable."""


class VultrTransportError(VultrError):
    """No usable answer (connection, timeout, retries used up)."""


class VultrAPIError(VultrError):
    """Vultr answered with an error status."""

    def __init__(self, operation: str, status: int, method: str, path: str, detail: str) -> None:
        super().__init__(f"Vultr {operation} failed: {status} for {method} {path}: {detail}")
        self.operation = operation
        self.status = status


class VultrBadRequest(VultrAPIError):
    """400: the request was rejected as invalid."""


class VultrAuthError(VultrAPIError):
    """401/403: the API key is missing, wrong, or not allowed from this address."""


class VultrNotFound(VultrAPIError):
    """404: the domain or record does not exist."""


class VultrRateLimited(VultrAPIError):
    """429 after every retry."""


class VultrServerError(VultrAPIError):
    """5xx after every retry."""


class VultrConflict(VultrError):
    """A record this resource would create exists already and is not ours."""


def error_for_status(status: int) -> type[VultrAPIError]:
    if status == 400:
        return VultrBadRequest
    if status in (401, 403):
        return VultrAuthError
    if status == 404:
        return VultrNotFound
    if status == 429:
        return VultrRateLimited
    if status >= 500:
        return VultrServerError
    return VultrAPIError
