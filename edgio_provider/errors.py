"""One error tree for the Edgio client and provider; never a key or signature in a message."""

from __future__ import annotations

from restkit.reporting import OperationalError


class EdgioError(OperationalError):
    """Anything that went wrong with the Edgio Config API."""


class EdgioConfigError(EdgioError):
    """Credentials or endpoint missing or unusable."""


class EdgioTransportError(EdgioError):
    """No usable answer (connection, timeout, retries used up)."""


class EdgioAPIError(EdgioError):
    def __init__(self, operation: str, status: int, method: str, path: str, detail: str) -> None:
        super().__init__(f"Edgio {operation} failed: {status} for {method} {path}: {detail}")
        self.operation, self.status = operation, status


class EdgioBadRequest(EdgioAPIError):
    """400 or 409: the payload was rejected (a duplicate host + path included)."""


class EdgioAuthError(EdgioAPIError):
    """401 (signature) or 403 (shortname or permission)."""


class EdgioNotFound(EdgioAPIError):
    """404: no such rule (or deleted)."""


class EdgioRateLimited(EdgioAPIError):
    """429 after every retry."""


class EdgioServerError(EdgioAPIError):
    """5xx after every retry."""


class EdgioConflict(EdgioError):
    """A rule exists for this host + path and is not ours, or it was edited behind our back."""


class EdgioDeployError(EdgioError):
    """The rule did not reach COMPLETED."""


def error_for_status(status: int) -> type[EdgioAPIError]:
    return {400: EdgioBadRequest, 409: EdgioBadRequest, 401: EdgioAuthError, 403: EdgioAuthError,
            404: EdgioNotFound, 429: EdgioRateLimited}.get(
        status, EdgioServerError if status >= 500 else EdgioAPIError)
