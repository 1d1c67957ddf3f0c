# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A user's call forwards and DND as settings documents (spec 4.3, ASSUMED shape).

Every user always has the five features (``DND``, ``CFU``, ``CFB``, ``CFNR``,
``CFNL``), inactive by default; ``state: absent`` sends the documented reset
(``DELETE``), which restores the defaults.  Only the fields a task sets are
compared; a differing feature is written with one ``PUT`` of the whole feature
(current values merged with the wanted ones).  Destinations are stored verbatim
by the platform (assumed), so they are compared verbatim.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import SettingsResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.api import FEATURE_TYPES
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import check_number

FORWARD_TYPES = FEATURE_TYPES[1:]
SCOPES = ("ALL", "EXTERNAL", "INTERNAL")
RING_TIMEOUT_RANGE = (5, 120)
DEFAULT_RING_TIMEOUT = 20
DESTINATION_RE = re.compile(r"^\+?[0-9]{1,20}$")


def check_destination(value):
    text = str(value)
    if not DESTINATION_RE.match(text):
        raise InputError("destination: '%s' is not a number the platform takes; use E.164 (+41791234567), a "
                         "national number (0791234567) or an extension (201), digits only, no spaces" % value)
    if text.startswith("+"):
        check_number(text, "destination")
    return text


def check_ring_timeout(value):
    low, high = RING_TIMEOUT_RANGE
    if not low <= int(value) <= high:
        raise InputError("ring_timeout: %s is out of range; the platform takes %d to %d seconds" % (value, low, high))
    return int(value)


def default_view(feature_type):
    """What a feature looks like after a reset (spec 4.3)."""
    if feature_type == "DND":
        return {"active": False}
    view = {"active": False, "destination": None, "scope": "ALL"}
    if feature_type == "CFNR":
        view["ring_timeout"] = DEFAULT_RING_TIMEOUT
    return view


FIELDS = FieldSet(
    Field("user", api=False, key=True,
          description="The user: login name, number (+E.164) or user id, resolved through the directory."),
    Field("type", api=False, key=True, choices=FEATURE_TYPES,
          description="The feature."),
    Field("active", type="bool"),
    Field("destination", normalise=check_destination),
    Field("scope", choices=SCOPES),
    Field("ring_timeout", type="int", api_name="ringTimeout", normalise=check_ring_timeout),
    # No default in items: an entry without state takes the task's.
    Field("state", api=False, choices=("present", "absent"), default="present"),
)


class UserFeature(SettingsResource):
    name = "feature"
    fields = FIELDS
    key = ("user", "type")

    def identity(self, item):
        return "%s %s" % (item.get("user"), item.get("type"))

    def desired(self, item):
        for option in ("user", "type"):
            if not item.get(option):
                raise InputError("%s is required (in the task, or in each entry of items)" % option)
        desired = SettingsResource.desired(self, item)
        feature_type = item.get("type")
        if feature_type == "DND":
            extra = sorted(set(desired) - set(["active"]))
            if extra:
                raise InputError("%s: DND has only 'active'; remove %s" % (self.identity(item), ", ".join(extra)))
        elif "ring_timeout" in desired and feature_type != "CFNR":
            raise InputError("%s: ring_timeout applies to CFNR (forward on no reply) only" % self.identity(item))
        if item.get("state", "present") == "present" and not desired:
            raise InputError("%s: set active (and destination, scope, ring_timeout), or state=absent to reset"
                             % self.identity(item))
        return desired

    def defaults(self, item):
        for option in ("user", "type"):
            if not item.get(option):
                raise InputError("%s is required (in the task, or in each entry of items)" % option)
        return default_view(item.get("type"))

    def read(self, item, desired):
        # The feature listing is the check that the user exists (no extra request).
        entry = self.api.users.resolve(item.get("user"), "user", verify=False)
        user_id = entry["user_id"]
        try:
            # One listing per user, shared by the items of a bulk task.
            features = self.run.cache("vtx_features").get_or_compute(
                user_id, lambda: dict((f.get("type"), f) for f in self.api.features(user_id)))
        except ApiError as exc:
            raise self.api.users.unknown(entry, "user", exc)
        found = features.get(item.get("type"))
        if found is None:
            # The listing lacks it: read it on its own (the platform may list only set features).
            found = self.api.feature(user_id, item.get("type"))
        self._user = user_id
        return found

    def view(self, raw):
        view = FIELDS.view(raw)
        if (raw or {}).get("type") == "DND":
            return {"active": view.get("active")}
        if (raw or {}).get("type") != "CFNR":
            view.pop("ring_timeout", None)
        return view

    def complete(self, item, raw, desired):
        merged = self.view(raw)
        merged.update(desired)
        if item.get("type") in FORWARD_TYPES and merged.get("active") and not merged.get("destination"):
            raise InputError("%s: destination is required to activate a forward (the user has none set)" % self.identity(item))
        return desired

    def result_object(self, raw):
        result = dict(raw or {})
        result["userId"] = self._user
        return result

    def write(self, item, raw, desired, changes):
        feature_type = item.get("type")
        if item.get("state", "present") == "absent":
            self.api.reset_feature(self._user, feature_type)
            restored = dict(FIELDS.to_api(default_view(feature_type)))
            restored["type"] = feature_type
            return restored
        merged = self.view(raw)
        merged.update(desired)
        return self.api.put_feature(self._user, feature_type, FIELDS.to_api(merged))
