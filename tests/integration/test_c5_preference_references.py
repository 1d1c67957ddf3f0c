# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_subscriber_preferences and reference preferences (issue 10 section 4): ncos,
adm_ncos, rewrite_rule_set, sound_set, contract_sound_set take the referenced
object's name; it is checked before any write (unknown, ambiguous, another
reseller's), written in its stored spelling and compared case-insensitively, so a
re-run in another spelling writes nothing."""

from test_c5_subscriber_preferences import pref_writes, prefs, setup_tasks, stored

from conftest import api


def create(emulator, path, body):
    status, answer, new_id = api(emulator, "POST", path, body)
    assert status == 201, (path, status, answer)
    return new_id


def second_reseller(emulator):
    contact = create(emulator, "/api/systemcontacts/", {"email": "r2@example.com"})
    contract = create(emulator, "/api/contracts/", {"contact_id": contact, "billing_profile_id": 1, "type": "reseller", "status": "active"})
    return create(emulator, "/api/resellers/", {"contract_id": contract, "name": "R2", "status": "active"})


def failing(name, **args):
    return dict(prefs(name, **args), ignore_errors=True)


def test_reference_preferences_by_name_checked_before_any_write_and_compared_case_insensitively(runner, c5_emulator):
    create(c5_emulator, "/api/ncoslevels/", {"reseller_id": 1, "level": "Local Only", "mode": "whitelist"})
    create(c5_emulator, "/api/rewriterulesets/", {"reseller_id": 1, "name": "e164"})
    create(c5_emulator, "/api/soundsets/", {"reseller_id": 1, "name": "Prompts"})
    create(c5_emulator, "/api/soundsets/", {"reseller_id": 1, "name": "twin"})
    create(c5_emulator, "/api/soundsets/", {"reseller_id": 1, "name": "twin"})
    reseller = second_reseller(c5_emulator)
    create(c5_emulator, "/api/rewriterulesets/", {"reseller_id": reseller, "name": "theirs"})
    c5_emulator.clear_requests()
    wanted = {"ncos": "local only", "adm_ncos": "LOCAL ONLY", "rewrite_rule_set": "E164", "sound_set": "prompts",
              "contract_sound_set": "Prompts"}
    run = runner.run(setup_tasks("alice") + [
        prefs("set", preferences=wanted),
        prefs("again as stored", preferences={"ncos": "Local Only", "adm_ncos": "Local Only", "rewrite_rule_set": "e164",
                                              "sound_set": "Prompts", "contract_sound_set": "Prompts"}),
        prefs("again as first written", preferences=wanted),
        failing("unknown ncos", preferences={"ncos": "nope", "music_on_hold": True}),
        failing("ambiguous sound set", preferences={"sound_set": "twin"}),
        failing("another reseller's rules", preferences={"rewrite_rule_set": "theirs"}),
        dict(prefs("check mode unknown", preferences={"adm_cf_ncos": "later"}), check_mode=True),
    ])
    assert run.returncode == 0, run.stdout
    assert [run.task(n)["changed"] for n in ("set", "again as stored", "again as first written")] == [True, False, False]
    # One PATCH, the names in the spelling the C5 stores.
    assert [(m, p) for m, p, _c, _b in pref_writes(c5_emulator)] == [("PATCH", "/api/subscriberpreferences/1")]
    assert sorted(pref_writes(c5_emulator)[0][3], key=lambda op: op["path"]) == [
        {"op": "add", "path": "/adm_ncos", "value": "Local Only"}, {"op": "add", "path": "/contract_sound_set", "value": "Prompts"},
        {"op": "add", "path": "/ncos", "value": "Local Only"}, {"op": "add", "path": "/rewrite_rule_set", "value": "e164"},
        {"op": "add", "path": "/sound_set", "value": "Prompts"}]
    now = stored(c5_emulator)
    assert {k: now[k] for k in wanted} == {"ncos": "Local Only", "adm_ncos": "Local Only", "rewrite_rule_set": "e164",
                                           "sound_set": "Prompts", "contract_sound_set": "Prompts"}
    assert "no NCOS level 'nope' exists for reseller 1; create it first (/api/ncoslevels/) or correct the name" \
        in run.task("unknown ncos")["msg"]
    assert "preferences.sound_set: sound set 'twin' is ambiguous: 2 sound sets of reseller 1 have that name" \
        in run.task("ambiguous sound set")["msg"]
    assert "preferences.rewrite_rule_set: rewrite rule set 'theirs' belongs to reseller %d, not to reseller 1" % reseller \
        in run.task("another reseller's rules")["msg"]
    check = run.task("check mode unknown")
    assert check["changed"] is True and any("no NCOS level 'later'" in w for w in check["warnings"])
    # None of the failing tasks wrote anything (music_on_hold was not written with the unknown ncos).
    assert "music_on_hold" not in now
