# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_subscriber: desired state, comparisons, the merged PUT document, secrets, bulk look-ups."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.c5.subscribers import Subscriber, norm_lock, parse_lock
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import MASK, MASK_CHANGED
from ansible_collections.voip.provisioning.plugins.modules.c5_subscriber import MODULE

from ansible_collections.voip.provisioning.tests.unit.plugins.modules.c5_emulated import EmulatedC5, run_module

# An entry of items in the task's option names (declared once, on the resource's fields).
entry_options = Subscriber.fields.entry_as_task


def seeded(show_passwords=True):
    c5 = EmulatedC5(show_passwords=show_passwords)
    c5.add("domains", id=3, domain="sip.example.com", reseller_id=1)
    c5.add("customercontacts", id=4, email="c@example.com", reseller_id=1, status="active")
    c5.add("customers", id=5, external_id="cust-1", contact_id=4, billing_profile_id=1, status="active", type="sipaccount")
    c5.add("customers", id=6, external_id="cust-2", contact_id=4, billing_profile_id=1, status="active", type="sipaccount")
    c5.add("customers", id=7, external_id="cust-old", contact_id=4, billing_profile_id=1, status="terminated", type="sipaccount")
    return c5


def existing(c5, username="alice", customer_id=5, **extra):
    sub = dict(
        customer_id=customer_id, username=username, domain="sip.example.com", webusername=username, status="active",
        lock=None, administrative=False, external_id=None, email=None, timezone=None, profile_set_id=None,
        profile_id=None, password="sip-secret", uuid="u-%s" % username, create_timestamp="2026-11-23T09:35:40+00:00",
        modify_timestamp="2026-11-23T09:35:40+00:00", domain_id=3,
        primary_number={"cc": 43, "ac": "9876", "sn": "10001", "number_id": 1},
        alias_numbers=[{"cc": 43, "ac": "9877", "sn": "10001", "is_devid": False, "number_id": 2},
                       {"cc": 43, "ac": "9878", "sn": "10001", "is_devid": False, "number_id": 3}],
    )
    sub.update(extra)
    return c5.add("subscribers", **sub)


def run(c5, check_mode=False, **params):
    params.setdefault("domain", "sip.example.com")
    return run_module(Subscriber, c5, params, check_mode=check_mode, rename_items=entry_options)


def only_write(c5):
    assert len(c5.writes) == 1, c5.writes
    return c5.writes[0]


# --- small normalisers -------------------------------------------------------------------------

def test_lock_values():
    assert parse_lock(4) == 4
    assert parse_lock("2") == 2
    assert parse_lock("none") is None
    assert parse_lock("None") is None
    with pytest.raises(InputError) as info:
        parse_lock(0)
    assert "0 is not a lock level" in str(info.value) and "lock: none" in str(info.value)
    for bad in ("6", "x", True, -1):
        with pytest.raises(InputError):
            parse_lock(bad)
    assert norm_lock("4") == 4 and norm_lock(None) is None and norm_lock("") is None


def test_items_never_inherit_the_api_login():
    assert entry_options({"username": "bob", "password": "sip", "sip_username": "bob"}) == \
        {"sip_username": "bob", "sip_password": "sip"}
    assert entry_options({"username": "bob", "password": None}) == {"sip_username": "bob", "sip_password": None}


def test_argument_spec_separates_login_and_subscriber():
    spec = MODULE.argument_spec
    assert spec["password"]["no_log"] and spec["sip_password"]["no_log"] and spec["webpassword"]["no_log"]
    assert "fallback" in spec["username"]  # the API login keeps its C5_USERNAME fallback
    items = spec["items"]["options"]
    assert items["username"]["aliases"] == ["sip_username"] and items["password"]["no_log"]
    assert spec["update_password"]["default"] == "on_create" and "default" not in items["update_password"]


# --- create ------------------------------------------------------------------------------------

