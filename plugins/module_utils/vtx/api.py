# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every request the collection sends to the VTX OpenAPI, in one adapter.

Paths marked ASSUMED are not public (the swagger is IP-restricted; spec 4.3 and
4.4 build them on the seed's truncated ``/openapi/v1/users/{user}/feat...``):
when the real ones are known, correct them here and nowhere else.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import ServerTime
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError

SERVER = "v1/system/server"
PRESENCE = "v1/users/{user}/presence"
SUBSCRIPTIONS = "v1/subscriptions"
SUBSCRIPTION = "v1/subscriptions/{id}"
# ASSUMED (spec 4.3): the feature collection of a user, one feature by type.
FEATURES = "v1/users/{user}/features"
FEATURE = "v1/users/{user}/features/{type}"
# ASSUMED (spec 4.4): call logs of a user / of an enterprise ("domain").
USER_CALL_LOGS = "v1/users/{user}/callLogs"
DOMAIN_CALL_LOGS = "v1/domains/{domain}/callLogs"
# ASSUMED (spec 4.3): the feature types and the fields of each.
FEATURE_TYPES = ("DND", "CFU", "CFB", "CFNR", "CFNL")


class VtxApi:
    """The platform's operations over an :class:`ApiClient` (whose dialect is
    :class:`~.dialect.VtxDialect`). Thread-safe as the client is.

    ``server_time`` (a :class:`~..core.context.ServerTime`) follows the
    platform's clock through every answer's ``Date`` header: leases are timed
    by the server that expires them (``run_task`` makes it the run's clock)."""

    def __init__(self, client, server_time=None):
        self.client = client
        self.server_time = server_time or ServerTime()
        self._server = None

    def server_now(self):
        """The platform's "now" (from its last ``Date`` header; our clock until a
        request was answered)."""
        return self.server_time.now()

    def call(self, method, path, **kwargs):
        response = self.client.request(method, path, **kwargs)
        self.server_time.note(response)
        return self.client.decode(response)

    # --- system -------------------------------------------------------------------------
    def server(self):
        if self._server is None:
            self._server = self.call("GET", SERVER)
        return self._server

    def version(self):
        parts = []
        for part in str(self.server().get("buildVersion", "")).split("."):
            if not part.isdigit():
                break
            parts.append(int(part))
        return tuple(parts)

    def supports_login_names(self):
        """Users addressable by loginName in URLs: platform 7.8+ (seed)."""
        return self.version() >= (7, 8)

    def page_limit(self):
        try:
            return max(1, int(self.server().get("bulkLimitCommon") or 100))
        except (TypeError, ValueError):
            return 100

    # --- users ----------------------------------------------------------------------------
    def presence(self, user):
        return self.call("GET", PRESENCE.format(user=user))

    def features(self, user_id):
        return self.call("GET", FEATURES.format(user=user_id)).get("features", [])

    def feature(self, user_id, feature_type):
        return self.call("GET", FEATURE.format(user=user_id, type=feature_type)).get("feature")

    def put_feature(self, user_id, feature_type, body):
        return self.call("PUT", FEATURE.format(user=user_id, type=feature_type), json_body=body).get("feature")

    def reset_feature(self, user_id, feature_type):
        self.call("DELETE", FEATURE.format(user=user_id, type=feature_type))

    def call_logs(self, user_id=None, domain_id=None, start=None, end=None, limit=None):
        """Every call log of a user or an enterprise in ``[start, end)`` (all pages,
        newest first). Returns ``(logs, complete)``."""
        path = USER_CALL_LOGS.format(user=user_id) if user_id is not None else DOMAIN_CALL_LOGS.format(domain=domain_id)
        params = {}
        if start:
            params["from"] = start
        if end:
            params["to"] = end
        size = self.page_limit()
        self.client.dialect.page_size = size
        return self.client.paginate(path, params=params, page_size=size, limit=limit)

    # --- subscriptions ----------------------------------------------------------------------
    def subscriptions(self):
        return self.call("GET", SUBSCRIPTIONS).get("subscriptions", [])

    def create_subscription(self, body):
        return self.call("POST", SUBSCRIPTIONS, json_body=body).get("subscription")

    def renew_subscription(self, subscription_id, expires):
        return self.call("PATCH", SUBSCRIPTION.format(id=subscription_id), json_body={"expires": expires}).get("subscription")

    def delete_subscription(self, subscription_id):
        try:
            self.call("DELETE", SUBSCRIPTION.format(id=subscription_id))
        except ApiError as exc:
            # Gone already (expired meanwhile, or a concurrent clean-up): that is what we wanted.
            if exc.status != 404:
                raise
