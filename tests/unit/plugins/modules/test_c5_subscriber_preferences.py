# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_subscriber_preferences: validation against the definitions, coercion, and the
JSON Patch it sends, against an in-memory C5 (no HTTP)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.c5.preferences import (
    Preferences, patch_operations, validate)
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import MASK, MASK_CHANGED, run_resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options
from ansible_collections.voip.provisioning.tests.unit.plugins.modules.c5_emulated import EmulatedC5

DOMAIN = "prefs.example.com"


def enum(*values):
    return [{"label": "none" if v is None else "label %s" % v, "value": v, "default_val": v is None} for v in values]


# A part of /api/subscriberpreferencedefs/ as a real C5 returns it (fixtures/c5-real/preferencedefs_sample.json).
DEFS = {
    "block_in_clir": {"data_type": "boolean", "max_occur": 1, "read_only": False},
    "block_in_list": {"data_type": "string", "max_occur": 0, "read_only": False},
    "block_out_list": {"data_type": "string", "max_occur": 0, "read_only": False},
    "allowed_clis": {"data_type": "string", "max_occur": 0, "read_only": False},
    "clir": {"data_type": "boolean", "max_occur": 1, "read_only": False},
    "music_on_hold": {"data_type": "boolean", "max_occur": 1, "read_only": False},
    "concurrent_max": {"data_type": "int", "max_occur": 1, "read_only": False},
    "display_name": {"data_type": "string", "max_occur": 1, "read_only": False},
    "cc": {"data_type": "string", "max_occur": 1, "read_only": False},
    "ac": {"data_type": "string", "max_occur": 1, "read_only": False},
    "ncos": {"data_type": "string", "max_occur": 1, "read_only": False},
    "peer_auth_pass": {"data_type": "string", "max_occur": 1, "read_only": False},
    "language": {"data_type": "enum", "max_occur": 1, "read_only": False,
                 "enum_values": enum(None, "de", "en", "es", "fr")},
    "lock": {"data_type": "enum", "max_occur": 1, "read_only": True,
             "enum_values": [{"label": "none", "value": None}, {"label": "foreign", "value": "1"},
                             {"label": "outgoing", "value": "2"}, {"label": "global", "value": "4"}]},
    "call_log_level": {"data_type": "enum", "max_occur": 1, "enum_values": enum("notice", "debug")},
    "emergency_location_format": {"data_type": "enum", "max_occur": 1, "enum_values": enum("cirpack", "pidf")},
}
# A fresh subscriber's preferences, as a real C5 sets them.
FRESH = {"ac": "1", "allowed_clis": ["43150001"], "call_log_level": "notice", "cc": "43",
         "emergency_location_format": "cirpack"}


class PreferencesC5(EmulatedC5):
    """The real C5 emulator with subscribers 9 (prefer_1) and 10 (prefer_2) in DOMAIN."""

    def __init__(self, **login):
        EmulatedC5.__init__(self, **login)
        self.add("domains", domain=DOMAIN, reseller_id=1)
        contact = self.add("customercontacts", email="prefs@example.com", reseller_id=1)
        self.customer = self.add("customers", external_id="prefs", contact_id=contact["id"], status="active")

    def add_subscriber(self, sid, username, prefs=None):
        self.add("subscribers", id=sid, customer_id=self.customer["id"], username=username, domain=DOMAIN,
                 password="sip-%d" % sid, primary_number={"cc": 43, "ac": "1", "sn": str(50000 + sid - 8)})
        # Exactly FRESH (a PUT replaces every preference), whatever the emulator's defaults.
        self.direct("PUT", "/api/subscriberpreferences/%d" % sid, copy.deepcopy(FRESH if prefs is None else prefs), expect=(200, 204))
        self.setup_seqs.update(e["seq"] for e in self.emulator.requests())

    @staticmethod
    def log_entry(entry):
        # This file's log spelling: a GET without a query is (method, path).
        logged = EmulatedC5.log_entry(entry)
        return logged[:2] if logged[0] == "GET" and logged[2] is None else logged


