# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Call forward documents of ``/api/callforwards/<subscriber id>`` (spec §4.8),
and the ``c5_callforward`` resource (a settings document of the subscriber).

The document has exactly seven keys, one per call forward type; an unset type is
``{}``.  A PUT replaces the whole document (an omitted type is cleared), so a
module that manages some types GETs the document, overlays its types and PUTs
all seven (:func:`merged_document`).

What the server returns differs from what was written (verified live):

* special destinations come back as short names (``voicebox``, ``fax2mail``,
  ``conference``, ``callingcard``, ``callthrough``, ``autoattendant``,
  ``officehours``, ``customhours``, ``managersecretary``);
* anything else is stored as ``sip:<user>@<domain>`` -- a leading ``sip:`` /
  ``sips:`` stripped, the subscriber's domain when none is given -- and returned
  so, plus ``simple_destination`` (read-only);
* ``timeout`` defaults to 300, ``priority`` to null, ``announcement_id: null``
  is added;
* ``times`` values are strings (or null), all six keys present;
* ``sources``/``bnumbers`` are ``[{"source": ...}]`` / ``[{"bnumber": ...}]``;
  unused parts are ``[]`` with mode ``whitelist`` and ``is_regex`` false;
* ``cft`` carries ``ringtimeout`` (the subscriber's ``ringtimeout`` preference);
* read-only ``destination_set``/``time_set``/``source_set``/``bnumber_set``.

:func:`canonical_type` turns a server type or a desired type into one comparable
form, so that a second identical run compares equal.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.voip.provisioning.plugins.module_utils.c5.subscribers import (
    SUBSCRIBER_REF_FIELDS, C5Subscribers, SubscriberDocuments, describe, warn_duplicates,
)
from ansible_collections.voip.provisioning.plugins.module_utils.c5.values import norm_bool, norm_int
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import SettingsResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet

CF_TYPES = ("cfu", "cfb", "cft", "cfna", "cfs", "cfr", "cfo")
CF_NAMES = {
    "cfu": "unconditional",
    "cfb": "on busy",
    "cft": "on timeout (no answer)",
    "cfna": "when not available",
    "cfs": "on SMS",
    "cfr": "on response",
    "cfo": "on overflow",
}
TIME_KEYS = ("year", "month", "mday", "wday", "hour", "minute")
MODES = ("whitelist", "blacklist")
DEFAULT_TIMEOUT = 300

# Written as a short name, stored as a service URI, returned as the short name.
SHORT_NAMES = frozenset(("voicebox", "fax2mail", "conference", "callingcard", "callthrough",
                         "autoattendant", "officehours", "customhours", "managersecretary"))
# Stored URIs (as /api/cfdestinationsets/ shows them) and their short names.
SERVICE_DOMAINS = {
    "voicebox.local": "voicebox",
    "fax2mail.local": "fax2mail",
    "conference.local": "conference",
    "managersecretary.local": "managersecretary",
}
APP_USERS = {
    "callingcard": "callingcard",
    "callthrough": "callthrough",
    "auto-attendant": "autoattendant",
    "office-hours": "officehours",
    "custom-hours": "customhours",
}
SIP_SCHEME = re.compile(r"^sips?:")
# Accepted as they are and stored as a user of the subscriber's domain
# (sip:localuser@<domain>), like any other user name.
USER_KEYWORDS = frozenset(("localuser",))
# What a destination may be (the platform's rule, checked before any request): a
# number, a SIP URI (``sip:``/``sips:`` or ``user@host``) or a keyword.  The C5
# itself stores anything (``not a number!`` became ``sip:not a number!@<domain>``).
NUMBER = re.compile(r"^\+?[0-9*#]+$")
SIP_USER = re.compile(r"^[A-Za-z0-9\-_.!~*'()&=+$,;?/%#]+$")
SIP_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)"
                      r"(:[0-9]{1,5})?(;[A-Za-z0-9\-_.!~*'()%=&+$]*)*$")
# Ranges of the time keys (cftimesets' rule, spec §4.8): a value or a range n-m.
TIME_RANGES = {"year": (1990, 3000), "month": (1, 12), "mday": (1, 31), "wday": (1, 7), "hour": (0, 23), "minute": (0, 59)}
TIME_VALUE = re.compile(r"^(\d+)(?:-(\d+))?$")
TIME_HINTS = {"wday": " (1 = Sunday ... 7 = Saturday; for example 2-6 for Monday to Friday)",
              "hour": " (for example 8-17)", "minute": "", "mday": "", "month": "", "year": ""}
