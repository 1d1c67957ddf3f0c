"""Time zone validation and canonicalisation (spec §4.4: a link name such as
``US/Eastern`` is stored and returned as its target ``America/New_York``)."""

import os
import zoneinfo

_TZDATA_ZI = "/usr/share/zoneinfo/tzdata.zi"

# Used when the system has no tzdata.zi to read the links from; the most common
# backward-compatible names.
_FALLBACK_LINKS = {
    "US/Eastern": "America/New_York", "US/Central": "America/Chicago", "US/Mountain": "America/Denver",
    "US/Pacific": "America/Los_Angeles", "US/Alaska": "America/Anchorage", "US/Hawaii": "Pacific/Honolulu",
    "US/Arizona": "America/Phoenix", "Canada/Eastern": "America/Toronto", "GB": "Europe/London",
    "Europe/Belfast": "Europe/London", "UTC": "Etc/UTC", "UCT": "Etc/UTC", "Universal": "Etc/UTC",
    "Zulu": "Etc/UTC", "GMT": "Etc/GMT", "Greenwich": "Etc/GMT", "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Saigon": "Asia/Ho_Chi_Minh", "Japan": "Asia/Tokyo", "Australia/ACT": "Australia/Sydney",
    "Europe/Kiev": "Europe/Kyiv", "Asia/Katmandu": "Asia/Kathmandu", "Brazil/East": "America/Sao_Paulo",
}


def _load_links():
    links = dict(_FALLBACK_LINKS)
    if os.path.exists(_TZDATA_ZI):
        with open(_TZDATA_ZI, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("L "):
                    target, name = line.split()[1:3]
                    links[name] = target
    return links


_LINKS = None


def canonical(name):
    """Return the canonical zone name, or None when ``name`` is no zone at all."""
    global _LINKS  # pylint: disable=global-statement
    if _LINKS is None:
        _LINKS = _load_links()
    # ``local`` (and ``localtime``) are no zone names for the C5: ngcp-panel checks
    # against DateTime::TimeZone->all_names, which lists only the Olson zones, so
    # the form answers 422 "Invalid timezone name: local" (Utils/DateTime.pm
    # is_valid_timezone_name, Field/TimezoneSelect.pm).
    if name in ("local", "localtime"):
        return None
    target = _LINKS.get(name)
    while target in _LINKS and _LINKS[target] != target:
        target = _LINKS[target]
    if target:
        return target
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name
