# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VTX platform's models: accounts, users, presence, features, call logs and
push subscriptions, kept in core Tables, with time from the emulator's Clock.
Knows no HTTP: it raises :class:`Problem` (a status and a message) and the
application renders it (``app.py``).

Spec: ``shared/specs/vtx-openapi.md``; "assumed" below means the spec marks the
behaviour as assumed (the swagger is IP-restricted).
"""

import re
import uuid

from voip_emulator.vtx import seed, timefmt

PLATFORM = "vtx"

#: Longest lease of a subscription: 259 200 000 ms (spec 4.5, wiki-later).
MAX_LIFETIME = 3 * 24 * 3600
RESOURCE_TYPES = ("CALL_LOG",)
FEATURE_TYPES = ("DND", "CFU", "CFB", "CFNR", "CFNL")
FORWARD_TYPES = FEATURE_TYPES[1:]
SCOPES = ("ALL", "EXTERNAL", "INTERNAL")
RING_TIMEOUT_RANGE = (5, 120)
DEFAULT_RING_TIMEOUT = 20
#: A destination as the platform stores it: E.164 "+..." , a national number or
#: an extension (assumed: digits only, optional leading "+").
DESTINATION_RE = re.compile(r"^\+?[0-9]{1,20}$")
URL_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
#: Version from which users may be addressed by loginName (spec 4.2, seed).
LOGIN_NAME_VERSION = (7, 8)


class Problem(Exception):
    """An error the platform answers with ``status``."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def default_feature(feature_type):
    if feature_type == "DND":
        return {"type": "DND", "active": False}
    feature = {"type": feature_type, "active": False, "destination": None, "scope": "ALL"}
    if feature_type == "CFNR":
        feature["ringTimeout"] = DEFAULT_RING_TIMEOUT
    return feature


def version_tuple(text):
    parts = []
    for part in str(text).split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts)


