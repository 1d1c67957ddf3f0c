# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-request options of the client and the messages it makes:

* ``idempotent``: a GET with side effects is never repeated once it may have
  reached the server; a POST that only reads may be;
* ``expect="html"``: a web form's HTML page is its answer (dialect hooks read it);
* a refused login and an unreachable server name the URL, the login, the auth
  method and what to check, for every platform (the dialect adds its own advice);
* a cursor API pages through the client's one paging loop (``next_page_params``);

with SIP2SIP, whose package used to work around each of them, on the real
emulator in-process."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
import threading
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from ansible_collections.voip.provisioning.plugins.module_utils.core import client as core_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.auth import BasicAuth
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import ApiClient
from ansible_collections.voip.provisioning.plugins.module_utils.core.dialect import Dialect, expected, set_expected
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import (
    ApiError, ConnectionFailed, VoipError, not_sent_summary)
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip import journal
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.api import AccountApi
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.dialect import SERVER_PAGE_ROWS, Sip2SipDialect

try:
    import voip_emulator  # noqa: F401 pylint: disable=unused-import
except ImportError:  # ansible-test units: the emulator is in the collection's emulator/ folder
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), *([os.pardir] * 5 + ["emulator"])))
from voip_emulator.inprocess import InProcessEmulator  # noqa: E402 pylint: disable=wrong-import-position

ALICE = ("alice@sip2sip.info", "alice-web-secret")


def answer_of(status, body=b"", headers=None):
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers or {})
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response.reason = "Reason"
    return response


class Fail:
    """A scripted connection failure: the transport raises ``error``."""

    def __init__(self, error):
        self.error = error


class Transport:
    """A transport adapter: ``script`` is a list of answers, each ``(status, body)``
    or a :class:`Fail` (a connection that failed); records what was sent."""

    def __init__(self):
        self.script = []
        self.sent = []
        self.lock = threading.Lock()

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        with self.lock:
            self.sent.append((request.method, parts.path, dict(parse_qsl(parts.query)), request.body))
            step = self.script.pop(0) if self.script else (200, {})
        if isinstance(step, Fail):
            raise step.error
        answer = answer_of(*step)
        answer.request = request
        return answer

    def close(self):
        pass


@pytest.fixture
def transport(monkeypatch):
    holder = Transport()
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", holder)
    return holder


@pytest.fixture
def sip2sip(monkeypatch):
    emulator = InProcessEmulator("sip2sip")
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", emulator.adapter)
    yield emulator
    emulator.close()


def client(**kwargs):
    kwargs.setdefault("backoff_factor", 0.001)
    return ApiClient("http://api.invalid", **kwargs)


def dropped():
    """A connection lost after the request was sent (it may have been processed)."""
    return Fail(requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('closed connection without response'))"))


def never_connected():
    """A connection that could not even be opened (the request never left)."""
    return Fail(requests.exceptions.ConnectionError("NewConnectionError: Failed to establish a new connection: refused"))


# --- 1. idempotent: per request, not by method only ------------------------------------------

def test_a_get_with_side_effects_is_not_repeated_after_a_lost_answer(transport):
    transport.script = [dropped(), (200, {"ok": True})]
    with pytest.raises(ApiError) as caught:
        client().request("GET", "/settings.phtml", params={"action": "add_alias"}, idempotent=False)
    assert caught.value.uncertain is True
    assert len(transport.sent) == 1


def test_a_plain_get_is_repeated_after_a_lost_answer(transport):
    transport.script = [dropped(), (200, {"ok": True})]
    assert client().call("GET", "/settings.phtml") == {"ok": True}
    assert len(transport.sent) == 2


def test_a_get_with_side_effects_is_not_repeated_on_503_and_may_have_happened(transport):
    transport.script = [(503, {"message": "busy"}), (200, {})]
    with pytest.raises(ApiError) as caught:
        client().request("GET", "/x", idempotent=False)
    assert (caught.value.status, caught.value.uncertain) == (503, True)
    assert len(transport.sent) == 1


def test_a_get_with_side_effects_is_sent_again_when_it_never_left(transport):
    transport.script = [never_connected(), (200, {"ok": True})]
    assert client().call("GET", "/x", idempotent=False) == {"ok": True}
    assert len(transport.sent) == 2


