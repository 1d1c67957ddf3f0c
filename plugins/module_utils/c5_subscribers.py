# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resolving a C5 subscriber named by ``username`` + ``domain`` or by ``subscriber_id``.

Every subscriber-keyed resource (``/api/callforwards/<id>``,
``/api/subscriberpreferences/<id>``, ...) is addressed by the billing subscriber
id, but a playbook names subscribers by their natural key (username, domain).

* One look-up per subscriber and run: results (found or not) are cached in the
  engine's per-run ``shared`` dict, under ``c5_subscribers``.
* Bulk tasks prefetch: for a domain that many items name, the subscribers of the
  domain are listed page by page (``?domain=<d>``) instead of one
  ``?username=<u>&domain=<d>`` request per item -- but only when that costs fewer
  requests (the first page tells the total count).
* The C5 filters are case-insensitive LIKEs (utf8 ``_ci`` collation, which also
  makes username + domain unique case-insensitively), so every candidate is
  re-checked locally, case-insensitively, as the server compares.
* Terminated subscribers are invisible to the API (404, absent from lists): they
  resolve as missing.

Modules that create or terminate subscribers call :meth:`C5Subscribers.remember`
or :meth:`C5Subscribers.forget` so that later items of the same run see it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.c5 import list_pages, self_link_id, strip_hal
from ansible_collections.voip.provisioning.plugins.module_utils.client import InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.engine import Unresolved

CACHE_KEY = "c5_subscribers"
MISSING = object()
# The item key naming the subscriber (``username`` is the API login).
USERNAME = "sip_username"


def subscriber_key(username, domain):
    return (str(username).lower(), str(domain).lower())


def subscriber_ref(item):
    """``(username, domain, subscriber_id)`` of an item, validated: either
    ``subscriber_id``, or ``sip_username`` with ``domain``.

    The subscriber's name is ``sip_username`` because ``username`` is the API
    login of every module (connection options); entries of ``items`` name it
    ``username``, which :func:`subscriber_items` moves to ``sip_username``."""
    subscriber_id = item.get("subscriber_id")
    username = item.get(USERNAME)
    domain = item.get("domain")
    if subscriber_id is not None:
        if username:
            raise InputError("give either subscriber_id (%s) or username (%s) with domain, not both"
                             % (subscriber_id, username))
        try:
            subscriber_id = int(subscriber_id)
        except (TypeError, ValueError):
            raise InputError("subscriber_id must be an integer, not '%s'" % subscriber_id)
        return None, None, subscriber_id
    if not username:
        raise InputError("name the subscriber: username with domain, or subscriber_id")
    if not domain:
        raise InputError("username '%s' needs its domain (the subscriber's SIP domain)" % username)
    return str(username), str(domain), None


def describe(item):
    """A short text naming the subscriber of an item, for messages."""
    if item.get("subscriber_id") is not None:
        return "subscriber_id=%s" % item.get("subscriber_id")
    if item.get("domain"):
        return "%s@%s" % (item.get(USERNAME), item.get("domain"))
    return "username=%s" % item.get(USERNAME)


