#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: c5_subscriber_preferences
short_description: Manage the preferences of a Sipwise C5 subscriber
version_added: 0.1.0
description:
  - Sets or removes preferences of one subscriber (C(/api/subscriberpreferences/<subscriber id>))
    of a Sipwise C5 / sip:carrier, for example C(block_in_list), C(clir), C(concurrent_max),
    C(display_name), C(language).
  - The subscriber is named by O(sip_username) and O(domain), or by O(subscriber_id).
  - Names and values are checked against the platform's definitions
    (C(/api/subscriberpreferencedefs/), read once per task) before anything is written. An
    unknown name fails the task and suggests close names; a value of the wrong type fails
    naming the preference, the expected type and, for enumerations, the allowed values.
  - Values are converted the way the C5 stores them before comparing (booleans from
    V(yes)/V(1)/V(true), integers from numeric strings, numbers to strings for text
    preferences, a single value to a one-element list for multi-valued preferences), so a
    second identical run reports no change.
  - Only the preferences that differ are written, with one JSON Patch request (C(add) for a
    new or changed value, C(remove) for a removal). The module never sends a PUT, which on a C5
    would delete every preference not in its body.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.c5_connection
  - voip.provisioning.attributes
  - voip.provisioning.attributes.C5_GROUP
  - voip.provisioning.c5_subscriber_ref
options:
  preferences:
    description:
      - Preference name to value.
      - Multi-valued preferences (C(block_in_list), C(block_out_list), C(allowed_clis),
        C(allowed_ips), ...) take a list, in the order the C5 should keep it.
      - A value of V(null) (or V([]) for a multi-valued preference) removes that preference.
      - With O(state=absent) only the names matter; the values are ignored.
      - Reference preferences take names, as the C5 shows them (C(ncos), C(rewrite_rule_set),
        C(sound_set), ...).
      - C(prepaid_library) is not a subscriber preference (the C5 answers HTTP 422 for it); it is
        rejected before anything is written.
      - A task that sets C(peer_auth_pass) should use C(no_log); the value is masked in the
        result and the diff.
    type: dict
    default: {}
  remove_others:
    description:
      - V(true) removes every preference of the subscriber that O(preferences) does not list,
        except those in O(keep).
      - V(false) leaves unlisted preferences alone.
    type: bool
    default: false
  keep:
    description:
      - Preferences O(remove_others=true) never removes unless they are listed in O(preferences).
      - The default protects what the C5 sets itself on every subscriber (C(cc), C(ac) and
        C(allowed_clis) from the numbers, C(call_log_level) and C(emergency_location_format) from
        their definitions' defaults) and C(lock), whose removal would unlock the subscriber.
      - Set it to V([]) to make O(remove_others=true) remove those too.
    type: list
    elements: str
    default: [cc, ac, allowed_clis, call_log_level, emergency_location_format, lock]
  state:
    description:
      - V(present) sets the listed preferences.
      - V(absent) removes the listed preference names (values ignored).
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - The preferences of several subscribers in one task, each entry with the options above.
        An option an entry does not set is taken from the task (for example O(domain)).
      - The definitions are read once for all entries; subscribers are looked up with few
        requests (a domain many entries name is listed page by page when that is cheaper).
    type: list
    elements: dict
    suboptions:
      username:
        description: The subscriber's SIP user name (with O(items[].domain) or the task's O(domain)).
        type: str
        aliases: [sip_username]
      domain:
        description: The subscriber's SIP domain.
        type: str
      subscriber_id:
        description: The subscriber's id, instead of a username.
        type: int
      preferences:
        description: Preference name to value (V(null) removes it).
        type: dict
      remove_others:
        description: Remove the preferences this entry does not list (except O(items[].keep)).
        type: bool
      keep:
        description: Preferences O(items[].remove_others) never removes unless listed.
        type: list
        elements: str
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
notes:
  - A subscriber that does not exist fails the task; in check mode it is assumed to be created by
    an earlier task (reported as a change, with a warning). With O(state=absent) it is not an error.
  - Some preferences have side effects on the C5, for example C(cli) and C(voicemail_echo_number)
    renumber the voicemail box, C(peer_auth_*) re-register the peer.
  - C(lock) is the lock level the C5 also shows on the subscriber; prefer the subscriber's
    C(lock)/C(status).
