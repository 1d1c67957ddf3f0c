# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_callforward against the C5 emulator: the seed's cfna, idempotence with zero
writes, GET-merge-PUT that never loses a type, clear_others, state=absent, special
destinations and SIP URIs, times/sources, check mode, diff, bad input and bulk items.

Every test builds its subscribers in the same playbook (domain, contact, customer,
subscribers), then asserts on the task results, on the exact write requests in the
emulator's log and on the call forwards read back from the API."""


from conftest import api_get, writes

DOMAIN = "sip.cf.example.com"
CUSTOMER = "cust-cf"
CF_TYPES = ("cfu", "cfb", "cft", "cfna", "cfs", "cfr", "cfo")
# The seed's cfna (spec §4.8): two numbers, 10 s on the first, the default 300 s on the second.
SEED_CFNA = {"destinations": [{"destination": "4366610001", "timeout": 10}, {"destination": "4366710001", "timeout": 300}]}
# A type the way the module writes it: every part present, unused ones empty.
UNRESTRICTED = {"times": [], "sources": [], "sources_mode": "whitelist", "sources_is_regex": False,
                "bnumbers": [], "bnumbers_mode": "whitelist", "bnumbers_is_regex": False}
SEED_CFNA_BODY = dict(UNRESTRICTED, destinations=[{"destination": "sip:4366610001@%s" % DOMAIN, "timeout": 10},
                                                  {"destination": "sip:4366710001@%s" % DOMAIN, "timeout": 300}])
SETUP_PATHS = ("/api/domains/", "/api/customercontacts/", "/api/customers/", "/api/subscribers/")


def setup_tasks(*users):
    """Domain, contact, customer and one subscriber per name (ids 1, 2, ... in order)."""
    return [
        {"name": "setup domain", "voip.provisioning.c5_domain": {"domain": DOMAIN, "reseller": 1}},
        {"name": "setup contact", "voip.provisioning.c5_customer_contact": {"email": "cf@example.com", "reseller": 1}},
        {"name": "setup customer", "voip.provisioning.c5_customer": {
            "external_id": CUSTOMER, "contact": "cf@example.com", "reseller": 1, "billing_profile": "default"}},
        {"name": "setup subscribers", "voip.provisioning.c5_subscriber": {
            "domain": DOMAIN, "customer": CUSTOMER, "workers": 1,
            "items": [{"username": user, "password": "Sip-%s-Pass-1" % user, "primary_number": "+43 9876 %d" % (10001 + index)}
                      for index, user in enumerate(users)]}},
    ]


def cf(name, user="alice", **args):
    if user is not None:
        args.setdefault("sip_username", user)
        args.setdefault("domain", DOMAIN)
    return {"name": name, "voip.provisioning.c5_callforward": args}


def cf_writes(emulator):
    """(method, path, body) of the writes that are not the setup's."""
    return [(w["method"], w["path"], w["body"]) for w in writes(emulator) if not w["path"].startswith(SETUP_PATHS)]


def destinations(doc, cf_type):
    return [(d["destination"], d.get("simple_destination"), d["timeout"], d["priority"]) for d in doc[cf_type].get("destinations", [])]


def set_types(doc):
    return sorted(t for t in CF_TYPES if doc[t])


def test_seed_cfna_then_second_run_sends_no_write(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [
        cf("set", cfna=SEED_CFNA),
        cf("again", cfna=SEED_CFNA),
        # The C5 compares user and domain names case-insensitively.
        cf("again upper-case", user="ALICE", domain=DOMAIN.upper(), cfna=SEED_CFNA),
    ])
    assert run.returncode == 0, run.stdout
    first, again = run.task("set"), run.task("again")
    assert first["changed"] is True and again["changed"] is False
    assert run.task("again upper-case")["changed"] is False
    assert first["callforwards"]["subscriber_id"] == 1
    # One PUT of all seven types: the given cfna, every other type empty.
    expected = dict((t, {}) for t in CF_TYPES)
    expected["cfna"] = SEED_CFNA_BODY
    assert cf_writes(c5_emulator) == [("PUT", "/api/callforwards/1", expected)]
    stored = api_get(c5_emulator, "/api/callforwards/1")
    assert set_types(stored) == ["cfna"]
    assert destinations(stored, "cfna") == [("sip:4366610001@%s" % DOMAIN, "4366610001", 10, None),
                                            ("sip:4366710001@%s" % DOMAIN, "4366710001", 300, None)]
    assert again["callforwards"]["cfna"]["destinations"] == stored["cfna"]["destinations"]


