# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CALL_LOG push subscriptions as leases (spec 4.5 and 6, traps 2-5).

A subscription lives at most 3 days, expired ones vanish, and the platform does
not de-duplicate.  A subscription is identified by resource type + set of user
ids (compared as integers; ``resourceIds`` are the same ids as strings) +
notification URL - the server's id is not a natural key.  The engine's lease
plan then creates, renews within ``renew_margin`` of expiry (``PATCH
{expires}``), removes duplicates and deletes for ``absent``.

Time is the platform's: "now" comes from the server's ``Date`` header (the run
context's clock, set by ``connection.run_task``), so a client with a skewed
clock neither renews too late nor asks for an ``expires`` the platform refuses.
A fixed ``expires`` and ``exclusive`` are the lease kind's hooks
(:meth:`Subscription.fixed_expiry`, :meth:`Subscription.rivals`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import LeaseResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.vtx import timestamps

MAX_LIFETIME = 3 * 24 * 3600  # 259 200 000 ms (spec 4.5)
#: Asked lifetimes are shortened by this much below the cap: the request reaches
#: the server a little after "now" was read, and the cap is checked there.
SAFETY = 300
DEFAULT_MARGIN = 24 * 3600
RESOURCE_TYPES = ("CALL_LOG",)
URL_RE = re.compile(r"^https?://[^\s/?#@]+(?:[/?#]\S*)?$", re.IGNORECASE)


def check_url(value):
    if not URL_RE.match(str(value)):
        raise InputError("notification_url: '%s' is not an http:// or https:// URL; the platform POSTs call logs to it"
                         % value)
    return str(value)


def _ids(value):
    return sorted(set(int(v) for v in value or []))


FIELDS = FieldSet(
    Field("notification_url", api_name="notificationUrl", normalise=check_url, required=True, in_items=False),
    Field("users", type="list", elements="str", api_name="userIds", compare="set", read=_ids,
          in_items=False),
    Field("resource_type", api_name="resourceType", choices=RESOURCE_TYPES, default="CALL_LOG", in_items=False),
)


class Subscription(LeaseResource):
    name = "subscription"
    fields = FIELDS
    key = ("resource_type", "notification_url", "users")
    max_lifetime = MAX_LIFETIME
    default_margin = DEFAULT_MARGIN
    clock_slack = SAFETY

    def __init__(self, api, options, run):
        LeaseResource.__init__(self, api, options, run)
        self._entries = []

    def identity(self, item):
        return "%s to %s" % (item.get("resource_type", "CALL_LOG"), item.get("notification_url"))

    # --- input ---------------------------------------------------------------------------
    def user_ids(self, item):
        users = item.get("users")
        if item.get("all_users"):
            ids = self.api.users.directory.user_ids()
            if not ids:
                raise InputError("all_users: the directory is empty; set directory (or directory_file) to the enterprise's users")
            users = ids
        if not users:
            raise InputError("users: name at least one user (login name, number or id), or set all_users")
        # Not checked here: a matching subscription proves the platform knows them, and a
        # create checks them first (create()); an idempotent run costs no request per user.
        self._entries = [self.api.users.resolve(user, "users", verify=False) for user in users]
        return sorted(set(entry["user_id"] for entry in self._entries))

    def desired(self, item):
        if not item.get("notification_url"):
            raise InputError("notification_url is required: the http(s) URL the platform POSTs call logs to")
        check_url(item.get("notification_url"))
        desired = self.fields.desired(item)
        desired.setdefault("resource_type", "CALL_LOG")
        # The sorted, de-duplicated ids of users (or of the whole directory), resolved.
        desired["users"] = self.user_ids(item)
        return desired

    def fixed_expiry(self, item):
        """The task's ``expires`` (epoch seconds), or None: the engine then
        renews only a subscription that ends earlier (SAFETY seconds of slack)."""
        expires = item.get("expires")
        if expires is None:
            return None
        try:
            return timestamps.parse(expires, "expires")
        except ValueError as exc:
            raise InputError(str(exc))

    def lifetime(self, item):
        expires = item.get("expires")
        if expires is None:
            lifetime = LeaseResource.lifetime(self, item)
        else:
            moment = self.fixed_expiry(item)
            now = self.run.now()
            lifetime = moment - now
            if lifetime <= 0:
                raise InputError("expires: %s is in the past (the platform's time is %s)" % (expires, timestamps.render(now)))
            if lifetime > self.max_lifetime:
                raise InputError("expires: %s is more than 3 days ahead of the platform's time %s; a subscription "
                                 "lives 3 days at most (259200000 ms) - ask for %s or earlier, and run the task more "
                                 "often than every 3 days to keep it alive"
                                 % (expires, timestamps.render(now), timestamps.render(now + self.max_lifetime)))
            return lifetime
        margin = LeaseResource.margin(self, item)
        if margin >= lifetime:
            raise InputError("renew_margin: %d seconds is not shorter than the lifetime (%d seconds): every run would "
                             "renew; make it smaller" % (margin, lifetime))
        return lifetime

    def _expires(self, item):
        return timestamps.render_instant(self.new_expiry(self.lifetime(item)))

    # --- the lease --------------------------------------------------------------------------
    def view(self, raw):
        view = self.fields.view(raw)
        if not view.get("users") and raw.get("resourceIds"):
            view["users"] = _ids(raw.get("resourceIds"))
        view["id"] = raw.get("id")
        try:
            view["expires"] = timestamps.render(timestamps.parse(raw.get("expires"), "expires"))
        except ValueError:
            view["expires"] = raw.get("expires")
        return view

    def expires(self, view):
        try:
            return timestamps.parse(view.get("expires"), "expires")
        except ValueError:
            return None

    def leases(self, item, desired):
        found = []
        for raw in self.api.subscriptions():
            view = self.view(raw)
            if (view.get("resource_type") == desired["resource_type"]
                    and view.get("notification_url") == desired["notification_url"]
                    and view.get("users") == desired["users"]):
                found.append(raw)
        if not found and item.get("state", "present") == "present":
            # A create follows (in check mode too): every user must exist, checked before any write.
            for entry in self._entries:
                self.api.users.verify(entry, "users")
        return found

    def create(self, item, desired):
        body = {
            "expires": self._expires(item),
            "notificationUrl": desired["notification_url"],
            "resourceType": desired["resource_type"],
            "userIds": desired["users"],
        }
        return self.api.create_subscription(body)

    def renew(self, item, raw, desired):
        return self.api.renew_subscription(raw["id"], self._expires(item))

    def delete(self, item, raw):
        self.api.delete_subscription(raw["id"])

    def rivals(self, item, desired):
        """``exclusive``: the URL is this task's, so subscriptions to it for another
        user set are stale (a user left the directory) and would push twice."""
        others = []
        for raw in self.api.subscriptions():
            view = self.view(raw)
            if (view.get("resource_type") == desired["resource_type"]
                    and view.get("notification_url") == desired["notification_url"]
                    and view.get("users") != desired["users"]):
                others.append(raw)
        return others