seealso:
  - module: voip.provisioning.c5_subscriber
  - module: voip.provisioning.c5_info
"""

EXAMPLES = r"""
- name: Reject anonymous callers and callers from a block list
  voip.provisioning.c5_subscriber_preferences:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    subscriber_id: 42
    preferences:
      block_in_clir: true
      block_in_list:
        - "4366412345"
        - "431*"

- name: Connection once for all C5 tasks
  module_defaults:
    group/voip.provisioning.c5:
      url: https://c5.example.com:1443
      username: administrator
      password: "{{ c5_password }}"
  block:
    - name: Display name and call limit; remove the music on hold setting
      voip.provisioning.c5_subscriber_preferences:
        sip_username: alice
        domain: sip.example.com
        preferences:
          display_name: Alice Example
          concurrent_max: 2
          music_on_hold: null

    - name: Preferences of many subscribers in one task
      voip.provisioning.c5_subscriber_preferences:
        domain: sip.example.com
        items:
          - username: alice
            preferences: {clir: true}
          - username: bob
            preferences: {language: de}

    - name: Exactly these preferences (besides the ones the platform manages)
      voip.provisioning.c5_subscriber_preferences:
        sip_username: alice
        domain: sip.example.com
        remove_others: true
        preferences:
          display_name: Alice Example

    - name: Remove two preferences
      voip.provisioning.c5_subscriber_preferences:
        sip_username: alice
        domain: sip.example.com
        state: absent
        preferences:
          block_in_list:
          block_in_clir:
"""

RETURN = r"""
preferences:
  description: The subscriber's preferences as the API returns them (only the ones that have a value), with C(id) and C(subscriber_id).
  returned: when the subscriber exists
  type: dict
  sample: {"id": 42, "subscriber_id": 42, "cc": "43", "ac": "1", "allowed_clis": ["43150001"],
           "block_in_clir": true, "block_in_list": ["4366412345", "431*"], "call_log_level": "notice",
           "emergency_location_format": "cirpack"}
diff:
  description: Before and after, when run with C(--diff); a removed preference is missing after (V(null) in check mode).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"cc": "43"}, "after": {"cc": "43", "clir": true}}
results:
  description: One result per entry of O(items), each with C(changed), C(preferences), C(item) and, on error, C(failed) and C(msg).
  returned: when O(items) is given
  type: list
  elements: dict
summary:
  description: Counts of the O(items) results.
  returned: when O(items) is given
  type: dict
  sample: {"total": 2, "changed": 1, "failed": 0}
