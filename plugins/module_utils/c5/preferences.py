# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Subscriber preferences (``/api/subscriberpreferences/<subscriber id>``): names and
values checked against the platform's definitions and coerced the way the C5
stores them, and the ``c5_subscriber_preferences`` resource (a settings document
of the subscriber, written with one JSON Patch of the changed names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import re

from ansible_collections.voip.provisioning.plugins.module_utils.c5.references import REFERENCE_PREFERENCES, C5References
from ansible_collections.voip.provisioning.plugins.module_utils.c5.subscribers import (
    SUBSCRIBER_REF_FIELDS, C5Subscribers, SubscriberDocuments, describe, warn_duplicates,
)
from ansible_collections.voip.provisioning.plugins.module_utils.c5.values import norm_int
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import SettingsResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet

DEFS_PATH = "/api/subscriberpreferencedefs/"
DEFS_CACHE = "c5.subscriberpreferencedefs"
# Keys of the representation that are no preferences.
NOT_PREFERENCES = ("id", "subscriber_id")
DEFAULT_KEEP = ["cc", "ac", "allowed_clis", "call_log_level", "emergency_location_format", "lock"]
MAX_LENGTH = 128
TRUE_WORDS = ("1", "true", "yes", "on", "y", "t")
FALSE_WORDS = ("0", "false", "no", "off", "n", "f")
INTEGER = re.compile(r"^[+-]?\d+$")
# Names that are not subscriber preferences, with what to do instead.
NOT_SUBSCRIBER_PREFERENCES = {
    "prepaid_library": "it is a billing-level (domain/customer) setting, not a subscriber preference; "
                       "/api/subscriberpreferences/ rejects it with HTTP 422",
    "ringtimeout": "set it with voip.provisioning.c5_callforward (cft.ringtimeout)",
    "account_id": "it is internal and set by the C5 itself",
    "ext_contract_id": "it is internal and set by the C5 itself (from the customer's external_id)",
    "ext_subscriber_id": "it is internal and set by the C5 itself (set the subscriber's external_id instead)",
}
for _cf in ("cfu", "cfb", "cft", "cfna", "cfs", "cfr", "cfo"):
    NOT_SUBSCRIBER_PREFERENCES[_cf] = "call forwards are set with voip.provisioning.c5_callforward"


# --- definitions, validation, coercion ----------------------------------------------------

def is_multi(definition):
    try:
        return norm_int(definition.get("max_occur")) != 1
    except (TypeError, ValueError):
        return False


def enum_values(definition):
    return [entry.get("value") for entry in definition.get("enum_values") or [] if isinstance(entry, dict)]


def unknown_name_message(name, definitions):
    if name in NOT_SUBSCRIBER_PREFERENCES:
        return "'%s' cannot be set here: %s" % (name, NOT_SUBSCRIBER_PREFERENCES[name])
    close = difflib.get_close_matches(name, sorted(definitions), n=3, cutoff=0.6)
    hint = "; did you mean %s?" % " or ".join("'%s'" % c for c in close) if close else ""
    return "unknown preference '%s' (not in %s of this C5)%s" % (name, DEFS_PATH, hint)


def _type_error(name, definition, value, element=False):
    dtype = definition.get("data_type")
    expected = dtype
    if dtype == "enum":
        allowed = [v for v in enum_values(definition) if v is not None]
        expected = "one of %s" % ", ".join("'%s'" % v for v in allowed)
    what = "each element of '%s'" % name if element else "'%s'" % name
    return InputError("preference %s must be %s (%s preference), not %r" % (what, expected, dtype, value))


def coerce_scalar(name, definition, value, element=False):
    """One value the way the C5 stores and returns it; raises InputError if it cannot be."""
    dtype = definition.get("data_type")
    if value is None or isinstance(value, (list, tuple, dict)):
        raise _type_error(name, definition, value, element)
    if dtype == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise _type_error(name, definition, value, element)
    if dtype == "int":
        if isinstance(value, bool):
            raise _type_error(name, definition, value, element)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).strip()
        if INTEGER.match(text):
            return int(text)
        raise _type_error(name, definition, value, element)
    if dtype == "enum":
        if isinstance(value, bool):
            raise _type_error(name, definition, value, element)
        text = str(value)
        allowed = [v for v in enum_values(definition) if v is not None]
        if text in allowed:
            return text
        # An enum label (lock: global) names its value (lock: "4").
        labels = [entry.get("value") for entry in definition.get("enum_values") or []
                  if isinstance(entry, dict) and entry.get("value") is not None
                  and str(entry.get("label", "")).lower() == text.lower()]
        if len(labels) == 1:
            return labels[0]
        raise _type_error(name, definition, value, element)
    if dtype == "blob":
        raise InputError("preference '%s' is a blob (file) preference; this module cannot set it" % name)
    # string (also the reference preferences: ncos, rewrite_rule_set, sound_set, ...)
    if isinstance(value, bool):
        raise InputError("preference '%s' takes text, not the boolean %s; quote the value if it is meant as text"
                         % (name, value))
    text = str(value)
    if len(text) > MAX_LENGTH:
        raise InputError("preference '%s': a value may have at most %d characters, this one has %d"
                         % (name, MAX_LENGTH, len(text)))
    return text