def test_setting_cfb_later_keeps_cfna_get_merge_put_and_diff(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [
        cf("cfna", cfna=SEED_CFNA),
        cf("cfb", cfb={"destinations": [{"destination": "voicebox"}]}),
    ])
    assert run.returncode == 0, run.stdout
    puts = cf_writes(c5_emulator)
    assert [(m, p) for m, p, _b in puts] == [("PUT", "/api/callforwards/1")] * 2
    second = puts[1][2]
    # Never lossy: the PUT carries the cfna written before, exactly, next to the new cfb.
    assert second["cfna"] == SEED_CFNA_BODY
    assert second["cfb"] == dict(UNRESTRICTED, destinations=[{"destination": "voicebox", "timeout": 300}])
    assert [second[t] for t in ("cfu", "cft", "cfs", "cfr", "cfo")] == [{}] * 5
    # The PUT came after a fresh GET of the document (read, merge, write).
    paths = [(r["method"], r["path"]) for r in c5_emulator.requests() if r["path"].startswith("/api/callforwards/")]
    assert paths == [("GET", "/api/callforwards/1"), ("PUT", "/api/callforwards/1")] * 2
    stored = api_get(c5_emulator, "/api/callforwards/1")
    assert set_types(stored) == ["cfb", "cfna"]
    assert destinations(stored, "cfb") == [("voicebox", None, 300, None)]
    assert len(stored["cfna"]["destinations"]) == 2
    diff = run.task("cfb")["diff"]
    assert diff["before"]["cfb"] == {} and diff["before"]["cfna"] == diff["after"]["cfna"]
    assert diff["before"]["cfna"]["destinations"] == [
        {"destination": "sip:4366610001@%s" % DOMAIN, "timeout": 10, "priority": None},
        {"destination": "sip:4366710001@%s" % DOMAIN, "timeout": 300, "priority": None}]
    assert diff["after"]["cfb"] == dict(UNRESTRICTED, destinations=[{"destination": "voicebox", "timeout": 300, "priority": None}])
    assert sorted(diff["before"]) == sorted(diff["after"]) == sorted(CF_TYPES)


def test_clear_others_clears_every_type_not_given(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [
        cf("cfna", cfna=SEED_CFNA),
        cf("cfb", cfb={"destinations": [{"destination": "voicebox"}]}),
        cf("only cfu", clear_others=True, cfu={"destinations": [{"destination": "4366610002"}]}),
        cf("again", clear_others=True, cfu={"destinations": [{"destination": "4366610002"}]}),
    ])
    assert run.returncode == 0, run.stdout
    assert run.task("only cfu")["changed"] is True and run.task("again")["changed"] is False
    puts = cf_writes(c5_emulator)
    assert len(puts) == 3
    body = puts[2][2]
    assert body["cfu"] == dict(UNRESTRICTED, destinations=[{"destination": "sip:4366610002@%s" % DOMAIN, "timeout": 300}])
    assert [body[t] for t in CF_TYPES if t != "cfu"] == [{}] * 6
    stored = api_get(c5_emulator, "/api/callforwards/1")
    assert set_types(stored) == ["cfu"]
    diff = run.task("only cfu")["diff"]
    assert diff["after"]["cfna"] == {} and diff["after"]["cfb"] == {} and diff["before"]["cfna"] != {}