class VtxBackend:
    def __init__(self, tables, clock):
        self.tables = tables
        self.clock = clock
        self.lock = tables.lock
        self.server = tables.add("server", id_kind="key")
        self.accounts = tables.add("accounts", id_kind="key")
        self.applications = tables.add("applications", id_kind="key")
        self.enterprises = tables.add("enterprises", id_kind="int")
        self.users = tables.add("users", id_kind="int")
        self.presence = tables.add("presence", id_kind="int")
        self.features = tables.add("features", id_kind="key")
        self.call_logs = tables.add("call_logs", id_kind="key")
        self.subscriptions = tables.add("subscriptions", id_kind="key")

    # seed / persistence ----------------------------------------------------
    def load_or_seed(self):
        if not self.tables.load():
            self.seed()

    def reset(self):
        self.tables.wipe()
        self.seed()

    def seed(self):
        with self.lock:
            self.server.put("info", dict(seed.SERVER))
            for account in seed.ACCOUNTS:
                self.accounts.put(account["login"], dict(account))
            for application in seed.APPLICATIONS:
                self.applications.put(application["psk"], dict(application))
            for enterprise in seed.ENTERPRISES:
                self.enterprises.insert(dict(enterprise), row_id=enterprise["id"])
            seeded_at = timefmt.zurich_millis(timefmt.parse("2024-11-04T13:02:03.389Z"))
            for user in seed.USERS:
                self.users.insert(dict(user), row_id=user["id"])
                online = {"activity": "ONLINE", "enhancedActivity": "NONE", "modifiedOn": seeded_at}
                third_party = {"activity": "UNKNOWN", "enhancedActivity": "NONE"}
                self.presence.insert({"c5": online, "lastC5": dict(online), "thirdParty": third_party}, row_id=user["id"])
            for call in seed.history():
                self.call_logs.put(call["id"], call)

    def add_users(self, count, enterprise_id, first_id, first_number):
        """Control: ``count`` more users of an enterprise (ids and numbers counting
        up), for tests and benchmarks of large enterprises. Returns the new users."""
        if self.enterprises.get(enterprise_id) is None:
            raise Problem(404, "no enterprise %s" % enterprise_id)
        if not isinstance(first_number, str) or not first_number.startswith("+") or not first_number[1:].isdigit():
            raise Problem(400, "first_number: an E.164 number such as +41225670000")
        made = []
        now = timefmt.zurich_millis(self.clock.now())
        with self.lock:
            for index in range(int(count)):
                user_id = int(first_id) + index
                if self.users.get(user_id) is not None:
                    raise Problem(409, "user %d exists" % user_id)
                number = "+%d" % (int(first_number[1:]) + index)
                user = {"id": user_id, "loginName": number + "@m.ipvoip.ch", "enterprise": enterprise_id}
                self.users.insert(dict(user), row_id=user_id)
                online = {"activity": "ONLINE", "enhancedActivity": "NONE", "modifiedOn": now}
                third_party = {"activity": "UNKNOWN", "enhancedActivity": "NONE"}
                self.presence.insert({"c5": online, "lastC5": dict(online), "thirdParty": third_party}, row_id=user_id)
                made.append(user)
        return made

    # accounts --------------------------------------------------------------
    def account(self, login, password):
        account = self.accounts.get(login)
        if account is None or account["password"] != password:
            return None
        return account

    def application(self, psk):
        return self.applications.get(psk) if psk else None

    def server_info(self):
        return dict(self.server.get("info"))

    def set_server_info(self, changes):
        with self.lock:
            info = self.server_info()
            unknown = sorted(set(changes) - set(info))
            if unknown:
                raise Problem(400, "unknown server field(s): %s" % ", ".join(unknown))
            info.update(changes)
            self.server.put("info", info)
            return info

    def supports_login_names(self):
        return version_tuple(self.server_info()["buildVersion"]) >= LOGIN_NAME_VERSION

    # users -----------------------------------------------------------------
    def user(self, reference, account):
        """The user addressed by a URL segment: a numeric id, or (7.8+) a loginName."""
        reference = str(reference)
        if reference.isdigit():
            user = self.users.get(int(reference))
        elif self.supports_login_names():
            found = self.users.first(lambda doc: doc["loginName"].lower() == reference.lower())
            user = found[1] if found else None
        else:
            # Before 7.8 a loginName in the path is simply not a user id (spec 4.2: 404).
            user = None
        if user is None:
            raise Problem(404, "User not found: %s" % reference)
        if user["enterprise"] != account["enterprise"]:
            raise Problem(403, "Access denied to user %s" % reference)
        return user

    def enterprise(self, domain_id, account):
        if not str(domain_id).isdigit() or self.enterprises.get(int(domain_id)) is None:
            raise Problem(404, "Domain not found: %s" % domain_id)
        if int(domain_id) != account["enterprise"]:
            raise Problem(403, "Access denied to domain %s" % domain_id)
        return self.enterprises.get(int(domain_id))

    def context(self, user):
        enterprise = self.enterprises.get(user["enterprise"])
        return {
            "user": {"id": user["id"], "name": user["loginName"]},
            "site": dict(enterprise["site"]),
            "enterprise": {"id": enterprise["id"], "name": enterprise["name"]},
            "serviceProvider": dict(seed.SERVICE_PROVIDER),
        }

    # presence ----------------------------------------------------------------
    def presence_of(self, user):
        stored = self.presence.get(user["id"])
        third = stored["thirdParty"]
        # "current" is the merged state (spec 4.2, inferred): a third-party state
        # wins when one is set, else the platform's own.
        current = third if third.get("activity", "UNKNOWN") != "UNKNOWN" else stored["c5"]
        return {
            "userId": user["id"],
            "domainId": user["enterprise"],
            "current": dict(current),
            "c5": dict(stored["c5"]),
            "lastC5": dict(stored["lastC5"]),
            "thirdParty": dict(third),
        }

    def set_presence(self, user, activity=None, enhanced_activity=None, source="c5"):
        """Control: the platform's presence of ``user`` changes (the previous c5
        state becomes lastC5)."""
        with self.lock:
            stored = self.presence.get(user["id"])
            state = {
                "activity": activity or "ONLINE",
                "enhancedActivity": enhanced_activity or "NONE",
                "modifiedOn": timefmt.zurich_millis(self.clock.now()),
            }
            if source == "thirdParty":
                stored = dict(stored, thirdParty=state)
            else:
                stored = dict(stored, lastC5=stored["c5"], c5=state)
            self.presence.put(user["id"], stored)
            return self.presence_of(user)

    # features --------------------------------------------------------------
    def _feature_type(self, feature_type):
        if feature_type not in FEATURE_TYPES:
            raise Problem(404, "Feature not found: %s" % feature_type)
        return feature_type

    def feature(self, user, feature_type):
        feature_type = self._feature_type(feature_type)
        stored = self.features.get("%d:%s" % (user["id"], feature_type))
        return dict(stored) if stored else default_feature(feature_type)

    def feature_list(self, user):
        return [self.feature(user, feature_type) for feature_type in FEATURE_TYPES]

    def write_feature(self, user, feature_type, body, merge):
        """PUT (``merge`` False: missing fields take their defaults) or PATCH."""
        feature_type = self._feature_type(feature_type)
        if not isinstance(body, dict):
            raise Problem(400, "Request body must be a feature object")
        base = self.feature(user, feature_type) if merge else default_feature(feature_type)
        if not merge and "active" not in body:
            raise Problem(400, "active: must not be null")
        new = dict(base)
        # Unknown properties (and "type") are ignored, like Jackson does by default.
        for name in ("active", "destination", "scope", "ringTimeout"):
            if name in body and name in base:
                new[name] = body[name]
        if not isinstance(new["active"], bool):
            raise Problem(400, "active: must be true or false")
        if feature_type in FORWARD_TYPES:
            destination = new["destination"]
            if destination is not None:
                if not isinstance(destination, str) or not DESTINATION_RE.match(destination):
                    raise Problem(400, "destination: must be a phone number or extension (digits, optional leading +), got %r" % (destination,))
            if new["active"] and not destination:
                raise Problem(400, "destination: must not be empty when the forward is active")
            if new["scope"] not in SCOPES:
                raise Problem(400, "scope: must be one of %s" % ", ".join(SCOPES))
            if feature_type == "CFNR":
                timeout = new["ringTimeout"]
                low, high = RING_TIMEOUT_RANGE
                if isinstance(timeout, bool) or not isinstance(timeout, int) or not low <= timeout <= high:
                    raise Problem(400, "ringTimeout: must be between %d and %d" % RING_TIMEOUT_RANGE)
        with self.lock:
            self.features.put("%d:%s" % (user["id"], feature_type), new)
        return dict(new)

    def reset_feature(self, user, feature_type=None):
        with self.lock:
            for name in ([self._feature_type(feature_type)] if feature_type else FEATURE_TYPES):
                self.features.delete("%d:%s" % (user["id"], name))

    # call logs -------------------------------------------------------------
    def call_log_page(self, user_ids, start=None, end=None, limit=None, offset=0):
        """Call logs of ``user_ids``, newest first, ``start <= callStart < end``."""
        def wanted(doc):
            if doc["userId"] not in user_ids:
                return False
            moment = timefmt.parse(doc["callStart"])
            return (start is None or moment >= start) and (end is None or moment < end)

        found = [doc for _id, doc in self.call_logs.find(wanted)]
        found.sort(key=lambda doc: (timefmt.parse(doc["callStart"]), doc["id"]), reverse=True)
        return [dict(doc) for doc in found[offset:offset + limit]]

    def enterprise_user_ids(self, enterprise_id):
        return {doc["id"] for _id, doc in self.users.find(lambda doc: doc["enterprise"] == enterprise_id)}

    def page_limit(self):
        return int(self.server_info()["bulkLimitCommon"])

    # subscriptions -----------------------------------------------------------
    def expire_subscriptions(self):
        """Delete every subscription whose ``expires`` has passed (spec 4.5: expired
        ones vanish and must be re-created). Returns the ids removed."""
        now = self.clock.now()
        with self.lock:
            gone = [sid for sid, doc in self.subscriptions.rows() if doc["_expires"] <= now]
            for sid in gone:
                self.subscriptions.delete(sid)
        return gone

    @staticmethod
    def _visible(doc, account, application):
        return doc["creatorId"] == account["login"] and doc["applicationId"] == application["application_id"]

    def subscription_list(self, account, application):
        self.expire_subscriptions()
        return [self.render_subscription(doc) for _sid, doc in self.subscriptions.rows() if self._visible(doc, account, application)]

    def _subscription(self, subscription_id, account, application):
        self.expire_subscriptions()
        doc = self.subscriptions.get(subscription_id)
        if doc is None or not self._visible(doc, account, application):
            raise Problem(404, "Subscription not found: %s" % subscription_id)
        return doc

    def subscription(self, subscription_id, account, application):
        return self.render_subscription(self._subscription(subscription_id, account, application))

    @staticmethod
    def render_subscription(doc, style="listed"):
        """The API view: ``created``/``modified`` as read back from the database
        (``utc_trimmed``) when listed, in Swiss time with microseconds in the answer
        to POST/PATCH (spec: the two styles of the seed)."""
        view = {k: v for k, v in doc.items() if not k.startswith("_")}
        render = timefmt.zurich_micro if style == "written" else timefmt.utc_trimmed
        view["created"] = render(doc["_created"])
        view["modified"] = render(doc["_modified"])
        return view

    def _expires(self, value):
        if value is None:
            raise Problem(400, "expires: must not be null")
        try:
            epoch = timefmt.parse(value)
        except timefmt.TimeFormatError:
            raise Problem(400, "expires: cannot parse %r as an ISO-8601 instant" % (value,)) from None
        now = self.clock.now()
        if epoch <= now:
            raise Problem(400, "expires: must be in the future")
        if epoch > now + MAX_LIFETIME:
            raise Problem(400, "expires: the maximum lifetime of a subscription is 259200000 ms (3 days)")
        # Instant precision of the platform: milliseconds (assumed).
        return round(epoch, 3)

    def _user_ids(self, value, account):
        if not isinstance(value, list) or not value:
            raise Problem(400, "userIds: must not be empty")
        ids = []
        for item in value:
            # Jackson coerces numeric strings to numbers (assumed, its default).
            if isinstance(item, bool) or not (isinstance(item, int) or (isinstance(item, str) and item.isdigit())):
                raise Problem(400, "userIds: %r is not a user id" % (item,))
            ids.append(int(item))
        for user_id in ids:
            self.user(user_id, account)
        return ids

    def _notification_url(self, value):
        if not isinstance(value, str) or not URL_RE.match(value):
            raise Problem(400, "notificationUrl: must be an http or https URL, got %r" % (value,))
        return value

    def create_subscription(self, body, account, application):
        if not isinstance(body, dict):
            raise Problem(400, "Request body must be a subscription object")
        if body.get("resourceType") not in RESOURCE_TYPES:
            raise Problem(400, "resourceType: must be one of %s, got %r" % (", ".join(RESOURCE_TYPES), body.get("resourceType")))
        url = self._notification_url(body.get("notificationUrl"))
        expires = self._expires(body.get("expires"))
        user_ids = self._user_ids(body.get("userIds"), account)
        now = self.clock.now()
        # No de-duplication (spec 4.5, assumed): an identical POST makes a second one.
        doc = {
            "id": str(uuid.uuid4()),
            "resourceType": body["resourceType"],
            "resourceIds": [str(user_id) for user_id in user_ids],
            "userIds": user_ids,
            "notificationUrl": url,
            "expires": timefmt.instant(expires),
            "creatorId": account["login"],
            "creatorRole": "ENTERPRISE_ADMIN",
            "creatorIsImpersonated": False,
            "applicationId": application["application_id"],
            "_expires": expires,
            "_created": now,
            "_modified": now,
        }
        with self.lock:
            self.subscriptions.put(doc["id"], doc)
        return self.render_subscription(doc, style="written")

    def patch_subscription(self, subscription_id, body, account, application):
        doc = dict(self._subscription(subscription_id, account, application))
        if not isinstance(body, dict):
            raise Problem(400, "Request body must be a subscription object")
        # Documented: {"expires": ...}; assumed: notificationUrl/userIds are applied too.
        if "expires" in body:
            doc["_expires"] = self._expires(body["expires"])
            doc["expires"] = timefmt.instant(doc["_expires"])
        if "notificationUrl" in body:
            doc["notificationUrl"] = self._notification_url(body["notificationUrl"])
        if "userIds" in body:
            doc["userIds"] = self._user_ids(body["userIds"], account)
            doc["resourceIds"] = [str(user_id) for user_id in doc["userIds"]]
        doc["_modified"] = self.clock.now()
        with self.lock:
            self.subscriptions.put(doc["id"], doc)
        return self.render_subscription(doc, style="written")

    def delete_subscription(self, subscription_id, account, application):
        self._subscription(subscription_id, account, application)
        with self.lock:
            self.subscriptions.delete(subscription_id)

    # simulated calls -------------------------------------------------------
    def simulate_call(self, user, call=None):
        """Control: a call of ``user`` has ended. Stores its call log and returns
        ``(call_log, notifications)`` where notifications are (subscription id,
        url, payload) for every live subscription covering the user."""
        call = dict(call or {})
        now = self.clock.now()
        duration = call.get("duration", 7)
        if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
            raise Problem(400, "duration: must be a non-negative integer")
        direction = call.get("direction", "OUTGOING")
        if direction not in ("OUTGOING", "INCOMING"):
            raise Problem(400, "direction: OUTGOING or INCOMING")
        if "callStart" in call:
            try:
                timefmt.parse(call["callStart"])
            except timefmt.TimeFormatError as exc:
                raise Problem(400, "callStart: %s" % exc) from None
            call_start = call["callStart"]
        else:
            call_start = timefmt.instant(int(now - duration))
        call_log = {
            "id": str(uuid.uuid4()),
            "userId": user["id"],
            "callStart": call_start,
            "duration": duration,
            "direction": direction,
            "callType": call.get("callType", "VOICE"),
            "status": call.get("status", 804),
            "callPartyNumber": call.get("callPartyNumber", "+41225117902"),
            "callPartyDialNumber": call.get("callPartyDialNumber", "0225117902"),
        }
        with self.lock:
            self.call_logs.put(call_log["id"], call_log)
        self.expire_subscriptions()
        event = {
            "changeType": "CREATED",
            "callLog": dict(call_log),
            "eventTime": timefmt.zurich_millis(now),
            "context": self.context(user),
        }
        notifications = []
        for sid, doc in self.subscriptions.rows():
            if doc["resourceType"] == "CALL_LOG" and user["id"] in doc["userIds"]:
                notifications.append((sid, doc["notificationUrl"], {"subscriptionId": sid, "callLogEvents": [event]}))
        return call_log, notifications