def coerce_value(name, definition, value):
    """A desired value in the form the C5 returns: multi-valued preferences as a list
    (a single value becomes a one-element list), the others as one value."""
    if is_multi(definition):
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        return [coerce_scalar(name, definition, v, element=True) for v in values]
    if isinstance(value, (list, tuple)):
        raise InputError("preference '%s' takes a single %s value, not a list" % (name, definition.get("data_type")))
    return coerce_scalar(name, definition, value)


def normalise_current(name, definitions, value):
    """A value the server returned, in comparable form (left as is if it does not fit)."""
    definition = definitions.get(name)
    if not isinstance(definition, dict) or value is None:
        return value
    try:
        return coerce_value(name, definition, value)
    except InputError:
        return value


def validate(preferences, definitions, check_values=True):
    """The desired preferences in comparable form: name -> value, None meaning
    removed.  Every problem is reported at once, before anything is written."""
    if not isinstance(preferences, dict):
        raise InputError("preferences must be a dict of preference name to value, not %r" % (preferences,))
    errors = []
    desired = {}
    for name in sorted(preferences):
        value = preferences[name]
        if name in NOT_PREFERENCES:
            errors.append("'%s' is not a preference (it names the subscriber)" % name)
            continue
        definition = definitions.get(name)
        if not isinstance(definition, dict):
            errors.append(unknown_name_message(name, definitions))
            continue
        if not check_values or value is None:
            desired[name] = None
            continue
        try:
            coerced = coerce_value(name, definition, value)
        except InputError as exc:
            errors.append(str(exc))
            continue
        # An empty list is no value: the C5 shows an unset preference as absent.
        desired[name] = None if coerced == [] else coerced
    if errors:
        raise InputError("preferences: %s" % "; ".join(errors))
    return desired


def json_pointer(name):
    return "/" + str(name).replace("~", "~0").replace("/", "~1")


def patch_operations(desired, changes):
    """JSON Patch for the changed preferences: ``add`` sets (``replace`` fails on a
    preference that has no value yet), ``remove`` unsets."""
    operations = []
    for name in changes:
        if desired.get(name) is None:
            operations.append({"op": "remove", "path": json_pointer(name)})
        else:
            operations.append({"op": "add", "path": json_pointer(name), "value": desired[name]})
    return operations


# --- the resource -------------------------------------------------------------------------

