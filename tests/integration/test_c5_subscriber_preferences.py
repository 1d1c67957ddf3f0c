# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_subscriber_preferences against the C5 emulator: the seed's block settings, JSON
Patch writes only (never a PUT, which would delete cc/ac/allowed_clis), idempotence with
zero writes, remove_others/keep, state=absent, validation against the definitions before
any write, value coercion, check mode and bulk items.

Every test builds its subscribers in the same playbook (domain, contact, customer,
subscribers with a primary number, so the C5 sets cc, ac and allowed_clis itself)."""


from conftest import api_get, writes

DOMAIN = "sip.prefs.example.com"
CUSTOMER = "cust-prefs"
SETUP_PATHS = ("/api/domains/", "/api/customercontacts/", "/api/customers/", "/api/subscribers/")
# The seed's preferences (spec §4.10), without its prepaid_library.
SEED = {"block_in_clir": True, "block_in_list": ["4366412345", "431*"]}
# What the C5 sets on a subscriber with the number +43 9876 10001.
PLATFORM = {"cc": "43", "ac": "9876", "allowed_clis": ["43987610001"], "call_log_level": "notice",
            "emergency_location_format": "cirpack"}


def setup_tasks(*users):
    """Domain, contact, customer and one subscriber per name (ids 1, 2, ... in order,
    numbers +43 9876 10001, 10002, ...)."""
    return [
        {"name": "setup domain", "voip.provisioning.c5_domain": {"domain": DOMAIN, "reseller": 1}},
        {"name": "setup contact", "voip.provisioning.c5_customer_contact": {"email": "prefs@example.com", "reseller": 1}},
        {"name": "setup customer", "voip.provisioning.c5_customer": {
            "external_id": CUSTOMER, "contact": "prefs@example.com", "reseller": 1, "billing_profile": "default"}},
        {"name": "setup subscribers", "voip.provisioning.c5_subscriber": {
            "domain": DOMAIN, "customer": CUSTOMER, "workers": 1,
            "items": [{"username": user, "password": "Sip-%s-Pass-1" % user, "primary_number": "+43 9876 %d" % (10001 + index)}
                      for index, user in enumerate(users)]}},
    ]


def prefs(name, user="alice", **args):
    if user is not None:
        args.setdefault("sip_username", user)
        args.setdefault("domain", DOMAIN)
    return {"name": name, "voip.provisioning.c5_subscriber_preferences": args}


def failing(name, **args):
    return dict(prefs(name, **args), ignore_errors=True)


def pref_writes(emulator):
    """The writes that are not the setup's, with their Content-Type."""
    return [(w["method"], w["path"], w["request_headers"].get("Content-Type"), w["body"])
            for w in writes(emulator) if not w["path"].startswith(SETUP_PATHS)]


def stored(emulator, subscriber_id=1):
    """The subscriber's preferences read back, without id and subscriber_id."""
    body = api_get(emulator, "/api/subscriberpreferences/%d" % subscriber_id)
    assert body.pop("id") == body.pop("subscriber_id") == subscriber_id
    return body


def by_path(operations):
    return sorted(operations, key=lambda op: op["path"])


def test_seed_block_settings_as_json_patch_then_rerun_sends_no_write(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [prefs("set", preferences=SEED), prefs("again", preferences=SEED)])
    assert run.returncode == 0, run.stdout
    first, again = run.task("set"), run.task("again")
    assert first["changed"] is True and again["changed"] is False
    # One JSON Patch with an add per preference; never a PUT.
    assert pref_writes(c5_emulator) == [("PATCH", "/api/subscriberpreferences/1", "application/json-patch+json", [
        {"op": "add", "path": "/block_in_clir", "value": True},
        {"op": "add", "path": "/block_in_list", "value": ["4366412345", "431*"]}])]
    assert not [r for r in c5_emulator.requests() if r["method"] == "PUT"]
    # What the platform set survives next to the new values, list order kept.
    assert stored(c5_emulator) == dict(PLATFORM, **SEED)
    assert first["preferences"]["subscriber_id"] == 1
    assert first["diff"] == {"before": PLATFORM, "after": dict(PLATFORM, **SEED)}
    assert again["preferences"]["block_in_list"] == ["4366412345", "431*"]


