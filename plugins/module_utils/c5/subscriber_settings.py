# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A subscriber together with its call forwards and preferences, in one item.

``c5_subscriber`` items may carry ``call_forwards`` (the types of
``c5_callforward``) and ``preferences`` (those of ``c5_subscriber_preferences``).
Each item is then one unit of work on the bulk workers: its subscriber is
converged first, then -- by the same worker, right away -- its call forwards and
its preferences, through the very resources of those two modules (same
comparison, same writes, same masking).

Why one item rather than three tasks:

* On a real C5 the creates of one customer's subscribers serialise on the
  server (the collection sends them one at a time, see ``Subscriber.create``).
  With three tasks every call-forward and preference write waits until the last
  subscriber is created; in one item, one worker creates the next subscriber
  while the other writes the settings of the ones already created (issue 10 §5).
* Ansible templates, validates, copies and reports each task's items: one task
  over the tenant's subscribers instead of three halves a converged re-run's
  controller time and memory (docs/performance.md).
* The subscriber's id is known from its own step: no look-up by name.

Only ``state: present`` items carry settings (a terminated subscriber has none).
A preference value the platform would refuse fails the item before its
subscriber is written; a settings write that fails after the subscriber was
written fails the item and says what was applied.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.voip.provisioning.plugins.module_utils.c5.callforwards import CF_TYPES, CallForwards, empty_document
from ansible_collections.voip.provisioning.plugins.module_utils.c5.preferences import Preferences
from ansible_collections.voip.provisioning.plugins.module_utils.c5.subscribers import (
    C5Subscribers, Subscriber, SubscriberDocuments,
)
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field

#: The options of one subscriber's ``call_forwards``: the types of c5_callforward
#: with their suboptions, and ``clear_others`` (no default: the task's
#: ``call_forwards_clear_others`` applies when an item does not say).
CALL_FORWARDS_SPEC = dict(
    [("clear_others", dict(type="bool"))]
    + [(cf_type, CallForwards.fields.get(cf_type).spec()) for cf_type in CF_TYPES])

CHECKED_CALL_FORWARDS = "c5.subscriber_settings.checked_call_forwards"  # id(entry's call_forwards) -> validated

SETTINGS_FIELDS = (
    # Declared as plain dicts in the argument spec: their contents are checked per
    # item in validate() with the rules of c5_callforward / c5_subscriber_preferences
    # (naming the subscriber), not by Ansible for the whole task at once.
    Field("call_forwards", type="dict", api=False),
    Field("preferences", type="dict", api=False),
    Field("call_forwards_clear_others", type="bool", default=False, api=False, in_items=False),
    Field("preferences_remove_others", type="bool", default=False, api=False, in_items=False),
)


def checked_call_forwards(value, who):
    """The ``call_forwards`` of an item validated against c5_callforward's options
    (defaults filled in, types not given left None); InputError naming the key."""
    if not isinstance(value, dict):
        raise InputError("call_forwards of %s must be a dict of call forward types (%s), not %s"
                         % (who, ", ".join(CF_TYPES), type(value).__name__))
    unknown = sorted(set(value) - set(CALL_FORWARDS_SPEC))
    if unknown:
        raise InputError("call_forwards of %s: unknown key%s %s; the keys are clear_others and the call forward "
                         "types %s" % (who, "s" if len(unknown) > 1 else "", ", ".join(unknown), ", ".join(CF_TYPES)))
    outcome = ArgumentSpecValidator(CALL_FORWARDS_SPEC).validate(value)
    if outcome.error_messages:
        raise InputError("call_forwards of %s: %s" % (who, "; ".join(outcome.error_messages)))
    return outcome.validated_parameters