class C5Subscribers:
    """Subscriber look-ups cached for a run (thread-safe, shared by bulk workers)."""

    def __init__(self, api, shared):
        self.api = api
        self.shared = shared

    # --- cache ---------------------------------------------------------------------
    def _cache(self):
        with self.shared["lock"]:
            return self.shared.setdefault(CACHE_KEY, {"by_name": {}, "by_id": {}})

    def _get_cached(self, table, key):
        cache = self._cache()
        with self.shared["lock"]:
            return cache[table].get(key, MISSING)

    def remember(self, subscriber):
        """Cache a subscriber object (after a create or a fresh GET)."""
        if not subscriber or subscriber.get("id") is None:
            return
        cache = self._cache()
        with self.shared["lock"]:
            cache["by_id"][int(subscriber["id"])] = subscriber
            if subscriber.get("username") and subscriber.get("domain"):
                cache["by_name"][subscriber_key(subscriber["username"], subscriber["domain"])] = subscriber

    def remember_missing(self, username, domain):
        cache = self._cache()
        with self.shared["lock"]:
            cache["by_name"][subscriber_key(username, domain)] = None

    def forget(self, username=None, domain=None, subscriber_id=None):
        """Drop what is cached about a subscriber (after a create or a termination)."""
        cache = self._cache()
        with self.shared["lock"]:
            if username is not None and domain is not None:
                found = cache["by_name"].pop(subscriber_key(username, domain), None)
                if found and found.get("id") is not None:
                    cache["by_id"].pop(int(found["id"]), None)
            if subscriber_id is not None:
                found = cache["by_id"].pop(int(subscriber_id), None)
                if found and found.get("username") and found.get("domain"):
                    cache["by_name"].pop(subscriber_key(found["username"], found["domain"]), None)

    # --- look-ups ------------------------------------------------------------------
    def by_name(self, username, domain):
        """The subscriber object, or None when no (non-terminated) subscriber has that
        username in that domain."""
        key = subscriber_key(username, domain)
        cached = self._get_cached("by_name", key)
        if cached is not MISSING:
            return cached

        def match(sub):
            return subscriber_key(sub.get("username", ""), sub.get("domain", "")) == key

        found = self.api.find_one("subscribers", {"username": username, "domain": domain}, match,
                                  "subscriber '%s@%s'" % (username, domain))
        if found is None:
            self.remember_missing(username, domain)
        else:
            self.remember(found)
        return found

    def by_id(self, subscriber_id):
        """The subscriber object with this id, or None."""
        subscriber_id = int(subscriber_id)
        cached = self._get_cached("by_id", subscriber_id)
        if cached is not MISSING:
            return cached
        found = self.api.get("subscribers", subscriber_id)
        if found is None:
            cache = self._cache()
            with self.shared["lock"]:
                cache["by_id"][subscriber_id] = None
        else:
            self.remember(found)
        return found

    def resolve(self, item, need_object=True):
        """The subscriber an item names, as ``(subscriber_id, subscriber_object)``.

        With ``need_object=False`` a ``subscriber_id`` is trusted as is and no request
        is sent (the object is then None unless already cached): the caller's own GET of
        the subscriber-keyed resource answers 404 for a subscriber that does not exist.
        Raises :class:`InputError` for bad input and :class:`Unresolved` when the
        subscriber does not exist."""
        username, domain, subscriber_id = subscriber_ref(item)
        if subscriber_id is not None:
            if not need_object:
                cached = self._get_cached("by_id", subscriber_id)
                return subscriber_id, (None if cached is MISSING else cached)
            found = self.by_id(subscriber_id)
            if found is None:
                raise Unresolved("subscriber_id %s: no such subscriber (or it is terminated)" % subscriber_id)
            return subscriber_id, found
        found = self.by_name(username, domain)
        if found is None:
            raise Unresolved("subscriber '%s@%s' does not exist (or is terminated); create it first" % (username, domain))
        return int(found["id"]), found

    # --- bulk ------------------------------------------------------------------------
    def prefetch(self, items, min_items=2):
        """Load the subscribers many items name by username with few requests.

        For each domain named by at least ``min_items`` items whose subscriber is not
        cached yet, the domain's subscribers are listed -- unless the listing would take
        more pages than there are such items (then the per-item look-ups are cheaper).
        After a complete listing, the names not found are cached as missing."""
        wanted = {}
        for item in items:
            try:
                username, domain, subscriber_id = subscriber_ref(item)
            except VoipError:
                continue  # reported by the item itself
            if subscriber_id is not None:
                continue
            if self._get_cached("by_name", subscriber_key(username, domain)) is not MISSING:
                continue
            wanted.setdefault(domain.lower(), (domain, set()))[1].add(subscriber_key(username, domain))
        for domain, names in wanted.values():
            if len(names) >= min_items:
                try:
                    self._prefetch_domain(domain, names)
                except VoipError:
                    # Only an optimisation: each item's own look-up reports the problem.
                    pass

    def _prefetch_domain(self, domain, names):
        lowered = domain.lower()

        def keep(sub):
            # Only the named subscribers are kept: a big domain is never held whole.
            sub = strip_hal(sub)
            if str(sub.get("domain", "")).lower() != lowered:
                return None
            return sub if subscriber_key(sub.get("username", ""), domain) in names else None

        found, complete = list_pages(self.api, "subscribers", {"domain": domain}, keep=keep,
                                     max_pages=len(names), workers=self.workers())
        for sub in found:
            self.remember(sub)
        if not complete:
            return  # listing the domain costs more than looking the names up
        cache = self._cache()
        with self.shared["lock"]:
            for key in names:
                cache["by_name"].setdefault(key, None)

    def workers(self):
        return max(1, int(self.shared.get("workers") or 1))

    def contact_filter(self, subscriber_ids):
        """``{"contact_id": c}`` when every cached subscriber of ``subscriber_ids``
        belongs to one customer (c its contact: /api/subscriberpreferences/ filters by
        contact_id, not by customer), else None (no filter).  One GET of the customer."""
        customers = set()
        for subscriber_id in subscriber_ids:
            if subscriber_id is None:
                continue
            found = self._get_cached("by_id", int(subscriber_id))
            if found is MISSING or not found or found.get("customer_id") is None:
                return None
            customers.add(int(found["customer_id"]))
        if len(customers) != 1:
            return None
        try:
            customer = self.api.get("customers", customers.pop())
        except VoipError:
            return None
        if not customer or customer.get("contact_id") is None:
            return None
        return {"contact_id": customer["contact_id"]}

    def cached_id(self, item):
        """The subscriber id of an item without any request (given, or cached), or None."""
        try:
            username, domain, subscriber_id = subscriber_ref(item)
        except VoipError:
            return None
        if subscriber_id is not None:
            return subscriber_id
        found = self._get_cached("by_name", subscriber_key(username, domain))
        if found is MISSING or not found or found.get("id") is None:
            return None
        return int(found["id"])