def test_remove_others_removes_unlisted_but_keeps_platform_set_ones(runner, c5_emulator):
    run = runner.run(setup_tasks("alice", "bob") + [
        prefs("set", preferences=dict(SEED, display_name="Alice", concurrent_max=2)),
        prefs("only display_name", remove_others=True, preferences={"display_name": "Alice Example"}),
        prefs("again", remove_others=True, preferences={"display_name": "Alice Example"}),
        # keep narrowed: the platform's call_log_level and emergency_location_format go too.
        prefs("bob keeps numbers only", user="bob", remove_others=True, keep=["cc", "ac", "allowed_clis"], preferences={}),
    ])
    assert run.returncode == 0, run.stdout
    assert [run.task(n)["changed"] for n in ("only display_name", "again", "bob keeps numbers only")] == [True, False, True]
    patches = pref_writes(c5_emulator)
    assert [(m, p, c) for m, p, c, _b in patches] == \
        [("PATCH", "/api/subscriberpreferences/1", "application/json-patch+json")] * 2 + \
        [("PATCH", "/api/subscriberpreferences/2", "application/json-patch+json")]
    assert by_path(patches[1][3]) == [
        {"op": "remove", "path": "/block_in_clir"}, {"op": "remove", "path": "/block_in_list"},
        {"op": "remove", "path": "/concurrent_max"}, {"op": "add", "path": "/display_name", "value": "Alice Example"}]
    assert by_path(patches[2][3]) == [{"op": "remove", "path": "/call_log_level"}, {"op": "remove", "path": "/emergency_location_format"}]
    assert stored(c5_emulator, 1) == dict(PLATFORM, display_name="Alice Example")
    assert stored(c5_emulator, 2) == {"cc": "43", "ac": "9876", "allowed_clis": ["43987610002"]}
    assert "concurrent_max" not in run.task("only display_name")["diff"]["after"]


def test_state_absent_removes_the_listed_names_only(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [
        prefs("set", preferences=dict(SEED, concurrent_max=2)),
        prefs("remove", state="absent", preferences={"block_in_list": None, "concurrent_max": "values are ignored"}),
        prefs("remove again", state="absent", preferences={"block_in_list": None, "concurrent_max": None}),
        prefs("null removes", preferences={"block_in_clir": None}),
        prefs("no such subscriber", user="nobody", state="absent", preferences={"block_in_clir": None}),
    ])
    assert run.returncode == 0, run.stdout
    assert [run.task(n)["changed"] for n in ("remove", "remove again", "null removes", "no such subscriber")] == [True, False, True, False]
    patches = [b for _m, _p, _c, b in pref_writes(c5_emulator)]
    assert len(patches) == 3
    assert by_path(patches[1]) == [{"op": "remove", "path": "/block_in_list"}, {"op": "remove", "path": "/concurrent_max"}]
    assert patches[2] == [{"op": "remove", "path": "/block_in_clir"}]
    assert stored(c5_emulator) == PLATFORM


def test_bad_input_fails_before_any_write_with_a_clear_message(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [
        failing("prepaid_library", preferences={"prepaid_library": "libswrate"}),
        failing("typo", preferences={"block_in_clr": True}),
        failing("wrong int", preferences={"concurrent_max": "five"}),
        failing("wrong enum", preferences={"language": "xx"}),
        failing("list for single", preferences={"display_name": ["a", "b"]}),
        failing("all at once", preferences={"block_in_list": ["4366412345"], "concurrent_max": "five", "clri": True}),
        failing("unknown subscriber", user="nobody", preferences=SEED),
    ])
    names = ("prepaid_library", "typo", "wrong int", "wrong enum", "list for single", "all at once", "unknown subscriber")
    assert [run.status(n) for n in names] == ["failed"] * len(names)
    msg = dict((n, run.task(n)["msg"]) for n in names)
    assert "'prepaid_library' cannot be set here: it is a billing-level (domain/customer) setting, not a subscriber preference" in msg["prepaid_library"]
    assert "unknown preference 'block_in_clr' (not in /api/subscriberpreferencedefs/ of this C5); did you mean 'block_in_clir'" in msg["typo"]
    assert "preference 'concurrent_max' must be int (int preference), not 'five'" in msg["wrong int"]
    assert "preference 'language' must be one of 'de', 'en'" in msg["wrong enum"] and "(enum preference), not 'xx'" in msg["wrong enum"]
    assert "preference 'display_name' takes a single string value, not a list" in msg["list for single"]
    # Every problem of a task at once, the valid names not written either.
    assert "concurrent_max" in msg["all at once"] and "unknown preference 'clri'" in msg["all at once"] and "'clir'" in msg["all at once"]
    assert "subscriber 'nobody@%s' does not exist" % DOMAIN in msg["unknown subscriber"]
    assert pref_writes(c5_emulator) == []
    # Nothing got as far as reading a subscriber's preferences.
    assert not [r for r in c5_emulator.requests() if r["path"].startswith("/api/subscriberpreferences/")]
    assert stored(c5_emulator) == PLATFORM


