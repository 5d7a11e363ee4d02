"""Careful HTTP for vendor API clients: timeouts, bounded retries with backoff and jitter that
honour Retry-After, a process-wide client-side rate limit, and unknown-outcome reporting for
writes that must not be re-sent blindly. Vendor clients map statuses to their own errors, whose
trees derive from ``OperationalError``: the provider server reports those by their message alone.
"""

from restkit import reporting
from restkit.limits import RateLimiter
from restkit.reporting import OperationalError
from restkit.settings import clean_credential, positive_setting
from restkit.transport import OutcomeUnknown, RetryPolicy, Transport, TransportError, shorten

__all__ = ["OperationalError", "OutcomeUnknown", "RateLimiter", "RetryPolicy", "Transport", "TransportError",
           "clean_credential", "positive_setting", "shorten"]

# Every provider module imports this package, so a provider server has it in place before the
# first failure it reports; anywhere else this does nothing.
reporting.install()