def run(api, check_mode=False, diff=True, items=None, **params):
    params.setdefault("state", "present")
    params.setdefault("username", "administrator")  # the API login, never the subscriber
    params.setdefault("remove_others", False)
    params.setdefault("keep", ["cc", "ac", "allowed_clis", "call_log_level", "emergency_location_format", "lock"])
    params.setdefault("preferences", {})
    if items is not None:
        params["items"] = items
    ctx = RunContext(check_mode=check_mode, diff=diff)
    return run_resource(Preferences, api, Options(params), ctx), ctx


@pytest.fixture
def api():
    emulated = PreferencesC5()
    emulated.add_subscriber(9, "prefer_1")
    emulated.add_subscriber(10, "prefer_2")
    return emulated


# --- validation and coercion ---------------------------------------------------------------

def test_values_are_coerced_as_the_server_stores_them():
    assert validate({
        "music_on_hold": 1, "clir": "yes", "block_in_clir": "false",
        "concurrent_max": "5", "cc": 43, "language": "de", "lock": 4,
        "block_in_list": "4366412345", "block_out_list": ["0900*", 431],
        "display_name": None,
    }, DEFS) == {
        "music_on_hold": True, "clir": True, "block_in_clir": False,
        "concurrent_max": 5, "cc": "43", "language": "de", "lock": "4",
        "block_in_list": ["4366412345"], "block_out_list": ["0900*", "431"],
        "display_name": None,
    }


def test_an_empty_list_is_no_value():
    assert validate({"block_in_list": []}, DEFS) == {"block_in_list": None}


def test_enum_labels_name_their_value():
    assert validate({"lock": "global"}, DEFS) == {"lock": "4"}


def test_unknown_name_suggests_close_names():
    with pytest.raises(InputError, match="unknown preference 'blok_in_list'.*did you mean 'block_in_list'"):
        validate({"blok_in_list": ["1"]}, DEFS)


def test_prepaid_library_is_rejected_before_any_write(api):
    with pytest.raises(InputError, match="'prepaid_library' cannot be set here.*422"):
        validate({"prepaid_library": "libswrate"}, DEFS)
    with pytest.raises(InputError, match="prepaid_library"):
        run(api, subscriber_id=9, preferences={"prepaid_library": "libinewrate", "block_in_clir": True})
    assert api.writes() == []


@pytest.mark.parametrize("prefs, message", [
    ({"concurrent_max": "five"}, "'concurrent_max' must be int .*'five'"),
    ({"concurrent_max": True}, "'concurrent_max' must be int"),
    ({"clir": "maybe"}, "'clir' must be boolean"),
    ({"language": "xx"}, "'language' must be one of 'de', 'en', 'es', 'fr' \\(enum preference\\), not 'xx'"),
    ({"display_name": ["a", "b"]}, "'display_name' takes a single string value, not a list"),
    ({"display_name": True}, "quote the value"),
    ({"display_name": "x" * 129}, "at most 128 characters"),
    ({"block_in_list": [None]}, "each element of 'block_in_list' must be string"),
    ({"subscriber_id": 3}, "not a preference"),
    ({"ringtimeout": 20}, "c5_callforward"),
])
def test_wrong_values_name_the_preference_and_the_type(prefs, message):
    with pytest.raises(InputError, match=message):
        validate(prefs, DEFS)


def test_all_problems_are_reported_at_once():
    with pytest.raises(InputError) as info:
        validate({"concurrent_max": "five", "langauge": "de"}, DEFS)
    assert "concurrent_max" in str(info.value) and "did you mean 'language'" in str(info.value)


def test_absent_checks_names_only():
    assert validate({"concurrent_max": "whatever"}, DEFS, check_values=False) == {"concurrent_max": None}
    with pytest.raises(InputError, match="unknown preference"):
        validate({"no_such_pref": None}, DEFS, check_values=False)


