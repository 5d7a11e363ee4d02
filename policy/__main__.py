"""The cdn-ingress policy pack, started by `pulumi preview --policy-pack policy/` (docs/policy.md)."""

import sys

try:
    from pulumi_policy import EnforcementLevel, PolicyPack
except ModuleNotFoundError as missing:
    sys.exit(f"the policy pack needs the Python package {missing.name!r} in the project's virtualenv "
             "(venv/, see PulumiPolicy.yaml): run `make venv`")

from cdn_policy import POLICIES

# Each policy names its own level; this one applies only to a policy that names none.
PolicyPack(name="cdn-ingress", policies=POLICIES, enforcement_level=EnforcementLevel.ADVISORY)
