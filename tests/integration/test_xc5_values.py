# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The XC5 value rules (checked before any request) and the resources driven
in-process against the real emulator application (no playbook, no socket)."""

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import collections_path

sys.path.insert(0, collections_path())

# pylint: disable=wrong-import-position
from ansible_collections.voip.provisioning.plugins.module_utils.core import client as core_client  # noqa: E402
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext  # noqa: E402
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError  # noqa: E402
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options  # noqa: E402
from ansible_collections.voip.provisioning.plugins.module_utils.xc5 import values  # noqa: E402
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.connection import run_xc5  # noqa: E402
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.entries import Route  # noqa: E402
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.numbers import Number  # noqa: E402
from ansible_collections.voip.provisioning.plugins.modules import xc5_number, xc5_route  # noqa: E402


@pytest.mark.parametrize("text", ["nz_holidays,!Mon-Thur 08:30-17:00", "Mon-Fri 8:00-17:30", "!Sat-Sun", "08:00-12:00",
                                  "holidays.nz"])
def test_time_definitions_accepted(text):
    assert values.time_definition(text) == text


@pytest.mark.parametrize("text, message", [
    ("Mon-Thurx 08:30-17:00", "names an unknown day"),
    ("Mon 17:00-08:00", "ends before it starts"),
    ("nz holidays", "is neither a calendar name"),
    ("Mon,,Tue", "empty term"),
])
def test_time_definitions_refused(text, message):
    with pytest.raises(InputError) as error:
        values.time_definition(text)
    assert message in str(error.value) and str(error.value).startswith("time_definition: ")


@pytest.mark.parametrize("text, message", [
    ("1#3", "is not key=action"), ("1=#0", "a menu jump is # and a menu number from 1"), ("1=#2,1=#3", "mapped twice"),
    ("x=#1", "is not key=action"),
])
def test_digit_maps_refused(text, message):
    with pytest.raises(InputError) as error:
        values.digit_map(text)
    assert message in str(error.value)


def test_digit_map_with_pin_and_timeout():
    assert values.digit_map("5666=conference:6499290085,T=#1") == "5666=conference:6499290085,T=#1"


def test_numbers_and_like():
    check = values.e164("number", allow_rewrite=True)
    assert check("6491231234") == "6491231234" and check("a:6491231234") == "a:6491231234"
    with pytest.raises(InputError) as error:
        check("+64 9 123 1234")
    assert "(write it as 6491231234)" in str(error.value)
    assert values.like("%88", "6499290188") and not values.like("%88", "6499290189")
    assert values.like("_unassigned.pool", "xunassigned.pool")
    assert values.like(values.like_literal("_unassigned.pool"), "_unassigned.pool")
    assert not values.like(values.like_literal("_unassigned.pool"), "xunassigned.pool")


# -- resources in-process ----------------------------------------------------------------

@pytest.fixture
def xc5_inprocess(inprocess_emulator):
    emulator = inprocess_emulator("xc5")
    core_client.TEST_TRANSPORT_ADAPTER = emulator.adapter
    yield emulator
    core_client.TEST_TRANSPORT_ADAPTER = None


def options(module, **values_):
    spec = module.MODULE.argument_spec
    params = dict((name, spec[name].get("default")) for name in spec)
    params.update(url="http://emulator.invalid", username="dave@dcom", password="dcom-secret")
    params.update(values_)
    return Options(params)


def setup_org(emulator, *users):
    session = emulator.session()
    session.auth = ("dave@dcom", "dcom-secret")
    session.put(emulator.url + "/api-sys/account/x.co.nz/child", json={"username": "acme.x.co.nz"})
    for user in users:
        session.put(emulator.url + "/api-sys/account/acme.x.co.nz/child", json={"username": user})
    return session


def test_concurrent_allocations_from_one_filter_get_different_numbers(xc5_inprocess):
    users = ["u%d@acme.x.co.nz" % i for i in range(4)]
    setup_org(xc5_inprocess, *users)

    def allocate(user):
        return run_xc5(Number, options(xc5_number, account=user, pool_filter="64930000__"), RunContext())

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(allocate, users))
    numbers = [r["number"]["number"] for r in results]
    assert len(set(numbers)) == 4, numbers
    again = [allocate(user) for user in users]
    assert [r["changed"] for r in again] == [False] * 4
    assert [r["number"]["number"] for r in again] == numbers


def test_entry_set_lost_answer_is_repeated_under_the_same_guid(xc5_inprocess):
    setup_org(xc5_inprocess, "hunt@acme.x.co.nz")
    xc5_inprocess.add_fault(method="PUT", path_regex="/route/", kind="drop_after", count=1)
    run = RunContext()
    result = run_xc5(Route, options(xc5_route, account="hunt@acme.x.co.nz", entries=[
        {"order": 200, "destination": "email:a@acme.x.co.nz"}]), run)
    assert result["changed"] is True and len(result["routes"]) == 1
    puts = [r["path"] for r in xc5_inprocess.requests() if r["method"] == "PUT" and "/route/" in r["path"]]
    assert len(puts) == 2 and puts[0] == puts[1]  # the same client-chosen guid twice


def test_references_by_guid_compare_as_names(xc5_inprocess):
    from ansible_collections.voip.provisioning.plugins.module_utils.xc5.accounts import Account
    from ansible_collections.voip.provisioning.plugins.modules import xc5_account

    session = setup_org(xc5_inprocess, "hunt@acme.x.co.nz", "member@acme.x.co.nz")
    org = session.get(xc5_inprocess.url + "/api-sys/account/acme.x.co.nz").json()[0]
    member = session.get(xc5_inprocess.url + "/api-sys/account/member@acme.x.co.nz").json()[0]
    by_guid = options(xc5_account, account="hunt@acme.x.co.nz", parent=org["guid"].lower())
    assert run_xc5(Account, by_guid, RunContext())["changed"] is False
    entries = [{"order": 100, "username": member["guid"], "hunt_user": True}]
    first = run_xc5(Route, options(xc5_route, account="hunt@acme.x.co.nz", entries=entries), RunContext())
    again = run_xc5(Route, options(xc5_route, account="hunt@acme.x.co.nz", entries=entries), RunContext())
    assert first["changed"] is True and again["changed"] is False
    assert first["routes"][0]["username"] == "member@acme.x.co.nz"
