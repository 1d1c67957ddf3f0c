# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Forwarding targets: checked with the platform's rules before any request, and
rewritten the way the server rewrites them (spec 5.11), so a wanted value compares
equal to what ``get_call_forwarding`` reads back.

Server rewriting, in order: ``<mobile-number>`` -> the account's mobile number;
no ``@`` -> ``@<account domain>`` appended; starting with ``+`` or ``0`` -> the
domain forced to the account domain; no ``sip:`` -> ``sip:`` prefixed
(``<voice-mailbox>`` is stored verbatim).  The getter strips one leading
``sip:``/``sips:``.

Values the server would silently mangle are refused here instead of guessed at:
``sips:`` (stored as ``sip:sips:...``), a number with a foreign domain (the domain
would be replaced), ``<mobile-number>`` without a mobile number on the account
(stored as the broken ``sip:<mobile-number>@domain``), other ``<...>`` words.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError

VOICEMAIL = "<voice-mailbox>"
MOBILE = "<mobile-number>"
KEYWORDS = (VOICEMAIL, MOBILE)

#: option name -> the platform's diversion code, in the getter's order.
CONDITIONS = (
    ("unconditional", "FUNC"),
    ("not_online", "FNOL"),
    ("busy", "FBUS"),
    ("no_answer", "FNOA"),
    ("unavailable", "FUNV"),
)
CODE_OF = dict(CONDITIONS)
NAME_OF = dict((code, name) for name, code in CONDITIONS)

# RFC 3261 user part characters (unreserved and user-unreserved; no escapes).
_USER_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()&=+$,;?/]+$")
_NUMBER_RE = re.compile(r"^\+?[0-9]+$")
_HOST_RE = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(:[0-9]{1,5})?$")


def check_target(field, value, domain):
    """Raise InputError when ``value`` is not a target the platform stores as
    given. ``field`` names the option in messages (``forwarding.no_answer``)."""
    if value in KEYWORDS:
        return
    fix = ("use %s, %s, a number (+41791234567), a user of the account's domain (bob) "
           "or user@domain (bob@example.com, optionally with sip:)" % KEYWORDS)
    if not isinstance(value, str) or value != value.strip() or not value or any(c.isspace() for c in value):
        raise InputError("%s: %r is not a forwarding target (no spaces); %s" % (field, value, fix))
    if value.startswith("<"):
        raise InputError("%s: unknown keyword %s; the platform knows only %s" % (field, value, " and ".join(KEYWORDS)))
    lowered = value.lower()
    if lowered.startswith("sips:"):
        raise InputError("%s: %s: the platform stores a sips: target as sip:sips:... (a broken URI); use sip: or no scheme"
                         % (field, value))
    if lowered.startswith("sip:"):
        value = value[4:]
    if ":" in value.partition("@")[0]:
        raise InputError("%s: %s: only SIP targets are possible (no %s: URIs); %s"
                         % (field, value, value.split(":", 1)[0], fix))
    user, at, host = value.partition("@")
    if not user or not _USER_RE.match(user):
        raise InputError("%s: %r has an invalid user part; %s" % (field, value, fix))
    if user.startswith("+") and not _NUMBER_RE.match(user):
        raise InputError("%s: %r: a number starting with + must have digits only" % (field, value))
    if at and not _HOST_RE.match(host):
        raise InputError("%s: %r has an invalid domain %r; %s" % (field, value, host, fix))
    if at and user[:1] in ("+", "0") and host.lower() != domain.lower():
        raise InputError("%s: %s: the platform replaces the domain of a number with the account's domain (%s); "
                         "write %s or %s@%s" % (field, value, domain, user, user, domain))


def stored_form(value, domain, mobile):
    """What the server stores for ``value`` (spec 5.11 rules, in order)."""
    if value == MOBILE:
        if not mobile:
            raise InputError("<mobile-number> needs a mobile number on the account, and it has none")
        value = mobile
    if value == VOICEMAIL:
        return value
    if "@" not in value:
        value = "%s@%s" % (value, domain)
    if value[:1] in ("+", "0"):
        value = "%s@%s" % (value.partition("@")[0], domain)
    if not value.startswith("sip:"):
        value = "sip:" + value
    return value


def read_form(stored):
    """What ``get_call_forwarding`` shows for a stored value (None = not set)."""
    if not stored:
        return None
    for prefix in ("sip:", "sips:"):
        if stored.startswith(prefix):
            return stored[len(prefix):]
    return stored


def comparable(value, domain, mobile):
    """The wanted value as the getter will read it back (None: remove)."""
    if value == "":
        return None
    return read_form(stored_form(value, domain, mobile))
