# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""C5 value normalisations (spec §5.2) shared by the resources: booleans and
integers as the C5 returns them, empty text as no text, time zone link names;
and the checks of input with the platform's own rules, made before any request
(country codes, e-mail addresses, SIP domains, time zones)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import ipaddress
import re

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError


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


# --- input checks with the platform's own rules (before any request) ----------------------------

def _listed(value):
    """Whether a text option was given a list: Ansible turns a list given to a
    ``str`` option into its Python text (``"['a', 'b']"``)."""
    if isinstance(value, (list, tuple)):
        return True
    value = str(value).strip()
    return value.startswith("[") and value.endswith("]") and ("'" in value or '"' in value or "," in value)


#: ISO 3166-1 alpha-2: the officially assigned codes (249).  ngcp-panel documents
#: the contact's ``country`` as "the two-letter ISO 3166-1 country code" and its
#: panel offers exactly these (Geography::Countries); a longer value does not fit
#: the two-character column.
ISO_COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())


def check_country(value, field="country"):
    """An ISO 3166-1 alpha-2 code, upper-cased (``at`` -> ``AT``); empty is no country."""
    value = text(value)
    if value is None:
        return None
    code = value.strip().upper()
    if code not in ISO_COUNTRIES:
        hint = ("a country name is not accepted" if len(code) > 3
                else "not an assigned ISO 3166-1 alpha-2 code")
        raise InputError("%s: %r is not a country code (%s); give the two-letter ISO 3166-1 code, "
                         "for example 'AT' for Austria, 'DE' for Germany, 'GB' for the United Kingdom"
                         % (field, value, hint))
    return code


# E-mail addresses as the C5 checks them (ngcp-panel's form field ``Email``:
# Email::Valid with its defaults): ASCII only; a local part of at most 64
# characters, atoms of RFC 822 characters joined by dots, or a quoted string; a
# domain of at least two labels (letters, digits, inner hyphens), at most 255
# characters, or an IPv4 literal in brackets; at most 254 characters in all.
# A display-name form ("Bob <bob@example.com>") is refused: it is not an address.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(r'^(%s(\.%s)*|"([^"\\\r\n]|\\.)*")$' % (_ATOM, _ATOM))
_LABEL = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$")
_IPV4_LITERAL = re.compile(r"^\[([0-9]{1,3}\.){3}[0-9]{1,3}\]$")
EMAIL_FORMAT = "an address such as someuser@example.com"


def check_email(value, field="email"):
    """The e-mail address (stripped), or InputError naming the field and the rule."""
    value = text(value)
    if value is None:
        return None
    address = value.strip()

    def fail(why):
        raise InputError("%s: %r is not an e-mail address (%s); give %s" % (field, value, why, EMAIL_FORMAT))
    if _listed(value):
        fail("it is a list; give one address")
    try:
        address.encode("ascii")
    except UnicodeError:
        fail("the C5 accepts ASCII characters only")
    if "<" in address or ">" in address:
        fail("give the bare address, without a name or angle brackets")
    if address.count("@") < 1:
        fail("it has no '@'")
    local, _sep, domain = address.rpartition("@")
    if not local:
        fail("nothing before the '@'")
    if len(address) > 254:
        fail("longer than 254 characters")
    if len(local) > 64:
        fail("the part before the '@' is longer than 64 characters")
    if not _LOCAL.match(local):
        fail("the part before the '@' may hold letters, digits and !#$%&'*+/=?^_`{|}~- separated by single dots")
    if _IPV4_LITERAL.match(domain):
        return address
    labels = domain.split(".")
    if len(domain) > 255 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        fail("the domain after the '@' must be a full domain name such as example.com")
    return address


# SIP domains: ngcp-panel takes any text, but a domain is the host part of its
# subscribers' SIP URIs (the API documents "a FQDN, an IPv4 address or an IPv6
# address in brackets"), so what cannot be a SIP host is refused.  Labels may
# hold an underscore, as the emulator's rule allows.
_DOMAIN_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?$")


def check_domain(value, field="domain"):
    """The domain name as given (stripped), or InputError naming the field."""
    if value is None:
        return None
    name = str(value).strip()

    def fail(why):
        raise InputError("%s: %r is not a SIP domain (%s); give a host name such as sip.example.com, an IPv4 "
                         "address or an IPv6 address in brackets ([2001:db8::1])" % (field, value, why))
    if _listed(value):
        raise InputError("%s: %r is a list, but %s names one domain; give one name (use items, one entry per "
                         "domain, for several)" % (field, value, field))
    if not name:
        fail("it is empty")
    if name.startswith("[") and name.endswith("]"):
        try:
            ipaddress.IPv6Address(name[1:-1])
        except ValueError:
            fail("not an IPv6 address in brackets")
        return name
    host = name[:-1] if name.endswith(".") else name
    labels = host.split(".")
    if len(host) > 253:
        fail("longer than 253 characters")
    for label in labels:
        if not label:
            fail("an empty label (two dots in a row, or a leading dot)")
        if len(label) > 63:
            fail("a label longer than 63 characters")
        if not _DOMAIN_LABEL.match(label):
            fail("labels hold letters, digits, '-' and '_', and neither begin nor end with '-'")
    if all(label.isdigit() for label in labels):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            fail("digits only, but not an IPv4 address")
    return name


# Time zones: the C5 accepts the names of the tz database (DateTime::TimeZone's
# names, and its link names, which it stores as their target), and an empty value
# or one starting with "default" (inherit the parent's zone).  The controller's own
# tz database (zoneinfo) holds the same names; without one the server checks.
_DEFAULT_TZ = re.compile(r"^(customer default|reseller default|default)", re.IGNORECASE)
_ZONES = None


def known_zones():
    """The zone and link names the controller's tz database knows (empty when it has none)."""
    global _ZONES
    if _ZONES is None:
        zones = set()
        try:
            import zoneinfo
            zones = set(zoneinfo.available_timezones())
        except Exception:  # no zoneinfo (Python < 3.9) or no tz database: the server checks
            zones = set()
        if zones:
            canonical_timezone("UTC")  # loads the link table
            zones.update(_TZ_LINKS or {})
        _ZONES = frozenset(zones)
    return _ZONES


def check_timezone(value, field="timezone"):
    """A tz database name as given; ``default...`` or empty: None (inherit)."""
    name = text(value)
    if name is None:
        return None
    name = name.strip()
    if _DEFAULT_TZ.match(name) or not name:
        return None
    zones = known_zones()
    if zones and name not in zones:
        close = difflib.get_close_matches(name, sorted(zones), n=1, cutoff=0.8)
        raise InputError("%s: %r is not a time zone the C5 knows; give a tz database name such as 'Europe/Vienna'%s, "
                         "or an empty string to inherit the zone" % (field, value, " (did you mean %r?)" % close[0] if close else ""))
    return name
