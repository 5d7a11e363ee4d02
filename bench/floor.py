"""The floor of a phase: the fewest vendor calls any tool with our guarantees needs for it, priced
at each vendor's pace. The bound prices the calls we made; the floor prices the calls that had to be
made, so a call we did not need raises our wall time over the floor, not the floor with it.

The model (``bench/RESULTS.md`` explains it): per phase, one listing per page of the objects
concerned (ownership is decided on a listing, never assumed), one write per changed object, one
validate per changed rule, and deploy polls shared by the whole stack, one listing per cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.measure import EDGIO_PACE, VULTR_LIMIT
from bench.workload import NODES, PATHS_PER_INGRESS

VULTR_PAGE = 500  # records per page of a zone listing (vultr-dns-api.md)
EDGIO_PAGE = 100  # rules per page of a shortname listing (edgio_provider's page size)


@dataclass(frozen=True)
class Floor:
    vultr_calls: int
    edgio_calls: int
    deploy_seconds: float

    @property
    def calls(self) -> int:
        return self.vultr_calls + self.edgio_calls

    @property
    def seconds(self) -> float:
        return self.deploy_seconds + max(self.vultr_calls / VULTR_LIMIT, self.edgio_calls / EDGIO_PACE)


def _pages(count: int, size: int) -> int:
    return max(1, -(-count // size))


def floor(phase: str, *, routes: int, foreign: int, pending_seconds: float, poll_seconds: float) -> Floor:
    """The fewest calls of ``phase`` of the benchmark's lifecycle (``bench.lifecycle.PHASES``)."""
    names = -(-routes // PATHS_PER_INGRESS)
    records = names * (len(NODES) + 1)  # the addresses of every name and one ownership marker each
    zone = _pages(foreign + records, VULTR_PAGE)
    rules = _pages(routes, EDGIO_PAGE)
    polls = (int(-(-pending_seconds // poll_seconds)) + 1) * rules if pending_seconds else rules
    deploy = pending_seconds
    table = {
        # Vultr: the zone before the claims and again after them (two stacks racing end with one
        # owner), the markers, the addresses. Edgio: one listing for ownership, validate + create
        # per rule, the shared deploy polls.
        "create": Floor(2 * zone + records, rules + 2 * routes + polls, deploy),
        "no-op": Floor(0, 0, 0.0),
        "refresh": Floor(zone, rules, 0.0),
        # The new host + path's ownership listing, validate, create, delete of the old rule, polls.
        "path changed": Floor(0, rules + 3 + polls, deploy),
        # Per origin name the new node's record in and the leaving node's out; the names are owned.
        "node replaced": Floor(2 * names, 0, 0.0),
        # Ownership of every object read in one listing per vendor, then one delete per object.
        "destroy": Floor(zone + records, rules + routes, 0.0),
    }
    return table[phase]
