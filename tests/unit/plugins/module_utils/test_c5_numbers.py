# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Number parsing and comparison: the forms a task may use, the server's typing, sets of aliases."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.c5.numbers import (
    COUNTRY_CODES, format_number, national_defaults, number_digits, number_from_api, number_to_api, numbers_from_api,
    parse_number, parse_number_list, same_number, same_number_set, sort_numbers, split_country_code,
)


def test_country_code_table_is_prefix_free_and_has_the_usual_codes():
    for code in COUNTRY_CODES:
        for length in range(1, len(code)):
            assert code[:length] not in COUNTRY_CODES, "%s is a prefix of %s" % (code[:length], code)
    for code in ("1", "7", "20", "27", "43", "44", "49", "86", "212", "351", "353", "420", "852", "971", "998", "800", "882"):
        assert code in COUNTRY_CODES
    for spare in ("0", "28", "210", "259", "384", "422", "671", "801", "999"):
        assert spare not in COUNTRY_CODES


@pytest.mark.parametrize("digits, expected", [
    ("43987610001", ("43", "987610001")),
    ("12125550100", ("1", "2125550100")),
    ("74951234567", ("7", "4951234567")),
    ("35312345678", ("353", "12345678")),
    ("4210901234567", ("421", "0901234567")),
    ("8821234567", ("882", "1234567")),
])
def test_split_country_code(digits, expected):
    assert split_country_code(digits) == expected


def test_split_country_code_unknown_or_too_short():
    assert split_country_code("2801234") is None
    assert split_country_code("0043123") is None
    assert split_country_code("43") is None


@pytest.mark.parametrize("value, expected", [
    ("+43 9876 10001", {"cc": "43", "ac": "9876", "sn": "10001"}),
    ("+43-9876-10001", {"cc": "43", "ac": "9876", "sn": "10001"}),
    ("+43.9876/10001", {"cc": "43", "ac": "9876", "sn": "10001"}),
    ("  +43  9876 - 10001 ", {"cc": "43", "ac": "9876", "sn": "10001"}),
    ("0043 9876 10001", {"cc": "43", "ac": "9876", "sn": "10001"}),
    ("00 43 9876 10001", {"cc": "43", "ac": "9876", "sn": "10001"}),
    ("0043987610001", {"cc": "43", "ac": "", "sn": "987610001"}),
    ("+43 1 234 5678", {"cc": "43", "ac": "1", "sn": "2345678"}),
    ("+43 987610001", {"cc": "43", "ac": "", "sn": "987610001"}),
    ("+43987610001", {"cc": "43", "ac": "", "sn": "987610001"}),
    ("+1 212 5550100", {"cc": "1", "ac": "212", "sn": "5550100"}),
    ({"cc": 43, "ac": 9876, "sn": 10001}, {"cc": "43", "ac": "9876", "sn": "10001"}),
    ({"cc": "43", "ac": "9876", "sn": "010001"}, {"cc": "43", "ac": "9876", "sn": "010001"}),
    ({"cc": 43, "sn": "10001"}, {"cc": "43", "ac": "", "sn": "10001"}),
    ({"cc": 43, "ac": None, "sn": "10001", "number_id": 7}, {"cc": "43", "ac": "", "sn": "10001"}),
])
def test_parse_number_forms(value, expected):
    assert parse_number(value, "primary_number") == expected


def test_parse_alias_with_devid():
    assert parse_number({"cc": 43, "ac": 1, "sn": 2, "is_devid": True}, "a", allow_devid=True) == \
        {"cc": "43", "ac": "1", "sn": "2", "is_devid": True}
    assert parse_number({"cc": 43, "ac": 1, "sn": 2, "is_devid": "no"}, "a", allow_devid=True)["is_devid"] is False
    assert parse_number("+43 1 2", "a", allow_devid=True)["is_devid"] is False


