# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_customer_contact: e-mail + reseller as key, the complete PUT document, 423 on delete."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.c5.contacts import CustomerContact
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, VoipError
from ansible_collections.voip.provisioning.plugins.modules.c5_customer_contact import MODULE
from ansible_collections.voip.provisioning.tests.unit.plugins.modules.c5_emulated import EmulatedC5, run_module


def run(c5, check_mode=False, **params):
    return run_module(CustomerContact, c5, params, check_mode=check_mode)


def test_create_then_nothing_to_do():
    c5 = EmulatedC5()
    result = run(c5, email="john@example.com", reseller="default", firstname="John", country="at",
                 timezone="US/Eastern", gpp={"gpp0": "CRM-1", "gpp3": 42})
    assert result["changed"] is True
    method, path, body = c5.writes[0]
    assert (method, path) == ("POST", "/api/customercontacts/")
    assert body == {"email": "john@example.com", "reseller_id": 1, "firstname": "John", "country": "AT",
                    "timezone": "US/Eastern", "gpp0": "CRM-1", "gpp3": "42"}
    assert result["customer_contact"]["timezone"] == "America/New_York"
    c5.log[:] = []
    again = run(c5, email="JOHN@example.com".lower(), reseller=1, firstname="John", country="AT",
                timezone="US/Eastern", gpp={"gpp0": "CRM-1", "gpp3": "42"})
    assert again["changed"] is False and c5.writes == []


def test_update_puts_the_whole_document_so_country_and_timezone_survive():
    c5 = EmulatedC5()
    contact = c5.add("customercontacts", email="twin@example.com", reseller_id=1, firstname="Twin", lastname="One",
                     city="Vienna", country="AT", timezone="Europe/Vienna", company=None)
    result = run(c5, email="twin@example.com", reseller="default", company="ACME", city="")
    assert result["changed"] is True
    method, path, body = c5.writes[0]
    assert (method, path) == ("PUT", "/api/customercontacts/%d" % contact["id"])
    assert body["country"] == "AT" and body["timezone"] == "Europe/Vienna" and body["lastname"] == "One"
    assert body["company"] == "ACME" and body["city"] is None and body["reseller_id"] == 1 and "id" not in body
    stored = c5.store["customercontacts"][contact["id"]]
    assert stored["country"] == "AT" and stored["timezone"] == "Europe/Vienna"
    assert result["diff"]["before"]["company"] is None and result["diff"]["after"]["company"] == "ACME"


def test_check_mode_sends_no_write():
    c5 = EmulatedC5()
    c5.add("customercontacts", email="a@example.com", reseller_id=1, firstname="A")
    assert run(c5, check_mode=True, email="a@example.com", reseller=1, firstname="B")["changed"] is True
    assert run(c5, check_mode=True, email="new@example.com", reseller=1)["changed"] is True
    assert run(c5, check_mode=True, email="a@example.com", reseller=1, state="absent")["changed"] is True
    assert c5.writes == []


def test_email_is_the_key_within_the_reseller_and_duplicates_are_named():
    c5 = EmulatedC5()
    c5.add("customercontacts", id=13, email="twin@example.com", reseller_id=1)
    c5.add("customercontacts", id=14, email="TWIN@example.com", reseller_id=1)
    c5.add("customercontacts", id=15, email="solo@example.com", reseller_id=2)
    with pytest.raises(VoipError) as info:
        run(c5, email="twin@example.com", reseller=1, firstname="x")
    assert "ids 13, 14" in str(info.value)
    # another reseller's contact with the same e-mail is not this reseller's
    result = run(c5, email="solo@example.com", reseller=1, firstname="x")
    assert result["changed"] is True and c5.writes[-1][0] == "POST"


def test_reseller_login_sees_no_reseller_id():
    c5 = EmulatedC5(reseller_login=True)
    c5.add("customercontacts", email="r@example.com", reseller_id=1, firstname="R")
    assert run(c5, email="r@example.com", firstname="R")["changed"] is False


def test_gpp_keys_are_checked():
    with pytest.raises(InputError) as info:
        run(EmulatedC5(), email="a@example.com", reseller=1, gpp={"gpp10": "x"})
    assert "gpp10" in str(info.value)


def test_delete_and_in_use():
    c5 = EmulatedC5()
    used = c5.add("customercontacts", email="used@example.com", reseller_id=1)
    c5.add("customers", external_id="c", contact_id=used["id"], status="active", billing_profile_id=1)
    with pytest.raises(VoipError) as info:
        run(c5, email="used@example.com", reseller=1, state="absent")
    assert "still in use" in str(info.value) and "c5_customer with state=absent" in str(info.value)
    free = c5.add("customercontacts", email="free@example.com", reseller_id=1)
    assert run(c5, email="free@example.com", reseller=1, state="absent")["changed"] is True
    assert c5.writes[-1] == ("DELETE", "/api/customercontacts/%d" % free["id"], None)
    assert run(c5, email="free@example.com", reseller=1, state="absent")["changed"] is False


def test_bulk_and_unknown_reseller():
    c5 = EmulatedC5()
    result = run(c5, reseller="default", items=[{"email": "a@example.com"}, {"email": "b@example.com", "city": "Graz"}])
    assert result["summary"] == {"total": 2, "changed": 2, "failed": 0}
    result = run(c5, items=[{"email": "c@example.com", "reseller": "nope"}])
    assert result["summary"]["failed"] == 1 and "no reseller named 'nope'" in result["results"][0]["msg"]


def test_argument_spec_shape():
    spec = MODULE.argument_spec
    assert spec["gpp"]["type"] == "dict" and spec["state"]["default"] == "present"
    assert spec["items"]["options"]["email"]["required"] is True
