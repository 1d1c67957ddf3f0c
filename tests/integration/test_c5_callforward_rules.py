# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_callforward and the platform's rules (issue 10 sections 2 and 4): destinations
kept in the order given and compared by the order they are tried; a destination or
a time the C5 would misread fails before any request; announcements by sound handle
name or id, only on customhours."""

from test_c5_callforward import DOMAIN, cf, cf_writes, setup_tasks

from conftest import api_get

TIED = [{"destination": "4366610001", "timeout": 30, "priority": 1}, {"destination": "4366610002", "timeout": 30, "priority": 2},
        {"destination": "4366610003", "timeout": 30, "priority": 1}]


def failing(name, **args):
    return dict(cf(name, **args), ignore_errors=True)


def test_destinations_stay_in_the_order_given_and_ties_reordered_are_a_change(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [
        cf("set", cft={"destinations": TIED}),
        cf("again", cft={"destinations": TIED}),
        # Tried in the same order (the 2 after both 1s): no change.
        cf("2 listed first", cft={"destinations": [TIED[1], TIED[0], TIED[2]]}),
        # The two 1s swapped: tried in another order, written.
        cf("ties swapped", cft={"destinations": [TIED[2], TIED[1], TIED[0]]}),
    ])
    assert run.returncode == 0, run.stdout
    assert [run.task(n)["changed"] for n in ("set", "again", "2 listed first", "ties swapped")] == [True, False, False, True]
    puts = cf_writes(c5_emulator)
    assert len(puts) == 2
    assert [(d["destination"], d["priority"]) for d in puts[0][2]["cft"]["destinations"]] == [
        ("sip:4366610001@%s" % DOMAIN, 1), ("sip:4366610002@%s" % DOMAIN, 2), ("sip:4366610003@%s" % DOMAIN, 1)]
    stored = api_get(c5_emulator, "/api/callforwards/1")["cft"]["destinations"]
    assert [(d["simple_destination"], d["priority"]) for d in stored] == [("4366610003", 1), ("4366610002", 2), ("4366610001", 1)]


def test_misread_destinations_and_times_fail_before_any_request(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [
        failing("not a number", cfu={"destinations": [{"destination": "not a number!"}]}),
        failing("wday 9", cfb={"destinations": [{"destination": "voicebox"}], "times": [{"wday": "9"}]}),
        failing("announcement on voicebox", cfb={"destinations": [{"destination": "voicebox", "announcement_id": 130}]}),
        failing("bulk one bad", user=None, domain=DOMAIN, items=[
            {"username": "alice", "cft": {"destinations": [{"destination": "voicebox"}], "times": [{"hour": "25"}]}},
            {"subscriber_id": 1, "cfu": {"destinations": [{"destination": "voicebox"}]}}]),
    ])
    for name in ("not a number", "wday 9", "announcement on voicebox", "bulk one bad"):
        assert run.status(name) == "failed", name
    assert "cfu.destinations[1].destination: 'not a number!' is neither a number, a SIP URI nor a special destination" \
        in run.task("not a number")["msg"]
    assert "cfb.times[1].wday: '9' is not a value or range within 1-7 (1 = Sunday ... 7 = Saturday" in run.task("wday 9")["msg"]
    assert "cfb.destinations[1]: an announcement is played only by the destination customhours" in run.task("announcement on voicebox")["msg"]
    assert "cft.times[1].hour: '25'" in run.task("bulk one bad")["results"][0]["msg"]
    # The valid entry is not applied either: nothing half-written.
    assert run.task("bulk one bad")["results"][1]["changed"] is None
    assert "not applied: item 0" in run.task("bulk one bad")["results"][1]["msg"]
    # Checked before the subscriber was even looked up: no request at all.
    assert not [r for r in c5_emulator.requests() if r["path"].startswith("/api/callforwards/")]
    assert cf_writes(c5_emulator) == []


def test_announcement_by_sound_handle_name_is_stored_as_its_id(runner, c5_emulator):
    by_name = {"destinations": [{"destination": "customhours", "announcement": "custom_announcement_2", "timeout": 20}]}
    by_id = {"destinations": [{"destination": "customhours", "announcement_id": 130, "timeout": 20}]}
    run = runner.run(setup_tasks("alice") + [
        cf("by name", cfu=by_name),
        cf("by id, the same", cfu=by_id),
        failing("unknown handle", cfu={"destinations": [{"destination": "customhours", "announcement": "welcome"}]}),
        failing("not an announcement", cfu={"destinations": [{"destination": "customhours", "announcement_id": 20}]}),
    ])
    assert run.task("by name")["changed"] is True and run.task("by id, the same")["changed"] is False
    assert run.status("unknown handle") == run.status("not an announcement") == "failed"
    assert "cfu.destinations[1].announcement: no sound handle 'welcome' in the group custom_announcements; use one of " \
        "custom_announcement_0, custom_announcement_1" in run.task("unknown handle")["msg"]
    assert "cfu.destinations[1].announcement_id: 20 is not a sound handle of the group custom_announcements" \
        in run.task("not an announcement")["msg"]
    puts = cf_writes(c5_emulator)
    assert len(puts) == 1
    assert puts[0][2]["cfu"]["destinations"] == [{"destination": "customhours", "timeout": 20, "announcement_id": 130}]
    stored = api_get(c5_emulator, "/api/callforwards/1")["cfu"]["destinations"][0]
    assert (stored["destination"], stored["announcement_id"]) == ("customhours", 130)
    handle_reads = [r for r in c5_emulator.requests() if r["path"].startswith("/api/soundhandles/")]
    assert handle_reads and all("group=custom_announcements" in r["path"] for r in handle_reads)