def test_create_sends_api_typing_and_display_name_through_preferences():
    c5 = seeded()
    result = run(c5, sip_username="alice", customer="cust-1", sip_password="sip-secret", webpassword="web-secret",
                 primary_number="+43 9876 10001",
                 alias_numbers=["+43-9877-10001", {"cc": 43, "ac": 9878, "sn": 10001, "is_devid": True}],
                 display_name="Alice", email="alice@example.com")
    assert result["changed"] is True
    posts = [w for w in c5.writes if w[0] == "POST"]
    assert len(posts) == 1
    body = posts[0][2]
    assert body["customer_id"] == 5 and body["domain"] == "sip.example.com" and body["username"] == "alice"
    assert body["primary_number"] == {"cc": 43, "ac": "9876", "sn": "10001"}
    assert {"cc": 43, "ac": "9878", "sn": "10001", "is_devid": True} in body["alias_numbers"]
    assert body["password"] == "sip-secret" and body["webpassword"] == "web-secret"
    assert "webusername" not in body  # the C5 defaults it to the username
    patches = [w for w in c5.writes if w[0] == "PATCH"]
    assert patches == [("PATCH", "/api/subscriberpreferences/%d" % result["subscriber"]["id"],
                        [{"op": "add", "path": "/display_name", "value": "Alice"}])]
    assert result["subscriber"]["password"] == MASK
    assert result["subscriber"]["display_name"] == "Alice"
    assert result["diff"]["before"] == {}

    c5.log[:] = []
    again = run(c5, sip_username="alice", customer="cust-1", sip_password="sip-secret", webpassword="web-secret",
                primary_number="+43987610001",  # compact form, same digits
                alias_numbers=[{"cc": "43", "ac": "9878", "sn": "10001", "is_devid": True}, "+43 9877 10001"],
                display_name="Alice", email="alice@example.com")
    assert again["changed"] is False
    assert c5.writes == []


def test_check_mode_create_sends_nothing_and_masks_secrets():
    c5 = seeded()
    result = run(c5, check_mode=True, sip_username="alice", customer_id=5, sip_password="x", webpassword="y",
                 primary_number="+43 1 2")
    assert result["changed"] is True and c5.writes == []
    assert result["diff"]["after"]["password"] == MASK and result["diff"]["after"]["webpassword"] == MASK


def test_create_without_web_user_name_is_idempotent():
    c5 = seeded()
    result = run(c5, sip_username="alice", customer_id=5, sip_password="x", primary_number="+43 1 2", webusername="")
    assert [w[0] for w in c5.writes] == ["POST", "PUT"]
    assert result["subscriber"]["webusername"] is None
    c5.log[:] = []
    assert run(c5, sip_username="alice", customer_id=5, primary_number="+43 1 2", webusername="")["changed"] is False


def test_create_without_customer_is_a_clear_error():
    c5 = seeded()
    with pytest.raises(InputError) as info:
        run(c5, sip_username="alice", sip_password="x", primary_number="+43 1 2")
    assert "set customer" in str(info.value)
    assert c5.writes == []


# --- references ----------------------------------------------------------------------------------

def test_unknown_customer_and_domain_fail_before_any_write():
    c5 = seeded()
    with pytest.raises(InputError) as info:
        run(c5, sip_username="alice", customer="nope", sip_password="x")
    assert "customer: no customer with external_id 'nope'" in str(info.value) and "c5_customer" in str(info.value)
    with pytest.raises(InputError) as info:
        run(c5, sip_username="alice", customer="cust-old", sip_password="x")
    assert "terminated" in str(info.value)
    with pytest.raises(InputError) as info:
        run(c5, sip_username="alice", customer_id=999, sip_password="x")
    assert "customer_id: customer 999" in str(info.value)
    with pytest.raises(InputError) as info:
        run(c5, sip_username="alice", customer="cust-1", domain="nosuch.example.com", sip_password="x")
    assert "domain: no domain 'nosuch.example.com'" in str(info.value) and "c5_domain" in str(info.value)
    assert c5.writes == []


def test_unknown_customer_in_check_mode_is_a_warning():
    c5 = seeded()
    result = run(c5, check_mode=True, sip_username="alice", customer="later", sip_password="x")
    assert result["changed"] is True and "assumed to be created" in result["warnings"][0]