@pytest.mark.parametrize("value, why", [
    ("+0 1 2", "country code, which does not start with 0"),
    ("000 1 2", "country code, which does not start with 0"),
    ("+28 1 2", "not an ITU country code"),
    ("+4398 76 10001", "not an ITU country code"),
    ("+2801234", "does not start with an ITU country code"),
    ("+43 (0)1 2345", "only digits"),
    ("+43 abc", "only digits"),
    ("", "empty"),
    ("+", "empty"),
    ("+43 12345678 1", "at most 7 digits"),
    ({"cc": 43, "ac": 1}, "sn is missing"),
    ({"cc": 43, "ac": 1, "sn": "1" * 32}, "sn must have 1 to 31 digits"),
    ({"cc": "043", "ac": 1, "sn": 2}, "must not start with 0"),
    ({"cc": 43, "ac": "1a", "sn": 2}, "ac must be digits"),
    ({"cc": 43, "ac": 1, "sn": 2, "colour": "red"}, "unknown key"),
    ({"cc": 43, "ac": 1, "sn": 2, "is_devid": True}, "unknown key"),
    ({"cc": True, "ac": 1, "sn": 2}, "cc must be digits"),
    (["+43 1 2"], "neither a dict nor a string"),
    (True, "neither a dict nor a string"),
])
def test_malformed_numbers_name_field_value_and_forms(value, why):
    with pytest.raises(InputError) as info:
        parse_number(value, "primary_number")
    message = str(info.value)
    assert message.startswith("primary_number: ")
    assert repr(value) in message
    assert why in message
    assert "+43 9876 10001" in message  # the accepted forms


def test_parse_number_list_names_the_index_and_refuses_duplicates():
    with pytest.raises(InputError) as info:
        parse_number_list(["+43 1 2", "bad"], "alias_numbers")
    assert "alias_numbers[1]" in str(info.value)
    with pytest.raises(InputError) as info:
        parse_number_list(["+43 1 2", "+4312"], "alias_numbers")
    assert "same number" in str(info.value)
    with pytest.raises(InputError):
        parse_number_list("+43 1 2", "alias_numbers")
    assert parse_number_list(None, "alias_numbers") is None
    assert parse_number_list([], "alias_numbers") == []


def test_server_typing_is_normalised():
    served = {"ac": "9876", "cc": 43, "number_id": 1, "sn": "10001"}
    assert number_from_api(served) == {"cc": "43", "ac": "9876", "sn": "10001"}
    assert number_from_api(None) is None
    assert number_from_api({}) is None
    aliases = numbers_from_api([{"ac": "9877", "cc": 43, "is_devid": False, "number_id": 2, "sn": "10001"},
                                {"ac": "", "cc": 1, "is_devid": 1, "number_id": 3, "sn": "5550100"}])
    assert aliases == [{"cc": "43", "ac": "9877", "sn": "10001", "is_devid": False},
                       {"cc": "1", "ac": "", "sn": "5550100", "is_devid": True}]


def test_numbers_compare_by_their_full_digit_string():
    served = number_from_api({"ac": "9876", "cc": 43, "number_id": 1, "sn": "10001"})
    assert same_number(served, parse_number("+43987610001", "n"))
    assert same_number(served, parse_number({"cc": "43", "ac": 9876, "sn": 10001}, "n"))
    assert same_number(served, parse_number("+43 98 7610001", "n"))
    assert not same_number(served, parse_number("+43 9876 10002", "n"))
    assert not same_number(served, None)
    assert same_number(None, None)
    assert number_digits(served) == "43987610001"


def test_alias_sets_ignore_order_and_split_but_not_devid():
    served = numbers_from_api([{"ac": "9877", "cc": 43, "is_devid": False, "sn": "10001"},
                               {"ac": "9878", "cc": 43, "is_devid": False, "sn": "10001"}])
    wanted = parse_number_list(["+43987810001", {"cc": 43, "ac": 9877, "sn": 10001}], "alias_numbers")
    assert same_number_set(served, wanted)
    assert not same_number_set(served, wanted[:1])
    assert not same_number_set(served, parse_number_list(
        ["+43987810001", {"cc": 43, "ac": 9877, "sn": 10001, "is_devid": True}], "alias_numbers"))
    assert same_number_set([], [])
    assert [number_digits(n) for n in sort_numbers(wanted)] == ["43987710001", "43987810001"]


def test_request_form_and_format():
    number = parse_number("+43 9876 010001", "n")
    assert number_to_api(number) == {"cc": 43, "ac": "9876", "sn": "010001"}
    alias = parse_number({"cc": "1", "sn": "5550100", "is_devid": True}, "a", allow_devid=True)
    assert number_to_api(alias) == {"cc": 1, "ac": "", "sn": "5550100", "is_devid": True}
    assert format_number(number) == "+43 9876 010001"
    assert format_number(alias) == "+1 5550100"