def test_a_post_that_only_reads_may_be_repeated(transport):
    transport.script = [(503, {"message": "busy"}), (200, {"rows": []})]
    assert client().call("POST", "/search", json_body={"q": 1}, idempotent=True) == {"rows": []}
    assert [method for method, _path, _query, _body in transport.sent] == ["POST", "POST"]
    transport.script = [(503, {"message": "busy"}), (200, {})]
    with pytest.raises(ApiError):
        client().request("POST", "/search", json_body={"q": 1})  # by method: never blindly
    assert len(transport.sent) == 3


def test_sip2sip_setters_are_gets_sent_once_and_the_journal_put_a_post(sip2sip):
    api = AccountApi({"url": sip2sip.url}, *ALICE)
    api.get("get_identity")  # the digest challenge first
    sip2sip.add_fault(kind="status_after", status=502, path_regex="action=set_dnd_on", count=1)
    with pytest.raises(ApiError) as caught:
        api.set("set_dnd_on")
    assert (caught.value.status, caught.value.uncertain) == (502, True)
    assert api.get("get_accept_rules")["temporary"]["groups"] == ["nobody"]  # it did happen, once
    sent = [(e["method"], dict(parse_qsl(urlsplit(e["path"]).query))["action"]) for e in sip2sip.requests()
            if e["status"] != 401]
    assert sent == [("GET", "get_identity"), ("GET", "set_dnd_on"), ("GET", "get_accept_rules")]
    api.post("put_journal_entries", {"uuid": "u", "data": json.dumps([{"id": "1", "data": "x"}])})
    assert sip2sip.requests()[-1]["method"] == "POST"


# --- 2. messages: URL, login, auth method, what to check --------------------------------------

def test_a_refused_login_names_the_url_the_login_the_method_and_what_to_check(transport):
    transport.script = [(401, {"message": "Authorization required."})]
    auth = BasicAuth().bind({"username": "admin", "password": "s3cret"})
    with pytest.raises(ApiError) as caught:
        client(auth=auth, endpoint="http://api.invalid/api-sys/").request("GET", "/api-sys/account")
    assert str(caught.value) == (
        "GET /api-sys/account failed: HTTP 401: Authorization required. Authentication failed for login 'admin' with "
        "basic auth: check username and password (the account must exist, be active and have API access) "
        "(url http://api.invalid/api-sys)")
    assert "s3cret" not in str(caught.value)


def test_an_unreachable_server_is_named_with_the_dialects_advice(transport):
    class Advising(Dialect):
        def unreachable_hint(self, hint, who):
            return "%s; %s must be allow-listed" % (hint, who)

    transport.script = [dropped()]
    auth = BasicAuth().bind({"username": "admin", "password": "s3cret"})
    with pytest.raises(ConnectionFailed) as caught:
        client(auth=auth, retries=0, dialect=Advising()).request("GET", "/x")
    assert str(caught.value) == (
        "GET /x failed: cannot reach http://api.invalid: the server closed the connection without an answer. If port 80 "
        "speaks HTTPS, use https:// in url; else a firewall or the platform's allow-list may drop this machine; login "
        "'admin' with basic auth must be allow-listed")
    assert (caught.value.url, caught.value.cause) == ("http://api.invalid", "the server closed the connection without an answer")
    assert Dialect().unreachable_hint("Check the port", "login 'x' with basic auth") == "Check the port"


def test_sip2sip_refused_login_comes_from_the_core(sip2sip):
    api = AccountApi({"url": sip2sip.url + "/settings.phtml"}, "alice@sip2sip.info", "wrong-pass")
    with pytest.raises(ApiError) as caught:
        api.get("get_identity")
    assert str(caught.value) == (
        "GET settings.phtml?realm=sip2sip.info&action=get_identity failed: HTTP 401: the login was refused. "
        "Authentication failed for login 'alice@sip2sip.info' with digest auth: check the account (user@domain: the "
        "domain is sent as the digest realm) and the password (the account's web password when one is set, else its "
        "SIP password) (url %s/settings.phtml)" % sip2sip.url)
    assert "wrong-pass" not in str(caught.value)