# The sound handles a customhours destination may announce.
ANNOUNCEMENT_GROUP = "custom_announcements"
ANNOUNCEMENTS_CACHE = "c5.soundhandles.custom_announcements"


def empty_document():
    return dict((cf_type, {}) for cf_type in CF_TYPES)


def check_destination(destination, field="destination"):
    """Raise InputError unless ``destination`` is what the C5 takes for a call
    forward destination: a number, a SIP URI or a special destination."""
    text = str(destination if destination is not None else "").strip()
    fix = ("give a number (4366610001, +4366610001), a SIP URI (sip:user@example.org) or one of %s"
           % ", ".join(sorted(SHORT_NAMES | USER_KEYWORDS)))
    if not text:
        raise InputError("%s: a call forward destination must not be empty; %s" % (field, fix))
    if text in SHORT_NAMES or text in USER_KEYWORDS or NUMBER.match(text):
        return
    rest = SIP_SCHEME.sub("", text)
    if rest == text and "@" not in text:
        close = [k for k in sorted(SHORT_NAMES | USER_KEYWORDS) if k.startswith(text.lower()[:4])] if len(text) >= 4 else []
        hint = "; did you mean %s?" % " or ".join(close) if close else ""
        raise InputError("%s: '%s' is neither a number, a SIP URI nor a special destination (the C5 would store it as "
                         "sip:%s@<domain>); %s%s" % (field, text, text, fix, hint))
    user, _sep, host = rest.partition("@")
    if not user or not SIP_USER.match(user) or (host and not SIP_HOST.match(host)):
        raise InputError("%s: '%s' is not a valid SIP URI (user@host, no spaces); %s" % (field, text, fix))


def normalise_destination(destination, domain=None):
    """A destination the way /api/callforwards/ returns it.

    ``domain`` is the subscriber's domain, used when the destination names none
    (``4366610001`` -> ``sip:4366610001@<domain>``).  The host part is lower-cased
    (host names compare case-insensitively)."""
    if destination is None:
        raise InputError("a call forward destination must not be empty")
    text = str(destination).strip()
    if not text:
        raise InputError("a call forward destination must not be empty")
    if text in SHORT_NAMES:
        return text
    rest = SIP_SCHEME.sub("", text)
    if "@" in rest:
        user, host = rest.split("@", 1)
    else:
        user, host = rest, domain
    if not host:
        raise InputError("destination '%s' names no domain and the subscriber's domain is unknown" % text)
    host = str(host).lower()
    if host in SERVICE_DOMAINS:
        return SERVICE_DOMAINS[host]
    if host == "app.local" and user in APP_USERS:
        return APP_USERS[user]
    if not user:
        raise InputError("destination '%s' has no user part" % text)
    return "sip:%s@%s" % (user, host)


def _time_value(value):
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputError("call forward times: '%s' is not a number or a range such as 8-17" % value)
    text = str(value).strip()
    return text if text != "" else None


def check_times(times, field="times"):
    """Raise InputError for a time value outside its range (the platform's rule
    for time sets; /api/callforwards/ itself stores anything)."""
    for index, entry in enumerate(times or []):
        if not isinstance(entry, dict):
            continue  # canonical_times() reports it
        for key in TIME_KEYS:
            value = _time_value(entry.get(key))
            if value is None:
                continue
            low, high = TIME_RANGES[key]
            match = TIME_VALUE.match(value)
            if not match or any(not low <= int(part) <= high for part in match.groups() if part is not None):
                raise InputError("%s[%d].%s: '%s' is not a value or range within %d-%d%s; give a number or a range "
                                 "such as %d-%d" % (field, index + 1, key, value, low, high, TIME_HINTS[key], low, high))