class Preferences(SettingsResource):
    """The subscriber's preferences: always there while the subscriber is;
    ``state: absent`` removes the named preferences (the platform's defaults
    apply again)."""

    name = "preferences"
    key = ("sip_username", "domain", "subscriber_id")
    fields = FieldSet(*(
        list(SUBSCRIBER_REF_FIELDS)
        + [Field("preferences", type="dict", default={}, api=False),
           Field("remove_others", type="bool", default=False, api=False),
           Field("keep", type="list", elements="str", default=list(DEFAULT_KEEP), api=False),
           Field("state", choices=["present", "absent"], default="present", api=False)]))
    # Returned in clear to administrators; masked in results and diffs.
    secret_keys = ("peer_auth_pass",)
    # A secret preference the server does not show yet is still written when asked for.
    secret_policy = "always"

    def __init__(self, api, options, run):
        super(Preferences, self).__init__(api, options, run)
        self.subscriber_id = None
        self.subscriber = None

    def identity(self, item):
        return describe(item)

    def definitions(self):
        """/api/subscriberpreferencedefs/, fetched once per run for every item."""
        def fetch():
            document = self.api.get_document(DEFS_PATH) or {}
            return dict((k, v) for k, v in document.items() if isinstance(v, dict))
        return self.run.cache(DEFS_CACHE).get_or_compute(DEFS_PATH, fetch)

    def prefetch(self, items):
        warn_duplicates(items, self.run, "preferences")
        self.definitions()
        subscribers = C5Subscribers(self.api, self.run)
        subscribers.prefetch(items)
        documents = SubscriberDocuments(self.api, self.run, "subscriberpreferences")
        ids = [subscribers.cached_id(item) for item in items]
        documents.prefetch(ids, filters=lambda: subscribers.contact_filter(ids))

    def desired(self, item):
        return validate(item.get("preferences") or {}, self.definitions())

    def defaults(self, item):
        # state=absent removes the named preferences: only their names are checked.
        return validate(item.get("preferences") or {}, self.definitions(), check_values=False)

    def read(self, item, desired):
        try:
            self.subscriber_id, self.subscriber = C5Subscribers(self.api, self.run).resolve(item, need_object=False)
            current = SubscriberDocuments(self.api, self.run, "subscriberpreferences").take(self.subscriber_id)
            if current is None:
                raise Unresolved("subscriber_id %s: no such subscriber (or it is terminated)" % self.subscriber_id)
        except Unresolved:
            if item.get("state") == "absent":
                return {}  # no subscriber, so no preferences: nothing to remove
            raise
        return current

    def subscriber_reseller_id(self, item):
        """The reseller of the subscriber (its domain's): reference preferences name
        objects of that reseller.  None when this login cannot see it."""
        domain = item.get("domain") if item.get("sip_username") else None
        if not domain:
            subscriber = self.subscriber or C5Subscribers(self.api, self.run).by_id(self.subscriber_id)
            domain = (subscriber or {}).get("domain")
        found = C5References(self.api, self.run).domain(str(domain)) if domain else None
        return (found or {}).get("reseller_id")

    def resolve_references(self, item, desired):
        """Reference preferences (ncos, sound_set, rewrite_rule_set, ...) name objects
        that must exist for the subscriber's reseller: checked before any write, each
        replaced by the stored spelling (the C5 finds them case-insensitively and
        shows the stored name)."""
        named = [name for name in sorted(desired) if name in REFERENCE_PREFERENCES and desired[name] is not None]
        if not named:
            return desired
        refs = C5References(self.api, self.run)
        reseller_id = self.subscriber_reseller_id(item)
        for name in named:
            try:
                desired[name] = refs.reference_preference(name, desired[name], reseller_id)
            except Unresolved as exc:
                if not self.run.check_mode:
                    raise
                # An earlier task of the same run may create it.
                self.run.warn("preferences (%s): %s; in check mode this is assumed to be created by an earlier task"
                              % (self.identity(item), exc))
        return desired

    def differs(self, name, current, wanted):
        if name in REFERENCE_PREFERENCES and current is not None and wanted is not None:
            # Names compare case-insensitively on the C5 (GET shows the stored spelling).
            return str(current).lower() != str(wanted).lower()
        return current != wanted

    def complete(self, item, raw, desired):
        desired = self.resolve_references(item, desired)
        if item.get("remove_others"):
            keep = set(item.get("keep") if item.get("keep") is not None else DEFAULT_KEEP)
            for name in raw:
                if name not in NOT_PREFERENCES and name not in desired and name not in keep:
                    desired[name] = None
        return desired

    def view(self, raw):
        definitions = self.definitions()
        return dict((name, normalise_current(name, definitions, value))
                    for name, value in (raw or {}).items() if name not in NOT_PREFERENCES)

    def write(self, item, raw, desired, changes):
        new = self.api.patch("subscriberpreferences", self.subscriber_id, patch_operations(desired, changes))
        if new is None:
            new = self.api.get("subscriberpreferences", self.subscriber_id)
        return new