def test_patch_uses_add_and_remove():
    desired = {"clir": True, "concurrent_max": None, "a/b~c": "x"}
    assert patch_operations(desired, ["clir", "concurrent_max", "a/b~c"]) == [
        {"op": "add", "path": "/clir", "value": True},
        {"op": "remove", "path": "/concurrent_max"},
        {"op": "add", "path": "/a~1b~0c", "value": "x"},
    ]


# --- the resource ----------------------------------------------------------------------------

SEED = {"block_in_clir": True, "block_in_list": ["4366412345", "431*"]}


def test_set_with_one_patch_then_no_write(api):
    result, _ctx = run(api, sip_username="prefer_1", domain=DOMAIN, preferences=SEED)
    assert result["changed"]
    assert api.writes() == [("PATCH", "/api/subscriberpreferences/9", [
        {"op": "add", "path": "/block_in_clir", "value": True},
        {"op": "add", "path": "/block_in_list", "value": ["4366412345", "431*"]},
    ])]
    assert api.prefs[9] == dict(FRESH, **SEED)
    assert result["preferences"]["block_in_clir"] is True
    assert result["diff"]["before"] == FRESH and result["diff"]["after"] == dict(FRESH, **SEED)

    api.log[:] = []
    coerced = {"block_in_clir": "yes", "block_in_list": ["4366412345", "431*"]}
    again, _ctx = run(api, sip_username="prefer_1", domain=DOMAIN, preferences=coerced)
    assert again["changed"] is False and api.writes() == []


def test_only_changed_preferences_are_written(api):
    run(api, subscriber_id=9, preferences=SEED)
    api.log[:] = []
    result, _ctx = run(api, subscriber_id=9, preferences={"block_in_clir": True, "block_in_list": ["431*"], "concurrent_max": 3})
    assert result["changed"]
    assert api.writes() == [("PATCH", "/api/subscriberpreferences/9", [
        {"op": "add", "path": "/block_in_list", "value": ["431*"]},
        {"op": "add", "path": "/concurrent_max", "value": 3},
    ])]


def test_null_removes(api):
    run(api, subscriber_id=9, preferences={"concurrent_max": 3})
    api.log[:] = []
    result, _ctx = run(api, subscriber_id=9, preferences={"concurrent_max": None, "clir": None})
    assert result["changed"]
    assert api.writes() == [("PATCH", "/api/subscriberpreferences/9", [{"op": "remove", "path": "/concurrent_max"}])]
    assert "concurrent_max" not in result["diff"]["after"]


def test_absent_removes_listed_names(api):
    run(api, subscriber_id=9, preferences=SEED)
    api.log[:] = []
    result, _ctx = run(api, subscriber_id=9, state="absent", preferences={"block_in_list": None, "clir": "ignored"})
    assert result["changed"]
    assert api.writes() == [("PATCH", "/api/subscriberpreferences/9", [{"op": "remove", "path": "/block_in_list"}])]
    api.log[:] = []
    again, _ctx = run(api, subscriber_id=9, state="absent", preferences={"block_in_list": None})
    assert not again["changed"] and api.writes() == []


def test_remove_others_keeps_platform_preferences(api):
    run(api, subscriber_id=9, preferences=dict(SEED, lock="2", concurrent_max=4))
    api.log[:] = []
    result, _ctx = run(api, subscriber_id=9, remove_others=True, preferences={"block_in_clir": True})
    assert result["changed"]
    removed = sorted(op["path"] for op in api.writes()[0][2] if op["op"] == "remove")
    assert removed == ["/block_in_list", "/concurrent_max"]
    assert api.prefs[9] == dict(FRESH, block_in_clir=True, lock="2")

    api.log[:] = []
    result, _ctx = run(api, subscriber_id=9, remove_others=True, keep=[], preferences={"block_in_clir": True})
    removed = sorted(op["path"] for op in api.writes()[0][2])
    assert removed == ["/ac", "/allowed_clis", "/call_log_level", "/cc", "/emergency_location_format", "/lock"]
    assert api.prefs[9] == {"block_in_clir": True}


