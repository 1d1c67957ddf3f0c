# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The platform's value rules, checked before the first request (spec 5 and 6):
E.164 numbers without ``+``, DTMF digit maps, time definitions, account names,
SQL ``LIKE`` patterns, WAV headers. Each failure is an InputError naming the
field and the fix. Reading server values: ``null`` and ``""`` are the same for
strings (gap 8), numbers may come as numeric strings, GUIDs in any case."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import struct

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError

E164_RE = re.compile(r"^[1-9][0-9]{5,14}$")
GUID_RE = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
RESERVED_PREFIX = "_"


def is_guid(value):
    return bool(GUID_RE.match(str(value or "")))


def text(value):
    """A server string: None and "" are the same (gap 8)."""
    return "" if value is None else str(value)


def integer(value):
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def boolean(value):
    if isinstance(value, bool) or value is None:
        return value
    if str(value).strip().lower() in ("1", "true", "yes"):
        return True
    if str(value).strip().lower() in ("0", "false", "no"):
        return False
    return value


def upper(value):
    return text(value).upper()


def e164(field, allow_rewrite=False):
    """A normaliser: E.164 digits without ``+`` (``6491231234``); ``a:`` kept
    when ``allow_rewrite`` (numbers that may repeat for outgoing rewrite)."""

    def check(value):
        raw = str(value).strip()
        digits = raw[2:] if allow_rewrite and raw.lower().startswith("a:") else raw
        if not E164_RE.match(digits):
            hint = ""
            if raw.startswith("+") or re.search(r"[\s().-]", raw):
                hint = " (write it as %s)" % re.sub(r"[^0-9]", "", raw)
            raise InputError("%s: '%s' is not an E.164 number as XC5 stores it: 6 to 15 digits, no '+', "
                             "no blanks%s" % (field, raw, hint))
        return ("a:" + digits) if digits != raw else digits
    return check


def optional_e164(field):
    check = e164(field)

    def normalise(value):
        return "" if str(value).strip() == "" else check(value)
    return normalise


DIGIT_KEY_RE = re.compile(r"^(?:[0-9*#]+|T)$")


def digit_map(value, field="digit_map"):
    """``key=action,...``: DTMF keys (a whole PIN too) or ``T`` (timeout); ``#n``
    jumps to menu n (from 1), anything else is a destination."""
    raw = str(value).strip()
    if not raw:
        return ""
    seen = set()
    for entry in raw.split(","):
        key, sep, action = entry.strip().partition("=")
        if not sep or not DIGIT_KEY_RE.match(key) or not action:
            raise InputError("%s: '%s' is not key=action with a DTMF key (digits, * or #) or T for the timeout; "
                             "write it like 1=#3,5=#2,T=#3" % (field, entry.strip()))
        if action.startswith("#") and not re.match(r"^#[1-9][0-9]*$", action):
            raise InputError("%s: '%s' jumps to '%s'; a menu jump is # and a menu number from 1, e.g. #2"
                             % (field, entry.strip(), action))
        if key in seen:
            raise InputError("%s: key '%s' is mapped twice in '%s'" % (field, key, raw))
        seen.add(key)
    return raw