# --- numbers without '+' or '00': never guessed ----------------------------------------------

@pytest.mark.parametrize("value, form, needs", [
    ("5550002", "a local number", "default_cc and default_ac"),
    ("43 9876 10001", "a local number", "default_cc and default_ac"),
    ("01 5550002", "a national number", "set default_cc"),
    (43987610001, "a local number", "default_cc and default_ac"),
])
def test_a_number_without_plus_or_00_is_ambiguous_and_names_the_field(value, form, needs):
    with pytest.raises(InputError) as info:
        parse_number(value, "primary_number")
    message = str(info.value)
    assert message.startswith("primary_number: %r is ambiguous: a number without '+' or '00' is %s" % (value, form))
    assert needs in message and "E.164" in message and "'+43 1 5550002'" in message
    if isinstance(value, int):
        assert "an unquoted YAML number loses its '+': quote it" in message


def test_brazil_is_not_guessed_from_a_local_number():
    # the bug: "5550002" was created as +55 50002
    with pytest.raises(InputError, match="ambiguous"):
        parse_number("5550002", "primary_number")
    assert parse_number("5550002", "primary_number", default_cc="43", default_ac="1") == {"cc": "43", "ac": "1", "sn": "5550002"}


@pytest.mark.parametrize("value, cc, ac, expected", [
    ("01 5550002", "43", None, {"cc": "43", "ac": "1", "sn": "5550002"}),
    ("0 1 5550002", "43", None, {"cc": "43", "ac": "1", "sn": "5550002"}),
    ("09876-10001", "43", "1", {"cc": "43", "ac": "9876", "sn": "10001"}),
    ("015550002", "43", None, {"cc": "43", "ac": "", "sn": "15550002"}),
    ("5550002", "43", "1", {"cc": "43", "ac": "1", "sn": "5550002"}),
    ("555 0002", "49", "30", {"cc": "49", "ac": "30", "sn": "5550002"}),
    ("+44 20 79460000", "43", "1", {"cc": "44", "ac": "20", "sn": "79460000"}),  # E.164 ignores the defaults
    ("0044 20 79460000", "43", "1", {"cc": "44", "ac": "20", "sn": "79460000"}),
])
def test_national_and_local_numbers_with_the_c5_rules(value, cc, ac, expected):
    assert parse_number(value, "primary_number", default_cc=cc, default_ac=ac) == expected


def test_national_aliases_keep_devid_and_duplicates_are_found_across_forms():
    aliases = parse_number_list(["01 5550101", "+43 1 5550102"], "alias_numbers", default_cc="43")
    assert aliases == [{"cc": "43", "ac": "1", "sn": "5550101", "is_devid": False},
                       {"cc": "43", "ac": "1", "sn": "5550102", "is_devid": False}]
    with pytest.raises(InputError, match="same number"):
        parse_number_list(["01 5550101", "+4315550101"], "alias_numbers", default_cc="43")
    with pytest.raises(InputError, match=r"^alias_numbers\[0\]: '5550101' is ambiguous"):
        parse_number_list(["5550101"], "alias_numbers", default_cc="43")


@pytest.mark.parametrize("item, expected", [
    ({}, (None, None)),
    ({"default_cc": 43}, ("43", None)),
    ({"default_cc": "+43", "default_ac": 1}, ("43", "1")),
    ({"default_cc": " 49 ", "default_ac": "30"}, ("49", "30")),
])
def test_national_defaults(item, expected):
    assert national_defaults(item) == expected


@pytest.mark.parametrize("item, message", [
    ({"default_cc": "x"}, "default_cc: 'x' is not a country code; give its digits"),
    ({"default_cc": True}, "default_cc: True is not a country code"),
    ({"default_cc": 28}, "default_cc: '28' is not an ITU country code"),
    ({"default_cc": 39}, "default_cc: 39: there the leading 0 is part of the number"),
    ({"default_cc": 43, "default_ac": "01"}, "default_ac: '01' starts with the trunk prefix 0; give the area code without it ('1')"),
    ({"default_cc": 43, "default_ac": "1a"}, "default_ac: '1a' is not an area code"),
    ({"default_ac": 1}, "default_ac: 1 needs default_cc"),
])
def test_national_defaults_are_checked(item, message):
    with pytest.raises(InputError) as info:
        national_defaults(item)
    assert str(info.value).startswith(message)
