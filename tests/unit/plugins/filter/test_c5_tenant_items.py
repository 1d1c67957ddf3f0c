# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The c5_tenant role's item lists (filter c5_tenant_items): the same entries as the
selectattr/map/zip/combine chains they replaced, directly and through Ansible's
templating (lazy, tagged values)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.voip.provisioning.plugins.filter.c5_tenant_items import FilterModule, c5_tenant_items

CF = {"cfna": {"destinations": [{"destination": "4366610001", "timeout": 10}]}}
TENANT = {
    "domain": "t.example.com",
    "subscribers": [
        {"username": "a", "password": "pa", "primary_number": {"cc": 43, "ac": "1", "sn": "1"},
         "call_forwards": CF, "preferences": {"concurrent_max": 2}},
        {"username": "b", "password": "pb", "preferences": {"block_in_clir": True}},
        {"username": "c", "password": "pc", "call_forwards": None, "preferences": None},
        {"username": "d", "state": "absent", "call_forwards": CF, "preferences": {"concurrent_max": 1}},
        {"username": "e", "password": "pe", "call_forwards": {"cfu": {"destinations": []}, "clear_others": True}},
    ],
}


def test_subscriber_items_drop_only_the_role_only_keys():
    assert c5_tenant_items(TENANT, "subscribers") == [
        {"username": "a", "password": "pa", "primary_number": {"cc": 43, "ac": "1", "sn": "1"}},
        {"username": "b", "password": "pb"},
        {"username": "c", "password": "pc"},
        {"username": "d", "state": "absent"},
        {"username": "e", "password": "pe"},
    ]


def test_call_forward_items_are_the_username_with_the_types_of_who_sets_them_and_is_not_absent():
    assert c5_tenant_items(TENANT, "call_forwards") == [
        dict(CF, username="a"),
        {"username": "e", "cfu": {"destinations": []}, "clear_others": True},
    ]


def test_preference_items_are_username_and_preferences_of_who_sets_them_and_is_not_absent():
    assert c5_tenant_items(TENANT, "preferences") == [
        {"username": "a", "preferences": {"concurrent_max": 2}},
        {"username": "b", "preferences": {"block_in_clir": True}},
    ]


def test_a_tenant_without_subscribers_has_no_items():
    for kind in ("subscribers", "call_forwards", "preferences"):
        assert c5_tenant_items({"domain": "x"}, kind) == []
        assert c5_tenant_items({"subscribers": None}, kind) == []


def test_bad_input_fails_naming_what_is_wrong():
    with pytest.raises(AnsibleFilterError, match="kind must be one of subscribers, call_forwards, preferences"):
        c5_tenant_items(TENANT, "numbers")
    with pytest.raises(AnsibleFilterError, match="the input must be the tenant"):
        c5_tenant_items(["a"], "subscribers")
    with pytest.raises(AnsibleFilterError, match="call_forwards of subscriber x must be a dict"):
        c5_tenant_items({"subscribers": [{"username": "x", "call_forwards": ["cfu"]}]}, "call_forwards")


def test_registered_under_its_name():
    assert FilterModule().filters() == {"c5_tenant_items": c5_tenant_items}


@pytest.mark.parametrize("kind", ["subscribers", "call_forwards", "preferences"])
def test_through_ansible_templating_the_same_entries(kind):
    # Needs the collection loader that ansible-test units puts in place.
    templar = Templar(loader=DataLoader(), variables={"c5_tenant": TENANT})
    rendered = templar.template(trust_as_template("{{ c5_tenant | voip.provisioning.c5_tenant_items('%s') }}" % kind))
    assert rendered == c5_tenant_items(TENANT, kind)