class SubscriberDocuments:
    """Documents addressed by the subscriber id (``/api/callforwards/<id>``,
    ``/api/subscriberpreferences/<id>``), loaded for a bulk task by listing the
    collection page by page instead of one GET per subscriber, when that is cheaper.

    A listed document is handed out once (:meth:`take`) and then dropped; what the
    listing did not hold is read with a GET, as for a single object."""

    #: A page of 100 rows costs as much as a few single GETs on a real C5
    #: (call forwards: ~4.9 s against ~0.5 s); list only when that still wins.
    PAGE_WEIGHT = 4

    def __init__(self, api, shared, resource):
        self.api = api
        self.shared = shared
        self.resource = resource
        self.key = "c5_documents_%s" % resource

    def prefetch(self, subscriber_ids, filters=None):
        """List the collection and keep the documents of ``subscriber_ids``.
        ``filters`` (a dict, or a function returning one, called only when a
        listing is tried) narrows the listing.  A one-row request counts the
        collection first: it is listed only when its pages cost less than the
        GETs they replace.  Only an optimisation: errors are left to the items."""
        wanted = set(int(i) for i in subscriber_ids if i is not None)
        if len(wanted) < self.PAGE_WEIGHT:
            return
        if callable(filters):
            filters = filters()
        with self.shared["lock"]:
            cache = self.shared.setdefault(self.key, {})
        wanted -= set(cache)

        def keep(raw):
            doc_id = raw.get("subscriber_id", raw.get("id"))
            if doc_id is None:
                doc_id = self_link_id(raw)  # /api/callforwards/ items carry no id
            try:
                doc_id = int(doc_id)
            except (TypeError, ValueError):
                return None
            return (doc_id, strip_hal(raw)) if doc_id in wanted else None

        try:
            found, _complete = list_pages(self.api, self.resource, filters, keep=keep,
                                          max_pages=max(1, len(wanted) // self.PAGE_WEIGHT),
                                          workers=max(1, int(self.shared.get("workers") or 1)), count_first=True)
        except VoipError:
            return
        with self.shared["lock"]:
            cache.update(found)

    def take(self, subscriber_id):
        """The document of a subscriber: listed, else read (None when it is absent)."""
        with self.shared["lock"]:
            doc = self.shared.setdefault(self.key, {}).pop(int(subscriber_id), None)
        if doc is not None:
            return doc
        return self.api.get(self.resource, subscriber_id)


def warn_duplicates(items, ctx, what):
    """Warn when several entries of a bulk task name the same subscriber: entries run
    concurrently, so their reads and writes of the same settings may interleave."""
    seen = {}
    for item in items:
        try:
            username, domain, subscriber_id = subscriber_ref(item)
        except VoipError:
            continue
        key = ("id", subscriber_id) if subscriber_id is not None else ("name",) + subscriber_key(username, domain)
        seen.setdefault(key, []).append(describe(item))
    for names in seen.values():
        if len(names) > 1:
            ctx.warn("%s: %d entries of items name the subscriber %s; they run concurrently and may overwrite "
                     "each other, so give each subscriber one entry" % (what, len(names), names[0]))


# --- subscriber settings (call forwards, preferences) -----------------------------------

ABSENT_FLAG = "_absent"


def subscriber_items(options):
    """Prepare the options of a subscriber-settings module (call forwards, preferences)
    for the engine:

    * entries of ``items`` name the subscriber ``username`` (or ``sip_username``):
      it moves to ``sip_username``, so that it never stands for the API login;
    * ``state: absent`` of resources that always exist with their subscriber means
      "clear these settings", not "delete the object" (the engine's delete path does
      not apply): it becomes ``present`` plus a private ``_absent`` flag, for the
      task and for each entry that sets its own state (the others inherit the
      task's flag)."""
    values = {"state": "present", ABSENT_FLAG: options.get("state") == "absent"}
    items = options.get("items")
    if items is not None:
        converted = []
        for entry in items:
            entry = dict(entry)
            name = entry.pop("username", None)
            if entry.get(USERNAME) is None:
                entry[USERNAME] = name
            if entry.get("state") is not None:
                entry[ABSENT_FLAG] = entry["state"] == "absent"
                entry["state"] = "present"
            converted.append(entry)
        values["items"] = converted
    return options.with_values(**values)
