# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Numbers moving between the subscribers of one bulk task (issue 10 section 4): the
engine has every subscriber that gives a number up release it before any takes it,
whatever the worker count and the order of the items; the emulator refuses a number
another subscriber still holds, as the real C5 does."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.c5.subscribers import Subscriber
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import MASK
from ansible_collections.voip.provisioning.tests.unit.plugins.modules.c5_emulated import EmulatedC5, run_module


def tenant():
    c5 = EmulatedC5()
    c5.add("domains", id=3, domain="sip.example.com", reseller_id=1)
    c5.add("customercontacts", id=4, email="c@example.com", reseller_id=1, status="active")
    c5.add("customers", id=5, external_id="cust-1", contact_id=4, billing_profile_id=1, status="active", type="sipaccount")
    for sid, name, primary, alias in ((11, "alice", "10001", "20001"), (12, "bob", "10002", "20002")):
        c5.add("subscribers", id=sid, customer_id=5, username=name, domain="sip.example.com", webusername=name,
               status="active", password="sip-%s" % name, domain_id=3, uuid="u-%s" % name,
               primary_number={"cc": 43, "ac": "1", "sn": primary},
               alias_numbers=[{"cc": 43, "ac": "1", "sn": alias, "is_devid": False}])
    return c5


def aliases(c5, sid):
    """A subscriber's alias numbers as digit strings (the C5 may split a new one differently)."""
    return sorted("%s%s%s" % (a["cc"], a["ac"] or "", a["sn"]) for a in c5.get("subscribers", sid)["alias_numbers"])


def run(c5, items, workers, check_mode=False):
    return run_module(Subscriber, c5, {"domain": "sip.example.com", "items": items, "workers": workers},
                      check_mode=check_mode, rename_items=Subscriber.fields.entry_as_task)


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_a_number_moves_even_when_the_taker_comes_first(workers):
    c5 = tenant()
    items = [{"username": "bob", "alias_numbers": ["+43120002", "+43120001"]},  # takes alice's alias
             {"username": "alice", "alias_numbers": []}]
    result = run(c5, items, workers)
    assert not result.get("failed"), result
    assert (aliases(c5, 11), aliases(c5, 12)) == ([], ["43120001", "43120002"])
    puts = [w for w in c5.writes if w[0] == "PUT"]
    # alice's release is written before bob takes the number; then alice has nothing left to change
    assert [w[1] for w in puts] == ["/api/subscribers/11", "/api/subscribers/12"]
    by_item = dict((r["item"], r) for r in result["results"])
    alice = by_item["username=alice, domain=sip.example.com"]
    assert alice["changed"] is True
    assert [a["sn"] for a in alice["diff"]["before"]["alias_numbers"]] == ["20001"] and alice["diff"]["after"]["alias_numbers"] == []
    assert alice["diff"]["before"]["password"] == MASK
    again = run(c5, items, workers)
    assert again["changed"] is False and len([w for w in c5.writes if w[0] == "PUT"]) == 2


def test_two_subscribers_swap_numbers():
    c5 = tenant()
    items = [{"username": "alice", "alias_numbers": ["+43120002"]}, {"username": "bob", "alias_numbers": ["+43120001"]}]
    result = run(c5, items, 2)
    assert not result.get("failed"), result
    assert (aliases(c5, 11), aliases(c5, 12)) == (["43120002"], ["43120001"])
    assert result["summary"] == {"total": 2, "changed": 2, "failed": 0}


def test_without_a_move_nothing_is_released_and_check_mode_writes_nothing():
    c5 = tenant()
    items = [{"username": "alice", "alias_numbers": ["+43120001", "+43130001"]}, {"username": "bob", "email": "b@x.org"}]
    check = run(c5, items, 2, check_mode=True)
    assert check["changed"] is True and c5.writes == []
    result = run(c5, items, 2)
    assert sorted(w[1] for w in c5.writes) == ["/api/subscribers/11", "/api/subscribers/12"]
    assert result["summary"]["changed"] == 2


def test_a_terminated_subscriber_gives_its_numbers_to_another():
    c5 = tenant()
    items = [{"username": "bob", "alias_numbers": ["+43110001"]}, {"username": "alice", "state": "absent"}]
    result = run(c5, items, 1)
    assert not result.get("failed"), result
    assert aliases(c5, 12) == ["43110001"]
    writes = [(w[0], w[1]) for w in c5.writes]
    assert writes[0] == ("DELETE", "/api/subscribers/11")
