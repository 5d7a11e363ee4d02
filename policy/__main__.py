"""The cdn-ingress policy pack, started by `pulumi preview --policy-pack policy/` (docs/policy.md)."""

from cdn_policy import POLICIES
from pulumi_policy import EnforcementLevel, PolicyPack

# Each policy names its own level; this one applies only to a policy that names none.
PolicyPack(name="cdn-ingress", policies=POLICIES, enforcement_level=EnforcementLevel.ADVISORY)
