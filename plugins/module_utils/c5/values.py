# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""C5 value normalisations (spec §5.2) shared by the resources: booleans and
integers as the C5 returns them, empty text as no text, time zone link names."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def norm_bool(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def norm_int(value):
    if value is None or value == "":
        return None
    return int(value)


def text(value):
    """Empty and missing text are the same (an empty option removes the value)."""
    if value is None or value == "":
        return None
    return str(value)


def differs_text(current, wanted):
    return text(current) != text(wanted)


def differs_int(current, wanted):
    return norm_int(current) != norm_int(wanted)


def differs_bool(current, wanted):
    return norm_bool(current) != norm_bool(wanted)


def differs_unless_hidden(current, wanted):
    """For ``reseller_id``: reseller logins do not see it; what they see is theirs."""
    return current is not None and current != wanted


_TZ_LINKS = None
# Used when the controller has no /usr/share/zoneinfo/tzdata.zi to read the links from.
_TZ_FALLBACK_LINKS = {
    "US/Eastern": "America/New_York", "US/Central": "America/Chicago", "US/Mountain": "America/Denver",
    "US/Pacific": "America/Los_Angeles", "US/Alaska": "America/Anchorage", "US/Hawaii": "Pacific/Honolulu",
    "GB": "Europe/London", "UTC": "Etc/UTC", "GMT": "Etc/GMT", "Asia/Calcutta": "Asia/Kolkata",
    "Europe/Kiev": "Europe/Kyiv", "Asia/Saigon": "Asia/Ho_Chi_Minh", "Japan": "Asia/Tokyo",
}


def canonical_timezone(name):
    """The target of a time zone link name (``US/Eastern`` -> ``America/New_York``),
    as the C5 stores it (spec §4.4); other names unchanged."""
    global _TZ_LINKS
    if name is None:
        return None
    if _TZ_LINKS is None:
        links = dict(_TZ_FALLBACK_LINKS)
        try:
            with open("/usr/share/zoneinfo/tzdata.zi") as handle:
                for line in handle:
                    if line.startswith("L "):
                        parts = line.split()
                        if len(parts) >= 3:
                            links[parts[2]] = parts[1]
        except (IOError, OSError):
            pass
        _TZ_LINKS = links
    seen = set()
    while name in _TZ_LINKS and name not in seen:
        seen.add(name)
        name = _TZ_LINKS[name]
    return name


def same_timezone(current, wanted):
    """Whether the server's zone name and the wanted one name the same zone."""
    if current == wanted:
        return True
    if not current or not wanted:
        return not current and not wanted
    return canonical_timezone(current) == canonical_timezone(wanted)


def differs_timezone(current, wanted):
    return not same_timezone(text(current), text(wanted))