def test_values_are_coerced_as_the_c5_stores_them_so_reruns_are_idempotent(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [
        prefs("set", preferences={"block_in_clir": 1, "music_on_hold": "yes", "concurrent_max": "5",
                                  "block_in_list": "4366412345", "display_name": 1234, "language": "German"}),
        prefs("again", preferences={"block_in_clir": True, "music_on_hold": True, "concurrent_max": 5,
                                    "block_in_list": ["4366412345"], "display_name": "1234", "language": "de"}),
        prefs("again as first", preferences={"block_in_clir": "true", "music_on_hold": 1, "concurrent_max": "5",
                                             "block_in_list": "4366412345", "display_name": 1234, "language": "de"}),
    ])
    assert run.returncode == 0, run.stdout
    assert [run.task(n)["changed"] for n in ("set", "again", "again as first")] == [True, False, False]
    patches = pref_writes(c5_emulator)
    assert len(patches) == 1
    assert by_path(patches[0][3]) == [
        {"op": "add", "path": "/block_in_clir", "value": True},
        {"op": "add", "path": "/block_in_list", "value": ["4366412345"]},
        {"op": "add", "path": "/concurrent_max", "value": 5},
        {"op": "add", "path": "/display_name", "value": "1234"},
        {"op": "add", "path": "/language", "value": "de"},
        {"op": "add", "path": "/music_on_hold", "value": True}]
    assert stored(c5_emulator) == dict(PLATFORM, block_in_clir=True, music_on_hold=True, concurrent_max=5,
                                       block_in_list=["4366412345"], display_name="1234", language="de")


def test_check_mode_sends_no_write_but_shows_the_diff(runner, c5_emulator):
    run = runner.run(setup_tasks("alice") + [
        prefs("set", preferences={"concurrent_max": 2}),
        dict(prefs("check", preferences=dict(SEED, concurrent_max=None)), check_mode=True),
        dict(prefs("check unknown subscriber", user="nobody", preferences=SEED), check_mode=True),
    ])
    assert run.returncode == 0, run.stdout
    check = run.task("check")
    assert check["changed"] is True
    assert check["diff"]["before"] == dict(PLATFORM, concurrent_max=2)
    # In check mode a removal shows as null.
    assert check["diff"]["after"] == dict(PLATFORM, concurrent_max=None, **SEED)
    assert run.task("check unknown subscriber")["changed"] is True
    assert [b for _m, _p, _c, b in pref_writes(c5_emulator)] == [[{"op": "add", "path": "/concurrent_max", "value": 2}]]
    assert stored(c5_emulator) == dict(PLATFORM, concurrent_max=2)


def test_bulk_items_read_definitions_once_and_rerun_sends_no_write(runner, c5_emulator):
    items = [
        {"username": "alice", "preferences": SEED},
        {"username": "bob", "preferences": {"language": "de", "clir": True}},
        {"subscriber_id": 3, "preferences": {"concurrent_max": 2}},
    ]
    run = runner.run(setup_tasks("alice", "bob", "carol") + [
        prefs("bulk", user=None, domain=DOMAIN, items=items),
        prefs("bulk again", user=None, domain=DOMAIN, items=items),
    ])
    assert run.returncode == 0, run.stdout
    bulk, again = run.task("bulk"), run.task("bulk again")
    assert bulk["summary"] == {"total": 3, "changed": 3, "failed": 0}
    assert again["summary"] == {"total": 3, "changed": 0, "failed": 0} and again["changed"] is False
    patches = sorted(pref_writes(c5_emulator), key=lambda w: w[1])
    assert [(m, p, c) for m, p, c, _b in patches] == [
        ("PATCH", "/api/subscriberpreferences/%d" % i, "application/json-patch+json") for i in (1, 2, 3)]
    assert by_path(patches[1][3]) == [{"op": "add", "path": "/clir", "value": True}, {"op": "add", "path": "/language", "value": "de"}]
    assert stored(c5_emulator, 1) == dict(PLATFORM, **SEED)
    assert stored(c5_emulator, 2)["language"] == "de"
    assert stored(c5_emulator, 3)["concurrent_max"] == 2
    # The definitions are read once per task, for all entries.
    assert len([r for r in c5_emulator.requests() if r["path"].startswith("/api/subscriberpreferencedefs/")]) == 2