"""

import difflib
import re

from ansible_collections.voip.provisioning.plugins.module_utils.c5 import c5_argument_spec, norm_int, run_c5
from ansible_collections.voip.provisioning.plugins.module_utils.c5_subscribers import (
    ABSENT_FLAG, C5Subscribers, SubscriberDocuments, describe, subscriber_items, warn_duplicates)
from ansible_collections.voip.provisioning.plugins.module_utils.client import InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.engine import Resource, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.runner import ModuleSpec

DEFS_PATH = "/api/subscriberpreferencedefs/"
DEFS_CACHE = "c5_subscriberpreferencedefs"
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

class Preferences(Resource):
    name = "preferences"
    key_options = ("sip_username", "domain", "subscriber_id")
    # Returned in clear to administrators; masked in results and diffs.
    secret_fields = ("peer_auth_pass",)

    def __init__(self, api, options, ctx, shared):
        super(Preferences, self).__init__(api, options, ctx, shared)
        self.subscriber_id = None
        self.current = None

    def identity(self, item):
        return describe(item)

    def definitions(self):
        """/api/subscriberpreferencedefs/, fetched once per run for every item."""
        with self.shared["lock"]:
            definitions = self.shared.get(DEFS_CACHE)
            if definitions is None:
                document = self.api.get_document(DEFS_PATH) or {}
                definitions = dict((k, v) for k, v in document.items() if isinstance(v, dict))
                self.shared[DEFS_CACHE] = definitions
        return definitions

    def prefetch(self, items):
        warn_duplicates(items, self.ctx, "preferences")
        self.definitions()
        subscribers = C5Subscribers(self.api, self.shared)
        subscribers.prefetch(items)
        documents = SubscriberDocuments(self.api, self.shared, "subscriberpreferences")
        ids = [subscribers.cached_id(item) for item in items]
        documents.prefetch(ids, filters=lambda: subscribers.contact_filter(ids))

    def desired(self, item):
        absent = bool(item.get(ABSENT_FLAG))
        definitions = self.definitions()
        wanted = validate(item.get("preferences") or {}, definitions, check_values=not absent)
        try:
            self.subscriber_id, _subscriber = C5Subscribers(self.api, self.shared).resolve(item, need_object=False)
            self.current = SubscriberDocuments(self.api, self.shared, "subscriberpreferences").take(self.subscriber_id)
            if self.current is None:
                raise Unresolved("subscriber_id %s: no such subscriber (or it is terminated)" % self.subscriber_id)
        except Unresolved:
            if absent:
                self.current = {}
                return {}
            raise
        if not absent and item.get("remove_others"):
            keep = set(item.get("keep") if item.get("keep") is not None else DEFAULT_KEEP)
            for name in self.current:
                if name not in NOT_PREFERENCES and name not in wanted and name not in keep:
                    wanted[name] = None
        return wanted

    def find(self, item, desired):
        return self.current

    def view(self, raw):
        definitions = self.definitions()
        return dict((name, normalise_current(name, definitions, value))
                    for name, value in (raw or {}).items() if name not in NOT_PREFERENCES)

    def create(self, item, desired):
        raise VoipError("%s: the subscriber's preferences cannot be read (is it terminated?)" % describe(item))

    def update(self, item, raw, desired, changes):
        new = self.api.patch("subscriberpreferences", self.subscriber_id, patch_operations(desired, changes))
        if new is None:
            new = self.api.get("subscriberpreferences", self.subscriber_id)
        return new

    def delete(self, item, raw):
        raise VoipError("preferences are removed by name (state=absent with preferences), never as a whole")


def _item_options():
    return dict(
        username=dict(type="str", aliases=["sip_username"]),
        domain=dict(type="str"),
        subscriber_id=dict(type="int"),
        preferences=dict(type="dict"),
        remove_others=dict(type="bool"),
        keep=dict(type="list", elements="str"),
        state=dict(type="str", choices=["present", "absent"]),
    )


def run(options, ctx):
    # A secret preference (peer_auth_pass) the server does not show yet is still
    # written when asked for: the engine's "update_password" rule, always.
    return run_c5(Preferences, subscriber_items(options).with_values(update_password="always"), ctx)


MODULE = ModuleSpec(
    argument_spec=c5_argument_spec(
        sip_username=dict(type="str"),
        domain=dict(type="str"),
        subscriber_id=dict(type="int"),
        preferences=dict(type="dict", default={}),
        remove_others=dict(type="bool", default=False),
        keep=dict(type="list", elements="str", default=list(DEFAULT_KEEP)),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        items=dict(type="list", elements="dict", options=_item_options()),
    ),
    run_function=run,
    mutually_exclusive=[("sip_username", "subscriber_id"), ("sip_username", "items"), ("subscriber_id", "items")],
    required_one_of=[("sip_username", "subscriber_id", "items")],
    required_by={"sip_username": "domain"},
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