def test_check_mode_sends_no_write(api):
    result, _ctx = run(api, check_mode=True, subscriber_id=9, preferences=SEED)
    assert result["changed"] and api.writes() == []
    assert result["diff"]["after"]["block_in_list"] == ["4366412345", "431*"]


def test_secret_preference_is_set_and_masked(api):
    result, _ctx = run(api, subscriber_id=9, preferences={"peer_auth_pass": "s3cret"})
    assert result["changed"] and api.prefs[9]["peer_auth_pass"] == "s3cret"
    assert result["preferences"]["peer_auth_pass"] == MASK
    assert result["diff"]["after"]["peer_auth_pass"] == MASK_CHANGED
    assert "s3cret" not in repr(result)
    api.log[:] = []
    again, _ctx = run(api, subscriber_id=9, preferences={"peer_auth_pass": "s3cret"})
    assert not again["changed"] and api.writes() == []


def test_missing_subscriber(api):
    with pytest.raises(Unresolved, match="does not exist"):
        run(api, sip_username="ghost", domain=DOMAIN, preferences={"clir": True})
    result, _ctx = run(api, sip_username="ghost", domain=DOMAIN, state="absent", preferences={"clir": None})
    assert not result["changed"]
    with pytest.raises(Unresolved, match="no such subscriber"):
        run(api, subscriber_id=77, preferences={"clir": True})


def test_bulk_reads_the_definitions_once(api):
    items = [
        {"username": "prefer_1", "preferences": {"clir": True}},
        {"username": "prefer_2", "preferences": {"language": "en"}},
        {"username": "prefer_2", "preferences": {"language": "klingon"}},
    ]
    result, ctx = run(api, domain=DOMAIN, items=items)
    assert "2 entries of items name the subscriber prefer_2@prefs.example.com" in ctx.warnings[0]
    assert [entry for entry in api.log if entry[1] == "/api/subscriberpreferencedefs/"] == [
        ("GET", "/api/subscriberpreferencedefs/")]
    assert result["summary"] == {"total": 3, "changed": 2, "failed": 1}
    assert "klingon" in result["msg"]
    assert api.prefs[9]["clir"] is True and api.prefs[10]["language"] == "en"
    # The two subscribers were found with one listing of their domain.
    assert [entry[1] for entry in api.log if entry[1].startswith("/api/subscribers/")] == ["/api/subscribers/"]


# --- reference preferences by name (issue 10 section 4) -----------------------------------------

@pytest.mark.parametrize("reseller_login", [False, True])
def test_reference_preferences_are_found_by_name_for_admins_and_resellers(reseller_login):
    # A reseller login does not see reseller_id on the objects: a missing one matches.
    api = PreferencesC5(reseller_login=reseller_login)
    api.add_subscriber(9, "prefer_1")
    api.add("ncoslevels", reseller_id=1, level="Local", mode="whitelist")
    api.add("soundsets", reseller_id=1, name="Prompts")
    result, _ctx = run(api, subscriber_id=9, preferences={"ncos": "LOCAL", "sound_set": "prompts"})
    assert result["changed"] is True
    assert sorted(api.writes(), key=str) == [
        ("PATCH", "/api/subscriberpreferences/9", [{"op": "add", "path": "/ncos", "value": "Local"},
                                                   {"op": "add", "path": "/sound_set", "value": "Prompts"}])]
    api.log[:] = []
    again, _ctx = run(api, subscriber_id=9, preferences={"ncos": "local", "sound_set": "PROMPTS"})
    assert again["changed"] is False and api.writes() == []


def test_an_unknown_reference_fails_before_any_write_and_is_assumed_in_check_mode(api):
    with pytest.raises(Unresolved, match="preferences.ncos: no NCOS level 'nope' exists for reseller 1"):
        run(api, subscriber_id=9, preferences={"ncos": "nope", "clir": True})
    assert api.writes() == []
    result, ctx = run(api, check_mode=True, subscriber_id=9, preferences={"ncos": "nope"})
    assert result["changed"] is True and any("assumed to be created by an earlier task" in w for w in ctx.warnings)
    assert api.writes() == []
