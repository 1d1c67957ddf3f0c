# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The XC5 /api-sys/ emulator pinned against the spec (shared/specs/xc5-api-sys.md),
"Gaps and traps" first, through the real application in-process."""

import io
import struct
import wave

import pytest

from voip_emulator.xc5 import docs
from voip_emulator.xc5.seed import (DAVE_GUID, DAVE_NUMBER_GUID, NOAPI_LOGIN, RESELLER_LOGIN, SEED_POOL_GUID,
                                    SHARED_PIN_PROMPT, SYSTEM_LOGIN)

ORG = "acmebrick.x.co.nz"
RECEPTION = "reception@acmebrick.x.co.nz"


@pytest.fixture
def api(inprocess_emulator):
    emulator = inprocess_emulator("xc5")
    session = emulator.session()
    session.auth = SYSTEM_LOGIN

    class Api:
        log = emulator.requests

        @staticmethod
        def call(method, path, body=None, auth=None, **kwargs):
            if body is not None:
                kwargs["json"] = body
            if auth is not None:
                kwargs["auth"] = auth
            response = session.request(method, emulator.url + "/api-sys" + path, **kwargs)
            return response.status_code, response.json(), response

        @classmethod
        def ok(cls, method, path, body=None, **kwargs):
            status, data, _response = cls.call(method, path, body, **kwargs)
            assert status == 200, (method, path, status, data)
            assert isinstance(data, list)
            return data

    return Api


def wav_bytes(seconds, rate=8000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack("<h", 0) * int(seconds * rate))
    return buffer.getvalue()


def make_org(api):
    api.ok("PUT", "/account/", {"username": ORG, "parent": "x.co.nz"})
    return api.ok("PUT", "/account/%s/child" % ORG, {"username": RECEPTION})[0]


# -- framing (gap 2) -----------------------------------------------------------

def test_every_answer_is_a_json_array_with_hal_content_type(api):
    status, data, response = api.call("GET", "/x")
    assert (status, data) == (404, [{"error": "invalid path"}])
    assert response.headers["Content-Type"] == "application/hal+json"
    status, data, response = api.call("GET", "/account/%s" % DAVE_GUID)
    assert status == 200 and len(data) == 1 and data[0]["username"] == "dave@dcom"
    assert response.headers["Content-Type"] == "application/hal+json"
    status, data, _resp = api.call("DELETE", "/account/nobody@nowhere")
    assert (status, data) == (404, [{"error": "not found"}])


def test_index_lists_the_apis(api):
    names = [entry["name"] for entry in api.ok("GET", "/")]
    assert {"account", "guid", "location", "hydraaccount"} <= set(names)


def test_request_body_must_be_an_object(api):
    status, data, _resp = api.call("PUT", "/account/", [{"username": "a"}])
    assert status == 400 and "arrays are not accepted" in data[0]["error"]
    status, data, _resp = api.call("PUT", "/account/", data=b"{nope", headers={"Content-Type": "application/json"})
    assert status == 400 and data[0]["error"].startswith("invalid JSON")


# -- accounts ----------------------------------------------------------------------

def test_lean_list_verbose_item_by_guid_or_name_case_insensitive(api):
    lean = api.ok("GET", "/account")
    dave = [a for a in lean if a["username"] == "dave@dcom"][0]
    assert set(dave) == {"guid", "username", "description", "enabled", "parent", "_links"}
    by_guid = api.ok("GET", "/ACCOUNT/%s" % DAVE_GUID.lower())[0]
    by_name = api.ok("GET", "/Account/DAVE@DCOM/")[0]
    assert by_guid == by_name
    assert by_guid["guid"] == DAVE_GUID  # upper case whatever the request used
    assert set(docs.ACCOUNT_FIELDS) <= set(by_name)
    assert by_name["_links"]["self"]["href"] == "/api-sys/account/" + DAVE_GUID


def test_child_creation_generates_a_password_and_links_by_guid(api):
    org = api.ok("PUT", "/account/", {"username": ORG, "parent": "x.co.nz"})[0]
    child = api.ok("PUT", "/account/%s/child" % ORG, {"username": RECEPTION})[0]
    assert len(child["password"]) >= 12
    assert child["parent"] == ORG and child["parentguid"] == org["guid"]
    # Addressed by name, linked by guid (gap 3).
    assert child["_links"]["parent"]["href"] == "/api-sys/account/" + org["guid"]
    again = api.ok("GET", "/account/" + RECEPTION)[0]
    assert again["password"] == child["password"]
    status, data, _resp = api.call("PUT", "/account/%s/child" % ORG, {"username": RECEPTION.upper()})
    assert (status, data) == (409, [{"error": "exists"}])


def test_unknown_parent_is_a_400_naming_the_field(api):
    status, data, _resp = api.call("PUT", "/account/", {"username": ORG, "parent": "nobody.example"})
    assert status == 400 and data[0]["error"] == 'parent: no account "nobody.example"'
    assert not [a for a in api.ok("GET", "/account") if a["username"] == ORG]


def test_patch_returns_full_record_and_put_patch_true_is_patch(api):
    make_org(api)
    record = api.ok("PATCH", "/account/" + RECEPTION, {"cfna_duration": 10})[0]
    assert record["cfna_duration"] == 10 and "pickup_group" in record and "password" in record
    record = api.ok("PUT", "/account/%s?patch=true" % RECEPTION, {"description": None})[0]
    assert record["description"] == ""  # null stores "" for strings
    status, data, _resp = api.call("PUT", "/account/nobody@x?patch=true", {"description": "x"})
    assert status == 404


def test_wrong_types_are_400_naming_the_field(api):
    make_org(api)
    status, data, _resp = api.call("PATCH", "/account/" + RECEPTION, {"cfna_duration": "ten"})
    assert (status, data) == (400, [{"error": 'cfna_duration: must be an integer, not "ten"'}])
    status, data, _resp = api.call("PATCH", "/account/" + RECEPTION, {"dnd": "maybe"})
    assert status == 400 and data[0]["error"].startswith("dnd: must be a boolean")


def test_unknown_scalar_fields_are_stored_but_not_documented(api):
    make_org(api)
    record = api.ok("PATCH", "/account/" + RECEPTION, {"language": "en-nz"})[0]
    assert record["language"] == "en-nz"
    assert "language" not in api.ok("OPTIONS", "/account/*")[0]["fields"]


def test_account_filter_is_sql_like(api):
    names = [a["username"] for a in api.ok("GET", "/account?filter=_unassigned.pool")]
    assert names == ["_unassigned.pool"]
    # "_" is any character: the filter also matches a look-alike (gap 5) ...
    api.ok("PUT", "/account/", {"username": "xunassigned.pool"})
    names = sorted(a["username"] for a in api.ok("GET", "/account?filter=_unassigned.pool"))
    assert names == ["_unassigned.pool", "xunassigned.pool"]
    # ... unless escaped the SQL Server way.
    names = [a["username"] for a in api.ok("GET", "/account?filter=[_]unassigned.pool")]
    assert names == ["_unassigned.pool"]


def test_children_direct_or_horizontal(api):
    make_org(api)
    api.ok("PUT", "/account/%s/child" % RECEPTION, {"username": "desk@acmebrick.x.co.nz"})
    direct = [a["username"] for a in api.ok("GET", "/account/%s/child" % ORG)]
    assert direct == [RECEPTION]
    every = [a["username"] for a in api.ok("GET", "/account/%s/child?horizontal=true" % ORG)]
    assert every == [RECEPTION, "desk@acmebrick.x.co.nz"]


def test_delete_account_refused_with_children_or_numbers(api):
    make_org(api)
    status, data, _resp = api.call("DELETE", "/account/" + ORG)
    assert status == 409 and "child accounts" in data[0]["error"]
    api.ok("PUT", "/account/%s/number" % RECEPTION, {"number": "6491231234"})
    status, data, _resp = api.call("DELETE", "/account/" + RECEPTION)
    assert status == 409 and "numbers" in data[0]["error"]


def test_inheritance_visible_in_dump_config(api):
    make_org(api)
    api.ok("PUT", "/account/" + ORG, {"pickup_group": "Alpha"})
    api.ok("PUT", "/account/%s/callrule" % ORG, {"order": -2, "prefix_raw": "600", "username": RECEPTION, "destination": ":600"})
    api.ok("PUT", "/account/%s/route" % ORG, {"order": -8, "menu_level": 1, "digit_map": "1=#2"})
    child = api.ok("GET", "/account/" + RECEPTION)[0]
    assert child["pickup_group"] == ""  # the child's own value: inheritance is not copied
    dump = api.ok("GET", "/account/%s?dump-config=true" % RECEPTION)[0]
    assert dump["inherited"]["pickup_group"] == {"value": "Alpha", "from": ORG}
    assert [r["prefix_raw"] for r in dump["inherited"]["callrules"]] == ["600"]
    assert dump["inherited"]["menus"][0]["inherited_from"] == ORG
    assert dump["callrules"] == []


# -- auth -------------------------------------------------------------------------------

def test_basic_auth_failures(api):
    status, data, response = api.call("GET", "/account", auth=("dave@dcom", "wrong"))
    assert (status, data) == (401, [{"error": "unauthorized"}])
    assert response.headers["WWW-Authenticate"] == 'Basic realm="xc5"'
    status, data, _resp = api.call("GET", "/account", auth=NOAPI_LOGIN)
    assert (status, data) == (403, [{"error": "access denied"}])


def test_partitioned_login_sees_only_its_subtree(api):
    make_org(api)
    names = {a["username"] for a in api.ok("GET", "/account", auth=RESELLER_LOGIN)}
    assert names == {"x.co.nz", ORG, RECEPTION}
    status, data, _resp = api.call("GET", "/account/dave@dcom", auth=RESELLER_LOGIN)
    assert (status, data) == (403, [{"error": "access denied"}])
    status, _data, _resp = api.call("PUT", "/account/", {"username": "top.example"}, auth=RESELLER_LOGIN)
    assert status == 403
    created = api.ok("PUT", "/account/", {"username": "other.x.co.nz", "parent": "x.co.nz"}, auth=RESELLER_LOGIN)[0]
    assert created["parent"] == "x.co.nz"
    status, _data, _resp = api.call("GET", "/number/" + DAVE_NUMBER_GUID, auth=RESELLER_LOGIN)
    assert status == 403


# -- numbers (gap 10) ----------------------------------------------------------------------

def test_numbers_seed_record_and_null_alert_info(api):
    record = api.ok("GET", "/account/%s/number" % DAVE_GUID)[0]
    assert record["number"] == "6499740205" and record["assigned"] == "dave@dcom" and record["is-pilot"] is True
    assert record["alert-info"] == "dr4"
    record = api.ok("PUT", "/account/%s/number/%s?patch=true" % (DAVE_GUID, DAVE_NUMBER_GUID), {"alert-info": None})[0]
    assert record["alert-info"] == ""
    assert record["_links"]["parent"]["href"] == "/api-sys/account/" + DAVE_GUID
    assert api.ok("GET", "/number/" + DAVE_NUMBER_GUID)[0] == record
    status, _data, _resp = api.call("DELETE", "/number/" + DAVE_NUMBER_GUID)
    assert status == 405


def test_numberallocate_moves_the_pool_record_with_its_guid(api):
    make_org(api)
    free = api.ok("GET", "/account/%s/numberallocate?filter=649929%%2588" % RECEPTION)
    assert [n["guid"] for n in free] == [SEED_POOL_GUID]
    assert free[0]["assigned"] == "_unassigned.pool"
    moved = api.ok("PUT", "/account/%s/number/%s" % (RECEPTION, SEED_POOL_GUID))[0]
    assert moved["guid"] == SEED_POOL_GUID and moved["assigned"] == RECEPTION
    again = api.ok("PUT", "/account/%s/number/%s" % (RECEPTION, SEED_POOL_GUID))[0]
    assert again == moved  # repeating an allocation is a no-op
    assert api.ok("GET", "/account/%s/numberallocate?filter=649929%%2588" % RECEPTION) == []
    status, data, _resp = api.call("PUT", "/account/%s/number/%s" % (ORG, SEED_POOL_GUID))
    assert status == 409
    released = api.ok("DELETE", "/account/%s/number/%s" % (RECEPTION, SEED_POOL_GUID))[0]
    assert released["assigned"] == "_unassigned.pool" and released["guid"] == SEED_POOL_GUID


def test_number_by_value_unique_system_wide(api):
    make_org(api)
    first = api.ok("PUT", "/account/%s/number" % RECEPTION, {"number": "6491231234"})[0]
    again = api.ok("PUT", "/account/%s/number" % RECEPTION, {"number": "6491231234", "alert-info": "dr2"})[0]
    assert again["guid"] == first["guid"] and again["alert-info"] == "dr2"
    status, data, _resp = api.call("PUT", "/account/%s/number" % ORG, {"number": "6491231234"})
    assert status == 409 and data[0]["error"].startswith("exists")
    # a: numbers may repeat (outgoing rewrite)
    api.ok("PUT", "/account/%s/number" % ORG, {"number": "a:6499740205"})
    status, data, _resp = api.call("PUT", "/account/%s/number" % ORG, {"number": "+6491231234"})
    assert status == 400 and data[0]["error"].startswith('number: "+6491231234" is not an E.164 number')


# -- routes, call rules, forks (gaps 1, 9) ------------------------------------------------

def test_collection_put_appends_and_orders_may_repeat(api):
    make_org(api)
    body = {"order": "-8", "menu_level": 1, "digit_map": "1=#3,5=#2,T=#3", "time_definition": "nz_holidays,!Mon-Thur 08:30-17:00"}
    first = api.ok("PUT", "/account/%s/route" % ORG, body)[0]
    second = api.ok("PUT", "/account/%s/route" % ORG, body)[0]
    assert first["guid"] != second["guid"] and first["order"] == -8
    assert len(api.ok("GET", "/account/%s/route" % ORG)) == 2
    updated = api.ok("PATCH", "/account/%s/route/%s" % (ORG, first["guid"]), {"ring_seconds": 10})[0]
    assert updated["ring_seconds"] == 10 and updated["digit_map"] == body["digit_map"]
    api.ok("DELETE", "/account/%s/route/%s" % (ORG, first["guid"].lower()))
    assert [r["guid"] for r in api.ok("GET", "/account/%s/route" % ORG)] == [second["guid"]]


def test_client_chosen_guid_makes_create_idempotent(api):
    make_org(api)
    guid = api.ok("GET", "/guid")[0]["guid"]
    body = {"order": -2, "prefix_raw": "600", "username": RECEPTION, "destination": ":600"}
    first = api.ok("PUT", "/account/%s/callrule/%s" % (ORG, guid), body)[0]
    again = api.ok("PUT", "/account/%s/callrule/%s" % (ORG, guid), body)[0]
    assert first == again and first["guid"] == guid
    assert len(api.ok("GET", "/account/%s/callrule" % ORG)) == 1


@pytest.mark.parametrize("path, body, message", [
    ("route", {"order": -8, "digit_map": "1#3"}, 'digit_map: entry "1#3" is not key=action'),
    ("route", {"order": -8, "time_definition": "Mon-Thurx 08:30-17:00"}, "time_definition: \"Mon-Thurx 08:30-17:00\" names an unknown day"),
    ("route", {"order": 100, "username": "ghost@acmebrick.x.co.nz"}, 'username: no account "ghost@acmebrick.x.co.nz"'),
    ("route", {"destination": "x"}, "order: required"),
    ("route", {"order": 1, "promptguid": "4319C6B9-EAEF-4583-97B3-1CC13514EED4"}, 'promptguid: no prompt'),
    ("callrule", {"order": -14, "location": "<CallRule-Mars>"}, 'location: no location "<CallRule-Mars>"'),
    ("callrule", {"order": -14, "destination": "drop:abc:x"}, "destination: \"drop:abc:x\" must be drop:"),
    ("fork", {"destination": RECEPTION}, "destination: \"%s\" is not a DDI" % RECEPTION),
])
def test_entry_validation(api, path, body, message):
    make_org(api)
    status, data, _resp = api.call("PUT", "/account/%s/%s" % (ORG, path), body)
    assert status == 400 and data[0]["error"].startswith(message), data
    assert api.ok("GET", "/account/%s/%s" % (ORG, path)) == []


def test_fork_same_destination_returns_existing(api):
    make_org(api)
    first = api.ok("PUT", "/account/%s/fork" % ORG, {"destination": "6499290088"})[0]
    again = api.ok("PUT", "/account/%s/fork" % ORG, {"destination": "6499290088"})[0]
    assert first == again and len(api.ok("GET", "/account/%s/fork" % ORG)) == 1


def test_callrule_location_matches_catalogue(api):
    names = [loc["name"] for loc in api.ok("GET", "/location?filter=<CallR%25")]
    assert "<CallRule-International>" in names and "<CallRule-Mobile>" in names
    assert all(name.startswith("<CallRule") for name in names)
    make_org(api)
    rule = api.ok("PUT", "/account/%s/callrule" % RECEPTION,
                  {"order": -14, "location": "<callrule-international>", "destination": "drop:404:destination blocked"})[0]
    assert rule["location"] == "<CallRule-International>"


# -- prompts ---------------------------------------------------------------------------------

def test_prompt_upload_under_client_guid_and_record_by_phone(api):
    make_org(api)
    guid = api.ok("GET", "/guid")[0]["guid"]
    audio = wav_bytes(2.5)
    status, data, _resp = api.call("PUT", "/account/%s/prompt/%s" % (ORG, guid), files={"file": ("greeting.wav", audio, "audio/wav")})
    assert status == 200 and data[0]["prompt_length"] == 2.5 and data[0]["guid"] == guid
    named = api.ok("PATCH", "/account/%s/prompt/%s" % (ORG, guid), {"description": "MyMessageGreeting"})[0]
    assert named["description"] == "MyMessageGreeting" and named["prompt_length"] == 2.5
    empty = api.ok("PUT", "/account/%s/prompt/" % ORG, {"description": "After Hours Menu"})[0]
    assert empty["prompt_length"] == 0 and empty["group_access"].startswith("*22")
    assert empty["group_access"] != named["group_access"]
    status, data, _resp = api.call("PUT", "/account/%s/prompt/%s" % (ORG, guid), files={"file": ("x.wav", b"ID3 mp3 data", "audio/mpeg")})
    assert (status, data) == (400, [{"error": "file: not a WAV file (expected RIFF/WAVE audio)"}])
    assert set(named) == set(docs.PROMPT_FIELDS) | {"_links"}
    # a route may play a prompt of another account (the shared PIN prompt of the seed)
    api.ok("PUT", "/account/%s/route" % ORG, {"order": -8, "menu_level": 1, "digit_map": "5666=conference:6499290085",
                                              "promptguid": SHARED_PIN_PROMPT})


# -- OPTIONS (gap 13) ------------------------------------------------------------------------------

def test_options_documents_exactly_the_spec_fields(api):
    info = api.ok("OPTIONS", "/account/*/number")[0]
    assert info["description"] == "Manage account phonenumbers"
    assert info["methods"] == ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"]
    assert set(info["fields"]) == {"guid", "number", "is-pilot", "cfa", "alert-info", "account-code"}
    assert api.ok("OPTIONS", "/account/%s/route/%s" % (ORG, SEED_POOL_GUID))[0]["fields"] == docs.ROUTE_FIELDS
    hydra = api.ok("OPTIONS", "/hydraaccount")[0]
    assert set(hydra["fields"]) == {"password", "cfna_dest", "cfna_active", "ums_pin", "concurrent_limit", "private", "callerid"}
    status, data, _resp = api.call("OPTIONS", "/nothing")
    assert (status, data) == (404, [{"error": "invalid path"}])


# -- HydraAccount (gaps 8, 11) -----------------------------------------------------------------------

def test_hydra_account_line(api):
    body = {"password": "5gjgosk2@#", "cfna_dest": "6499650085", "cfna_active": True, "note": "ignored", "ums_pin": "5676",
            "concurrent_limit": 2, "private": 1, "callerid": True}
    line = api.ok("PUT", "/HydraAccount/6499878037", body)[0]
    assert {k: line[k] for k in body if k != "note"} == {k: v for k, v in body.items() if k != "note"}
    assert "note" not in line
    assert api.ok("GET", "/hydraaccount/6499878037")[0] == line
    line = api.ok("PUT", "/hydraaccount/6499878037", {"ums_pin": None, "concurrent_limit": 1})[0]
    assert line["ums_pin"] is None and line["concurrent_limit"] == 1 and line["cfna_dest"] == "6499650085"
    account = api.ok("GET", "/account/_tel.6499878037")[0]
    assert account["concurrent_call_limit"] == 1 and account["private"] is True
    assert api.ok("GET", "/account/_tel.6499878037/number")[0]["number"] == "6499878037"
    api.ok("DELETE", "/hydraaccount/6499878037")
    status, _data, _resp = api.call("GET", "/hydraaccount/6499878037")
    assert status == 404
    free = api.ok("GET", "/account/x.co.nz/numberallocate?filter=6499878037")
    assert [n["assigned"] for n in free] == ["_unassigned.pool"]


def test_hydra_account_refuses_a_number_of_another_account(api):
    status, data, _resp = api.call("PUT", "/hydraaccount/6499740205", {"password": "x1234567"})
    assert status == 409 and "dave@dcom" in data[0]["error"]
    status, data, _resp = api.call("PUT", "/hydraaccount/6499878037", {"private": 2})
    assert (status, data) == (400, [{"error": "private: must be 0 (presented) or 1 (private)"}])


# -- registrations (read-only, seeded) -------------------------------------------------------

def test_registrations_are_read_only_and_drive_reg_status(api):
    regs = api.ok("GET", "/account/dave@dcom/reg")
    assert len(regs) == 1 and regs[0]["contact"].startswith("sip:dave@")
    assert set(regs[0]) == set(docs.REG_FIELDS) | {"_links"}
    assert api.ok("GET", "/account/dave@dcom")[0]["reg_status"] == "registered"
    make_org(api)
    assert api.ok("GET", "/account/%s/reg" % RECEPTION) == []
    assert api.ok("GET", "/account/" + RECEPTION)[0]["reg_status"] == "unregistered"
    status, data, response = api.call("PUT", "/account/%s/reg" % RECEPTION, {"contact": "sip:x@y"})
    assert (status, data) == (405, [{"error": "method not allowed"}])
    assert "GET" in response.headers["Allow"]
