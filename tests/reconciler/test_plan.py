from __future__ import annotations

import pytest

from reconciler.plan import FULL, KEEP, NONE, RECORD_SET_TYPE, TARGETED, UNDEPLOYED, RecordSet, decide, record_sets

A = RecordSet("urn:a", "shop.origin.example.com", "A", ("203.0.113.11", "203.0.113.12"))
AAAA = RecordSet("urn:aaaa", "shop.origin.example.com", "AAAA", ("2001:db8::1",))
B = RecordSet("urn:b", "api.origin.example.com", "A", ("203.0.113.12", "203.0.113.11"))


@pytest.mark.parametrize(("desired", "sets", "action", "targets"), [
    (["203.0.113.11", "203.0.113.12"], [A, B], NONE, []),
    (["203.0.113.11"], [A, B], TARGETED, ["urn:a", "urn:b"]),
    (["203.0.113.11", "203.0.113.12", "2001:db8::1"], [A, AAAA], NONE, []),
    (["203.0.113.11", "203.0.113.12", "2001:db8::2"], [A, AAAA], TARGETED, ["urn:aaaa"]),
    (["203.0.113.11", "2001:db8::1"], [A], FULL, []),
    (["2001:db8::1"], [A, AAAA], FULL, []),
    (["203.0.113.11"], [], FULL, []),
    ([], [A], KEEP, []),
], ids=["same", "one-gone", "dual-stack-same", "only-the-v6-set", "new-family", "family-gone", "no-set-yet",
        "no-usable-node"])
def test_decide(desired: list[str], sets: list[RecordSet], action: str, targets: list[str]) -> None:
    decision = decide(desired, sets)
    assert (decision.action, [s.urn for s in decision.targets]) == (action, targets)


def test_a_stack_never_deployed_is_left_to_its_first_deploy() -> None:
    decision = decide(["203.0.113.11"], [], deployed=False)
    assert (decision.action, decision.reason) == (
        UNDEPLOYED, "the stack has no resources: its first deploy is `pulumi up` (make up), not the reconciler's")


def test_no_usable_node_keeps_the_records_and_says_why() -> None:
    assert decide([], [A]).reason == "no Ready, uncordoned node has an address: the records stay as they are"


def test_record_sets_from_an_export_skip_other_types_and_deleted_ones() -> None:
    resources = [
        {"urn": "urn:a", "type": RECORD_SET_TYPE, "outputs": {"fqdn": "a.z", "type": "A", "addresses": ["1.2.3.4"]}},
        {"urn": "urn:old", "type": RECORD_SET_TYPE, "delete": True, "outputs": {"fqdn": "a.z", "type": "A"}},
        {"urn": "urn:rule", "type": "pulumi-python:dynamic/edgio:DeliveryRule", "outputs": {}},
    ]
    assert record_sets(resources) == [RecordSet("urn:a", "a.z", "A", ("1.2.3.4",))]