def canonical_times(times):
    entries = []
    for entry in times or []:
        if not isinstance(entry, dict):
            raise InputError("call forward times: each entry must be a dict with the keys %s, not '%s'"
                             % (", ".join(TIME_KEYS), entry))
        unknown = sorted(set(k for k, v in entry.items() if v is not None) - set(TIME_KEYS))
        if unknown:
            raise InputError("call forward times: unknown key(s) %s; use %s" % (", ".join(unknown), ", ".join(TIME_KEYS)))
        entries.append(dict((key, _time_value(entry.get(key))) for key in TIME_KEYS))
    # A set of periods: order carries no meaning.
    return sorted(entries, key=lambda e: tuple(e[k] or "" for k in TIME_KEYS))


def _patterns(values, key):
    """``["a", {"source": "b"}]`` -> sorted ``[{key: "a"}, {key: "b"}]``."""
    result = []
    for value in values or []:
        if isinstance(value, dict):
            value = value.get(key)
        if value is None or str(value) == "":
            continue
        result.append(str(value))
    return [{key: value} for value in sorted(result)]


def _mode(value, field):
    mode = "whitelist" if value in (None, "") else str(value).lower()
    if mode not in MODES:
        raise InputError("%s must be whitelist or blacklist, not '%s'" % (field, value))
    return mode


def _positive_int(value, field):
    try:
        number = norm_int(value)
    except (TypeError, ValueError):
        raise InputError("%s must be an integer number of seconds, not '%s'" % (field, value))
    if number is not None and number <= 0:
        raise InputError("%s must be a positive number of seconds, not %s" % (field, value))
    return number


def canonical_destinations(destinations, domain=None, cf_type="cf"):
    result = []
    for index, dest in enumerate(destinations or []):
        if not isinstance(dest, dict):
            dest = {"destination": dest}
        entry = {
            "destination": normalise_destination(dest.get("destination"), domain),
            "timeout": _positive_int(dest.get("timeout"), "%s destination %d timeout" % (cf_type, index + 1)),
            "priority": None,
        }
        if entry["timeout"] is None:
            entry["timeout"] = DEFAULT_TIMEOUT
        try:
            entry["priority"] = norm_int(dest.get("priority"))
        except (TypeError, ValueError):
            raise InputError("%s destination %d priority must be an integer, not '%s'"
                             % (cf_type, index + 1, dest.get("priority")))
        announcement_id = dest.get("announcement_id")
        if announcement_id is not None:
            entry["announcement_id"] = norm_int(announcement_id)
        result.append(entry)
    # In the given order: the C5 stores and returns them so (priorities [1, 2, 1]
    # stay [1, 2, 1]); see tried_order() for how they compare.
    return result


def tried_order(destinations):
    """Destinations in the order the C5 tries them: by priority (null first, as the
    database sorts), in the stored order among equal priorities.  Two lists that
    are tried in the same order are the same call forward."""
    indexed = list(enumerate(destinations or []))
    indexed.sort(key=lambda pair: (pair[1].get("priority") is not None, pair[1].get("priority") or 0, pair[0]))
    return [entry for _index, entry in indexed]


def canonical_type(doc, domain=None, cf_type="cf", with_ringtimeout=True):
    """The comparable form of one call forward type (a server type, or a desired one
    in the module's option shape).  A type without destinations is ``{}``."""
    if not doc:
        return {}
    destinations = canonical_destinations(doc.get("destinations"), domain, cf_type)
    if not destinations:
        return {}
    result = {"destinations": destinations, "times": canonical_times(doc.get("times"))}
    for part, key in (("sources", "source"), ("bnumbers", "bnumber")):
        patterns = _patterns(doc.get(part), key)
        result[part] = patterns
        if patterns:
            result[part + "_mode"] = _mode(doc.get(part + "_mode"), "%s.%s_mode" % (cf_type, part))
            result[part + "_is_regex"] = bool(norm_bool(doc.get(part + "_is_regex")))
        else:
            # Without patterns there is no set: the server shows the defaults.
            result[part + "_mode"] = "whitelist"
            result[part + "_is_regex"] = False
    if cf_type == "cft" and with_ringtimeout and "ringtimeout" in doc:
        ringtimeout = doc.get("ringtimeout")
        result["ringtimeout"] = None if ringtimeout in (None, "", 0, "0") else _positive_int(ringtimeout, "cft.ringtimeout")
    return result


def canonical_document(raw, domain=None):
    """All seven types of a server document in comparable form."""
    raw = raw or {}
    return dict((cf_type, canonical_type(raw.get(cf_type), domain, cf_type)) for cf_type in CF_TYPES)


