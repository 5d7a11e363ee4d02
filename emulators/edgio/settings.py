"""Every choice the Edgio emulator makes where the contract (edgio-config-api.md) is silent
([?]) or only inferred ([I]), in one place. Each is a flag ``--edgio-<name>`` of
``python -m emulators serve``, an environment variable ``EMULATOR_EDGIO_<NAME>`` and a name for
``POST /_emulator/settings`` (except those in START_ONLY)."""

from __future__ import annotations

from dataclasses import dataclass

START_ONLY = ("rate_limit_per_second",)  # read once at start; at run time use /_emulator/faults


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
    #: [?] How many reads (E5) a rule stays in the pending state after each write.
    pending_reads: int = 1
    #: [?] How many seconds a rule stays in the pending state after each write, however often it
    #: is read; with pending_reads, both must have passed (models a slow edge rollout).
    pending_seconds: float = 0.0
    #: [?] For tests: the terminal state instead of COMPLETED ("" = never fail).
    failure_state: str = ""
    #: [?] Key of the validate (E6) success flag.
    validate_success_key: str = "Success"
    #: [?] Page size when ``size`` is not given, and the largest accepted.
    default_page_size: int = 100
    max_page_size: int = 1000
    #: [?] Requests per second per client before 429; 0 = no limit (nothing documents one).
    rate_limit_per_second: float = 0.0
    #: [?] JSON file of service profiles and config options replacing the built-in catalogue
    #: (catalogue.py); "" = built-in.
    catalogue_file: str = ""
    #: [?] Search (E4) filters match values by prefix instead of exactly (the contract cannot
    #: tell which; a careful client checks each hit itself).
    search_prefix_match: bool = False
    #: [I] An inheritance (E13) child takes each body field it leaves out from its parent.
    inherit_missing_fields: bool = True

    def check(self) -> None:
        """Values no server could have; raises ValueError naming the setting."""
        for name in ("max_clock_skew_seconds", "pending_reads", "pending_seconds", "rate_limit_per_second"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}={getattr(self, name)!r} must be >= 0")
        if self.duplicate_status not in (400, 409):
            raise ValueError(f"duplicate_status={self.duplicate_status} must be 400 or 409")
        if not 1 <= self.default_page_size <= self.max_page_size:
            raise ValueError(f"default_page_size={self.default_page_size} must be 1..max_page_size"
                             f"={self.max_page_size}")
        if not self.pending_state or not self.validate_success_key:
            raise ValueError("pending_state and validate_success_key must not be empty")