def test_state_absent_clears_given_types_then_everything(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [
        cf("cfna", cfna=SEED_CFNA),
        cf("cfb", cfb={"destinations": [{"destination": "voicebox"}]}),
        cf("clear cfb", cfb={}, state="absent"),
        cf("clear cfb again", cfb={}, state="absent"),
        cf("clear all", state="absent"),
        cf("clear all again", state="absent"),
        cf("no such subscriber", user="nobody", state="absent"),
    ])
    assert run.returncode == 0, run.stdout
    assert [run.task(n)["changed"] for n in ("clear cfb", "clear cfb again", "clear all", "clear all again", "no such subscriber")] == \
        [True, False, True, False, False]
    ops = cf_writes(c5_emulator)
    assert [(m, p) for m, p, _b in ops] == [("PUT", "/api/callforwards/1")] * 3 + [("DELETE", "/api/callforwards/1")]
    # Clearing cfb writes cfna back untouched.
    assert ops[2][2]["cfb"] == {} and ops[2][2]["cfna"] == SEED_CFNA_BODY
    assert run.task("clear cfb")["diff"]["after"]["cfb"] == {}
    assert set_types(api_get(c5_emulator, "/api/callforwards/1")) == []


def test_voicebox_and_sip_uris_are_stored_normalised_and_idempotent(runner, c5_emulator):
    # Listed out of priority order: the C5 keeps that order and tries them by priority.
    cft = {"ringtimeout": 20, "destinations": [
        {"destination": "voicebox", "priority": 3},
        {"destination": "sip:bob@other.example.org", "timeout": 30, "priority": 1},
        {"destination": "sips:carol", "timeout": 15, "priority": 2},
    ]}
    cfu = {"destinations": [{"destination": "sip:4366610003@%s" % DOMAIN}, {"destination": "fax2mail"}]}
    run = runner.run(setup_tasks("alice") + [
        cf("set", cft=cft, cfu=cfu),
        cf("again", cft=cft, cfu=cfu),
        # Written the way the server shows them: the same.
        cf("as shown", cfu={"destinations": [{"destination": "4366610003"}, {"destination": "fax2mail"}]},
           cft={"destinations": [{"destination": "sip:bob@other.example.org", "timeout": 30, "priority": 1},
                                 {"destination": "sip:carol@%s" % DOMAIN, "timeout": 15, "priority": 2},
                                 {"destination": "voicebox", "priority": 3}]}),
        # Another type later: cft is written back with its ring timeout.
        cf("cfb later", cfb={"destinations": [{"destination": "conference"}]}),
    ])
    assert run.returncode == 0, run.stdout
    assert [run.task(n)["changed"] for n in ("set", "again", "as shown", "cfb later")] == [True, False, False, True]
    puts = cf_writes(c5_emulator)
    assert len(puts) == 2
    body = puts[0][2]
    # Written in the order given (the C5 keeps it); "as shown" lists them in another
    # order that is tried the same way (by priority): no change.
    assert body["cft"] == dict(UNRESTRICTED, ringtimeout=20, destinations=[
        {"destination": "voicebox", "timeout": 300, "priority": 3},
        {"destination": "sip:bob@other.example.org", "timeout": 30, "priority": 1},
        {"destination": "sip:carol@%s" % DOMAIN, "timeout": 15, "priority": 2}])
    assert puts[1][2]["cft"] == body["cft"] and puts[1][2]["cfu"] == body["cfu"]
    stored = api_get(c5_emulator, "/api/callforwards/1")
    assert destinations(stored, "cft") == [("voicebox", None, 300, 3), ("sip:bob@other.example.org", "bob@other.example.org", 30, 1),
                                           ("sip:carol@%s" % DOMAIN, "carol", 15, 2)]
    assert stored["cft"]["ringtimeout"] == 20
    assert destinations(stored, "cfu") == [("sip:4366610003@%s" % DOMAIN, "4366610003", 300, None), ("fax2mail", None, 300, None)]
    assert destinations(stored, "cfb") == [("conference", None, 300, None)]