def check_type_options(options, cf_type):
    """The platform's rules for one type given in the module's options (no request
    needed): destinations, time ranges, announcements only on customhours."""
    for index, dest in enumerate((options or {}).get("destinations") or []):
        field = "%s.destinations[%d]" % (cf_type, index + 1)
        destination = dest.get("destination") if isinstance(dest, dict) else dest
        check_destination(destination, field + ".destination")
        if isinstance(dest, dict) and (dest.get("announcement") is not None or dest.get("announcement_id") is not None) \
                and not is_customhours(destination):
            raise InputError("%s: an announcement is played only by the destination customhours, not by '%s'; set "
                             "destination: customhours or remove announcement/announcement_id" % (field, destination))
    check_times((options or {}).get("times"), "%s.times" % cf_type)


def desired_type(options, domain, cf_type):
    """The comparable desired form of one type given in the module's options,
    checked with the platform's rules first.  ``ringtimeout`` is included only for
    cft and only when given."""
    options = dict(options or {})
    check_type_options(options, cf_type)
    if cf_type == "cft" and options.get("ringtimeout") is not None:
        _positive_int(options["ringtimeout"], "cft.ringtimeout")
    else:
        options.pop("ringtimeout", None)
    return canonical_type(options, domain, cf_type)


def is_customhours(destination):
    text = str(destination or "").strip()
    return text == "customhours" or SIP_SCHEME.sub("", text).lower() == "custom-hours@app.local"


def announcement_handles(api, run):
    """The sound handles of the group custom_announcements (read once per run)."""
    def fetch():
        return [h for h in api.list("soundhandles", {"group": ANNOUNCEMENT_GROUP})
                if h.get("group") in (None, ANNOUNCEMENT_GROUP)]
    return run.cache(ANNOUNCEMENTS_CACHE).get_or_compute(ANNOUNCEMENT_GROUP, fetch)


def resolve_announcements(options, cf_type, handles):
    """A copy of one type's options in which every destination's ``announcement``
    (a sound handle name) is its ``announcement_id``; both checked against the C5's
    rule before any write: only a V(customhours) destination plays one, and it must
    be a sound handle of the group custom_announcements.  ``handles()`` lists them
    (called only when a destination names an announcement)."""
    if not options or not options.get("destinations"):
        return options
    options = dict(options)
    destinations = []
    for index, dest in enumerate(options["destinations"]):
        if not isinstance(dest, dict) or (dest.get("announcement") is None and dest.get("announcement_id") is None):
            destinations.append(dest)
            continue
        dest = dict(dest)
        field = "%s.destinations[%d]" % (cf_type, index + 1)
        name, given_id = dest.pop("announcement", None), dest.get("announcement_id")
        if not is_customhours(dest.get("destination")):
            raise InputError("%s: an announcement is played only by the destination customhours, not by '%s'; set "
                             "destination: customhours or remove announcement/announcement_id" % (field, dest.get("destination")))
        known = handles()
        if name is not None:
            found = [h for h in known if h.get("handle") == name] or \
                [h for h in known if str(h.get("handle", "")).lower() == str(name).lower()]
            if len(found) != 1:
                raise InputError("%s.announcement: %s sound handle '%s' in the group %s; use one of %s"
                                 % (field, "no" if not found else "more than one", name, ANNOUNCEMENT_GROUP,
                                    ", ".join(sorted(str(h.get("handle")) for h in known)) or "(none on this C5)"))
            if given_id is not None and int(given_id) != int(found[0]["id"]):
                raise InputError("%s: announcement '%s' is sound handle %s, but announcement_id is %s; give one of them"
                                 % (field, name, found[0]["id"], given_id))
            dest["announcement_id"] = int(found[0]["id"])
        elif not [h for h in known if str(h.get("id")) == str(given_id)]:
            raise InputError("%s.announcement_id: %s is not a sound handle of the group %s; use one of the ids %s or "
                             "name it with announcement" % (field, given_id, ANNOUNCEMENT_GROUP,
                                                            ", ".join(str(h.get("id")) for h in known) or "(none on this C5)"))
        destinations.append(dest)
    options["destinations"] = destinations
    return options


def destination_needs_domain(destination):
    """Whether a destination is stored with the subscriber's domain (it names none)."""
    text = str(destination or "").strip()
    return bool(text) and text not in SHORT_NAMES and "@" not in SIP_SCHEME.sub("", text)


