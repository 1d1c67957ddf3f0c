# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fast path (one task with ``items``: bulk prefetch by listing, no GET after a
bulk create) must leave the platform exactly as the one-object path does, and report
per item what the one-object tasks report."""

from conftest import api, writes

DOMAIN = "bulk.example.com"
USERS = ("b1", "b2", "b3")


def setup():
    return [
        {"name": "domain", "voip.provisioning.c5_domain": {"domain": DOMAIN, "reseller": 1}},
        {"name": "contact", "voip.provisioning.c5_customer_contact": {"email": "bulk@example.com", "reseller": 1}},
        {"name": "customer", "voip.provisioning.c5_customer": {"external_id": "bulk-1", "contact": "bulk@example.com",
                                                               "reseller": 1, "billing_profile": "default"}},
    ]


def subscriber(index, user):
    return {"username": user, "password": "Sip-Pass-%s-1" % user, "external_id": "ext-%s" % user,
            "primary_number": "+43 1 %d" % (70000 + index), "alias_numbers": ["+43 2 %d" % (70000 + index)]}


def call_forwards(user):
    return {"username": user, "cfna": {"destinations": [{"destination": "4366610001", "timeout": 10},
                                                        {"destination": "voicebox", "timeout": 300}]}}


def preferences(user):
    return {"username": user, "preferences": {"block_in_clir": True, "block_in_list": ["431*"], "concurrent_max": 2}}


def bulk_tasks():
    subs = [subscriber(i, u) for i, u in enumerate(USERS)]
    return setup() + [
        {"name": "subscribers", "voip.provisioning.c5_subscriber": {"customer": "bulk-1", "domain": DOMAIN, "items": subs}},
        {"name": "forwards", "voip.provisioning.c5_callforward": {"domain": DOMAIN, "items": [call_forwards(u) for u in USERS]}},
        {"name": "prefs", "voip.provisioning.c5_subscriber_preferences": {"domain": DOMAIN, "items": [preferences(u) for u in USERS]}},
    ]


def single_tasks():
    tasks = setup()
    for index, user in enumerate(USERS):
        sub = subscriber(index, user)
        sub["sip_username"] = sub.pop("username")
        sub["sip_password"] = sub.pop("password")
        forward = call_forwards(user)
        forward["sip_username"] = forward.pop("username")
        pref = preferences(user)
        pref["sip_username"] = pref.pop("username")
        tasks += [
            {"name": "subscriber %s" % user, "voip.provisioning.c5_subscriber": dict(sub, customer="bulk-1", domain=DOMAIN)},
            {"name": "forwards %s" % user, "voip.provisioning.c5_callforward": dict(forward, domain=DOMAIN)},
            {"name": "prefs %s" % user, "voip.provisioning.c5_subscriber_preferences": dict(pref, domain=DOMAIN)},
        ]
    return tasks


def platform_state(emulator):
    """Everything the tasks wrote, keyed by username, without server-generated values."""
    status, listing, _new_id = api(emulator, "GET", "/api/subscribers/?domain=%s&rows=100" % DOMAIN)
    assert status == 200
    state = {}
    for sub in listing["_embedded"]["ngcp:subscribers"]:
        kept = {k: v for k, v in sub.items() if k not in ("_links", "id", "uuid", "create_timestamp", "modify_timestamp")}
        for number in [kept.get("primary_number")] + list(kept.get("alias_numbers") or []):
            if number:
                number.pop("number_id", None)
        forwards = api(emulator, "GET", "/api/callforwards/%s" % sub["id"])[1]
        prefs = api(emulator, "GET", "/api/subscriberpreferences/%s" % sub["id"])[1]
        for doc in (forwards, prefs):
            for key in ("_links", "id", "subscriber_id"):
                doc.pop(key, None)
        for cf_type in forwards.values():
            for set_key in ("destination_set", "time_set", "source_set", "bnumber_set"):
                if isinstance(cf_type, dict) and isinstance(cf_type.get(set_key), dict):
                    # Server-generated: set ids, and the internal subscriber id, which follows
                    # the order in which concurrent bulk creates reached the server.
                    cf_type[set_key].pop("id", None)
                    cf_type[set_key].pop("subscriber_id", None)
        state[sub["username"]] = {"subscriber": kept, "callforwards": forwards, "preferences": prefs}
    return state


def comparable(result):
    """A result without what differs between runs by nature (ids, uuids, timestamps)."""
    kept = {k: v for k, v in result.items() if k in ("changed", "diff", "failed", "msg")}
    return kept


def test_bulk_and_one_object_paths_leave_the_same_platform_and_report_the_same(runner, c5_emulator):
    bulk = runner.run(bulk_tasks())
    assert bulk.returncode == 0, bulk.stdout
    bulk_state = platform_state(c5_emulator)
    bulk_results = {r["item"].split("=")[1].split(",")[0]: comparable(r) for r in bulk.task("subscribers")["results"]}
    bulk_forwards = {r["item"]: comparable(r) for r in bulk.task("forwards")["results"]}
    c5_emulator.reset()
    single = runner.run(single_tasks())
    assert single.returncode == 0, single.stdout
    assert platform_state(c5_emulator) == bulk_state
    assert sorted(bulk_state) == list(USERS)
    for user in USERS:
        assert bulk_results[user] == comparable(single.task("subscriber %s" % user)), user
    assert [r["changed"] for r in bulk_forwards.values()] == [True, True, True]
    assert [single.task("forwards %s" % u)["changed"] for u in USERS] == [True, True, True]


def test_bulk_rerun_sends_no_write_and_one_change_sends_one(runner, c5_emulator):
    assert runner.run(bulk_tasks()).returncode == 0
    c5_emulator.clear_requests()
    tasks = bulk_tasks()
    tasks[-1]["voip.provisioning.c5_subscriber_preferences"]["items"][1]["preferences"]["concurrent_max"] = 3
    rerun = runner.run(tasks)
    assert rerun.returncode == 0, rerun.stdout
    # Bulk creates run concurrently, so b2's id depends on which create reached the server first.
    b2_id = api(c5_emulator, "GET", "/api/subscribers/?username=b2&domain=%s" % DOMAIN)[1]["_embedded"]["ngcp:subscribers"][0]["id"]
    assert [(w["method"], w["path"]) for w in writes(c5_emulator)] == [("PATCH", "/api/subscriberpreferences/%s" % b2_id)]
    changed = [r["item"] for r in rerun.task("prefs")["results"] if r["changed"]]
    assert len(changed) == 1 and "b2" in changed[0]
