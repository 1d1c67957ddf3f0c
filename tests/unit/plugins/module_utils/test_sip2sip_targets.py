# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SIP2SIP forwarding targets: the server's rewriting applied to wanted values
(spec 5.11), the values refused before any request, and the dialect's reading
of the platform's answer shapes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.core.dialect import set_expected
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.api import page_url, split_account
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.dialect import Sip2SipDialect, fault_code
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.targets import (
    check_target, comparable, read_form, stored_form,
)

DOMAIN = "sip2sip.info"
MOBILE = "+31612345678"


@pytest.mark.parametrize("wanted, stored", [
    ("<voice-mailbox>", "<voice-mailbox>"),
    ("<mobile-number>", "sip:+31612345678@sip2sip.info"),
    ("bob", "sip:bob@sip2sip.info"),
    ("bob@example.com", "sip:bob@example.com"),
    ("sip:bob@example.com", "sip:bob@example.com"),
    ("+41791234567", "sip:+41791234567@sip2sip.info"),
    ("0041791234567@sip2sip.info", "sip:0041791234567@sip2sip.info"),
])
def test_stored_form_follows_the_server_rules(wanted, stored):
    check_target("forwarding.busy", wanted, DOMAIN)
    assert stored_form(wanted, DOMAIN, MOBILE) == stored
    assert comparable(wanted, DOMAIN, MOBILE) == read_form(stored)


def test_equivalent_spellings_compare_equal_and_empty_means_removed():
    forms = ["+41791234567", "+41791234567@sip2sip.info", "sip:+41791234567@sip2sip.info"]
    assert len(set(comparable(form, DOMAIN, None) for form in forms)) == 1
    assert comparable("", DOMAIN, None) is None
    assert read_form("sip:sips:x@y.z") == "sips:x@y.z"
    assert read_form("") is None


@pytest.mark.parametrize("value, words", [
    ("+41791234567@other.net", "replaces the domain"),
    ("sips:bob@example.com", "sip:sips:"),
    ("tel:+41791234567", "only SIP targets"),
    ("<voicemail>", "unknown keyword"),
    ("bob smith", "no spaces"),
    (" bob", "no spaces"),
    ("+4179 1234", "no spaces"),
    ("+41-79", "digits only"),
    ("bob@exa mple.com", "no spaces"),
    ("bob@-bad-.com", "invalid domain"),
    ("@example.com", "invalid user part"),
])
def test_values_the_server_would_mangle_are_refused_naming_the_field(value, words):
    with pytest.raises(InputError) as raised:
        check_target("forwarding.no_answer", value, DOMAIN)
    assert "forwarding.no_answer" in str(raised.value) or "keyword" in str(raised.value)
    assert words in str(raised.value)


def test_mobile_keyword_without_a_mobile_number_is_an_error():
    with pytest.raises(InputError):
        stored_form("<mobile-number>", DOMAIN, "")


@pytest.mark.parametrize("account, expected", [
    ("alice@sip2sip.info", ("alice", "sip2sip.info")),
    ("Alice@SIP2SIP.info", ("alice", "sip2sip.info")),
    ("sip:alice@sip2sip.info", ("alice", "sip2sip.info")),
])
def test_account_is_a_lower_case_sip_address(account, expected):
    assert split_account(account) == expected


@pytest.mark.parametrize("account", ["alice", "alice@", "@sip2sip.info", "alice@localhost", "al ice@sip2sip.info", None])
def test_account_must_be_user_at_domain(account):
    with pytest.raises(InputError):
        split_account(account)


def test_page_url():
    assert page_url(None) == ("https://enrollment.sipthor.net", "settings.phtml")
    assert page_url("https://example.org/") == ("https://example.org", "settings.phtml")
    assert page_url("https://example.org/sip_settings_digest.phtml") == ("https://example.org", "sip_settings_digest.phtml")
    with pytest.raises(InputError):
        page_url("enrollment.sipthor.net")


class FakeRequest:
    def __init__(self, url):
        self.url = url


class FakeResponse:
    def __init__(self, text, status=200, action="get_identity", content_type="text/html; charset=UTF-8"):
        self.content = text.encode("utf-8")
        self.encoding = "utf-8"
        self.status_code = status
        self.reason = "OK"
        self.headers = {"Content-Type": content_type}
        self.request = FakeRequest("https://x/settings.phtml?realm=d&action=%s" % action.replace(" ", "+"))


def read(text, expect=None, **kwargs):
    dialect = Sip2SipDialect()
    response = FakeResponse(text, **kwargs)
    set_expected(response, expect)  # what the client does for request(..., expect=...)
    body = dialect.decode(response)
    return body, dialect.error_in(response, body)


def test_dialect_reads_the_json_after_the_debug_text():
    body, error = read('Key FUNC changed bob{"success":true,"error_message":"Changed diversions FUNC=sip:bob@d "}')
    assert error is None and body["success"] is True


def test_dialect_errors_whatever_the_status_says():
    assert read('{"success":false,"error_message":"Error: missing username"}')[1] == "Error: missing username"
    assert read('{"error_message":"database error"}')[1] == "database error"
    fragment = "<div class=row-fluid><span class='alert alert-error'>Error (SipPort): f (1040): not prepaid</span></div>\nnull"
    assert "not prepaid" in read(fragment)[1]
    assert "invalid action" in read('<!DOCTYPE html><html><body>\n{"success":false,"error_message":"Error: invalid action"}')[1]
    assert "HTML page" in read("<html><body>settings</body></html>")[1]


def test_dialect_accepts_form_actions_and_plain_getters():
    # A web form action is sent with expect="html": its page is its answer ...
    assert read("<html><body>settings</body></html>", action="set reject", expect="html")[1] is None
    # ... but an error alert in it is still an error, and without expect an HTML page is one.
    alert = "<html><span class='alert alert-error'>Error (SipPort): f (1040): refused</span></html>"
    assert "refused" in read(alert, action="set reject", expect="html")[1]
    assert "HTML page" in read("<html><body>settings</body></html>", action="set reject")[1]
    assert read('{"sip_address":"a@d"}')[1] is None
    assert read("null")[1] is None
    assert read('{"success":true,"error_message":null,"rows":0,"results":[]}')[1] is None


def test_fault_code():
    assert fault_code("Error (SipPort): ngnpro:Fault (1030): already member") == 1030
    assert fault_code("Error: missing username") is None


def test_items_name_each_account_once_before_any_request():
    from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.api import check_items

    check_items({"items": [{"account": "a@sip2sip.info"}, {"account": "b@sip2sip.info"}]})
    with pytest.raises(InputError) as raised:
        check_items({"items": [{"account": "a@sip2sip.info"}, {"account": "A@SIP2SIP.info"}]})
    assert "entries 1 and 2" in str(raised.value)
    with pytest.raises(InputError) as raised:
        check_items({"items": [{"account": "a@sip2sip.info"}, {"account": "nobody"}]})
    assert "items[2].account" in str(raised.value)