DAYS = ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")
_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d|24:00"
TIME_TERM_RE = re.compile(r"^(?P<days>[A-Za-z]+(?:-[A-Za-z]+)?)?(?:\s*(?P<start>%s)-(?P<end>%s))?$" % (_TIME, _TIME))
CALENDAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def time_definition(value, field="time_definition"):
    """Comma-separated terms, each optionally negated with ``!``: a named calendar
    (``nz_holidays``), days with an optional time range (``Mon-Thur 08:30-17:00``)
    or a time range alone (spec 5.4)."""
    raw = str(value).strip()
    if not raw:
        return ""
    for part in raw.split(","):
        term = part.strip()
        body = term[1:].strip() if term.startswith("!") else term
        if not body:
            raise InputError("%s: empty term in '%s'" % (field, raw))
        found = TIME_TERM_RE.match(body)
        if found and (found.group("days") or found.group("start")):
            days = found.group("days")
            names = days.lower().split("-") if days else []
            if all(name in DAYS for name in names):
                start, end = found.group("start"), found.group("end")
                if start and end != "24:00" and start.zfill(5) >= end.zfill(5):
                    raise InputError("%s: '%s' ends before it starts" % (field, term))
                continue
            if not found.group("start") and "-" not in days:
                continue  # a calendar name
            raise InputError("%s: '%s' names an unknown day; use Mon Tue Wed Thu (or Thur) Fri Sat Sun, "
                             "e.g. Mon-Fri 08:30-17:00" % (field, term))
        if CALENDAR_RE.match(body):
            continue
        raise InputError("%s: '%s' is neither a calendar name (like nz_holidays) nor days and times like "
                         "Mon-Fri 08:30-17:00" % (field, term))
    return raw


def like(pattern, value):
    """SQL Server ``LIKE`` as the API's ``filter`` applies it (gap 5): ``%`` any run,
    ``_`` any one character, ``[...]`` a character set; case-insensitive."""
    regex = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "%":
            regex.append(".*")
        elif char == "_":
            regex.append(".")
        elif char == "[" and pattern.find("]", index + 2) != -1:
            end = pattern.find("]", index + 2)
            body = pattern[index + 1:end]
            negate = body.startswith("^")
            body = body[1:] if negate else body
            regex.append("[%s%s]" % ("^" if negate else "", "".join("\\" + c if c in "\\]^" else c for c in body)))
            index = end
        else:
            regex.append(re.escape(char))
        index += 1
    return re.match("^" + "".join(regex) + "$", value or "", re.IGNORECASE | re.DOTALL) is not None


def like_literal(value):
    """A ``LIKE`` pattern matching ``value`` exactly (``_`` ``%`` ``[`` escaped the
    SQL Server way)."""
    return re.sub(r"([_%\[])", r"[\1]", value)


def account_name(field, allow_reserved=False):
    def check(value):
        name = str(value).strip()
        if not name:
            raise InputError("%s: an account name is required" % field)
        if re.search(r"[\s/]", name):
            raise InputError("%s: '%s' may not contain blanks or '/'" % (field, name))
        if name.startswith(RESERVED_PREFIX) and not allow_reserved:
            raise InputError("%s: '%s' is a reserved system account (names starting with '_' belong to the "
                             "platform: pools, carriers, nodes); set allow_reserved: true to manage it anyway"
                             % (field, name))
        return name
    return check


def wav_duration(path, field="file"):
    """(seconds, bytes) of a RIFF/WAVE file from its header (fmt byte rate and
    data chunk size), as the server computes ``prompt_length``."""
    try:
        with open(path, "rb") as stream:
            audio = stream.read()
    except (IOError, OSError) as exc:
        raise InputError("%s: cannot read '%s': %s" % (field, path, exc))
    if len(audio) < 12 or audio[:4] != b"RIFF" or audio[8:12] != b"WAVE":
        raise InputError("%s: '%s' is not a WAV file (RIFF/WAVE); convert it first, e.g. "
                         "sox in.mp3 -r 8000 -c 1 out.wav" % (field, path))
    position, byte_rate = 12, None
    while position + 8 <= len(audio):
        chunk = audio[position:position + 4]
        size = struct.unpack("<I", audio[position + 4:position + 8])[0]
        if chunk == b"fmt " and size >= 16:
            byte_rate = struct.unpack("<I", audio[position + 16:position + 20])[0]
        elif chunk == b"data":
            if not byte_rate:
                break
            size = min(size, len(audio) - position - 8)
            return round(size / float(byte_rate), 3), audio
        position += 8 + size + (size & 1)
    raise InputError("%s: '%s' is a damaged WAV file (no fmt or data chunk)" % (field, path))
