# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The platform's four timestamp styles parsed into one (spec section 8, trap 6):

``2024-09-29T00:00:00Z``, ``2024-09-27T17:21:42.272678+02:00``,
``2024-09-27T08:43:43.76913Z`` (5-6 fractional digits) and
``2024-05-28T17:21:44+0200`` (offset without a colon).  Never compare them as
text: parse to epoch seconds, render one style (UTC, milliseconds, ``Z``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import re
import time

_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)


def parse(text, field="timestamp"):
    """Epoch seconds (float) of ``text`` in any of the styles; a value without
    an offset is refused (it would be a guess).  Raises ValueError naming ``field``."""
    match = _ISO_RE.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError("%s: %r is not an ISO 8601 date-time such as 2024-09-29T00:00:00Z" % (field, text))
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if offset is None:
        raise ValueError("%s: %r has no UTC offset; add Z or +hh:mm" % (field, text))
    values = [int(year), int(month), int(day), int(hour), int(minute), int(second or 0)]
    if not (1 <= values[1] <= 12 and 1 <= values[2] <= 31 and values[3] <= 23 and values[4] <= 59 and values[5] <= 60):
        raise ValueError("%s: %r is not a valid date-time" % (field, text))
    try:
        time.strptime("%04d-%02d-%02d" % tuple(values[:3]), "%Y-%m-%d")
    except ValueError:
        raise ValueError("%s: %r is not a valid date" % (field, text))
    epoch = calendar.timegm(tuple(values) + (0, 0, 0))
    if fraction:
        epoch += int(fraction[:6].ljust(6, "0")) / 1e6
    if offset not in ("Z", "z"):
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        epoch -= sign * (int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60)
    return float(epoch)


def render(epoch):
    """The one style this collection returns: ``2024-09-27T15:26:45.123Z``."""
    whole = int(epoch // 1)
    millis = int(round((epoch - whole) * 1000))
    if millis == 1000:
        whole, millis = whole + 1, 0
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + ".%03dZ" % millis


def render_instant(epoch):
    """What the collection sends as ``expires``: whole seconds, rounded down (the
    platform then echoes ``2024-09-29T00:00:00Z``), ``.000Z`` as in the seed."""
    return render(float(int(epoch // 1)))
