# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Telephone numbers as the C5 stores them: ``{"cc", "ac", "sn"}``.

A number can be written in a task as

* a dict ``{cc: 43, ac: 9876, sn: 10001}`` (ints or digit strings; aliases may add
  ``is_devid``);
* an E.164 string with separators, ``"+43 9876 10001"`` or ``"+43-9876-10001"``:
  the groups are country code, area code and subscriber number (more groups are
  joined into the subscriber number; two groups mean no area code);
* a compact E.164 string ``"+43987610001"``: the country code is taken from the
  ITU-T E.164 country-code table below (prefix-free, so at most one code
  matches) and the rest becomes the subscriber number, with an empty area code;
* ``00`` instead of ``+`` (``"0043 9876 10001"``), the international prefix;
* with the task options ``default_cc`` (and ``default_ac``) only, a national
  number: ``"09876 10001"`` (the trunk prefix ``0``, then area code and
  subscriber number) or a local one, ``"10001"`` (in the area ``default_ac``).
  These are the C5's own normalisation rules for dialled numbers (its
  handbook's inbound rewrite rules: ``^00`` international, ``^0`` national with
  the caller's cc, otherwise local with the caller's cc and ac).

A string with neither ``+`` nor ``00`` is never guessed: ``"5550002"`` could be
+55 50002 (Brazil) or a local number, so without ``default_cc`` it is an error
naming the field.

The server returns ``cc`` as a JSON number and ``ac``/``sn`` as strings whatever
was sent (spec §5.2), and the same digits can be split into cc/ac/sn in more
than one way, so numbers are compared by their full digit string cc+ac+sn, and
alias lists as sets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError

# ITU-T E.164 assigned country codes (incl. the global service codes 800, 808,
# 870, 878, 881-883, 888, 979, 991).  Every code not listed is spare or
# reserved.  The set is prefix-free: no code is the beginning of another.
_CC1 = "1 7"
_CC2 = ("20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 "
        "60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98")
_CC3 = ("211-213 216 218 220-258 260-269 290 291 297-299 350-359 370-378 380-383 385-387 389 "
        "420 421 423 500-509 590-599 670 672-683 685-692 800 808 850 852 853 855 856 870 878 "
        "880-883 886 888 960-968 970-977 979 991-996 998")


def _expand(spec):
    codes = set()
    for part in spec.split():
        if "-" in part:
            low, high = part.split("-")
            codes.update(str(n) for n in range(int(low), int(high) + 1))
        else:
            codes.add(part)
    return frozenset(codes)


COUNTRY_CODES = _expand(_CC1) | _expand(_CC2) | _expand(_CC3)

ACCEPTED_FORMS = ("a dict {cc, ac, sn} of digits (aliases may add is_devid), "
                  "an E.164 string such as '+43 9876 10001', '+43-9876-10001', '+43987610001' or '0043 9876 10001', "
                  "or, with the option default_cc (and default_ac), a national number such as '09876 10001' "
                  "or a local one such as '10001'")

#: Where the leading 0 of a national number is part of the number, not a trunk
#: prefix (Italy, San Marino, Vatican): a national number cannot be told from a
#: local one there.
_ZERO_KEPT = frozenset(("39", "378", "379"))

_SEPARATORS = re.compile(r"[\s\-./]+")
_DIGITS = re.compile(r"^[0-9]+$")
_DICT_KEYS = frozenset(("cc", "ac", "sn", "is_devid", "number_id"))


def split_country_code(digits):
    """``(cc, rest)`` for an international digit string, or None when it does not
    start with an assigned country code."""
    for length in (1, 2, 3):
        if digits[:length] in COUNTRY_CODES and len(digits) > length:
            return digits[:length], digits[length:]
    return None


def _fail(field, value, why):
    raise InputError("%s: %r is not a valid number (%s); accepted forms: %s" % (field, value, why, ACCEPTED_FORMS))


def _digits(value, field, original, part, min_len, max_len):
    if isinstance(value, bool):
        _fail(field, original, "%s must be digits, got %r" % (part, value))
    if value is None:
        text = ""
    elif isinstance(value, int):
        text = str(value)
    else:
        text = str(value).strip()
    if text == "":
        if min_len == 0:
            return ""
        _fail(field, original, "%s is missing" % part)
    if not _DIGITS.match(text):
        _fail(field, original, "%s must be digits, got %r" % (part, value))
    if not min_len <= len(text) <= max_len:
        _fail(field, original, "%s must have %d to %d digits" % (part, min_len, max_len))
    return text


def _bool(value, field, original):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text not in ("0", "false", "no", "off", ""):
        _fail(field, original, "is_devid must be a boolean")
    return False


