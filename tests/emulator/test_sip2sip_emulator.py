# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SIP2SIP emulator over real HTTP: every quirk of the spec's "Gaps and
traps" pinned, so that a client which tries Basic, trusts the HTTP status or
json-decodes the raw body of ``set_call_forwarding`` fails against it exactly as
it would against the platform.

Digest headers are computed here by hand (not by ``requests``) so the tests
control nonce reuse, the username form and the realm."""

import hashlib
import json
import os
import re

import pytest
import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from voip_emulator.testing import EmulatorProcess

DOMAIN = "sip2sip.info"
ALICE = ("alice", "alice-web-secret")  # has a web password: it wins over the SIP password
BOB = ("bob", "bob-sip-secret")  # SIP password only, no mobile number, not prepaid

EXTRA_ACCOUNTS = {
    "accounts": [
        {"username": "dora", "domain": DOMAIN, "password": "dora-secret", "owner": 4001,
         "accept_rules": {"persistent": [
             {"days": 31, "start": "08:00", "stop": "12:00", "groups": ["everybody"]},
             {"days": 31, "start": "13:00", "stop": "17:00", "groups": ["vip"]},
             {"days": 96, "start": "10:00", "stop": "16:00", "groups": ["everybody"]}]},
         "aliases": ["dora%02d" % number for number in range(1, 26)]},
        {"username": "fred", "domain": DOMAIN, "password": "fred-secret", "accept_rules": {"persistent": None}},
        {"username": "erin", "domain": DOMAIN, "password": "erin-secret", "owner": 4002,
         "backend_faults": {"get_aliases": "Connection to NGNPro timed out", "set_call_forwarding": "Backend locked"},
         "php_fatal": ["get_monthly_usage"]},
    ],
    "generate": [{"prefix": "load", "count": 3, "domain": DOMAIN, "password": "load-{n}-secret"}],
}


def md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def challenge_params(header):
    assert header.startswith("Digest "), header
    return {key: value.strip('"') for key, value in re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', header)}


class Digest:
    """A hand-rolled digest client keeping its nonce between requests."""

    def __init__(self, url, username, password, realm_param=DOMAIN, digest_realm=None):
        self.url = url + "/settings.phtml"
        self.username = username
        self.password = password
        self.realm_param = realm_param
        self.digest_realm = digest_realm
        self.nonce = None
        self.count = 0

    def header(self, method, uri):
        self.count += 1
        realm = self.digest_realm
        ha1 = md5("%s:%s:%s" % (self.username, realm, self.password))
        ha2 = md5("%s:%s" % (method, uri))
        nc, cnonce = "%08x" % self.count, "0a4f113b"
        response = md5(":".join((ha1, self.nonce, nc, cnonce, "auth", ha2)))
        return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", qop=auth, nc=%s, cnonce="%s"'
                % (self.username, realm, self.nonce, uri, response, nc, cnonce))

    def call(self, action=None, method="GET", data=None, **params):
        query = {} if self.realm_param is None else {"realm": self.realm_param}
        if action is not None:
            query["action"] = action
        query.update(params)
        prepared = requests.Request(method, self.url, params=query, data=data).prepare()
        uri = prepared.path_url
        if self.nonce is None:
            first = requests.Session().send(prepared)
            assert first.status_code == 401
            challenge = challenge_params(first.headers["WWW-Authenticate"])
            self.nonce = challenge["nonce"]
            self.digest_realm = self.digest_realm or challenge["realm"]
        prepared.headers["Authorization"] = self.header(method, uri)
        return requests.Session().send(prepared)

    def json(self, action, **params):
        response = self.call(action, **params)
        assert response.status_code == 200, response.text
        return json.loads(response.text)


@pytest.fixture(scope="module")
def sip2sip_session(tmp_path_factory):
    state_dir = str(tmp_path_factory.mktemp("sip2sip-state"))
    with open(os.path.join(state_dir, "sip2sip-accounts.json"), "w", encoding="utf-8") as stream:
        json.dump(EXTRA_ACCOUNTS, stream)
    with EmulatorProcess(platform="sip2sip", state_dir=state_dir) as emulator:
        yield emulator


@pytest.fixture
def emu(sip2sip_session):
    sip2sip_session.ensure_running()
    sip2sip_session.reset()
    return sip2sip_session


def client(emu, login=ALICE, **kwargs):
    return Digest(emu.url, login[0], login[1], **kwargs)


# -- authentication -------------------------------------------------------

def test_no_credentials_get_a_digest_challenge_with_the_realm_parameter_and_an_empty_body(emu):
    response = requests.get(emu.url + "/settings.phtml", params={"realm": DOMAIN, "action": "get_identity"})
    assert response.status_code == 401
    assert response.content == b""
    challenge = challenge_params(response.headers["WWW-Authenticate"])
    assert challenge["realm"] == DOMAIN
    assert challenge["qop"] == "auth"
    assert challenge["opaque"] == md5(DOMAIN)
    expiry = float(__import__("base64").b64decode(challenge["nonce"]).decode().partition(":")[0])
    assert 299 <= expiry - emu.clock()["now"] <= 300


def test_basic_auth_is_never_accepted_it_is_challenged_again(emu):
    response = requests.get(emu.url + "/settings.phtml", params={"realm": DOMAIN, "action": "get_identity"},
                            auth=HTTPBasicAuth(*ALICE))
    assert response.status_code == 401
    assert response.content == b""
    assert response.headers["WWW-Authenticate"].startswith("Digest ")
    assert emu.requests()[-1]["auth"] == "basic"


def test_realm_parameter_user_at_domain_uses_the_domain_and_no_parameter_means_SIP_settings(emu):
    with_at = requests.get(emu.url + "/settings.phtml", params={"realm": "alice@" + DOMAIN})
    assert challenge_params(with_at.headers["WWW-Authenticate"])["realm"] == DOMAIN
    without = requests.get(emu.url + "/settings.phtml", params={"action": "get_identity"})
    assert challenge_params(without.headers["WWW-Authenticate"])["realm"] == "SIP_settings"


def test_requests_digest_auth_works_with_bare_username_and_realm_parameter(emu):
    response = requests.get(emu.url + "/settings.phtml", params={"realm": DOMAIN, "action": "get_identity"},
                            auth=HTTPDigestAuth(*ALICE))
    assert response.status_code == 200
    assert json.loads(response.text)["sip_address"] == "alice@" + DOMAIN
    assert emu.requests()[-1]["auth"] == "digest"


def test_web_password_needs_bare_lowercase_username_and_the_domain_realm(emu):
    assert client(emu).call("get_identity").status_code == 200
    assert client(emu, ("alice@" + DOMAIN, ALICE[1])).call("get_identity").status_code == 401
    assert client(emu, ("Alice", ALICE[1])).call("get_identity").status_code == 401
    # The SIP password no longer works once a web password is set.
    assert client(emu, ("alice", "alice-sip-secret")).call("get_identity").status_code == 401


def test_without_realm_parameter_the_domain_comes_from_a_user_at_domain_username(emu):
    # bob has no web password: HA1 = md5(username as sent : SIP_settings : SIP password).
    bob = client(emu, ("bob@" + DOMAIN, BOB[1]), realm_param=None)
    assert bob.json("get_identity")["sip_address"] == "bob@" + DOMAIN
    assert client(emu, BOB, realm_param=None).call("get_identity").status_code == 401  # looks up bob@SIP_settings


def test_account_storing_only_a_hashed_sip_password(emu):
    carol = client(emu, ("carol", "carol-sip-secret"), realm_param="example.com")
    assert carol.json("get_identity")["mobile_number"] == "+41791234567"  # from the owner record


def test_unknown_account_and_wrong_password_are_the_same_401(emu):
    wrong = client(emu, ("alice", "nope")).call("get_identity")
    unknown = client(emu, ("nobody", "nope")).call("get_identity")
    for response in (wrong, unknown):
        assert response.status_code == 401 and response.content == b""
        assert "stale" not in response.headers["WWW-Authenticate"]


def test_nonce_is_reusable_for_300_seconds_of_the_emulator_clock_then_stale(emu):
    emu.freeze_clock()
    alice = client(emu)
    assert alice.call("get_identity").status_code == 200
    first_nonce = alice.nonce
    emu.advance_clock(299)
    assert alice.call("get_aliases").status_code == 200  # same nonce, no new challenge
    assert alice.nonce == first_nonce
    emu.advance_clock(2)
    stale = alice.call("get_aliases")
    assert stale.status_code == 401
    assert "stale=true" in stale.headers["WWW-Authenticate"]
    # A wrong password with the old nonce is not "stale": it is wrong.
    assert "stale" not in client(emu, ("alice", "nope")).call("get_identity").headers.get("WWW-Authenticate", "")


def test_missing_qop_nc_cnonce_are_refused(emu):
    alice = client(emu)
    alice.call("get_identity")
    prepared = requests.Request("GET", alice.url, params={"realm": DOMAIN, "action": "get_identity"}).prepare()
    header = re.sub(r", qop=auth, nc=\w+, cnonce=\"\w+\"", "", alice.header("GET", prepared.path_url))
    prepared.headers["Authorization"] = header
    assert requests.Session().send(prepared).status_code == 401


# -- response envelopes ----------------------------------------------------

def test_json_answers_are_served_as_text_html(emu):
    response = client(emu).call("get_identity")
    assert response.headers["Content-Type"].startswith("text/html")
    assert json.loads(response.text)["no_answer_timeout"] == 35


def test_setter_errors_are_http_200_with_success_false(emu):
    alice = client(emu)
    missing = alice.call("add_alias")
    assert missing.status_code == 200
    assert json.loads(missing.text) == {"success": False, "error_message": "Error: missing username"}
    taken = alice.call("add_alias", username="alice.smith")
    assert taken.status_code == 200
    body = json.loads(taken.text)
    assert body["success"] is False and body["error_message"].startswith("Error (SipPort): ")


def test_failing_getter_answers_an_html_fragment_followed_by_null(emu):
    response = client(emu, BOB).call("get_prepaid")
    assert response.status_code == 200
    assert response.text.startswith("<div class=row-fluid>")
    assert "alert alert-error'>Error (SipPort): " in response.text
    assert response.text.endswith("null")
    with pytest.raises(ValueError):
        json.loads(response.text)


def test_failing_alias_getter_ends_with_an_empty_list(emu):
    response = client(emu, ("erin", "erin-secret")).call("get_aliases")
    assert response.status_code == 200
    assert response.text.startswith("<div") and response.text.endswith("[]")
    assert "Connection to NGNPro timed out" in response.text


def test_unknown_actions_and_the_page_without_action(emu):
    alice = client(emu)
    assert json.loads(alice.call("get_nothing").text) == {"success": False, "error_message": "Error: invalid action"}
    html_then_json = alice.call("nothing").text
    assert html_then_json.startswith("<!DOCTYPE html>")
    assert html_then_json.endswith('{"success":false,"error_message":"Error: invalid action"}')
    page = alice.call(None)
    assert page.status_code == 200 and "<form" in page.text


def test_php_fatal_is_500_with_empty_body(emu):
    response = client(emu, ("erin", "erin-secret")).call("get_monthly_usage")
    assert response.status_code == 500 and response.content == b""


def test_other_pages_are_404(emu):
    assert requests.get(emu.url + "/api/", params={"realm": DOMAIN}).status_code == 404


# -- call forwarding -------------------------------------------------------

def test_set_call_forwarding_prints_debug_text_before_the_json(emu):
    alice = client(emu)
    response = alice.call("set_call_forwarding", FUNC="+41791112233@other.net", FNOA="<voice-mailbox>")
    assert response.status_code == 200
    assert response.text.startswith("Key FUNC changed +41791112233@other.netKey FNOA changed <voice-mailbox>{")
    with pytest.raises(ValueError):
        json.loads(response.text)
    tail = json.loads(response.text[response.text.index("{"):])
    assert tail == {"success": True,
                    "error_message": "Changed diversions FUNC=sip:+41791112233@sip2sip.info FNOA=<voice-mailbox> "}


def test_forwarding_targets_are_rewritten_and_read_back_without_sip(emu):
    alice = client(emu)
    alice.call("set_call_forwarding", FUNC="+41791112233@other.net", FBUS="bob", FNOA="carol@example.com",
               FUNV="sips:dave@example.org", FNOL="0201234567")
    assert alice.json("get_call_forwarding") == {
        "FUNC": "+41791112233@sip2sip.info",  # domain forced for numbers
        "FNOL": "0201234567@sip2sip.info",
        "FBUS": "bob@sip2sip.info",  # domain appended
        "FNOA": "carol@example.com",
        "FUNV": "sips:dave@example.org",  # stored as sip:sips:..., read back with one prefix stripped
    }


def test_absent_keys_are_kept_empty_value_removes_and_no_key_changes_nothing(emu):
    alice = client(emu)
    alice.call("set_call_forwarding", FBUS="bob")
    assert alice.json("get_call_forwarding")["FNOL"] == "<voice-mailbox>"  # seed value kept
    alice.call("set_call_forwarding", FNOL="")
    assert alice.json("get_call_forwarding") == {"FUNC": None, "FNOL": None, "FBUS": "bob@sip2sip.info", "FNOA": None, "FUNV": None}
    same = alice.call("set_call_forwarding", XYZ="1")
    assert json.loads(same.text) == {"success": True, "error_message": "Diversions remained the same"}


def test_json_request_bodies_are_not_read(emu):
    alice = client(emu)
    alice.call("get_identity")
    prepared = requests.Request("POST", alice.url, params={"realm": DOMAIN, "action": "set_call_forwarding"},
                                json={"FUNC": "bob"}).prepare()
    prepared.headers["Authorization"] = alice.header("POST", prepared.path_url)
    response = requests.Session().send(prepared)
    assert json.loads(response.text)["error_message"] == "Diversions remained the same"
    assert alice.json("get_call_forwarding")["FUNC"] is None


def test_form_post_parameters_are_read(emu):
    alice = client(emu)
    response = alice.call("set_call_forwarding", method="POST", data={"FUNC": "bob"})
    assert response.text.startswith("Key FUNC changed bob{")
    assert alice.json("get_call_forwarding")["FUNC"] == "bob@sip2sip.info"


def test_mobile_number_keyword_needs_a_mobile_number(emu):
    alice = client(emu)
    alice.call("set_call_forwarding", FNOA="<mobile-number>")
    assert alice.json("get_call_forwarding")["FNOA"] == "+31612345678@sip2sip.info"
    bob = client(emu, BOB)
    bob.call("set_call_forwarding", FNOA="<mobile-number>")
    assert bob.json("get_call_forwarding")["FNOA"] == "<mobile-number>@sip2sip.info"  # a broken URI


def test_backend_fault_on_set_call_forwarding_comes_after_the_debug_text(emu):
    response = client(emu, ("erin", "erin-secret")).call("set_call_forwarding", FUNC="bob")
    assert response.status_code == 200
    assert response.text.startswith("Key FUNC changed bob{")
    tail = json.loads(response.text[response.text.index("{"):])
    assert tail["success"] is False and "Backend locked" in tail["error_message"]


# -- accept rules, DND -----------------------------------------------------

def test_timed_dnd_counts_down_by_the_emulator_clock_then_lapses(emu):
    emu.freeze_clock()
    alice = client(emu)
    assert json.loads(alice.call("set_dnd_on", duration="30").text) == {
        "success": True, "error_message": "Do not disturb has been enabled for 30 minutes"}
    assert alice.json("get_accept_rules")["temporary"] == {"groups": ["nobody"], "duration": 30}
    emu.advance_clock(10 * 60)
    alice.nonce = None
    assert alice.json("get_accept_rules")["temporary"] == {"groups": ["nobody"], "duration": 20}
    emu.advance_clock(20 * 60)
    alice.nonce = None
    assert alice.json("get_accept_rules")["temporary"] == {"groups": [], "duration": 0}


def test_untimed_dnd_stays_until_switched_off(emu):
    emu.freeze_clock()
    alice = client(emu)
    assert json.loads(alice.call("set_dnd_on").text)["error_message"] == "Do not disturb has been enabled"
    emu.advance_clock(280)
    assert alice.json("get_accept_rules")["temporary"] == {"groups": ["nobody"], "duration": 0}
    assert json.loads(alice.call("set_dnd_off").text)["error_message"] == "Do not disturb has been disabled"
    assert alice.json("get_accept_rules")["temporary"] == {"groups": ["everybody"], "duration": 0}


def test_dnd_write_back_loses_rules_sharing_a_days_value(emu):
    dora = client(emu, ("dora", "dora-secret"))
    before = dora.json("get_accept_rules")["persistent"]
    # The getter already shows one rule per days value.
    assert before == {"31": {"start": "13:00", "stop": "17:00", "groups": ["vip"]},
                      "96": {"start": "10:00", "stop": "16:00", "groups": ["everybody"]}}
    dora.call("set_dnd_on", duration="5")
    assert dora.json("get_accept_rules")["persistent"] == before
    dora.call("set_dnd_off")
    assert dora.json("get_accept_rules")["persistent"] == before
    # alice's two rules with distinct days survive DND intact.
    alice = client(emu)
    rules = alice.json("get_accept_rules")["persistent"]
    alice.call("set_dnd_on", duration="5")
    assert alice.json("get_accept_rules")["persistent"] == rules


def test_no_persistent_list_from_the_backend_kills_the_page(emu):
    fred = client(emu, ("fred", "fred-secret"))
    for action in ("get_accept_rules", "set_dnd_on", "set_dnd_off"):
        response = fred.call(action)
        assert (response.status_code, response.content) == (500, b"")


def test_negative_dnd_duration_is_a_backend_fault(emu):
    body = json.loads(client(emu).call("set_dnd_on", duration="-5").text)
    assert body["success"] is False


# -- privacy ---------------------------------------------------------------

def test_privacy_has_no_getter_and_a_second_on_fails(emu):
    alice = client(emu)
    assert json.loads(alice.call("set_privacy_on").text) == {"success": True, "error_message": "Caller-ID is now hidden for outgoing calls"}
    again = alice.call("set_privacy_on")
    assert again.status_code == 200
    assert json.loads(again.text)["success"] is False and "(1030)" in json.loads(again.text)["error_message"]
    assert json.loads(alice.call("set_privacy_off").text)["success"] is True
    assert json.loads(alice.call("set_privacy_off").text)["success"] is True  # 1031 swallowed
    assert json.loads(alice.call("get_privacy").text)["error_message"] == "Error: invalid action"


# -- aliases, lists ----------------------------------------------------------

def test_aliases_page_is_capped_at_20_and_a_full_page_is_not_proof_of_absence(emu):
    dora = client(emu, ("dora", "dora-secret"))
    page = dora.json("get_aliases")
    assert page == ["dora%02d@sip2sip.info" % number for number in range(1, 21)]
    assert "dora25@sip2sip.info" not in page
    exists = json.loads(dora.call("add_alias", username="dora25").text)
    assert exists["success"] is False


def test_add_alias_lowercases_and_trims(emu):
    alice = client(emu)
    assert json.loads(alice.call("add_alias", username=" Ali.Office ").text) == {"success": True, "error_message": "Added alias  Ali.Office "}
    assert "ali.office@sip2sip.info" in alice.json("get_aliases")
    # an alias taken by someone else is a fault too
    assert json.loads(alice.call("add_alias", username="support").text)["success"] is False


def test_set_aliases_form_action_answers_html_and_replaces_the_set(emu):
    alice = client(emu)
    page = alice.call("set aliases", method="POST", data={"aliases[]": ["one", "two@sip2sip.info", "bad name"]})
    assert page.text.startswith("<!DOCTYPE html>")
    assert alice.json("get_aliases") == ["one@sip2sip.info", "two@sip2sip.info"]


def test_set_accept_rules_form_action_replaces_every_rule(emu):
    alice = client(emu)
    page = alice.call("set accept rules", method="POST", data={
        "radio_persistent_31": "2", "start_31": "08:00", "stop_31": "17:00", "groups_31[]": ["vip", "family"],
        "radio_persistent_96": "0", "start_96": "25:00", "stop_96": "26:00",  # invalid times: dropped
        "radio_temporary": "1", "duration": "15"})
    assert page.text.startswith("<!DOCTYPE html>")
    rules = alice.json("get_accept_rules")
    assert rules["persistent"] == {"31": {"start": "08:00", "stop": "17:00", "groups": ["vip", "family"]}}
    assert rules["temporary"] == {"groups": ["nobody"], "duration": 15}


def test_empty_lists_are_null_where_the_platform_says_so(emu):
    bob = client(emu, BOB)
    assert bob.json("get_devices") is None
    assert bob.json("get_history") == {"placed": None, "received": None}
    assert bob.json("get_aliases") == []
    assert bob.json("get_voicemail") is None


def test_history_window_and_skipped_calls(emu):
    history = client(emu).json("get_history")
    remote = [call["remoteParty"] for call in history["placed"]]
    assert remote == ["sip:+31201111111@sip2sip.info", "sip:bob@sip2sip.info"]  # 435 and >14 days skipped, newest first
    assert "price" not in history["received"][0]


def test_voicemail_returns_the_clear_text_password_and_balance_history_csv(emu):
    alice = client(emu)
    assert alice.json("get_voicemail")["Password"] == "4321"
    csv_text = alice.call("get_balance_history", csv="1").text
    assert csv_text.splitlines()[0] == "Date,Action,Description,Value,Balance,Session"


def test_devices_expire_by_the_clock(emu):
    emu.freeze_clock()
    alice = client(emu)
    assert 3590 <= alice.json("get_devices")[0]["expires"] <= 3600
    emu.advance_clock(3601)
    alice.nonce = None
    assert alice.json("get_devices") is None


# -- journal -----------------------------------------------------------------

def test_journal_put_has_no_deduplication_and_get_limit_below_5000_returns_nothing(emu):
    alice = client(emu)
    entries = json.dumps([{"id": "msg-1", "data": "ZW5jcnlwdGVk"}, {"id": "msg-2"}])
    first = json.loads(alice.call("put_journal_entries", method="POST", data={"uuid": "urn:uuid:a", "data": entries}).text)
    assert first == {"results": [{"id": "msg-1", "journal_id": "1", "source": "default"}], "success": True}
    second = json.loads(alice.call("put_journal_entries", method="POST", data={"uuid": "urn:uuid:a", "data": entries}).text)
    assert second["results"][0]["journal_id"] == "2"
    assert alice.json("get_journal_entries")["rows"] == 2
    assert alice.json("get_journal_entries", limit="100") == {"success": True, "error_message": None, "rows": 0, "results": []}
    assert alice.json("get_journal_entries", limit="5000")["rows"] == 2
    assert alice.json("get_journal_entries", except_uuid="urn:uuid:a")["rows"] == 0
    assert [row["id"] for row in alice.json("get_journal_entries", after_id="1")["results"]] == ["2"]
    # bob sees none of alice's entries
    assert client(emu, BOB).json("get_journal_entries")["rows"] == 0


def test_journal_after_timestamp_is_a_datetime_string_not_epoch(emu):
    emu.set_clock("2026-05-01T10:00:00Z", freeze=True)
    alice = client(emu)
    alice.call("put_journal_entries", method="POST", data={"uuid": "u", "data": json.dumps([{"id": 1, "data": "x"}])})
    row = alice.json("get_journal_entries")["results"][0]
    assert row["timestamp"] == "2026-05-01 10:00:00"
    assert alice.json("get_journal_entries", after_timestamp="1777629600")["rows"] == 1  # epoch filters nothing
    assert alice.json("get_journal_entries", after_timestamp="2026-05-01 10:00:00")["rows"] == 0


def test_journal_error_shapes(emu):
    alice = client(emu)

    def put(**data):
        return alice.call("put_journal_entries", method="POST", data=data)

    assert json.loads(put(data="[]").text) == {"results": [], "success": False, "error_message": "Missing uuid"}
    assert json.loads(put(uuid="u").text) == {"results": [], "success": False, "error_message": "Missing data"}
    assert json.loads(put(uuid="u", data="[]").text) == {"results": [], "success": False, "error_message": "Json decode error"}
    assert json.loads(put(uuid="u", data="{}").text) == {"results": [], "success": True}
    crash = put(uuid="u", data=json.dumps([{"id": 1, "data": {"not": "a string"}}]))
    assert crash.status_code == 500 and crash.content == b""
    assert json.loads(alice.call("delete_journal_entries", journal_id="1").text) == {"error_message": "database error"}
    assert json.loads(alice.call("delete_journal_entries").text) == {"success": False, "error_message": "Missing data"}


# -- seed, persistence, log ------------------------------------------------------

def test_seed_extension_file_and_generated_accounts(emu):
    assert client(emu, ("load3", "load-3-secret")).json("get_identity")["sip_address"] == "load3@sip2sip.info"
    assert client(emu, ("dora", "dora-secret")).json("get_identity")["first"] == ""


def test_state_survives_a_restart(emu):
    client(emu).call("set_call_forwarding", FBUS="bob")
    emu.restart()
    assert client(emu).json("get_call_forwarding")["FBUS"] == "bob@sip2sip.info"


def test_request_log_names_the_action(emu):
    client(emu).call("set_dnd_off")
    entries = [entry for entry in emu.requests() if entry["status"] == 200]
    assert "action=set_dnd_off" in entries[-1]["path"]
