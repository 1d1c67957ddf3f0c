# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The timestamp styles the VTX platform writes (spec section 8, trap 6) and a
lenient parser for what clients send.

The seed shows four renderings of an instant, each in a different place:

=================  ======================================  ======================
style              example                                 where the platform uses it
=================  ======================================  ======================
``instant``        ``2024-09-29T00:00:00Z``                ``expires``, ``callStart`` (Java
                                                           ``Instant.toString``: fraction only
                                                           when non-zero, 3/6 digits)
``zurich_micro``   ``2024-09-27T17:21:42.272678+02:00``    ``created``/``modified`` in the POST
                                                           answer, ``eventTime`` (millis) in pushes
``utc_trimmed``    ``2024-09-27T08:43:43.76913Z``          ``created``/``modified`` when listed
                                                           (read back from the database: trailing
                                                           zeros of the fraction dropped)
``no_colon``       ``2024-05-28T17:21:44+0200``            ``buildDate`` of ``/system/server``
=================  ======================================  ======================
"""

import re
from datetime import datetime, timedelta, timezone

try:
    from zoneinfo import ZoneInfo

    ZURICH = ZoneInfo("Europe/Zurich")
except Exception:  # pragma: no cover - no tz database: Central European winter time
    ZURICH = timezone(timedelta(hours=1))

_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)


class TimeFormatError(ValueError):
    """Not an ISO 8601 instant."""


def parse(text, default_utc=True):
    """Epoch seconds (float) of an ISO 8601 timestamp in any of the platform's
    styles; a value without offset is UTC (Jackson's default for ``Instant``
    fields is to reject it, but the C5 OpenAPI deserialises with a lenient
    ``OffsetDateTime`` parser - assumed). Raises :class:`TimeFormatError`."""
    if not isinstance(text, str):
        raise TimeFormatError("not a timestamp string: %r" % (text,))
    match = _ISO_RE.match(text.strip())
    if not match:
        raise TimeFormatError("not an ISO 8601 timestamp: %r" % (text,))
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    if offset in (None, "Z", "z"):
        if offset is None and not default_utc:
            raise TimeFormatError("timestamp without offset: %r" % (text,))
        tz = timezone.utc
    else:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tzinfo=tz)
    except ValueError as exc:
        raise TimeFormatError("impossible date or time in %r: %s" % (text, exc)) from None
    return moment.timestamp()


def _utc(epoch):
    return datetime.fromtimestamp(round(epoch, 6), timezone.utc)


def instant(epoch):
    """Java ``Instant.toString``: ``...:00Z``, ``...:00.5Z`` -> ``.500Z``, micros when needed."""
    moment = _utc(epoch)
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    micro = moment.microsecond
    if micro == 0:
        return base + "Z"
    if micro % 1000 == 0:
        return base + ".%03dZ" % (micro // 1000)
    return base + ".%06dZ" % micro


def zurich_micro(epoch):
    """``2024-09-27T17:21:42.272678+02:00`` (local Swiss time, microseconds)."""
    return _utc(epoch).astimezone(ZURICH).isoformat(timespec="microseconds")


def zurich_millis(epoch):
    """``2024-09-27T17:26:53.273+02:00`` (push ``eventTime``)."""
    return _utc(epoch).astimezone(ZURICH).isoformat(timespec="milliseconds")


def utc_trimmed(epoch):
    """``2024-09-27T08:43:43.76913Z``: microseconds with trailing zeros dropped."""
    moment = _utc(epoch)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = ("%06d" % moment.microsecond).rstrip("0")
    return text + ("." + fraction if fraction else "") + "Z"


def no_colon(epoch):
    """``2024-05-28T17:21:44+0200`` (``buildDate``)."""
    return _utc(epoch).astimezone(ZURICH).strftime("%Y-%m-%dT%H:%M:%S%z")


def spring_timestamp(epoch):
    """``2024-09-27T15:26:45.123+00:00`` (Spring Boot error ``timestamp``)."""
    return _utc(epoch).isoformat(timespec="milliseconds")


STYLES = {"instant": instant, "zurich_micro": zurich_micro, "utc_trimmed": utc_trimmed, "no_colon": no_colon}
