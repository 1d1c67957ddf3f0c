# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VTX module_utils: the four timestamp styles, the user directory, and the
modules' run functions against the VTX emulator in-process (no sockets)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.core import client as core_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options
from ansible_collections.voip.provisioning.plugins.module_utils.vtx import timestamps
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import Directory, kind_of
from ansible_collections.voip.provisioning.plugins.modules import vtx_subscription, vtx_user_feature

try:
    import voip_emulator  # noqa: F401 pylint: disable=unused-import
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), *([os.pardir] * 4 + ["emulator"])))
from voip_emulator.inprocess import InProcessEmulator  # noqa: E402 pylint: disable=wrong-import-position
from voip_emulator.vtx import testing as vtx_testing  # noqa: E402 pylint: disable=wrong-import-position


# --- timestamps ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2024-09-29T00:00:00Z", "2024-09-29T00:00:00.000Z"),
    ("2024-09-27T17:21:42.272678+02:00", "2024-09-27T15:21:42.273Z"),
    ("2024-09-27T08:43:43.76913Z", "2024-09-27T08:43:43.769Z"),
    ("2024-05-28T17:21:44+0200", "2024-05-28T15:21:44.000Z"),
    ("2024-12-31T23:59:59.9999-01:00", "2025-01-01T01:00:00.000Z"),
])
def test_the_four_styles_parse_to_one(text, expected):
    assert timestamps.render(timestamps.parse(text)) == expected


@pytest.mark.parametrize("text, fragment", [
    ("2024-09-29 00:00", "has no UTC offset"),
    ("2024-02-30T00:00:00Z", "not a valid date"),
    ("29.09.2024", "is not an ISO 8601 date-time"),
    (None, "is not an ISO 8601 date-time"),
])
def test_bad_timestamps_name_the_field(text, fragment):
    with pytest.raises(ValueError, match=fragment) as caught:
        timestamps.parse(text, "expires")
    assert str(caught.value).startswith("expires: ")


def test_expires_are_whole_seconds():
    assert timestamps.render_instant(timestamps.parse("2024-09-27T08:43:43.76913Z")) == "2024-09-27T08:43:43.000Z"


# --- directory ----------------------------------------------------------------------------------

@pytest.mark.parametrize("reference, kind", [
    (176125, "id"), ("176125", "id"), ("+41225662194", "number"), ("+41225662194@m.ipvoip.ch", "login_name"),
    ("alice@example.com", "login_name"), ("alice", None), (True, None), (0, None),
])
def test_kinds_of_references(reference, kind):
    assert kind_of(reference) == kind


def test_directory_indexes_and_derives_the_number():
    directory = Directory([{"login_name": "+41225662194@M.ipvoip.ch", "user_id": 176125}, {"number": "+41225662195", "user_id": "176129"}])
    assert directory.local("+41225662194", "user") == ("number", {"user_id": 176125, "login_name": "+41225662194@M.ipvoip.ch", "number": "+41225662194"})
    assert directory.local("+41225662194@m.IPVOIP.ch", "user")[1]["user_id"] == 176125
    assert directory.local("176129", "user")[1]["number"] == "+41225662195"
    assert directory.user_ids() == [176125, 176129]


@pytest.mark.parametrize("entries, fragment", [
    ([{"number": "+41225662194"}], "directory[0]: user_id must be the platform's numeric user id"),
    ([{"user_id": 1}], "give login_name and/or number"),
    ([{"user_id": 1, "number": "0225662194"}], "directory[0]: number: '0225662194' is not a number in E.164 form"),
    ([{"user_id": 1, "login_name": "alice"}], "login_name must look like"),
    ([{"user_id": 1, "number": "+41225662194", "phone": "x"}], "unknown key(s) phone"),
    ([{"user_id": 1, "number": "+41225662194"}, {"user_id": 2, "number": "+41225662194"}], "directory[1]: number +41225662194 is declared twice"),
])
def test_directory_errors_name_the_entry(entries, fragment):
    with pytest.raises(InputError) as caught:
        Directory(entries)
    assert fragment in str(caught.value)


def test_national_numbers_are_refused_not_guessed():
    with pytest.raises(InputError, match="looks like a national number"):
        Directory([]).local("0225662194", "user")


