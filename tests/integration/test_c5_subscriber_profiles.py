# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_subscriber and subscriber profiles (issue 10 section 4): the profile set and the
profile named by name within the reseller, checked before any write; a set without
a profile means its default profile; every PUT sends both back (a C5 PUT clears what
it is not sent); a re-run writes nothing."""

from conftest import writes

from test_c5_subscriber import DOMAIN, create, make_tenant, stored, task

NUMBER = "+43 1 30001"


def failing(name, **args):
    return dict(task(name, **args), ignore_errors=True)


def test_profile_set_and_profile_by_name(runner, c5_emulator):
    tenant = make_tenant(c5_emulator)
    office = create(c5_emulator, "subscriberprofilesets", reseller_id=1, name="Office", description="office users")
    basic = create(c5_emulator, "subscriberprofiles", profile_set_id=office, name="Basic", description="d", attributes=["clir"])
    full = create(c5_emulator, "subscriberprofiles", profile_set_id=office, name="Full", description="d", attributes=["clir", "cfu"])
    other = create(c5_emulator, "subscriberprofilesets", reseller_id=1, name="Other", description="d")
    c5_emulator.clear_requests()
    base = {"sip_username": "alice", "customer": "cust-1", "sip_password": "Sip-Alice-Pass-1", "primary_number": NUMBER}
    run = runner.run([
        task("create with the set's default", profile_set="office", **base),
        task("again", profile_set="Office", **base),
        task("profile by name", profile_set="Office", profile="full", **base),
        task("again by name", profile_set="OFFICE", profile="Full", **base),
        task("other field keeps the profile", sip_username="alice", email="alice@example.com"),
        failing("unknown set", sip_username="alice", profile_set="nope"),
        failing("unknown profile", sip_username="alice", profile_set="Office", profile="gold"),
        failing("profile without set", sip_username="alice", profile="Full"),
        failing("profile of another set", sip_username="alice", profile_set="Other", profile="Full"),
    ])
    assert [run.task(n)["changed"] for n in ("create with the set's default", "again", "profile by name", "again by name",
                                             "other field keeps the profile")] == [True, False, True, False, True]
    sub_writes = [w for w in writes(c5_emulator) if w["path"].startswith("/api/subscribers/")]
    assert [w["method"] for w in sub_writes] == ["POST", "PUT", "PUT"]
    assert (sub_writes[0]["body"]["profile_set_id"], sub_writes[0]["body"]["profile_id"]) == (office, basic)
    assert (sub_writes[1]["body"]["profile_set_id"], sub_writes[1]["body"]["profile_id"]) == (office, full)
    # The e-mail update sends the set and the profile back: the C5 keeps them.
    assert (sub_writes[2]["body"]["profile_set_id"], sub_writes[2]["body"]["profile_id"]) == (office, full)
    raw = stored(c5_emulator, sub_writes[1]["path"].rsplit("/", 1)[1])
    assert (raw["profile_set_id"], raw["profile_id"], raw["email"]) == (office, full, "alice@example.com")
    assert "profile_set: no subscriber profile set 'nope' exists for reseller 1; create it first (/api/subscriberprofilesets/)" \
        in run.task("unknown set")["msg"]
    assert "profile: the subscriber profile set 'Office' (id %d) has no profile 'gold'" % office in run.task("unknown profile")["msg"]
    assert "profile: 'Full' is named within its subscriber profile set; give profile_set (its name) or profile_set_id too" \
        in run.task("profile without set")["msg"]
    assert "the subscriber profile set 'Other' (id %d) has no profile 'Full'" % other in run.task("profile of another set")["msg"]
    assert tenant["cust-1"] and DOMAIN
