# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Value rules of the XC5 backend: field types, SQL LIKE, numbers, digit maps,
time definitions and WAV headers.  Pure functions; a violation raises
:class:`Invalid` whose message names the field (``"<field>: <reason>"``, the
spec's 400 shape)."""

import re
import struct


class ModelError(Exception):
    """A request the backend refuses; ``kind`` says how the app answers it."""

    kind = "invalid"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Invalid(ModelError):
    kind = "invalid"  # 400


class NotFound(ModelError):
    kind = "not_found"  # 404


class Conflict(ModelError):
    kind = "conflict"  # 409


class Denied(ModelError):
    kind = "denied"  # 403


GUID_RE = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
E164_RE = re.compile(r"^[1-9][0-9]{5,14}$")
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


def is_guid(text):
    return bool(GUID_RE.match(str(text or "")))


def to_string(field, value):
    """Strings: ``null`` stores "" (seed: ``{"alert-info": null}`` reads back
    ``""``); numbers are taken as their text (assumed: the vendor's examples send
    ``"order": "100"`` the other way round, so the server is lenient)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise Invalid("%s: must be a string, not a boolean" % field)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    raise Invalid("%s: must be a string" % field)


def to_bool(field, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise Invalid("%s: must be a boolean (true/false or 0/1), not %s" % (field, _show(value)))


def to_int(field, value, minimum=None):
    """Integers; numeric strings accepted (seed: ``"order": "100"``)."""
    if isinstance(value, bool) or value is None:
        raise Invalid("%s: must be an integer, not %s" % (field, _show(value)))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.match(r"^\s*-?\d+\s*$", value):
        number = int(value)
    else:
        raise Invalid("%s: must be an integer, not %s" % (field, _show(value)))
    if minimum is not None and number < minimum:
        raise Invalid("%s: must be at least %d, not %d" % (field, minimum, number))
    return number


def _show(value):
    import json  # pylint: disable=import-outside-toplevel

    return json.dumps(value)


def coerce(field, kind, value):
    if kind == "string":
        return to_string(field, value)
    if kind == "boolean":
        return to_bool(field, value)
    if kind == "integer":
        return to_int(field, value)
    raise ValueError(kind)


def like(pattern, text):
    """SQL Server ``LIKE`` (the guid style suggests SQL Server; its default
    collation is case-insensitive): ``%`` any run, ``_`` one character,
    ``[abc]``/``[a-c]``/``[^a]`` one character of a set - so ``[_]`` is a literal
    underscore (spec gap 5)."""
    regex = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "%":
            regex.append(".*")
        elif char == "_":
            regex.append(".")
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                regex.append(re.escape(char))
            else:
                body = pattern[i + 1:end]
                negate = body.startswith("^")
                if negate:
                    body = body[1:]
                regex.append("[%s%s]" % ("^" if negate else "", "".join("\\" + c if c in "\\]^" else c for c in body)))
                i = end
        else:
            regex.append(re.escape(char))
        i += 1
    return re.fullmatch("".join(regex), text or "", re.IGNORECASE | re.DOTALL) is not None


def number_value(field, value):
    """A DDI: E.164 digits without ``+`` (``6491231234``), optionally ``a:``-prefixed
    (allowed to repeat for outgoing rewrite)."""
    text = to_string(field, value).strip()
    digits = text[2:] if text.lower().startswith("a:") else text
    if not E164_RE.match(digits):
        raise Invalid('%s: "%s" is not an E.164 number without "+" (6 to 15 digits, e.g. 6491231234)' % (field, text))
    return ("a:" + digits) if text.lower().startswith("a:") else digits


DIGIT_KEY_RE = re.compile(r"^(?:[0-9*#]+|T)$")


def digit_map(value):
    """``key=action,...``: keys are DTMF digits (a whole PIN too) or ``T`` (timeout);
    ``#n`` jumps to menu n, anything else is a destination."""
    text = to_string("digit_map", value).strip()
    if not text:
        return ""
    seen = set()
    for entry in text.split(","):
        key, sep, action = entry.strip().partition("=")
        if not sep or not DIGIT_KEY_RE.match(key) or not action:
            raise Invalid('digit_map: entry "%s" is not key=action with a DTMF key or T (e.g. 1=#3,5=#2,T=#3)' % entry.strip())
        if action.startswith("#") and not re.match(r"^#[1-9][0-9]*$", action):
            raise Invalid('digit_map: "%s" jumps to "%s"; a menu jump is # and a menu number from 1 (e.g. #2)' % (entry.strip(), action))
        if key in seen:
            raise Invalid('digit_map: key "%s" is mapped twice' % key)
        seen.add(key)
    return text


DAYS = ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")
_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d|24:00"
_DAYS = r"[A-Za-z]+(?:-[A-Za-z]+)?"
TIME_TERM_RE = re.compile(r"^(?P<days>%s)?(?:\s*(?P<from>%s)-(?P<to>%s))?$" % (_DAYS, _TIME, _TIME))
CALENDAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def time_definition(value):
    """Comma-separated terms, each optionally negated with ``!``: a named calendar
    (``nz_holidays``), a day or day range with an optional time range
    (``Mon-Thur 08:30-17:00``), or a time range alone."""
    text = to_string("time_definition", value).strip()
    if not text:
        return ""
    for raw in text.split(","):
        term = raw.strip()
        body = term[1:].strip() if term.startswith("!") else term
        if not body:
            raise Invalid('time_definition: empty term in "%s"' % text)
        found = TIME_TERM_RE.match(body)
        if found and (found.group("days") or found.group("from")):
            days = found.group("days")
            day_names = days.lower().split("-") if days else []
            if all(day in DAYS for day in day_names):
                if found.group("from") and found.group("from").zfill(5) >= found.group("to").zfill(5) and found.group("to") != "24:00":
                    raise Invalid('time_definition: "%s" ends before it starts' % term)
                continue
            if not found.group("from") and "-" not in days and CALENDAR_RE.match(body):
                continue  # a calendar name
            raise Invalid('time_definition: "%s" names an unknown day (use Mon Tue Wed Thu/Thur Fri Sat Sun)' % term)
        if CALENDAR_RE.match(body):
            continue
        raise Invalid('time_definition: "%s" is neither a calendar name nor a day/time range like Mon-Fri 08:30-17:00' % term)
    return text


def wav_length(audio):
    """Seconds of audio in a RIFF/WAVE file, from its header (fmt byte rate and
    data chunk size); :class:`Invalid` when the bytes are no WAV."""
    if len(audio) < 12 or audio[:4] != b"RIFF" or audio[8:12] != b"WAVE":
        raise Invalid("file: not a WAV file (expected RIFF/WAVE audio)")
    position = 12
    byte_rate = None
    while position + 8 <= len(audio):
        chunk_id = audio[position:position + 4]
        (size,) = struct.unpack("<I", audio[position + 4:position + 8])
        if chunk_id == b"fmt ":
            if size < 16:
                raise Invalid("file: WAV fmt chunk too short")
            byte_rate = struct.unpack("<I", audio[position + 16:position + 20])[0]
        elif chunk_id == b"data":
            if not byte_rate:
                raise Invalid("file: WAV data before its fmt chunk")
            size = min(size, len(audio) - position - 8)
            return round(size / float(byte_rate), 3)
        position += 8 + size + (size & 1)
    raise Invalid("file: WAV file without a data chunk")
