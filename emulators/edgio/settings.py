"""Every choice the Edgio emulator makes where the contract (edgio-config-api.md) is silent
([?]) or only inferred ([I]), in one place. Each is a flag ``--edgio-<name>`` of
``python -m emulators serve`` and an environment variable ``EMULATOR_EDGIO_<NAME>``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EdgioSettings:
    #: [S] A request whose timestamp is older than this many seconds is refused with 401.
    max_clock_skew_seconds: int = 300
    #: [?] Future-dated timestamps: accepted within the same window.
    accept_future_timestamps: bool = True
    #: [I] Status for a second live rule with the same published host + path (400 is the other
    #: plausible answer; clients must handle both).
    duplicate_status: int = 409
    #: [?] The state a rule reports after create/update before COMPLETED (name invented).
    pending_state: str = "PROCESSING"
    #: [?] How many reads (E5) a rule stays in the pending state before COMPLETED.
    pending_reads: int = 1
    #: [?] For tests: the terminal state instead of COMPLETED ("" = never fail).
    failure_state: str = ""
    #: [?] Key of the validate (E6) success flag.
    validate_success_key: str = "Success"
    #: [?] Page size when ``size`` is not given, and the largest accepted.
    default_page_size: int = 100
    max_page_size: int = 1000
    #: [?] Requests per second per client before 429; 0 = no limit (nothing documents one).
    rate_limit_per_second: float = 0.0