def test_times_and_sources_are_idempotent_in_any_order(runner, c5_emulator):
    cfb = {"destinations": [{"destination": "voicebox"}],
           "times": [{"wday": "2-6", "hour": "8-17"}, {"wday": "7", "hour": "9-12"}],
           "sources": ["4312345*", "431*"], "sources_mode": "blacklist",
           "bnumbers": ["4398761000?"]}
    shuffled = dict(cfb, times=list(reversed(cfb["times"])), sources=list(reversed(cfb["sources"])))
    run = runner.run(setup_tasks("alice") + [cf("set", cfb=cfb), cf("again", cfb=shuffled)])
    assert run.returncode == 0, run.stdout
    assert run.task("set")["changed"] is True and run.task("again")["changed"] is False
    puts = cf_writes(c5_emulator)
    assert len(puts) == 1
    body = puts[0][2]["cfb"]
    # Every period with its six keys, unrestricted ones null; patterns as the API wants them.
    assert body["times"] == [
        {"year": None, "month": None, "mday": None, "wday": "2-6", "hour": "8-17", "minute": None},
        {"year": None, "month": None, "mday": None, "wday": "7", "hour": "9-12", "minute": None}]
    assert body["sources"] == [{"source": "431*"}, {"source": "4312345*"}]
    assert (body["sources_mode"], body["sources_is_regex"]) == ("blacklist", False)
    assert body["bnumbers"] == [{"bnumber": "4398761000?"}] and body["bnumbers_mode"] == "whitelist"
    stored = api_get(c5_emulator, "/api/callforwards/1")["cfb"]
    assert sorted((t["wday"], t["hour"]) for t in stored["times"]) == [("2-6", "8-17"), ("7", "9-12")]
    assert sorted(s["source"] for s in stored["sources"]) == ["431*", "4312345*"]
    assert stored["sources_mode"] == "blacklist"
    assert [b["bnumber"] for b in stored["bnumbers"]] == ["4398761000?"]


def test_check_mode_sends_no_write_but_reports_the_change_and_diff(runner, c5_emulator):
    cfb = {"destinations": [{"destination": "voicebox"}]}
    run = runner.run(setup_tasks("alice") + [
        cf("cfna", cfna=SEED_CFNA),
        dict(cf("check cfb", cfb=cfb), check_mode=True),
        dict(cf("check clear", state="absent"), check_mode=True),
        dict(cf("check unknown subscriber", user="nobody", cfb=cfb), check_mode=True),
    ])
    assert run.returncode == 0, run.stdout
    check = run.task("check cfb")
    assert check["changed"] is True
    assert check["diff"]["before"]["cfb"] == {}
    assert check["diff"]["after"]["cfb"]["destinations"] == [{"destination": "voicebox", "timeout": 300, "priority": None}]
    assert check["diff"]["after"]["cfna"] == check["diff"]["before"]["cfna"] != {}
    clear = run.task("check clear")
    assert clear["changed"] is True and set(t for t in CF_TYPES if clear["diff"]["after"][t]) == set()
    unknown = run.task("check unknown subscriber")
    assert unknown["changed"] is True
    assert any("nobody@%s" % DOMAIN in w and "assumed to be created by an earlier task" in w for w in unknown["warnings"])
    # Only the real cfna task wrote.
    assert [(m, p) for m, p, _b in cf_writes(c5_emulator)] == [("PUT", "/api/callforwards/1")]
    assert set_types(api_get(c5_emulator, "/api/callforwards/1")) == ["cfna"]