def test_sip2sip_unreachable_names_the_page_the_account_and_what_to_check(transport):
    transport.script = [never_connected()]
    api = AccountApi({"url": "http://127.0.0.1:9/settings.phtml", "retries": 0}, *ALICE)
    with pytest.raises(ConnectionFailed) as caught:
        api.get("get_identity")
    text = str(caught.value)
    assert text.startswith("GET settings.phtml?realm=sip2sip.info&action=get_identity failed: cannot reach "
                           "http://127.0.0.1:9/settings.phtml: ")
    assert text.endswith("; the settings page must be reachable from the host that runs the module (login "
                         "'alice@sip2sip.info' with digest auth)")


def test_not_sent_summary_names_the_count_the_url_and_the_cause():
    stopped = [ConnectionFailed("GET", "/x", "not sent", stopped=True, url="http://h:9", cause="connection refused on port 9")]
    assert not_sent_summary(stopped * 3, 5) == "3 of 5 items not sent: http://h:9 could not be reached: connection refused on port 9"


# --- 3. expect: a web form's HTML page is its answer ------------------------------------------

def test_expect_html_reaches_the_dialect_and_decode_keeps_the_page(transport):
    seen = []

    class Recording(Dialect):
        def error_in(self, response, body):
            seen.append(expected(response))
            return None if expected(response) == "html" else "not JSON"

    transport.script = [(200, b"<html>saved</html>"), (200, b"<html>saved</html>")]
    api = client(dialect=Recording())
    assert api.call("POST", "/form", data={"a": "1"}, expect="html") == "<html>saved</html>"
    with pytest.raises(ApiError, match="not JSON"):
        api.call("POST", "/form", data={"a": "1"})
    assert seen == ["html", None]


def test_expect_html_decodes_as_text_even_when_it_parses_as_json():
    response = answer_of(200, b'{"a": 1}')
    set_expected(response, "html")
    assert Dialect().decode(response) == '{"a": 1}'
    with pytest.raises(ValueError):
        set_expected(response, "xml")


def test_sip2sip_form_action_by_expect_not_by_its_name(sip2sip):
    api = AccountApi({"url": sip2sip.url}, *ALICE)
    page = api.submit_form("set reject", {"rejectMembers[]": ["sip:spam@example.com"]})
    assert page.lstrip().startswith("<")
    assert api.get("get_reject_rules") == ["sip:spam@example.com"]
    with pytest.raises(ApiError, match="HTML page instead of JSON"):
        api.client.call("POST", api.path("set reject"), data={"rejectMembers[]": ["sip:x@example.com"]})


# --- 4. one paging loop: a cursor API through next_page_params -------------------------------

def test_sip2sip_journal_pages_by_after_id_through_the_clients_loop(transport):
    def rows(first, count):
        return {"success": True, "rows": count, "results": [{"id": str(n), "data": "d%d" % n} for n in range(first, first + count)]}

    transport.script = [(200, rows(1, SERVER_PAGE_ROWS)), (200, rows(SERVER_PAGE_ROWS + 1, 2))]
    api = AccountApi({"url": "http://api.invalid/settings.phtml"}, *ALICE)
    found = journal.read_all(api, after_id=None, except_uuid="u", after_timestamp=None)
    assert len(found) == SERVER_PAGE_ROWS + 2 and found[-1]["id"] == str(SERVER_PAGE_ROWS + 2)
    queries = [query for _method, _path, query, _body in transport.sent]
    assert queries == [{"realm": "sip2sip.info", "action": "get_journal_entries", "except_uuid": "u"},
                       {"realm": "sip2sip.info", "action": "get_journal_entries", "except_uuid": "u",
                        "after_id": str(SERVER_PAGE_ROWS)}]


def test_sip2sip_paging_hooks():
    dialect = Sip2SipDialect()
    assert dialect.page_items({"results": [{"id": "3"}]}, "p") == [{"id": "3"}]
    assert dialect.page_has_next({}, [{"id": "1"}] * (SERVER_PAGE_ROWS - 1)) is False
    assert dialect.next_page_params({"after_id": "1", "except_uuid": "u"}, {}, [{"id": "9"}]) == {"after_id": "9", "except_uuid": "u"}
    with pytest.raises(VoipError, match="instead of a list of rows"):
        dialect.page_items({"success": True}, "settings.phtml?action=get_journal_entries")
