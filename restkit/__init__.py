"""Careful HTTP for vendor API clients: timeouts, bounded retries with backoff and jitter that
honour Retry-After, a process-wide client-side rate limit, and unknown-outcome reporting for
writes that must not be re-sent blindly. Vendor clients map statuses to their own errors.
"""

from restkit.limits import RateLimiter
from restkit.settings import clean_credential, positive_setting
from restkit.transport import OutcomeUnknown, RetryPolicy, Transport, TransportError, shorten

__all__ = ["OutcomeUnknown", "RateLimiter", "RetryPolicy", "Transport", "TransportError", "clean_credential",
           "positive_setting", "shorten"]