def options_need_domain(options_by_type):
    for options in options_by_type:
        for dest in (options or {}).get("destinations") or []:
            if destination_needs_domain(dest.get("destination") if isinstance(dest, dict) else dest):
                return True
    return False


def type_differs(current, wanted):
    """Whether a type differs, comparing only what the desired form holds (a desired
    cft without ringtimeout leaves the current ring timeout alone)."""
    current = current or {}
    if not wanted:
        return bool(current)
    if not current:
        return True
    for key in wanted:
        if key == "destinations":
            if tried_order(current.get(key)) != tried_order(wanted[key]):
                return True
        elif current.get(key) != wanted[key]:
            return True
    return False


def writable_type(canonical, current_raw=None, cf_type="cf"):
    """The PUT form of a type: from its canonical form, carrying over from the
    current server type what the canonical form leaves open (cft ring timeout)."""
    if not canonical:
        return {}
    body = {"destinations": []}
    for dest in canonical["destinations"]:
        entry = {"destination": dest["destination"], "timeout": dest["timeout"]}
        if dest.get("priority") is not None:
            entry["priority"] = dest["priority"]
        if dest.get("announcement_id") is not None:
            entry["announcement_id"] = dest["announcement_id"]
        body["destinations"].append(entry)
    body["times"] = [dict(t) for t in canonical.get("times", [])]
    for part in ("sources", "bnumbers"):
        body[part] = [dict(p) for p in canonical.get(part, [])]
        body[part + "_mode"] = canonical.get(part + "_mode", "whitelist")
        body[part + "_is_regex"] = bool(canonical.get(part + "_is_regex", False))
    if cf_type == "cft":
        ringtimeout = canonical.get("ringtimeout")
        if "ringtimeout" not in canonical:
            ringtimeout = norm_int((current_raw or {}).get("ringtimeout")) if current_raw else None
        if ringtimeout:
            body["ringtimeout"] = ringtimeout
    return body


def raw_writable_type(raw, cf_type="cf"):
    """The PUT form of a type exactly as the server holds it (types a task does not
    manage are written back unchanged): read-only keys dropped, every destination
    with its timeout, priority and announcement."""
    if not raw or not raw.get("destinations"):
        return {}
    body = {"destinations": []}
    for dest in raw.get("destinations") or []:
        entry = {"destination": dest.get("destination")}
        for key in ("timeout", "priority", "announcement_id"):
            if dest.get(key) is not None:
                entry[key] = dest[key]
        body["destinations"].append(entry)
    body["times"] = [dict((k, t.get(k)) for k in TIME_KEYS) for t in raw.get("times") or []]
    for part, key in (("sources", "source"), ("bnumbers", "bnumber")):
        body[part] = [{key: p.get(key) if isinstance(p, dict) else p} for p in raw.get(part) or []]
        if raw.get(part + "_mode") is not None:
            body[part + "_mode"] = raw[part + "_mode"]
        if raw.get(part + "_is_regex") is not None:
            body[part + "_is_regex"] = bool(norm_bool(raw[part + "_is_regex"]))
    if cf_type == "cft" and raw.get("ringtimeout"):
        body["ringtimeout"] = raw["ringtimeout"]
    return body


def merged_document(current_raw, desired):
    """The complete PUT body: the desired types (canonical form) over the current
    document; types not desired are written back as they are."""
    current_raw = current_raw or {}
    body = {}
    for cf_type in CF_TYPES:
        if cf_type in desired:
            body[cf_type] = writable_type(desired[cf_type], current_raw.get(cf_type), cf_type)
        else:
            body[cf_type] = raw_writable_type(current_raw.get(cf_type), cf_type)
    return body


def is_empty_document(body):
    return all(not body.get(cf_type) for cf_type in CF_TYPES)


# --- the c5_callforward resource ------------------------------------------------------------------