def national_defaults(item):
    """``(default_cc, default_ac)`` of a task or an entry of ``items``, checked:
    digit strings or None.  An area code needs a country code."""
    cc, ac = item.get("default_cc"), item.get("default_ac")
    if cc is not None:
        if isinstance(cc, bool) or not _DIGITS.match(str(cc).strip().lstrip("+")):
            raise InputError("default_cc: %r is not a country code; give its digits, for example 43 for Austria" % (cc,))
        cc = str(cc).strip().lstrip("+")
        if cc not in COUNTRY_CODES:
            raise InputError("default_cc: '%s' is not an ITU country code (for example 43 for Austria, 49 for Germany, "
                             "1 for North America)" % cc)
        if cc in _ZERO_KEPT:
            raise InputError("default_cc: %s: there the leading 0 is part of the number, so a national number cannot be "
                             "told from a local one; write the numbers in E.164 ('+%s ...') and leave default_cc out"
                             % (cc, cc))
    if ac is not None:
        text = str(ac).strip()
        if isinstance(ac, bool) or not _DIGITS.match(text) or len(text) > 7:
            raise InputError("default_ac: %r is not an area code; give 1 to 7 digits without the trunk prefix 0, "
                             "for example 1 for Vienna" % (ac,))
        if text.startswith("0"):
            raise InputError("default_ac: %r starts with the trunk prefix 0; give the area code without it (%r)"
                             % (ac, text.lstrip("0") or "?"))
        if cc is None:
            raise InputError("default_ac: %s needs default_cc (the country code of the area)" % text)
        ac = text
    return cc, ac


def parse_number(value, field, allow_devid=False, default_cc=None, default_ac=None):
    """The normalised form ``{"cc", "ac", "sn"}`` (digit strings; plus ``is_devid``
    when ``allow_devid``) of a number given in a task.  A string without ``+`` or
    ``00`` is a national number, taken only with ``default_cc`` (a local one also
    needs ``default_ac``; see :func:`national_defaults`).  Raises InputError naming
    ``field``, the value and the accepted forms."""
    if isinstance(value, dict):
        unknown = sorted(set(value) - _DICT_KEYS)
        if unknown or ("is_devid" in value and not allow_devid):
            _fail(field, value, "unknown key(s) %s" % ", ".join(unknown or ["is_devid"]))
        cc = _digits(value.get("cc"), field, value, "cc", 1, 4)
        if cc.startswith("0"):
            _fail(field, value, "cc must not start with 0")
        number = {
            "cc": cc,
            "ac": _digits(value.get("ac"), field, value, "ac", 0, 7),
            "sn": _digits(value.get("sn"), field, value, "sn", 1, 31),
        }
        if allow_devid:
            number["is_devid"] = _bool(value.get("is_devid", False), field, value)
        return number
    if isinstance(value, bool) or value is None or not isinstance(value, (str, int)):
        _fail(field, value, "neither a dict nor a string")
    text = str(value).strip()
    if text.startswith("+"):
        body, form = text[1:], "international"
    elif text.startswith("00"):
        body, form = text[2:], "international"
    elif text.startswith("0"):
        body, form = text[1:], "national"
    else:
        body, form = text, "local"
    groups = [g for g in _SEPARATORS.split(body) if g != ""] if body else []
    if not groups:
        _fail(field, value, "it is empty")
    for group in groups:
        if not _DIGITS.match(group):
            _fail(field, value, "only digits, an optional leading '+' and the separators space, '-', '.', '/' are allowed")
    if groups[0].startswith("0"):
        _fail(field, value, "after '+' or '00' comes the country code, which does not start with 0"
              if form == "international" else "a national number has one trunk prefix 0")
    if form != "international":
        return _national(value, field, groups, form, allow_devid, default_cc, default_ac)
    if len(groups) == 1:
        split = split_country_code(groups[0])
        if split is None:
            _fail(field, value, "it does not start with an ITU country code")
        cc, ac, sn = split[0], "", split[1]
    else:
        if groups[0] not in COUNTRY_CODES:
            _fail(field, value, "'%s' is not an ITU country code" % groups[0])
        cc = groups[0]
        ac, sn = (groups[1], "".join(groups[2:])) if len(groups) > 2 else ("", groups[1])
    if len(ac) > 7:
        _fail(field, value, "ac must have at most 7 digits")
    if not 1 <= len(sn) <= 31:
        _fail(field, value, "sn must have 1 to 31 digits")
    number = {"cc": cc, "ac": ac, "sn": sn}
    if allow_devid:
        number["is_devid"] = False
    return number