class SubscriberWithSettings(Subscriber):
    """``c5_subscriber``: the subscriber, then its call forwards and preferences."""

    fields = Subscriber.fields.extended(*SETTINGS_FIELDS)

    def __init__(self, api, options, run):
        super(SubscriberWithSettings, self).__init__(api, options, run)
        self.created_id = None  # the id of the subscriber this item created, if it did

    # --- the settings items of a subscriber item --------------------------------------
    @staticmethod
    def carries_settings(item):
        return item.get("state", "present") != "absent" and (
            item.get("call_forwards") is not None or item.get("preferences") is not None)

    def call_forward_item(self, item, subscriber_id=None):
        """The item of the c5_callforward resource for this subscriber (None when the
        item sets no call forwards)."""
        given = item.get("call_forwards")
        if given is None:
            return None
        # Validated once per entry (validate, prefetch and converge all ask): the
        # entries live as long as the task, so their identity is a safe key.
        values = dict(self.run.cache(CHECKED_CALL_FORWARDS).get_or_compute(
            id(given), lambda: checked_call_forwards(given, self.identity(item))))
        if values.get("clear_others") is None:
            values["clear_others"] = bool(item.get("call_forwards_clear_others"))
        return self.settings_item(item, subscriber_id, values)

    def preference_item(self, item, subscriber_id=None):
        if item.get("preferences") is None:
            return None
        if not isinstance(item["preferences"], dict):
            raise InputError("preferences of %s must be a dict of preference names and values, not %s"
                             % (self.identity(item), type(item["preferences"]).__name__))
        return self.settings_item(item, subscriber_id, {
            "preferences": item["preferences"], "remove_others": bool(item.get("preferences_remove_others")),
            "keep": None})

    def settings_item(self, item, subscriber_id, values):
        # Named by id once the subscriber's step knows it (no look-up by name), by
        # name before (prefetch, validation).
        if subscriber_id is not None:
            ref = {"subscriber_id": int(subscriber_id), "sip_username": None, "domain": None}
        else:
            ref = {"sip_username": item.get("sip_username"), "domain": item.get("domain"), "subscriber_id": None}
        values = dict(values, state="present", **ref)
        return self.options.with_values(**values)

    # --- the engine's hooks ---------------------------------------------------------------
    def validate(self, item):
        super(SubscriberWithSettings, self).validate(item)
        if not self.carries_settings(item):
            return
        cf_item = self.call_forward_item(item)
        if cf_item is not None:
            try:
                CallForwards(self.api, self.options, self.run).validate(cf_item)
            except InputError as exc:
                # c5_callforward names the type's key (cfna.times[1].wday): say where it is.
                raise InputError("call_forwards.%s" % exc)
        self.preference_item(item)  # its values need the platform's definitions: desired()

    def prefetch(self, items):
        super(SubscriberWithSettings, self).prefetch(items)
        # The documents of the subscribers that exist already, listed the way the two
        # modules list them (after the subscriber listing above, by cached id).
        for resource_class, make in ((CallForwards, self.call_forward_item), (Preferences, self.preference_item)):
            nested = []
            for item in items:
                if not self.carries_settings(item):
                    continue
                try:
                    entry = make(item)
                except VoipError:
                    continue  # reported by the item itself
                if entry is not None:
                    nested.append(entry)
            if nested:
                resource_class(self.api, self.options, self.run).prefetch(nested)

    def create(self, item, desired):
        raw = super(SubscriberWithSettings, self).create(item, desired)
        self.created_id = int(raw["id"])
        return raw

    def new_subscriber_documents(self, item, subscriber_id):
        """A subscriber this item has just created has no call forwards, and no
        preferences but the ones the platform derives from it (its numbers: cc, ac,
        allowed_clis, ... -- kept by the preferences' ``keep``): its settings are
        compared with that, without two GETs per subscriber.  Not when the other
        preferences are to be removed: those derived ones are then read, as for any
        subscriber, so that one run converges."""
        SubscriberDocuments(self.api, self.run, "callforwards").known(subscriber_id, empty_document())
        if not item.get("preferences_remove_others"):
            SubscriberDocuments(self.api, self.run, "subscriberpreferences").known(subscriber_id, {})

    def converge(self, item):
        if not self.carries_settings(item):
            return super(SubscriberWithSettings, self).converge(item)
        # Preference values are checked against the platform's definitions before the
        # subscriber is written: a refused value leaves this item untouched.
        pref_item = self.preference_item(item)
        if pref_item is not None:
            Preferences(self.api, self.options, self.run).desired(pref_item)
        result = super(SubscriberWithSettings, self).converge(item)
        subscriber_id = (result.get(self.name) or {}).get("id")
        if subscriber_id is None:
            subscriber_id = C5Subscribers(self.api, self.run).cached_id(item)
        if self.created_id is not None:
            self.new_subscriber_documents(item, self.created_id)
        for key, resource_class, make in (("call_forwards", CallForwards, self.call_forward_item),
                                          ("preferences", Preferences, self.preference_item)):
            if item.get(key) is None:
                continue
            if subscriber_id is None:
                # Check mode, subscriber still to be created: its settings will be
                # written after it, so they count as a change (no look-up, no warning).
                result[key] = {"changed": True}
                result["changed"] = True
                continue
            try:
                nested = resource_class(self.api, self.options, self.run).converge(make(item, subscriber_id))
            except VoipError as exc:
                applied = "the subscriber" + (" and its call_forwards" if "call_forwards" in result else "")
                result.update(failed=True, msg="%s of %s: %s (%s applied; run again once fixed)"
                              % (key, self.identity(item), exc, applied))
                return result
            self.merge(result, key, nested)
        return result

    def merge(self, result, key, nested):
        """The settings' result inside the subscriber's: its object and changed flag
        under ``key``, its diff as ``key`` of the subscriber's diff."""
        diff = nested.pop("diff", None)
        result[key] = nested
        if nested.get("changed"):
            result["changed"] = True
            if self.run.diff and isinstance(diff, dict):
                result.setdefault("diff", {"before": {}, "after": {}})
                result["diff"]["before"][key] = diff.get("before")
                result["diff"]["after"][key] = diff.get("after")