def test_bad_input_fails_before_any_write_naming_the_field(runner, c5_emulator):
    def failing(name, **args):
        return dict(cf(name, **args), ignore_errors=True)

    run = runner.run(setup_tasks("alice") + [
        failing("timeout abc", cfna={"destinations": [{"destination": "4366610001", "timeout": "abc"}]}),
        failing("timeout negative", cfna={"destinations": [{"destination": "4366610001", "timeout": -5}]}),
        failing("ringtimeout zero", cft={"ringtimeout": 0, "destinations": [{"destination": "voicebox"}]}),
        failing("unknown subscriber", user="nobody", cfna=SEED_CFNA),
        failing("unknown subscriber id", user=None, subscriber_id=999, cfna=SEED_CFNA),
    ])
    for name in ("timeout abc", "timeout negative", "ringtimeout zero", "unknown subscriber", "unknown subscriber id"):
        assert run.status(name) == "failed", name
    # Ansible's own type check of the suboption, before the module runs.
    assert "argument 'timeout' is of type str found in 'cfna -> destinations'" in run.task("timeout abc")["msg"]
    assert "cannot be converted to an int" in run.task("timeout abc")["msg"]
    assert "cfna destination 1 timeout must be a positive number of seconds, not -5" in run.task("timeout negative")["msg"]
    assert "cft.ringtimeout must be a positive number of seconds, not 0" in run.task("ringtimeout zero")["msg"]
    assert "subscriber 'nobody@%s' does not exist" % DOMAIN in run.task("unknown subscriber")["msg"]
    assert "subscriber_id 999: no such subscriber" in run.task("unknown subscriber id")["msg"]
    assert cf_writes(c5_emulator) == []


def test_bulk_items_for_several_subscribers_and_rerun_sends_no_write(runner, c5_emulator):
    items = [
        {"username": "alice", "cfna": SEED_CFNA},
        {"username": "bob", "cfb": {"destinations": [{"destination": "voicebox"}], "sources": ["43*"], "sources_mode": "blacklist"}},
        # By id, a number without domain: the subscriber's domain is looked up.
        {"subscriber_id": 3, "cfu": {"destinations": [{"destination": "4366610009"}]}},
    ]
    run = runner.run(setup_tasks("alice", "bob", "carol") + [
        cf("bulk", user=None, domain=DOMAIN, items=items),
        cf("bulk again", user=None, domain=DOMAIN, items=items),
        # Per-entry state: alice's call forwards all go, bob's cfb only (his last one).
        cf("bulk clear", user=None, domain=DOMAIN, items=[
            {"username": "alice", "state": "absent"}, {"username": "bob", "cfb": {}, "state": "absent"}]),
    ])
    assert run.returncode == 0, run.stdout
    bulk, again = run.task("bulk"), run.task("bulk again")
    assert bulk["summary"] == {"total": 3, "changed": 3, "failed": 0}
    assert again["summary"] == {"total": 3, "changed": 0, "failed": 0} and again["changed"] is False
    assert run.task("bulk clear")["summary"] == {"total": 2, "changed": 2, "failed": 0}
    assert [r["callforwards"]["subscriber_id"] for r in bulk["results"]] == [1, 2, 3]
    ops = cf_writes(c5_emulator)
    # Entries run concurrently: the order within a task is not fixed.
    puts, clears = sorted(ops[:3], key=lambda w: w[1]), sorted(ops[3:], key=lambda w: w[1])
    assert [(m, p) for m, p, _b in puts] == [("PUT", "/api/callforwards/%d" % i) for i in (1, 2, 3)]
    assert puts[0][2]["cfna"] == SEED_CFNA_BODY
    assert puts[1][2]["cfb"]["sources"] == [{"source": "43*"}] and puts[1][2]["cfb"]["sources_mode"] == "blacklist"
    assert puts[2][2]["cfu"]["destinations"] == [{"destination": "sip:4366610009@%s" % DOMAIN, "timeout": 300}]
    assert [(m, p) for m, p, _b in clears] == [("DELETE", "/api/callforwards/1"), ("DELETE", "/api/callforwards/2")]
    assert [set_types(api_get(c5_emulator, "/api/callforwards/%d" % i)) for i in (1, 2, 3)] == [[], [], ["cfu"]]