def _national(value, field, groups, form, allow_devid, default_cc, default_ac):
    """A number written without '+' or '00', with the C5's rules for dialled
    numbers: a leading 0 is the trunk prefix (cc ``default_cc``, then the area
    code and the subscriber number, as groups), no 0 a local number (cc
    ``default_cc``, ac ``default_ac``, all digits the subscriber number)."""
    unquoted = " (an unquoted YAML number loses its '+': quote it)" if isinstance(value, int) else ""
    if default_cc is None or (form == "local" and default_ac is None):
        needs = "default_cc" if form == "national" else "default_cc and default_ac"
        raise InputError("%s: %r is ambiguous: a number without '+' or '00' is %s%s; write it in E.164 "
                         "('+<country code> <area code> <number>', for example '+43 1 5550002'), or set %s "
                         "(task or entry of items) to say which %s it belongs to"
                         % (field, value, "a national number (0 and the area code)" if form == "national"
                            else "a local number in some area", unquoted, needs,
                            "country" if form == "national" else "country and area"))
    if form == "national":
        ac, sn = (groups[0], "".join(groups[1:])) if len(groups) > 1 else ("", groups[0])
    else:
        ac, sn = default_ac, "".join(groups)
    if len(ac) > 7:
        _fail(field, value, "ac must have at most 7 digits")
    if not 1 <= len(sn) <= 31:
        _fail(field, value, "sn must have 1 to 31 digits")
    number = {"cc": default_cc, "ac": ac, "sn": sn}
    if allow_devid:
        number["is_devid"] = False
    return number


def parse_number_list(values, field, allow_devid=True, default_cc=None, default_ac=None):
    """A list of numbers (aliases); the same digits twice is an error."""
    if values is None:
        return None
    if not isinstance(values, (list, tuple)):
        raise InputError("%s must be a list of numbers (%s)" % (field, ACCEPTED_FORMS))
    numbers = []
    seen = {}
    for index, value in enumerate(values):
        number = parse_number(value, "%s[%d]" % (field, index), allow_devid=allow_devid,
                              default_cc=default_cc, default_ac=default_ac)
        digits = number_digits(number)
        if digits in seen:
            raise InputError("%s: %r and %r are the same number (%s)" % (field, values[seen[digits]], value, format_number(number)))
        seen[digits] = index
        numbers.append(number)
    return numbers


def number_from_api(obj, with_devid=False):
    """The normalised form of a number as the API returns it (cc a number, ac/sn
    strings, ``number_id``), or None."""
    if not obj or not isinstance(obj, dict):
        return None
    number = {
        "cc": "" if obj.get("cc") is None else str(obj.get("cc")).strip(),
        "ac": "" if obj.get("ac") is None else str(obj.get("ac")).strip(),
        "sn": "" if obj.get("sn") is None else str(obj.get("sn")).strip(),
    }
    if with_devid:
        number["is_devid"] = bool(obj.get("is_devid")) and str(obj.get("is_devid")).lower() not in ("0", "false")
    return number


def numbers_from_api(objs, with_devid=True):
    numbers = [number_from_api(o, with_devid) for o in (objs or [])]
    return [n for n in numbers if n is not None]


def number_digits(number):
    """The full digit string cc+ac+sn (the identity of a number), or None."""
    if not number:
        return None
    return "%s%s%s" % (number.get("cc") or "", number.get("ac") or "", number.get("sn") or "")


def format_number(number):
    """``+cc ac sn`` for messages."""
    if not number:
        return None
    return " ".join(p for p in ("+" + str(number.get("cc") or ""), number.get("ac") or "", number.get("sn") or "") if p)


def number_to_api(number):
    """The request form: ``cc`` as an integer, ``ac``/``sn`` as digit strings
    (leading zeros kept)."""
    body = {"cc": int(number["cc"]), "ac": number.get("ac") or "", "sn": number["sn"]}
    if "is_devid" in number:
        body["is_devid"] = bool(number["is_devid"])
    return body


def same_number(a, b):
    """Whether two normalised numbers (or None) are the same number."""
    return number_digits(a) == number_digits(b)


def number_set(numbers, with_devid=True):
    return set((number_digits(n), bool(n.get("is_devid")) if with_devid else False) for n in (numbers or []))


def same_number_set(a, b, with_devid=True):
    """Whether two alias lists hold the same numbers (order does not matter)."""
    return number_set(a, with_devid) == number_set(b, with_devid)


def sort_numbers(numbers):
    return sorted(numbers or [], key=lambda n: (number_digits(n), bool(n.get("is_devid"))))