def test_directory_file_json_and_yaml(tmp_path):
    json_file = tmp_path / "users.json"
    json_file.write_text(json.dumps({"vtx_directory": [{"number": "+41225662194", "user_id": 176125}]}))
    yaml_file = tmp_path / "users.yml"
    yaml_file.write_text("- {login_name: '+41225662195@m.ipvoip.ch', user_id: 176129}\n")
    assert Directory.from_options(Options({"directory_file": str(json_file)})).user_ids() == [176125]
    merged = Directory.from_options(Options({"directory": [{"number": "+41225662196", "user_id": 176133}], "directory_file": str(yaml_file)}))
    assert merged.user_ids() == [176133, 176129]
    with pytest.raises(InputError, match="cannot read"):
        Directory.from_options(Options({"directory_file": str(tmp_path / "missing.yml")}))


# --- the modules' run functions in-process ---------------------------------------------------------

@pytest.fixture
def vtx(monkeypatch):
    emulator = InProcessEmulator("vtx")
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", emulator.adapter)
    yield emulator
    emulator.close()


def options(spec, **values):
    params = dict((name, entry.get("default")) for name, entry in spec.argument_spec.items())
    params.update(url="http://emulator.invalid/openapi", username=vtx_testing.LOGIN,
                  password=vtx_testing.PASSWORD, service_psk=vtx_testing.APPLICATION, directory=vtx_testing.DIRECTORY)
    params.update(values)
    return Options(params)


def writes(emulator):
    return [(e["method"], e["path"]) for e in emulator.requests() if e["method"] not in ("GET", "HEAD")]


def test_subscription_is_timed_by_the_platform_clock_not_ours(vtx):
    # The platform's clock is a year ahead of ours: expiry and renewal follow it.
    vtx.clock.freeze()
    vtx.clock.set("2027-12-04T10:00:00Z")
    run = vtx_subscription.MODULE.run(options(vtx_subscription.MODULE, notification_url="http://x.example/cdr", all_users=True), RunContext())
    assert run["changed"] is True and run["subscription"]["expires"] == "2027-12-07T09:55:00Z"
    vtx.clock.advance(2.5 * 24 * 3600)
    again = vtx_subscription.MODULE.run(options(vtx_subscription.MODULE, notification_url="http://x.example/cdr", all_users=True), RunContext())
    assert again["changed"] is True and again["subscription"]["expires"] == "2027-12-09T21:55:00Z"
    assert [m for m, _p in writes(vtx)] == ["POST", "PATCH"]


def test_expires_beyond_three_days_of_the_platform_clock_fails_before_any_write(vtx):
    # Frozen first, then set: set-then-freeze would freeze a few milliseconds later than the instant set.
    vtx.clock.freeze()
    vtx.clock.set("2027-12-04T10:00:00Z")
    result = vtx_subscription.MODULE.run(options(vtx_subscription.MODULE, notification_url="http://x.example/cdr", all_users=True,
                                                 expires="2027-12-07T10:00:01Z"), RunContext())
    # The platform's time is known to the second (its Date header): the milliseconds are the time
    # this process took since the answer (a few under a loaded ansible-test run).
    assert result["failed"] and "more than 3 days ahead of the platform's time 2027-12-04T10:00:00." in result["msg"]
    assert writes(vtx) == []


def test_login_names_resolved_by_the_platform_from_7_8(vtx):
    assert vtx.app.backend.set_server_info({"buildVersion": "7.8.0.1"})["buildVersion"] == "7.8.0.1"
    result = vtx_user_feature.MODULE.run(options(vtx_user_feature.MODULE, directory=[], user="+41225662196@m.ipvoip.ch",
                                                 type="DND", active=True), RunContext())
    assert result["changed"] is True and result["feature"]["userId"] == 176133
    missing = vtx_user_feature.MODULE.run(options(vtx_user_feature.MODULE, directory=[], user="nobody@m.ipvoip.ch",
                                                  type="DND", active=True), RunContext())
    assert missing["failed"] and "the platform knows no user with login name nobody@m.ipvoip.ch" in missing["msg"]


def test_an_unquoted_yaml_number_is_explained():
    directory = Directory([{"number": "+41225662194", "user_id": 176125}])
    with pytest.raises(InputError, match=r"quote the number \('\+41225662194'\)"):
        directory.local("41225662194", "user")
