# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_subscriber items that carry their call forwards and preferences (what the
c5_tenant role sends): each subscriber, then right after it its settings, by the
same worker; the same state and the same writes as c5_callforward and
c5_subscriber_preferences; a re-run reads by listing and writes nothing; bad
settings fail before the subscriber is written; check mode writes nothing."""

from conftest import api_get, may_fail, writes

from test_c5_subscriber import DOMAIN, make_tenant, task

import pytest


@pytest.fixture
def tenant(c5_emulator):
    return make_tenant(c5_emulator)


def entries(count, first=0):
    return [{"username": "3%04d" % n, "password": "Sip-Secret-3%04d" % n, "primary_number": "+43 9876 3%04d" % n,
             "call_forwards": {"cfna": {"destinations": [{"destination": "+4366610%03d" % n, "timeout": 20},
                                                         {"destination": "voicebox"}]}},
             "preferences": {"block_in_clir": True, "concurrent_max": 2}}
            for n in range(first, first + count)]


def by_path(emulator):
    return [(w["method"], w["path"]) for w in writes(emulator)]


def test_each_subscriber_then_its_settings_and_a_rerun_writes_nothing(runner, c5_emulator, tenant):
    items = entries(6)
    bulk = task("bulk", customer="cust-1", items=items, workers=2)
    first = runner.run([bulk])
    assert first.returncode == 0, first.stdout[-3000:]
    result = first.task("bulk")
    assert result["summary"] == {"total": 6, "changed": 6, "failed": 0}
    log = by_path(c5_emulator)
    sent = c5_emulator.requests()
    # No look-up of a subscriber by name: the settings use the id of the subscriber's step;
    # and no GET of a just-created subscriber's settings (it has none yet).
    assert not [r["path"] for r in sent if "username=" in r["path"]]
    assert not [r["path"] for r in sent if r["method"] == "GET" and r["path"].split("?")[0].rstrip("/")[-1].isdigit()]
    posts = [index for index, (method, path) in enumerate(log) if (method, path) == ("POST", "/api/subscribers/")]
    assert len(posts) == 6 and len(log) == 18, log
    for outcome in result["results"]:
        subscriber_id = outcome["subscriber"]["id"]
        # Its own settings, written after the subscriber, addressed by the id the create gave.
        put = log.index(("PUT", "/api/callforwards/%d" % subscriber_id))
        patch = log.index(("PATCH", "/api/subscriberpreferences/%d" % subscriber_id))
        # Its own POST (the workers' creates need not follow the order of the entries).
        post = [index for index, entry in enumerate(writes(c5_emulator)) if entry["path"] == "/api/subscribers/"
                and entry["body"]["username"] == outcome["subscriber"]["username"]]
        assert len(post) == 1 and min(put, patch) > post[0]
        assert outcome["call_forwards"]["changed"] is True and outcome["preferences"]["changed"] is True
        stored_cf = api_get(c5_emulator, "/api/callforwards/%d" % subscriber_id)
        assert [d["destination"] for d in stored_cf["cfna"]["destinations"]] == [
            "sip:+4366610%s@%s" % (outcome["subscriber"]["username"][-3:], DOMAIN), "voicebox"]
        prefs = api_get(c5_emulator, "/api/subscriberpreferences/%d" % subscriber_id)
        assert (prefs["block_in_clir"], prefs["concurrent_max"]) == (True, 2)
    # The settings of the first subscribers are written while later ones are still being
    # created (creates of one customer go one at a time): not after all of them.
    assert log.index(("PUT", "/api/callforwards/%d" % result["results"][0]["subscriber"]["id"])) < posts[-1]

    c5_emulator.clear_requests()
    again = runner.run([bulk])
    result = again.task("bulk")
    assert result["summary"] == {"total": 6, "changed": 0, "failed": 0}
    assert all(r["changed"] is False and r["call_forwards"]["changed"] is False and r["preferences"]["changed"] is False
               for r in result["results"])
    assert writes(c5_emulator) == []
    reads = [r["path"].split("?")[0] for r in c5_emulator.requests() if r["method"] == "GET"]
    # Listed (the customer's subscribers, the call forwards, the preferences), not one GET
    # per subscriber and document.
    assert not [path for path in reads if path.rstrip("/")[-1].isdigit() and "/customers/" not in path], reads


def test_one_change_in_a_setting_is_one_write_and_its_diff_is_the_subscribers(runner, c5_emulator, tenant):
    items = entries(4)
    assert runner.run([task("bulk", customer="cust-1", items=items)]).returncode == 0
    c5_emulator.clear_requests()
    items[2]["preferences"]["concurrent_max"] = 3
    run = runner.run([task("bulk", customer="cust-1", items=items, item_results="compact")])
    result = run.task("bulk")
    subscriber_id = result["results"][2]["subscriber"]["id"]
    assert by_path(c5_emulator) == [("PATCH", "/api/subscriberpreferences/%d" % subscriber_id)]
    assert [r["changed"] for r in result["results"]] == [False, False, True, False]
    # compact: the unchanged ones keep only changed and item.
    assert result["results"][0] == {"changed": False, "item": "username=30000, domain=%s" % DOMAIN}
    diff = result["results"][2]["diff"]
    assert (diff["before"]["preferences"]["concurrent_max"], diff["after"]["preferences"]["concurrent_max"]) == (2, 3)
    assert "call_forwards" not in diff["before"]
    assert [d["before_header"] for d in result["diff"]] == ["username=30002, domain=%s" % DOMAIN]


def test_bad_settings_fail_before_the_subscriber_is_written(runner, c5_emulator, tenant):
    items = entries(3)
    items[1]["call_forwards"]["cfna"]["times"] = [{"wday": "9"}]
    stopped = runner.run([may_fail(task("bulk", customer="cust-1", items=items))])
    result = stopped.task("bulk")
    assert stopped.status("bulk") == "failed" and c5_emulator.requests() == [], result
    assert "call_forwards" not in result["results"][0] and result["results"][0]["changed"] is None
    assert result["results"][1]["msg"].startswith("call_forwards.cfna.times[1].wday: '9' is not a value or range within 1-7")
    assert "wday" in result["msg"] and "nothing was applied" in result["msg"]

    items = entries(3)
    items[1]["call_forwards"]["cfx"] = {"destinations": []}
    stopped = runner.run([may_fail(task("bulk", customer="cust-1", items=items))])
    assert stopped.task("bulk")["results"][1]["msg"] == (
        "call_forwards of username=30001, domain=%s: unknown key cfx; the keys are clear_others and the call forward "
        "types cfu, cfb, cft, cfna, cfs, cfr, cfo" % DOMAIN)
    assert c5_emulator.requests() == []

    # A preference the platform does not know: that subscriber is not created, the others are.
    items = entries(3)
    items[1]["preferences"]["no_such_preference"] = 1
    run = runner.run([may_fail(task("bulk", customer="cust-1", items=items))])
    result = run.task("bulk")
    assert result["summary"] == {"total": 3, "changed": 2, "failed": 1}
    assert "no_such_preference" in result["results"][1]["msg"]
    created = [w["body"]["username"] for w in writes(c5_emulator) if w["path"] == "/api/subscribers/"]
    assert sorted(created) == ["30000", "30002"]


def test_check_mode_predicts_the_settings_of_new_subscribers_and_writes_nothing(runner, c5_emulator, tenant):
    run = runner.run([task("bulk", customer="cust-1", items=entries(3))], check=True)
    result = run.task("bulk")
    assert run.returncode == 0, run.stdout[-3000:]
    assert writes(c5_emulator) == []
    assert all(r["changed"] is True and r["call_forwards"] == {"changed": True} and r["preferences"] == {"changed": True}
               for r in result["results"])
    assert not result.get("warnings")


def test_a_single_subscriber_task_takes_its_settings_too(runner, c5_emulator, tenant):
    args = dict(sip_username="40001", customer="cust-1", sip_password="Sip-Secret-40001", primary_number="+43 9876 40001",
                call_forwards={"cfu": {"destinations": [{"destination": "voicebox"}]}, "clear_others": True},
                preferences={"concurrent_max": 1})
    first = runner.run([task("one", **args)])
    result = first.task("one")
    assert first.returncode == 0, first.stdout[-3000:]
    assert result["changed"] is True and result["call_forwards"]["callforwards"]["cfu"]["destinations"][0]["destination"] == "voicebox"
    assert result["diff"]["after"]["preferences"]["concurrent_max"] == 1
    c5_emulator.clear_requests()
    assert runner.run([task("one", **args)]).task("one")["changed"] is False
    assert writes(c5_emulator) == []


def test_remove_others_on_a_new_subscriber_converges_in_one_run(runner, c5_emulator, tenant):
    # The platform derives preferences from a new subscriber's numbers; with
    # preferences_remove_others they are read (not assumed absent), so one run converges.
    bulk = task("bulk", customer="cust-1", items=entries(2), preferences_remove_others=True)
    assert runner.run([bulk]).returncode == 0
    reads = [r["path"] for r in c5_emulator.requests() if r["method"] == "GET"]
    assert [p for p in reads if p.startswith("/api/subscriberpreferences/") and p.rstrip("/")[-1].isdigit()]
    assert not [p for p in reads if p.startswith("/api/callforwards/") and p.rstrip("/")[-1].isdigit()]
    c5_emulator.clear_requests()
    again = runner.run([bulk])
    assert again.task("bulk")["summary"]["changed"] == 0
    assert writes(c5_emulator) == []