def cf_type_options(cf_type):
    """The suboptions of one call forward type (``cfu`` ...)."""
    options = dict(
        destinations=dict(type="list", elements="dict", options=dict(
            destination=dict(type="str", required=True),
            timeout=dict(type="int", default=300),
            priority=dict(type="int"),
            announcement_id=dict(type="int"),
            announcement=dict(type="str"),
        )),
        times=dict(type="list", elements="dict", options=dict((key, dict(type="str")) for key in TIME_KEYS)),
        sources=dict(type="list", elements="str"),
        sources_mode=dict(type="str", choices=list(MODES), default="whitelist"),
        sources_is_regex=dict(type="bool", default=False),
        bnumbers=dict(type="list", elements="str"),
        bnumbers_mode=dict(type="str", choices=list(MODES), default="whitelist"),
        bnumbers_is_regex=dict(type="bool", default=False),
    )
    if cf_type == "cft":
        options["ringtimeout"] = dict(type="int")
    return options


class CallForwards(SettingsResource):
    """The subscriber's call forward document: always there while the subscriber
    is; a PUT of all seven types (or a DELETE when none is left)."""

    name = "callforwards"
    key = ("sip_username", "domain", "subscriber_id")
    fields = FieldSet(*(
        list(SUBSCRIBER_REF_FIELDS)
        + [Field("clear_others", type="bool", default=False, api=False),
           Field("state", choices=["present", "absent"], default="present", api=False)]
        + [Field(cf_type, type="dict", options=cf_type_options(cf_type)) for cf_type in CF_TYPES]))

    def __init__(self, api, options, run):
        super(CallForwards, self).__init__(api, options, run)
        self.subscriber_id = None
        self.subscriber = None
        self.domain = None

    def identity(self, item):
        return describe(item)

    def prefetch(self, items):
        warn_duplicates(items, self.run, "call forwards")
        subscribers = C5Subscribers(self.api, self.run)
        subscribers.prefetch(items)
        # /api/callforwards/ cannot be filtered by customer: its pages are listed
        # when that costs less than one GET per subscriber.
        SubscriberDocuments(self.api, self.run, "callforwards").prefetch(subscribers.cached_id(i) for i in items)

    @staticmethod
    def given(item):
        return [cf_type for cf_type in CF_TYPES if item.get(cf_type) is not None]

    def defaults(self, item):
        # state=absent clears the given types, or all of them.
        return dict((cf_type, {}) for cf_type in (self.given(item) or CF_TYPES))

    def validate(self, item):
        # The platform's rules that need no request (every entry of items, before any).
        for cf_type in self.given(item):
            check_type_options(item.get(cf_type), cf_type)

    def desired(self, item):
        # Checked before any request; the comparable form is known once the document
        # (and with it the subscriber's domain) is read: complete().
        self.validate(item)
        return {}

    def read(self, item, desired):
        try:
            self.subscriber_id, self.subscriber = C5Subscribers(self.api, self.run).resolve(item, need_object=False)
            current = SubscriberDocuments(self.api, self.run, "callforwards").take(self.subscriber_id)
            if current is None:
                raise Unresolved("subscriber_id %s: no such subscriber (or it is terminated)" % self.subscriber_id)
        except Unresolved:
            if item.get("state") == "absent":
                # No subscriber, so no call forwards: nothing to clear.
                return empty_document()
            raise
        return current

    def complete(self, item, raw, desired):
        given = self.given(item)
        subscriber = self.subscriber
        if subscriber is None and options_need_domain(item.get(cf_type) for cf_type in given):
            subscriber = C5Subscribers(self.api, self.run).by_id(self.subscriber_id)
        self.domain = (subscriber or {}).get("domain")
        desired = {}
        for cf_type in given:
            options = resolve_announcements(item.get(cf_type), cf_type, lambda: announcement_handles(self.api, self.run))
            desired[cf_type] = desired_type(options, self.domain, cf_type)
        if item.get("clear_others"):
            for cf_type in CF_TYPES:
                desired.setdefault(cf_type, {})
        return desired

    def view(self, raw):
        return canonical_document(raw, self.domain)

    def differs(self, name, current, wanted):
        return type_differs(current, wanted)

    def write(self, item, raw, desired, changes):
        body = merged_document(raw, dict((cf_type, desired[cf_type]) for cf_type in changes))
        if is_empty_document(body):
            self.api.delete("callforwards", self.subscriber_id)
            return empty_document()
        new = self.api.put("callforwards", self.subscriber_id, body)
        if new is None:
            new = self.api.get("callforwards", self.subscriber_id)
        return new

    def result_object(self, raw):
        result = dict(raw)
        result["subscriber_id"] = self.subscriber_id
        return result