def test_subscriber_of_another_customer_is_an_error_even_in_check_mode():
    c5 = seeded()
    existing(c5, customer_id=6)
    for check_mode in (False, True):
        with pytest.raises(Exception) as info:
            run(c5, check_mode=check_mode, sip_username="alice", customer="cust-1", external_id="x")
        assert "belongs to customer 6, not to customer 5" in str(info.value)
        assert "customer_id can't be changed" in str(info.value)
    assert c5.writes == []


def test_username_differing_in_case_is_an_error():
    c5 = seeded()
    existing(c5, username="Alice")
    with pytest.raises(Exception) as info:
        run(c5, sip_username="alice", customer="cust-1", sip_password="x", primary_number="+43 1 2")
    assert "use the spelling 'Alice'" in str(info.value)
    assert c5.writes == []


# --- update: the merged document ------------------------------------------------------------------

def test_update_puts_the_complete_document_without_read_only_keys_or_secrets():
    c5 = seeded()
    existing(c5, lock="2", external_id="ext-1", email="a@example.com", timezone="Europe/Vienna", webusername="alice-web",
             profile_set_id=3, profile_id=4, administrative=True)
    result = run(c5, sip_username="alice", alias_numbers=["+43 9877 10001", "+43 9879 10001"],
                 sip_password="sip-secret", webpassword="web-secret")
    assert result["changed"] is True
    method, dummy, body = only_write(c5)
    assert method == "PUT"
    for key in ("id", "uuid", "create_timestamp", "modify_timestamp", "password", "webpassword", "display_name"):
        assert key not in body
    assert body["lock"] == "2" and body["status"] == "active" and body["external_id"] == "ext-1"
    assert body["email"] == "a@example.com" and body["timezone"] == "Europe/Vienna" and body["webusername"] == "alice-web"
    assert body["profile_set_id"] == 3 and body["profile_id"] == 4 and body["administrative"] is True
    assert body["primary_number"] == {"cc": 43, "ac": "9876", "sn": "10001"}
    assert body["alias_numbers"] == [{"cc": 43, "ac": "9877", "sn": "10001", "is_devid": False},
                                     {"cc": 43, "ac": "9879", "sn": "10001", "is_devid": False}]
    stored = c5.store["subscribers"][result["subscriber"]["id"]]
    assert stored["password"] == "sip-secret" and stored["lock"] == "2" and stored["external_id"] == "ext-1"
    assert result["diff"]["before"]["alias_numbers"] != result["diff"]["after"]["alias_numbers"]

    c5.log[:] = []
    assert run(c5, sip_username="alice", alias_numbers=["+43 9879 10001", "+43 9877 10001"])["changed"] is False
    assert c5.writes == []


def test_alias_with_the_same_digits_keeps_the_stored_split():
    c5 = seeded()
    existing(c5)
    result = run(c5, sip_username="alice", alias_numbers=["+43987710001", "+43987810001", "+43 5 5"])
    body = only_write(c5)[2]
    assert sorted(body["alias_numbers"], key=lambda a: (a["ac"], a["sn"])) == [
        {"cc": 43, "ac": "5", "sn": "5", "is_devid": False},
        {"cc": 43, "ac": "9877", "sn": "10001", "is_devid": False},  # stored split kept
        {"cc": 43, "ac": "9878", "sn": "10001", "is_devid": False}]
    assert result["changed"] is True


def test_empty_alias_list_removes_all_and_absent_option_keeps_them():
    c5 = seeded()
    existing(c5)
    assert run(c5, sip_username="alice", external_id="e")["changed"] is True
    assert len(only_write(c5)[2]["alias_numbers"]) == 2
    c5.log[:] = []
    assert run(c5, sip_username="alice", alias_numbers=[])["changed"] is True
    assert only_write(c5)[2]["alias_numbers"] == []


def test_primary_number_change_and_alias_equal_to_primary():
    c5 = seeded()
    existing(c5)
    run(c5, sip_username="alice", primary_number={"cc": 43, "ac": 1, "sn": "99"})
    assert only_write(c5)[2]["primary_number"] == {"cc": 43, "ac": "1", "sn": "99"}
    with pytest.raises(InputError) as info:
        run(c5, sip_username="alice", primary_number="+43 1 99", alias_numbers=["+43199"])
    assert "also the primary_number" in str(info.value)


