# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's SIP2SIP client against the platform's quirks, in-process on
the real emulator application.

Each test pins one trap of the spec: a client that tries Basic auth, trusts the
HTTP status, json-decodes the raw body of ``set_call_forwarding`` or takes an
HTML error fragment for "no value" fails it.  ``SIP2SIP_TEST_CLIENT=naive``
runs the same tests with such a naive client (Basic auth), ``naive-digest`` with
one that logs in right but trusts the status and the raw body, to show that they do."""

import json
import os
import sys

import pytest
import requests
import requests.auth

from conftest import collections_path

DOMAIN = "sip2sip.info"


@pytest.fixture
def inprocess():
    path = collections_path()
    if path not in sys.path:
        sys.path.insert(0, path)
    from voip_emulator.inprocess import InProcessEmulator
    from ansible_collections.voip.provisioning.plugins.module_utils.core import client as core_client

    emulator = InProcessEmulator("sip2sip")
    core_client.TEST_TRANSPORT_ADAPTER = emulator.adapter
    yield emulator
    core_client.TEST_TRANSPORT_ADAPTER = None


class NaiveClient:
    """What a first attempt looks like: Basic auth, raise_for_status, response.json()."""

    def __init__(self, emulator, account, password, digest=False):
        self.digest = digest
        self.session = emulator.session() if hasattr(emulator, "session") else requests.Session()
        self.session.mount(emulator.url, emulator.adapter)
        self.url = emulator.url + "/settings.phtml"
        self.user, self.domain = account.split("@")
        self.password = password

    def _call(self, action, **params):
        params.update(realm=self.domain, action=action)
        auth = requests.auth.HTTPDigestAuth(self.user, self.password) if self.digest else (self.user, self.password)
        response = self.session.get(self.url, params=params, auth=auth)
        response.raise_for_status()
        return response.json()

    def get(self, action, **params):
        return self._call(action, **params)

    def set(self, action, **params):
        return self._call(action, **params)["error_message"]


def make_client(emulator, account, password):
    if os.environ.get("SIP2SIP_TEST_CLIENT", "").startswith("naive"):
        return NaiveClient(emulator, account, password, digest=os.environ["SIP2SIP_TEST_CLIENT"] == "naive-digest")
    from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.api import AccountApi

    return AccountApi({"url": emulator.url}, account, password)


def error_type():
    from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import VoipError

    return VoipError


def test_digest_login_works_where_basic_is_refused(inprocess):
    client = make_client(inprocess, "alice@" + DOMAIN, "alice-web-secret")
    assert client.get("get_identity")["sip_address"] == "alice@" + DOMAIN
    answered = [entry for entry in inprocess.requests() if entry["status"] == 200]
    assert answered and all(entry["auth"] == "digest" for entry in answered)


def test_an_error_in_a_200_body_is_an_error(inprocess):
    client = make_client(inprocess, "alice@" + DOMAIN, "alice-web-secret")
    with pytest.raises(error_type()) as raised:
        client.set("add_alias", username="support")  # owned by another account
    assert "Error (SipPort)" in str(raised.value)


def test_set_call_forwarding_is_read_past_its_debug_text(inprocess):
    client = make_client(inprocess, "alice@" + DOMAIN, "alice-web-secret")
    message = client.set("set_call_forwarding", FBUS="bob")
    assert message == "Changed diversions FBUS=sip:bob@sip2sip.info "
    assert client.get("get_call_forwarding")["FBUS"] == "bob@sip2sip.info"


def test_an_html_error_fragment_is_an_error_not_null(inprocess):
    client = make_client(inprocess, "bob@" + DOMAIN, "bob-sip-secret")
    with pytest.raises(error_type()) as raised:
        client.get("get_prepaid")
    assert "not prepaid" in str(raised.value)


def test_a_stale_nonce_is_renewed_without_failing(inprocess):
    client = make_client(inprocess, "alice@" + DOMAIN, "alice-web-secret")
    client.get("get_identity")
    inprocess.clock.advance(301)
    assert client.get("get_aliases") == ["alice.smith@" + DOMAIN]
    stale = [entry for entry in inprocess.requests() if entry["status"] == 401]
    assert len(stale) == 2  # the first challenge, then the stale nonce
    assert json.dumps(stale)  # log entries are plain data
