# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 10 section 4: an alias number moving from one subscriber to another in one bulk
task. The emulator, like the real C5, refuses a number another subscriber's unfinished
request still holds; the engine releases every moved number before any subscriber takes
it, so the move succeeds in one run on any number of workers and a re-run writes nothing."""

import pytest

from conftest import api, writes

from test_c5_subscriber import DOMAIN, create, make_tenant


def numbers_of(emulator, subscriber_id):
    body = api(emulator, "GET", "/api/subscribers/%s" % subscriber_id)[1]
    return sorted("%s%s%s" % (a["cc"], a["ac"], a["sn"]) for a in body["alias_numbers"])


@pytest.mark.parametrize("workers", [1, 4])
def test_an_alias_moves_between_two_subscribers_in_one_run(runner, c5_emulator, workers):
    tenant = make_tenant(c5_emulator)
    ids = {}
    for name, sn in (("giver", "20001"), ("taker", "20002")):
        ids[name] = create(c5_emulator, "subscribers", customer_id=tenant["cust-1"], domain=DOMAIN, username=name,
                           password="Sip-Pass-%s-1" % name, primary_number={"cc": 43, "ac": "1", "sn": "1" + sn},
                           alias_numbers=[{"cc": 43, "ac": "1", "sn": sn, "is_devid": False}])
    c5_emulator.clear_requests()
    task = {"name": "move", "voip.provisioning.c5_subscriber": {"domain": DOMAIN, "workers": workers, "items": [
        # the taker first: without planning its PUT would reach the server while the giver holds the number
        {"username": "taker", "alias_numbers": ["+43 1 20002", "+43 1 20001"]},
        {"username": "giver", "alias_numbers": []},
    ]}}
    run = runner.run([task, dict(task, name="again")])
    assert run.returncode == 0, run.stdout
    assert run.task("move")["summary"] == {"total": 2, "changed": 2, "failed": 0}
    assert (numbers_of(c5_emulator, ids["giver"]), numbers_of(c5_emulator, ids["taker"])) == ([], ["43120001", "43120002"])
    puts = [w["path"] for w in writes(c5_emulator) if w["method"] == "PUT"]
    assert puts == ["/api/subscribers/%d" % ids["giver"], "/api/subscribers/%d" % ids["taker"]]
    assert run.task("again")["changed"] is False
