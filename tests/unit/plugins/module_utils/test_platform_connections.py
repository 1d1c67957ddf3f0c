# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""XC5 and VTX build their client with the core's ``open_client``: the
connection options are checked before any request (timeout above 0, an
existing ca_path, no credentials in url), and the platform's headers still go
with every request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.core import client as core_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options
from ansible_collections.voip.provisioning.plugins.module_utils.vtx import connection as vtx_connection
from ansible_collections.voip.provisioning.plugins.module_utils.xc5 import connection as xc5_connection

try:
    import voip_emulator  # noqa: F401 pylint: disable=unused-import
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), *([os.pardir] * 4 + ["emulator"])))
from voip_emulator.inprocess import InProcessEmulator  # noqa: E402 pylint: disable=wrong-import-position
from voip_emulator.vtx import testing as vtx_testing  # noqa: E402 pylint: disable=wrong-import-position
from voip_emulator.xc5 import seed as xc5_seed  # noqa: E402 pylint: disable=wrong-import-position

XC5 = {"url": "http://emulator.invalid/api-sys", "username": xc5_seed.SYSTEM_LOGIN[0], "password": xc5_seed.SYSTEM_LOGIN[1], "auth_method": "basic",
       "validate_certs": True, "timeout": 30, "retries": 0, "workers": 2}
VTX = {"url": "http://emulator.invalid/openapi", "username": vtx_testing.LOGIN, "password": vtx_testing.PASSWORD,
       "service_psk": vtx_testing.APPLICATION, "auth_method": "basic", "validate_certs": True, "timeout": 30,
       "retries": 0, "workers": 2}
PLATFORMS = [("xc5", xc5_connection, XC5), ("vtx", vtx_connection, VTX)]
BAD = [
    ({"timeout": 0}, "timeout must be more than 0 seconds, not 0"),
    ({"ca_path": "/nonexistent/ca.pem"}, "ca_path: no such file or directory '/nonexistent/ca.pem'"),
    ({"url_credentials": True}, "url must not contain a user name or password"),
]


@pytest.fixture(params=PLATFORMS, ids=[p[0] for p in PLATFORMS])
def platform(request, monkeypatch):
    name, module, params = request.param
    emulator = InProcessEmulator(name)
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", emulator.adapter)
    yield module, dict(params), emulator
    emulator.close()


@pytest.mark.parametrize("change, message", BAD, ids=["timeout", "ca_path", "credentials_in_url"])
def test_connection_options_are_checked_before_any_request(platform, change, message):
    module, params, emulator = platform
    change = dict(change)
    if change.pop("url_credentials", False):
        params["url"] = params["url"].replace("http://", "http://admin:secret@")
    params.update(change)
    with pytest.raises(InputError) as caught:
        module.connect(Options(params), RunContext())
    assert message in str(caught.value) and "secret" not in str(caught.value)
    assert emulator.requests() == []


def test_xc5_sends_its_accept_header_through_open_client(monkeypatch):
    emulator = InProcessEmulator("xc5")
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", emulator.adapter)
    try:
        api = xc5_connection.connect(Options(XC5), RunContext())
        assert api.client.base_url == "http://emulator.invalid"  # the /api-sys suffix dropped
        api.records("GET", api.path("account"))
        sent = emulator.requests()[-1]
        assert sent["path"] == "/api-sys/account" and sent["status"] == 200
        assert sent["request_headers"]["Accept"] == "application/hal+json, application/json"
        api.client.close()
    finally:
        emulator.close()


def test_vtx_sends_its_headers_and_follows_the_platform_clock(monkeypatch):
    emulator = InProcessEmulator("vtx")
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", emulator.adapter)
    try:
        emulator.clock.freeze()
        emulator.clock.set("2030-01-01T00:00:00Z")
        api = vtx_connection.connect(Options(dict(VTX, url=None)), RunContext())
        assert api.client.base_url == vtx_connection.DEFAULT_URL  # url unset: the platform's
        api.client.base_url = "http://emulator.invalid/openapi"
        assert api.server()["buildVersion"]
        assert api.server_now() == pytest.approx(1893456000.0, abs=1.0)
        sent = emulator.requests()[-1]
        assert sent["path"] == "/openapi/v1/system/server" and sent["status"] == 200
        assert sent["request_headers"]["Content-Type"] == "application/json"  # with every request, a GET too
        assert sent["request_headers"]["Accept"] == "application/json"
        api.client.close()
    finally:
        emulator.close()


def test_xc5_account_create_lost_answer_is_looked_up_not_sent_again(monkeypatch):
    # A PUT on a collection creates a record: the client must not repeat it
    # (idempotent=False); the engine finds the account the lost answer created.
    from ansible_collections.voip.provisioning.plugins.module_utils.xc5.accounts import Account
    from ansible_collections.voip.provisioning.plugins.modules import xc5_account

    emulator = InProcessEmulator("xc5")
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", emulator.adapter)
    try:
        emulator.add_fault(method="PUT", path_regex=r"/child$", kind="drop_after", count=1)
        spec = xc5_account.MODULE.argument_spec
        params = dict((name, spec[name].get("default")) for name in spec)
        params.update(XC5, account="lost.x.co.nz", parent="x.co.nz", description="lost answer", retries=3)
        run = RunContext()
        result = xc5_connection.run_xc5(Account, Options(params), run)
        assert result["changed"] is True and result["account"]["username"] == "lost.x.co.nz"
        puts = [e for e in emulator.requests() if e["method"] == "PUT"]
        assert [(e["path"], e["status"]) for e in puts] == [("/api-sys/account/x.co.nz/child", 0)]
        assert any("exists: using it" in warning for warning in run.warnings)
    finally:
        emulator.close()
