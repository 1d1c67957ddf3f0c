# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""C5 input checked with the platform's rules before any request: contact country
(ISO 3166-1 alpha-2), e-mail addresses (ngcp-panel's Email field: Email::Valid),
SIP domains, time zones (the tz database); and the resources that use them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.c5 import values
from ansible_collections.voip.provisioning.plugins.module_utils.c5.contacts import CustomerContact
from ansible_collections.voip.provisioning.plugins.module_utils.c5.domains import Domain
from ansible_collections.voip.provisioning.plugins.module_utils.c5.subscribers import Subscriber
from ansible_collections.voip.provisioning.plugins.module_utils.c5.values import (
    ISO_COUNTRIES, check_country, check_domain, check_email, check_timezone,
)
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError


def test_the_iso_table_holds_the_249_assigned_codes():
    assert len(ISO_COUNTRIES) == 249
    assert all(len(code) == 2 and code.isupper() for code in ISO_COUNTRIES)
    for code in ("AT", "DE", "GB", "US", "SS", "CW", "AX"):
        assert code in ISO_COUNTRIES
    for code in ("UK", "EU", "XK", "YU", "AN"):  # reserved, exceptional or withdrawn
        assert code not in ISO_COUNTRIES


@pytest.mark.parametrize("value, expected", [("at", "AT"), (" De ", "DE"), ("GB", "GB"), ("", None), (None, None)])
def test_country_codes_are_upper_cased(value, expected):
    assert check_country(value) == expected


@pytest.mark.parametrize("value, why", [
    ("Austria", "a country name is not accepted"),
    ("AUSTRIA", "a country name is not accepted"),
    ("UK", "not an assigned ISO 3166-1 alpha-2 code"),
    ("AUT", "not an assigned ISO 3166-1 alpha-2 code"),
])
def test_a_country_that_is_not_a_code_names_the_field_and_the_fix(value, why):
    with pytest.raises(InputError) as info:
        check_country(value)
    assert str(info.value) == ("country: %r is not a country code (%s); give the two-letter ISO 3166-1 code, for example "
                               "'AT' for Austria, 'DE' for Germany, 'GB' for the United Kingdom" % (value, why))


@pytest.mark.parametrize("value", [
    "someuser@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", '"john doe"@example.com',
    "x@[192.0.2.1]", "UPPER@EXAMPLE.COM", "a@b-c.example",
])
def test_addresses_the_c5_accepts(value):
    assert check_email(value) == value


@pytest.mark.parametrize("value, why", [
    ("not-an-email", "it has no '@'"),
    ("@example.com", "nothing before the '@'"),
    ("a@localhost", "the domain after the '@' must be a full domain name"),
    ("a@-x.example.com", "the domain after the '@' must be a full domain name"),
    ("a@ex_ample.com", "the domain after the '@' must be a full domain name"),
    ("a b@example.com", "the part before the '@' may hold"),
    ("a..b@example.com", "the part before the '@' may hold"),
    (".a@example.com", "the part before the '@' may hold"),
    ("J\u00fcrgen@example.com", "the C5 accepts ASCII characters only"),
    ("Bob <bob@example.com>", "give the bare address"),
    ("x" * 65 + "@example.com", "longer than 64 characters"),
    ("a@" + "b" * 250 + ".com", "longer than 254 characters"),
    ("['a@example.com', 'b@example.com']", "it is a list; give one address"),
])
def test_addresses_the_c5_refuses_name_the_field_and_the_rule(value, why):
    with pytest.raises(InputError) as info:
        check_email(value, field="email")
    message = str(info.value)
    assert message.startswith("email: %r is not an e-mail address (" % value)
    assert why in message and message.endswith("give an address such as someuser@example.com")


@pytest.mark.parametrize("value", ["sip.example.com", "SIP.Example.COM", "sip.example.com.", "192.0.2.10", "[2001:db8::1]",
                                   "voip_1.example.net", "localhost", "a" * 63 + ".example.com"])
def test_sip_domains(value):
    assert check_domain(value) == value


@pytest.mark.parametrize("value, why", [
    ("bad domain!", "labels hold letters, digits"),
    ("-sip.example.com", "labels hold letters, digits"),
    ("sip-.example.com", "labels hold letters, digits"),
    ("sip..example.com", "an empty label"),
    (".example.com", "an empty label"),
    ("user@sip.example.com", "labels hold letters, digits"),
    ("https://sip.example.com", "labels hold letters, digits"),
    ("a" * 64 + ".example.com", "a label longer than 63 characters"),
    ("999.0.0.1", "digits only, but not an IPv4 address"),
    ("[2001:db8::zz]", "not an IPv6 address in brackets"),
    ("", "it is empty"),
])
def test_malformed_domains_name_the_field_and_the_forms(value, why):
    with pytest.raises(InputError) as info:
        check_domain(value)
    message = str(info.value)
    assert message.startswith("domain: %r is not a SIP domain (" % value) and why in message
    assert message.endswith("give a host name such as sip.example.com, an IPv4 address or an IPv6 address in brackets "
                            "([2001:db8::1])")


def test_a_domain_given_as_a_list_is_refused_as_a_list():
    # Ansible turns a list given to a str option into its Python text.
    for value in (["a.example.com", "b.example.com"], "['a.example.com', 'b.example.com']", "['a.example.com']"):
        with pytest.raises(InputError) as info:
            check_domain(value)
        assert str(info.value) == ("domain: %r is a list, but domain names one domain; give one name (use items, one "
                                   "entry per domain, for several)" % (value,))


@pytest.mark.parametrize("value, expected", [
    ("Europe/Vienna", "Europe/Vienna"), ("US/Eastern", "US/Eastern"), ("UTC", "UTC"),
    ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("default", None), ("Default", None), ("customer default (Europe/Vienna)", None), ("", None), (None, None),
])
def test_time_zones_the_c5_accepts(value, expected):
    assert check_timezone(value) == expected


@pytest.mark.parametrize("value, suggestion", [
    ("Mars/Olympus", ""), ("Europe/Viena", " (did you mean 'Europe/Vienna'?)"), ("europe/vienna", " (did you mean 'Europe/Vienna'?)"),
    ("local", ""), ("Middle/Earth", ""),
])
def test_unknown_time_zones_name_the_field_and_the_fix(value, suggestion):
    with pytest.raises(InputError) as info:
        check_timezone(value)
    assert str(info.value) == ("timezone: %r is not a time zone the C5 knows; give a tz database name such as "
                               "'Europe/Vienna'%s, or an empty string to inherit the zone" % (value, suggestion))


def test_without_a_tz_database_on_the_controller_the_server_checks(monkeypatch):
    monkeypatch.setattr(values, "_ZONES", frozenset())
    assert check_timezone("Mars/Olympus") == "Mars/Olympus"


# --- the resources check before any request (validate() never touches the API) -----------------

class NoApi:
    def __getattr__(self, name):
        raise AssertionError("validate sent a request: %s" % name)


def validate(resource_class, **item):
    resource_class(NoApi(), None, RunContext()).validate(item)


@pytest.mark.parametrize("resource, item, message", [
    (CustomerContact, dict(email="anna@example.com", country="Austria"), "country: 'Austria' is not a country code"),
    (CustomerContact, dict(email="anna(at)example.com"), "email: 'anna(at)example.com' is not an e-mail address"),
    (CustomerContact, dict(email="anna@example.com", timezone="Mars/Olympus"), "timezone: 'Mars/Olympus' is not a time zone"),
    (CustomerContact, dict(email="anna@example.com", gpp={"gppX": "1"}), "gpp: unknown key 'gppX'"),
    (CustomerContact, dict(), "email is required"),
    (Domain, dict(domain="sip..example.com"), "domain: 'sip..example.com' is not a SIP domain"),
    (Domain, dict(domain="['a.example.com', 'b.example.com']"), "domain: \"['a.example.com', 'b.example.com']\" is a list"),
    (Subscriber, dict(sip_username="u1", domain="sip.example.com", primary_number="5550002"),
     "primary_number: '5550002' is ambiguous"),
    (Subscriber, dict(sip_username="u1", domain="sip.example.com", alias_numbers=["+43 1 2", "0 1 3"], default_cc=43,
                      primary_number="+4312"), "alias_numbers: 4312 is also the primary_number"),
    (Subscriber, dict(sip_username="u1", domain="sip.example.com", email="u1@localhost"), "email: 'u1@localhost'"),
    (Subscriber, dict(sip_username="u1", domain="sip.example.com", timezone="Europe/Viena"), "timezone: 'Europe/Viena'"),
    (Subscriber, dict(sip_username="u1", domain="sip example com"), "domain: 'sip example com' is not a SIP domain"),
    (Subscriber, dict(sip_username="u1", domain="sip.example.com", status="locked", lock="none"),
     "lock: none contradicts status: locked"),
])
def test_resources_validate_without_a_request(resource, item, message):
    with pytest.raises(InputError) as info:
        validate(resource, **item)
    assert str(info.value).startswith(message)


def test_valid_input_passes_and_a_terminated_subscriber_needs_only_its_key():
    validate(CustomerContact, email="anna@example.com", country="at", timezone="US/Eastern", gpp={"gpp0": "x"})
    validate(Domain, domain="sip.example.com")
    validate(Subscriber, sip_username="u1", domain="sip.example.com", primary_number="5550002", default_cc=43, default_ac=1,
             alias_numbers=["01 5550003", {"cc": 43, "ac": 1, "sn": 5550004}])
    validate(Subscriber, sip_username="u1", domain="sip.example.com", state="absent", primary_number="5550002")