def test_malformed_number_names_the_field():
    c5 = seeded()
    with pytest.raises(InputError) as info:
        run(c5, sip_username="alice", customer="cust-1", alias_numbers=["+43 1 2", "12-ab"])
    assert str(info.value).startswith("alias_numbers[1]: '12-ab' is not a valid number")


def test_lock_and_status():
    c5 = seeded()
    existing(c5, lock="4", status="locked")
    assert run(c5, sip_username="alice", lock=4, status="locked")["changed"] is False
    assert run(c5, sip_username="alice", lock="4")["changed"] is False
    assert c5.writes == []
    # locked -> active without a lock: the lock goes, as the C5 does it
    result = run(c5, sip_username="alice", status="active")
    body = only_write(c5)[2]
    assert body["status"] == "active" and body["lock"] is None
    assert result["subscriber"]["lock"] is None
    c5.log[:] = []
    run(c5, sip_username="alice", lock=2)
    assert only_write(c5)[2]["lock"] == 2
    c5.log[:] = []
    run(c5, sip_username="alice", lock="none")
    assert only_write(c5)[2]["lock"] is None
    with pytest.raises(InputError) as info:
        run(c5, sip_username="alice", lock="none", status="locked")
    assert "contradicts" in str(info.value)


def test_empty_text_removes_and_timezone_links_are_equal():
    c5 = seeded()
    existing(c5, external_id="e1", timezone="America/New_York")
    assert run(c5, sip_username="alice", timezone="US/Eastern")["changed"] is False
    assert run(c5, sip_username="alice", external_id="")["changed"] is True
    assert only_write(c5)[2]["external_id"] is None


def test_display_name_alone_is_one_preference_patch():
    c5 = seeded()
    sub = existing(c5)
    c5.prefs[sub["id"]] = {"display_name": "Old"}
    result = run(c5, sip_username="alice", display_name="New")
    assert only_write(c5) == ("PATCH", "/api/subscriberpreferences/%d" % sub["id"],
                              [{"op": "replace", "path": "/display_name", "value": "New"}])
    assert result["subscriber"]["display_name"] == "New"
    c5.log[:] = []
    run(c5, sip_username="alice", display_name="")
    assert only_write(c5)[2] == [{"op": "remove", "path": "/display_name"}]
    c5.log[:] = []
    assert run(c5, sip_username="alice", display_name="")["changed"] is False
    assert c5.writes == []


# --- secrets ---------------------------------------------------------------------------------------------

def test_readable_sip_password_is_compared_and_masked():
    c5 = seeded()
    existing(c5)
    assert run(c5, sip_username="alice", sip_password="sip-secret")["changed"] is False
    result = run(c5, sip_username="alice", sip_password="new-secret")
    assert result["changed"] is True
    assert only_write(c5)[2]["password"] == "new-secret"
    assert result["diff"]["before"]["password"] == MASK and result["diff"]["after"]["password"] == MASK_CHANGED
    assert "new-secret" not in repr(result) and "sip-secret" not in repr(result)


def test_unreadable_password_and_webpassword_follow_update_password():
    c5 = seeded(show_passwords=False)
    existing(c5)
    assert run(c5, sip_username="alice", sip_password="other", webpassword="w")["changed"] is False
    assert c5.writes == []
    result = run(c5, sip_username="alice", sip_password="other", webpassword="w", update_password="always")
    assert result["changed"] is True
    body = only_write(c5)[2]
    assert body["password"] == "other" and body["webpassword"] == "w"
    assert result["diff"]["after"]["webpassword"] == MASK_CHANGED
    c5.log[:] = []
    run(c5, sip_username="alice", webpassword="w", update_password="always")
    body = only_write(c5)[2]
    assert "webpassword" in body and "password" not in body


# --- absent --------------------------------------------------------------------------------------------

def test_absent_terminates_once():
    c5 = seeded()
    sub = existing(c5)
    result = run(c5, sip_username="alice", state="absent")
    assert result["changed"] is True and only_write(c5) == ("DELETE", "/api/subscribers/%d" % sub["id"], None)
    c5.log[:] = []
    assert run(c5, sip_username="alice", state="absent")["changed"] is False
    assert c5.writes == []
    assert run(c5, sip_username="alice", state="absent", customer="gone")["changed"] is False


