"""One error tree for the Cloudflare client and providers; never a token in a message."""

from __future__ import annotations


class CloudflareError(Exception):
    """Anything that went wrong with the Cloudflare API."""


class CloudflareConfigError(CloudflareError):
    """Token, zone or endpoint missing or unusable."""


class CloudflareTransportError(CloudflareError):
    """No usable answer (connection, timeout, retries used up)."""


class CloudflareAPIError(CloudflareError):
    def __init__(self, operation: str, status: int, method: str, path: str, detail: str,
                 codes: tuple[int, ...] = ()) -> None:
        super().__init__(f"Cloudflare {operation} failed: {status} for {method} {path}: {detail}")
        self.operation, self.status, self.codes = operation, status, codes


class CloudflareBadRequest(CloudflareAPIError):
    """400 or 409: the request was refused (a name conflict included)."""


class CloudflareAuthError(CloudflareAPIError):
    """401 or 403: the token is wrong or lacks a permission."""


class CloudflareNotFound(CloudflareAPIError):
    """404: no such zone, record, ruleset or rule."""


class CloudflareRateLimited(CloudflareAPIError):
    """429 after every retry (Cloudflare blocks a token for the rest of its five-minute window)."""


class CloudflareServerError(CloudflareAPIError):
    """5xx after every retry."""


class CloudflareConflict(CloudflareError):
    """An object at our name or route exists and is not ours, or it was changed behind our back."""


def error_for_status(status: int) -> type[CloudflareAPIError]:
    return {400: CloudflareBadRequest, 409: CloudflareBadRequest, 401: CloudflareAuthError,
            403: CloudflareAuthError, 404: CloudflareNotFound, 429: CloudflareRateLimited}.get(
        status, CloudflareServerError if status >= 500 else CloudflareAPIError)
