"""The floor of a phase: the fewest vendor calls any tool with our guarantees needs for it, priced
at each vendor's pace. The bound prices the calls we made; the floor prices the calls that had to be
made, so a call we did not need raises our wall time over the floor, not the floor with it.

The model (``bench/RESULTS.md`` explains it): per phase, one listing per page of the objects
concerned (ownership is decided on a listing, never assumed), one write per changed object, one
validate per changed rule, and deploy polls shared by the whole stack, one listing per cycle.
Cloudflare (``cloudflare_floor``): the zone's DNS records of the stack listed by page, the entry
point ruleset read once (it holds every rule), one write per changed object, no deploy polls.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.measure import CLOUDFLARE_PACE, EDGIO_PACE, VULTR_LIMIT
from bench.workload import NODES, PATHS_PER_INGRESS

VULTR_PAGE = 500  # records per page of a zone listing (vultr-dns-api.md)
EDGIO_PAGE = 100  # rules per page of a shortname listing (edgio_provider's page size)
#: DNS records per page of a listing: Cloudflare's documented default; the largest is not settled
#: (docs/api/cloudflare.md section 4), so a tool cannot count on more.
CLOUDFLARE_PAGE = 100


@dataclass(frozen=True)
class Floor:
    vultr_calls: int
    edgio_calls: int
    deploy_seconds: float
    cloudflare_calls: int = 0

    @property
    def calls(self) -> int:
        return self.vultr_calls + self.edgio_calls + self.cloudflare_calls

    @property
    def seconds(self) -> float:
        return self.deploy_seconds + max(self.vultr_calls / VULTR_LIMIT, self.edgio_calls / EDGIO_PACE,
                                         self.cloudflare_calls / CLOUDFLARE_PACE)


def _pages(count: int, size: int) -> int:
    return max(1, -(-count // size))


def _vultr(phase: str, *, names: int, foreign: int) -> int:
    """The origin names' record sets, the same on either CDN: the zone before the claims and again
    after them (two stacks racing end with one owner), the markers, the addresses."""
    records = names * (len(NODES) + 1)  # the addresses of every name and one ownership marker each
    zone = _pages(foreign + records, VULTR_PAGE)
    table = {"create": 2 * zone + records, "no-op": 0, "refresh": zone, "path changed": 0,
             "node replaced": 2 * names,  # per name the new node's record in, the leaving one's out
             "destroy": zone + records}
    return table[phase]


def floor(phase: str, *, routes: int, foreign: int, pending_seconds: float, poll_seconds: float,
          cdn: str = "edgio") -> Floor:
    """The fewest calls of ``phase`` of the benchmark's lifecycle (``bench.lifecycle.PHASES``) on ``cdn``."""
    if cdn == "cloudflare":
        return cloudflare_floor(phase, routes=routes, foreign=foreign)
    names = -(-routes // PATHS_PER_INGRESS)
    rules = _pages(routes, EDGIO_PAGE)
    polls = (int(-(-pending_seconds // poll_seconds)) + 1) * rules if pending_seconds else rules
    deploy = pending_seconds if phase in ("create", "path changed") else 0.0
    table = {
        # One listing for ownership, validate + create per rule, the shared deploy polls.
        "create": rules + 2 * routes + polls,
        "no-op": 0,
        "refresh": rules,
        # The new host + path's ownership listing, validate, create, delete of the old rule, polls.
        "path changed": rules + 3 + polls,
        "node replaced": 0,
        # Ownership of every rule read in one listing, then one delete per rule.
        "destroy": rules + routes,
    }
    return Floor(_vultr(phase, names=names, foreign=foreign), table[phase], deploy)


def cloudflare_floor(phase: str, *, routes: int, foreign: int) -> Floor:
    """Vultr as on Edgio. Cloudflare: the stack's records of the zone (per origin name its alias,
    per host its proxied record) listed by page (a listing filtered by the owner's comment: foreign
    records cost nothing), the entry point ruleset read once, one write per changed object."""
    names = -(-routes // PATHS_PER_INGRESS)
    records = 2 * names  # one alias per origin name, one host record per host (one host per origin here)
    listing = _pages(records, CLOUDFLARE_PAGE)
    table = {
        # Listing and ruleset read before the writes; the zone has no entry point yet (one POST).
        # The order check after the rules (a writer of the same host appending at the same moment
        # can leave a more specific rule before a less specific one: they merge, later wins) reads
        # the ruleset each rule write answers with: no call of its own.
        "create": listing + 1 + 1 + records + routes,
        "no-op": 0,
        "refresh": listing + 1,
        # The ruleset read, the new path's rule written (its answer shows the order), the old one deleted.
        "path changed": 1 + 2,
        "node replaced": 0,  # the aliases name the origin names, not addresses
        # Ownership of every object from one listing and one ruleset read, then one delete each; the
        # entry point stays (it holds every owner's rules of the phase).
        "destroy": listing + 1 + records + routes,
    }
    return Floor(_vultr(phase, names=names, foreign=foreign), 0, 0.0, table[phase])
