# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_customer: external_id as key, references, merged PUT, type, termination."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.c5.customers import Customer
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, VoipError
from ansible_collections.voip.provisioning.tests.unit.plugins.modules.c5_emulated import EmulatedC5, run_module


def seeded():
    c5 = EmulatedC5()
    c5.add("customercontacts", id=3, email="john@example.com", reseller_id=1)
    c5.add("customercontacts", id=4, email="jane@example.com", reseller_id=1)
    c5.add("billingprofiles", id=2, handle="gold", reseller_id=1, status="active")
    return c5


def run(c5, check_mode=False, **params):
    return run_module(Customer, c5, params, check_mode=check_mode)


def test_create_with_references_then_nothing_to_do():
    c5 = seeded()
    result = run(c5, external_id="cust-1", reseller="default", contact="John@example.com", billing_profile="default",
                 max_subscribers=10, vat_rate=20, add_vat=True)
    assert result["changed"] is True
    method, path, body = c5.writes[0]
    assert (method, path) == ("POST", "/api/customers/")
    assert body == {"external_id": "cust-1", "contact_id": 3, "billing_profile_id": 1, "max_subscribers": 10,
                    "vat_rate": 20.0, "add_vat": True, "type": "sipaccount", "status": "active"}
    c5.log[:] = []
    again = run(c5, external_id="cust-1", reseller="default", contact="john@example.com", billing_profile="default",
                max_subscribers=10, vat_rate=20, add_vat=True, type="sipaccount", status="active")
    assert again["changed"] is False and c5.writes == []


def test_create_needs_contact_and_billing_profile():
    with pytest.raises(InputError) as info:
        run(seeded(), external_id="cust-1", reseller=1)
    assert "contact or contact_id and billing_profile" in str(info.value)


def test_unknown_contact_is_unresolved_before_any_write():
    c5 = seeded()
    with pytest.raises(InputError) as info:
        run(c5, external_id="cust-1", reseller=1, contact="nobody@example.com", billing_profile="default")
    assert "contact: no customer contact with e-mail 'nobody@example.com' in reseller 1" in str(info.value)
    with pytest.raises(InputError) as info:
        run(c5, external_id="cust-1", reseller=1, contact_id=3, billing_profile="nope")
    assert "billing_profile" in str(info.value)
    assert c5.writes == []


def test_update_puts_merged_document_with_required_keys():
    c5 = seeded()
    cust = c5.add("customers", external_id="cust-1", contact_id=3, billing_profile_id=1, status="active", type="sipaccount",
                  max_subscribers=5, vat_rate=20, add_vat=False, invoice_template_id=None, all_billing_profiles=[{"profile_id": 1}],
                  billing_profiles=[], billing_profile_definition="id", create_timestamp="2026-11-23 09:37:33")
    result = run(c5, external_id="cust-1", reseller=1, billing_profile="gold", max_subscribers=-1)
    assert result["changed"] is True
    method, path, body = c5.writes[0]
    assert (method, path) == ("PUT", "/api/customers/%d" % cust["id"])
    assert body["contact_id"] == 3 and body["status"] == "active" and body["billing_profile_id"] == 2
    assert body["max_subscribers"] is None and body["vat_rate"] == 20
    for key in ("id", "all_billing_profiles", "billing_profiles", "billing_profile_definition", "create_timestamp"):
        assert key not in body
    assert len(c5.store["customers"][cust["id"]]["all_billing_profiles"]) == 2
    c5.log[:] = []
    assert run(c5, external_id="cust-1", reseller=1, billing_profile="gold", max_subscribers=-1)["changed"] is False
    assert c5.writes == []


def test_other_type_is_an_error_even_in_check_mode():
    c5 = seeded()
    c5.add("customers", external_id="cust-1", contact_id=3, billing_profile_id=1, status="active", type="sipaccount")
    for check_mode in (True, False):
        with pytest.raises(VoipError) as info:
            run(c5, check_mode=check_mode, external_id="cust-1", type="pbxaccount")
        assert "cannot change the type" in str(info.value)
    assert c5.writes == []


def test_ambiguous_external_id_names_the_ids():
    c5 = seeded()
    c5.add("customers", id=21, external_id="dup", contact_id=3, billing_profile_id=1, status="active", type="sipaccount")
    c5.add("customers", id=22, external_id="dup", contact_id=4, billing_profile_id=1, status="locked", type="sipaccount")
    with pytest.raises(VoipError) as info:
        run(c5, external_id="dup", status="active")
    assert "ids 21, 22" in str(info.value)


def test_terminate_is_a_patch_and_a_terminated_customer_is_not_found_again():
    c5 = seeded()
    cust = c5.add("customers", external_id="cust-1", contact_id=3, billing_profile_id=1, status="active", type="sipaccount")
    assert run(c5, check_mode=True, external_id="cust-1", state="absent")["changed"] is True
    assert c5.writes == []
    result = run(c5, external_id="cust-1", state="absent")
    assert result["changed"] is True and result["diff"]["after"] == {"status": "terminated"}
    assert c5.writes == [("PATCH", "/api/customers/%d" % cust["id"], [{"op": "replace", "path": "/status", "value": "terminated"}])]
    c5.log[:] = []
    assert run(c5, external_id="cust-1", state="absent")["changed"] is False
    # present again creates a new customer
    result = run(c5, external_id="cust-1", reseller=1, contact_id=3, billing_profile=1)
    assert result["changed"] is True and result["customer"]["id"] != cust["id"]
    assert [w[0] for w in c5.writes] == ["POST"]


def test_status_and_bounds():
    c5 = seeded()
    c5.add("customers", external_id="cust-1", contact_id=3, billing_profile_id=1, status="active", type="sipaccount")
    result = run(c5, external_id="cust-1", status="locked")
    assert result["changed"] is True and c5.writes[0][2]["status"] == "locked"
    with pytest.raises(InputError):
        run(c5, external_id="cust-1", vat_rate=101)
    with pytest.raises(InputError):
        run(c5, external_id="cust-1", max_subscribers=-2)
    with pytest.raises(InputError):
        run(c5, external_id="cust-1", contact="john@example.com", contact_id=3)