# --- bulk -------------------------------------------------------------------------------------------------

def _lookups(c5):
    return [r for r in c5.reads if r[2] and "username" in r[2]]


def test_bulk_lists_the_customer_once_instead_of_one_lookup_per_item():
    c5 = seeded()
    for n in range(4):
        existing(c5, username="u%d" % n, primary_number={"cc": 43, "ac": "1", "sn": str(n), "number_id": n},
                 alias_numbers=[])
    items = [{"username": "u%d" % n, "primary_number": "+43 1 %d" % n} for n in range(4)]
    items.append({"username": "new", "password": "p", "primary_number": "+43 1 9"})
    result = run(c5, customer="cust-1", password="API-LOGIN-PASSWORD", items=items)
    assert result["summary"] == {"total": 5, "changed": 1, "failed": 0}
    assert _lookups(c5) == []  # no per-item look-up
    listing = [r for r in c5.reads if r[2] and r[2].get("customer_id") == 5]
    assert len(listing) == 2  # one count request + one page
    post = [w for w in c5.writes if w[0] == "POST"]
    assert len(post) == 1 and post[0][2]["password"] == "p"
    assert [r["item"] for r in result["results"]][-1] == "username=new, domain=sip.example.com"

    c5.log[:] = []
    again = run(c5, customer="cust-1", password="API-LOGIN-PASSWORD", items=items)
    assert again["changed"] is False and c5.writes == []


def test_bulk_item_never_takes_the_login_password_as_its_sip_password():
    c5 = seeded()
    result = run(c5, customer="cust-1", username="administrator", password="API-LOGIN-PASSWORD",
                 # A real C5 requires a SIP password on create: each item brings its own.
                 items=[{"username": "a", "password": "sip-a", "primary_number": "+43 1 1"},
                        {"username": "b", "password": "sip-b", "primary_number": "+43 1 2"}])
    assert result["summary"]["failed"] == 0
    for write in c5.writes:
        body = write[2]
        assert "API-LOGIN-PASSWORD" not in repr(body)
        assert body["username"] in ("a", "b")


def test_bulk_small_batches_use_lookups_not_a_listing():
    c5 = seeded()
    for n in range(250):
        c5.add("subscribers", customer_id=5, username="x%d" % n, domain="sip.example.com", status="active",
               alias_numbers=[], primary_number=None)
    run(c5, customer="cust-1", items=[{"username": "x1"}, {"username": "x2"}])
    assert len(_lookups(c5)) == 2
    assert not [r for r in c5.reads if r[2] and r[2].get("customer_id") == 5 and r[2].get("rows") != 1]


def test_bulk_item_existing_under_another_customer_is_reported_after_the_422():
    c5 = seeded()
    existing(c5, username="taken", customer_id=6)
    # A real C5 gives a number to one subscriber only.
    existing(c5, username="mine", customer_id=5, primary_number={"cc": 43, "ac": "1", "sn": "7"}, alias_numbers=[])
    result = run(c5, customer="cust-1", items=[{"username": "mine"},
                                               {"username": "taken", "password": "p", "primary_number": "+43 5 5"}])
    failed = [r for r in result["results"] if r.get("failed")]
    assert len(failed) == 1 and "belongs to customer 6, not to customer 5" in failed[0]["msg"]


def test_lost_create_answer_is_checked_on_the_server_not_in_the_bulk_index():
    c5 = seeded()
    existing(c5, username="u1", alias_numbers=[])
    existing(c5, username="u2", alias_numbers=[], primary_number={"cc": 43, "ac": "1", "sn": "2", "number_id": 9})
    c5.lose_next_create_answer = True
    result = run(c5, customer="cust-1", retries=2, workers=1,
                 items=[{"username": "u1"}, {"username": "u2"}, {"username": "new", "password": "p", "primary_number": "+43 1 3"}])
    assert result["summary"] == {"total": 3, "changed": 1, "failed": 0}
    assert [w[0] for w in c5.writes] == ["POST"]  # not sent twice
    assert len(_lookups(c5)) == 1  # the one fresh look-up after the lost answer
    assert "the object exists: using it" in result["warnings"][0]
