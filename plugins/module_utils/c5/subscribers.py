# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""C5 subscribers: the one subscriber look-up, the documents keyed by subscriber
(call forwards, preferences), and the ``c5_subscriber`` resource.

Every subscriber-keyed resource (``/api/callforwards/<id>``,
``/api/subscriberpreferences/<id>``, ...) is addressed by the billing subscriber
id, but a playbook names subscribers by their natural key (username, domain).

* One look-up (:class:`C5Subscribers`), one case rule: the C5 compares user name
  and domain case-insensitively (utf8 ``_ci`` collation; username + domain are
  unique that way), its filters are case-insensitive LIKEs, so every candidate is
  re-checked locally, case-insensitively.  ``c5_subscriber`` additionally asks
  for the stored spelling of a user name it manages (see :meth:`Subscriber.find`).
* Results (found or not) live in the run context's caches, shared by the bulk
  workers: one look-up per subscriber and run.
* Bulk tasks prefetch by listing (a domain's or a customer's subscribers, page by
  page) when that costs fewer requests than one look-up per item.
* Terminated subscribers are invisible to the API (404, absent from lists).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import self_link_id, strip_hal
from ansible_collections.voip.provisioning.plugins.module_utils.c5.domains import STATE
from ansible_collections.voip.provisioning.plugins.module_utils.c5.numbers import (
    national_defaults, number_digits, number_from_api, number_to_api, numbers_from_api, parse_number,
    parse_number_list, same_number, same_number_set, sort_numbers,
)
from ansible_collections.voip.provisioning.plugins.module_utils.c5.references import C5References
from ansible_collections.voip.provisioning.plugins.module_utils.c5.values import (
    check_domain, check_email, check_timezone, differs_bool, differs_int, differs_text, differs_timezone, norm_bool,
    norm_int, text,
)
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import MISSING, find_unique
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, Unresolved, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet

BY_NAME = "c5.subscribers.by_name"  # (lower username, lower domain) -> subscriber or None
BY_ID = "c5.subscribers.by_id"  # id -> subscriber or None
LISTED_CUSTOMERS = "c5.subscribers.listed_customers"  # customer id -> True: every subscriber cached
CREATE_LOCKS = "c5.subscribers.create_locks"  # customer id -> lock held around a subscriber POST
# The item key naming the subscriber (``username`` is the API login).
USERNAME = "sip_username"

#: How the modules that manage a subscriber's settings name the subscriber
#: (doc fragment ``voip.provisioning.c5_subscriber_ref``): ``sip_username`` at task
#: level (``username`` is the API login), ``username`` in entries of ``items``.
SUBSCRIBER_REF_FIELDS = (
    Field("sip_username", item_option="username", item_aliases=["sip_username"], api=False),
    Field("domain", api=False),
    Field("subscriber_id", type="int", api=False),
)


def subscriber_key(username, domain):
    return (str(username).lower(), str(domain).lower())


def subscriber_ref(item):
    """``(username, domain, subscriber_id)`` of an item, validated: either
    ``subscriber_id``, or ``sip_username`` with ``domain``."""
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
    check_domain(domain)
    return str(username), str(domain), None


def describe(item):
    """A short text naming the subscriber of an item, for messages."""
    if item.get("subscriber_id") is not None:
        return "subscriber_id=%s" % item.get("subscriber_id")
    if item.get("domain"):
        return "%s@%s" % (item.get(USERNAME), item.get("domain"))
    return "username=%s" % item.get(USERNAME)


class C5Subscribers:
    """The one subscriber look-up of a run, on the run context's caches."""

    def __init__(self, api, run):
        self.api = api
        self.run = run
        self.by_name_cache = run.cache(BY_NAME)
        self.by_id_cache = run.cache(BY_ID)

    # --- cache ---------------------------------------------------------------------
    def remember(self, subscriber):
        """Cache a subscriber object (after a create, a listing or a fresh GET)."""
        if not subscriber or subscriber.get("id") is None:
            return
        self.by_id_cache.put(int(subscriber["id"]), subscriber)
        if subscriber.get("username") and subscriber.get("domain"):
            self.by_name_cache.put(subscriber_key(subscriber["username"], subscriber["domain"]), subscriber)

    def forget(self, username=None, domain=None, subscriber_id=None):
        """Drop what is cached about a subscriber (after a create or a termination)."""
        if username is not None and domain is not None:
            found = self.by_name_cache.pop(subscriber_key(username, domain))
            if found and found.get("id") is not None:
                self.by_id_cache.forget(int(found["id"]))
        if subscriber_id is not None:
            found = self.by_id_cache.pop(int(subscriber_id))
            if found and found.get("username") and found.get("domain"):
                self.by_name_cache.forget(subscriber_key(found["username"], found["domain"]))

    def cached_by_name(self, username, domain):
        """The cached answer for a name (a subscriber, or None for "does not
        exist"), or MISSING when it was never looked up."""
        return self.by_name_cache.get(subscriber_key(username, domain))

    # --- look-ups ------------------------------------------------------------------
    def by_name(self, username, domain):
        """The subscriber object, or None when no (non-terminated) subscriber has that
        username in that domain (both compared case-insensitively)."""
        key = subscriber_key(username, domain)

        def lookup():
            found = find_unique(self.api.list("subscribers", {"username": username, "domain": domain}),
                                lambda sub: subscriber_key(sub.get("username", ""), sub.get("domain", "")) == key,
                                "subscriber '%s@%s'" % (username, domain), plural="subscribers")
            if found is not None:
                self.by_id_cache.put(int(found["id"]), found)
            return found
        return self.by_name_cache.get_or_compute(key, lookup)

    def by_id(self, subscriber_id):
        """The subscriber object with this id, or None."""
        subscriber_id = int(subscriber_id)

        def lookup():
            found = self.api.get("subscribers", subscriber_id)
            if found is not None and found.get("username") and found.get("domain"):
                self.by_name_cache.put(subscriber_key(found["username"], found["domain"]), found)
            return found
        return self.by_id_cache.get_or_compute(subscriber_id, lookup)

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
                cached = self.by_id_cache.get(subscriber_id)
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
            if subscriber_id is not None or self.cached_by_name(username, domain) is not MISSING:
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

        found, complete = self.api.list_pages("subscribers", {"domain": domain}, keep=keep,
                                              max_pages=len(names), workers=self.run.workers)
        for sub in found:
            self.remember(sub)
        if not complete:
            return  # listing the domain costs more than looking the names up
        for key in names:
            self.by_name_cache.setdefault(key, None)

    def prefetch_customer(self, customer_id, count):
        """List a customer's subscribers once when that is cheaper than ``count``
        look-ups: a one-row request counts them first, and the customer is listed
        only when (pages + that request) <= its items.  Afterwards a name missing
        from the cache is known not to exist under that customer."""
        def keep(raw):
            raw = strip_hal(raw)
            return raw if raw.get("customer_id") == customer_id and raw.get("username") else None

        found, complete = self.api.list_pages("subscribers", {"customer_id": customer_id}, keep=keep,
                                              max_pages=count - 1, workers=self.run.workers, count_first=True)
        if not complete:
            return
        for raw in found:
            self.remember(raw)
        self.run.cache(LISTED_CUSTOMERS).put(customer_id, True)

    def customer_listed(self, customer_id):
        return customer_id is not None and self.run.cache(LISTED_CUSTOMERS).get(customer_id) is True

    def contact_filter(self, subscriber_ids):
        """``{"contact_id": c}`` when every cached subscriber of ``subscriber_ids``
        belongs to one customer (c its contact: /api/subscriberpreferences/ filters by
        contact_id, not by customer), else None (no filter).  One GET of the customer."""
        customers = set()
        for subscriber_id in subscriber_ids:
            if subscriber_id is None:
                continue
            found = self.by_id_cache.get(int(subscriber_id))
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
        found = self.cached_by_name(username, domain)
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

    def __init__(self, api, run, resource):
        self.api = api
        self.run = run
        self.resource = resource
        self.cache = run.cache("c5.documents.%s" % resource)

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
        wanted -= set(self.cache.keys())

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
            found, _complete = self.api.list_pages(self.resource, filters, keep=keep,
                                                   max_pages=max(1, len(wanted) // self.PAGE_WEIGHT),
                                                   workers=self.run.workers, count_first=True)
        except VoipError:
            return
        for doc_id, doc in found:
            self.cache.put(doc_id, doc)

    def known(self, subscriber_id, document):
        """Hand out ``document`` as the subscriber's, without a GET (what a subscriber
        created by this run is known to have)."""
        self.cache.put(int(subscriber_id), document)

    def take(self, subscriber_id):
        """The document of a subscriber: listed, else read (None when it is absent)."""
        doc = self.cache.pop(int(subscriber_id))
        if doc is not None:
            return doc
        return self.api.get(self.resource, subscriber_id)


def warn_duplicates(items, run, what):
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
            run.warn("%s: %d entries of items name the subscriber %s; they run concurrently and may overwrite "
                     "each other, so give each subscriber one entry" % (what, len(names), names[0]))


# --- the c5_subscriber resource -------------------------------------------------------------

# Never sent back on update: server-generated, or secrets sent only when changing.
READ_ONLY = ("id", "uuid", "create_timestamp", "modify_timestamp", "_links", "_embedded", "password", "webpassword",
             "display_name")
TEXT_FIELDS = ("webusername", "external_id", "email", "timezone", "display_name")
INT_FIELDS = ("profile_set_id", "profile_id")
# The subscriber profile set and profile by name (or id), resolved to the INT_FIELDS.
PROFILE_FIELDS = (Field("profile_set", type="raw", api=False), Field("profile", type="raw", api=False))
LOCK_LEVELS = ("1", "2", "3", "4", "5")


def parse_lock(value, field="lock"):
    """1..5 as an int, or None for 'no lock' (the option value none)."""
    lowered = str(value).strip().lower()
    if isinstance(value, bool):
        lowered = "?"
    if lowered in ("none", "null", ""):
        return None
    if lowered == "0":
        raise InputError("%s: 0 is not a lock level on the C5 (its API rejects it); use %s: none to remove a lock, "
                         "or 1 (foreign), 2 (outgoing), 3 (incoming and outgoing), 4 (global), 5 (ported)" % (field, field))
    if lowered not in LOCK_LEVELS:
        raise InputError("%s: %r is not a lock level; use 1 (foreign), 2 (outgoing), 3 (incoming and outgoing), "
                         "4 (global), 5 (ported), or none to remove a lock" % (field, value))
    return int(lowered)


def norm_lock(value):
    """The server returns the lock as the stored preference string ("4") or null."""
    if value is None or value == "" or str(value) == "0":
        return None
    return int(value)


def strip_number(obj):
    """A number of the representation as it can be sent back (no number_id)."""
    return dict((k, v) for k, v in obj.items() if k != "number_id") if isinstance(obj, dict) else obj


def _text_field(name):
    compare = differs_timezone if name == "timezone" else differs_text
    # e-mail and time zone checked with the C5's rules before any request
    normalise = {"timezone": check_timezone, "email": check_email}.get(name, text)
    return Field(name, normalise=normalise, read=text, compare=compare)


class Subscriber(ObjectResource):
    name = "subscriber"
    key = ("sip_username", "domain")
    # In the order the wanted values are checked (the first bad one is reported).
    fields = FieldSet(*(
        [Field("username", option="sip_username", item_option="username", item_aliases=["sip_username"], key=True,
               normalise=str),
         Field("domain", key=True, item_required=False, normalise=str, compare="casefold"),
         Field("customer", api=False),
         Field("customer_id", type="int", compare=differs_int),
         Field("password", option="sip_password", item_option="password", item_aliases=["sip_password"],
               secret="readable", normalise=str, omit_none=True),
         Field("webpassword", secret="write_only", normalise=str),
         Field("update_password", choices=["on_create", "always"], default="on_create", api=False, no_log=False)]
        + [_text_field(name) for name in TEXT_FIELDS]
        + [Field(name, type="int", normalise=int, read=norm_int, compare=differs_int) for name in INT_FIELDS]
        + list(PROFILE_FIELDS)
        + [Field("status", choices=["active", "locked"]),
           Field("lock", type="raw", normalise=parse_lock, read=norm_lock,
                 compare=lambda current, wanted: norm_lock(current) != norm_lock(wanted)),
           Field("administrative", type="bool", normalise=bool, read=norm_bool, compare=differs_bool),
           # Numbers are parsed in numbers() (a national one needs default_cc / default_ac).
           Field("primary_number", type="raw", read=number_from_api,
                 compare=lambda current, wanted: not same_number(current, wanted)),
           Field("alias_numbers", type="list", elements="raw",
                 read=lambda v: sort_numbers(numbers_from_api(v, with_devid=True)),
                 compare=lambda current, wanted: not same_number_set(current, wanted)),
           Field("default_cc", type="raw", api=False),
           Field("default_ac", type="raw", api=False),
           STATE]))

    @property
    def refs(self):
        return C5References(self.api, self.run)

    @property
    def subscribers(self):
        return C5Subscribers(self.api, self.run)

    def identity(self, item):
        return "username=%s, domain=%s" % (item.get("sip_username"), item.get("domain"))

    def _customer_id(self, item):
        if item.get("customer_id") is not None and item.get("customer") is not None:
            raise InputError("give customer or customer_id, not both (an entry of items may not override one with the other)")
        return self.refs.customer_id(item.get("customer"), item.get("customer_id"))

    # --- desired state ---------------------------------------------------------------------
    @staticmethod
    def numbers(item):
        """``(primary, aliases)`` wanted (None when not set), parsed with the item's
        ``default_cc`` / ``default_ac``; checks that the primary is not an alias."""
        default_cc, default_ac = national_defaults(item)
        primary = aliases = None
        if item.get("primary_number") is not None:
            primary = parse_number(item["primary_number"], "primary_number", default_cc=default_cc, default_ac=default_ac)
        if item.get("alias_numbers") is not None:
            aliases = parse_number_list(item["alias_numbers"], "alias_numbers", default_cc=default_cc, default_ac=default_ac)
            for alias in aliases:
                if primary is not None and same_number(alias, primary):
                    raise InputError("alias_numbers: %s is also the primary_number" % number_digits(alias))
        return primary, aliases

    @staticmethod
    def checked_key(item):
        username = item.get("sip_username")
        domain = item.get("domain")
        if not username:
            raise InputError("sip_username is required (or give items, each with its username)")
        if not domain:
            raise InputError("domain is required, in the task or in each entry of items")
        check_domain(domain)
        return str(username), str(domain)

    @staticmethod
    def checked_values(values):
        if "lock" in values and values["lock"] is None and values.get("status") == "locked":
            raise InputError("lock: none contradicts status: locked (the C5 gives locked subscribers lock level 4); "
                             "leave lock out or give a level 1-5")
        return values

    def validate(self, item):
        """Request-free checks: the key, and for ``present`` every value (numbers,
        lock, e-mail, time zone) -- what desired() checks, without its look-ups
        (run_resource asks it before any request; desired() checks the same again)."""
        self.checked_key(item)
        if item.get("state", "present") == "absent":
            return
        self.checked_values(self.fields.desired(item))
        self.numbers(item)

    def resolve_profiles(self, item, desired):
        """``profile_set`` / ``profile`` (names within the subscriber's reseller, or ids)
        as ``profile_set_id`` / ``profile_id``.  A set without a profile means its default
        profile (what the C5 gives on create; sent on update so that the set and the
        profile always agree)."""
        set_ref, profile_ref = item.get("profile_set"), item.get("profile")
        if set_ref is None and profile_ref is None:
            return desired
        for name, other in (("profile_set", "profile_set_id"), ("profile", "profile_id")):
            if item.get(name) is not None and item.get(other) is not None:
                raise InputError("give %s or %s, not both" % (name, other))
        if set_ref is None and item.get("profile_set_id") is None:
            raise InputError("profile: '%s' is named within its subscriber profile set; give profile_set (its name) "
                             "or profile_set_id too" % profile_ref)
        reseller_id = (self.refs.domain(desired["domain"]) or {}).get("reseller_id")
        profile_set = self.refs.profile_set(set_ref if set_ref is not None else int(item["profile_set_id"]), reseller_id)
        desired["profile_set_id"] = int(profile_set["id"])
        if profile_ref is not None:
            desired["profile_id"] = int(self.refs.profile(profile_ref, profile_set)["id"])
        elif item.get("profile_id") is None:
            default = [p for p in self.api.list("subscriberprofiles", {"profile_set_id": profile_set["id"]})
                       if int(p.get("profile_set_id") or 0) == int(profile_set["id"]) and norm_bool(p.get("set_default"))]
            if not default:
                raise Unresolved("profile_set: the subscriber profile set '%s' (id %s) has no profile; create one "
                                 "(/api/subscriberprofiles/) or give profile" % (profile_set.get("name"), profile_set["id"]))
            desired["profile_id"] = int(default[0]["id"])
        return desired

    def desired(self, item):
        username, domain = self.checked_key(item)
        desired = {"username": username, "domain": domain}
        customer_id = self._customer_id(item)
        if customer_id is not None:
            desired["customer_id"] = customer_id
        if self.refs.domain(desired["domain"]) is None:
            raise Unresolved("domain: no domain '%s' exists; create it first (voip.provisioning.c5_domain) "
                             "or correct the name" % domain)
        if item.get("state", "present") == "absent":
            return desired
        values = self.checked_values(self.fields.desired(item))
        for name in ("username", "domain", "customer_id", "primary_number", "alias_numbers"):
            values.pop(name, None)
        desired.update(values)
        primary, aliases = self.numbers(item)
        if primary is not None:
            desired["primary_number"] = primary
        if aliases is not None:
            desired["alias_numbers"] = sort_numbers(aliases)
        self.resolve_profiles(item, desired)
        return desired

    # --- finding ---------------------------------------------------------------------------
    def prefetch(self, items):
        """List the subscribers of a customer once when that is cheaper than one
        look-up per item (see :meth:`C5Subscribers.prefetch_customer`)."""
        counts = {}
        for item in items:
            try:
                if item.get("domain"):
                    self.refs.domain(str(item["domain"]))  # warm the cache before the workers start
                customer_id = self._customer_id(item)
            except VoipError:
                continue  # the item reports it itself
            if customer_id is not None:
                counts[customer_id] = counts.get(customer_id, 0) + 1
        for customer_id, count in counts.items():
            if count >= 2:
                self.subscribers.prefetch_customer(customer_id, count)

    def find(self, item, desired):
        username, domain = desired["username"], desired["domain"]
        subscribers = self.subscribers
        cached = subscribers.cached_by_name(username, domain)
        if cached is MISSING and subscribers.customer_listed(desired.get("customer_id")):
            # The customer's complete listing does not hold it.  (If it exists
            # under another customer, the create answers 422 and create()
            # reports that.)
            return None
        return self._checked(item, desired, subscribers.by_name(username, domain))

    def find_fresh(self, item, desired):
        """After a create with an unknown outcome: ask the server, not the cache."""
        subscribers = self.subscribers
        subscribers.forget(desired["username"], desired["domain"])
        return self._checked(item, desired, subscribers.by_name(desired["username"], desired["domain"]))

    def _checked(self, item, desired, raw):
        if raw is None:
            return None
        if raw.get("username") != desired["username"]:
            # The C5 compares user names case-insensitively: another spelling is the
            # same subscriber, and this module manages it under its stored spelling.
            if item.get("state", "present") == "present":
                raise VoipError("subscriber %s@%s does not exist, but %s@%s (id %s) does, and the C5 compares user names "
                                "case-insensitively: use the spelling '%s'"
                                % (desired["username"], desired["domain"], raw.get("username"), raw.get("domain"),
                                   raw.get("id"), raw.get("username")))
            return None
        wanted = desired.get("customer_id")
        if wanted is not None and raw.get("customer_id") is not None and int(raw["customer_id"]) != wanted:
            raise VoipError("subscriber %s@%s (id %s) belongs to customer %s, not to customer %s; the C5 cannot move "
                            "a subscriber to another customer (customer_id can't be changed). Terminate it "
                            "(state=absent) and create it again under the new customer, or correct the customer."
                            % (raw.get("username"), raw.get("domain"), raw.get("id"), raw.get("customer_id"), wanted))
        return raw

    # --- numbers moving between the items of a bulk task -------------------------------------------
    # A number taken from one subscriber and given to another in one task: the C5
    # refuses the taker's write while the giver still holds it ("Number ... already
    # exists."), so the engine has every giver release first (core.engine.release_first).
    moves = True

    @staticmethod
    def _current_numbers(raw):
        primary = number_from_api(raw.get("primary_number"))
        aliases = [number_from_api(a) for a in raw.get("alias_numbers") or []]
        return primary, aliases

    def claims(self, item):
        desired = self.desired(item)
        raw = self.find(item, desired)
        held = set()
        if raw is not None:
            primary, aliases = self._current_numbers(raw)
            held = set(number_digits(n) for n in [primary] + aliases if n)
        if item.get("state", "present") == "absent":
            return held, set()
        primary = desired["primary_number"] if "primary_number" in desired else (raw and self._current_numbers(raw)[0])
        aliases = desired["alias_numbers"] if "alias_numbers" in desired else (raw and self._current_numbers(raw)[1]) or []
        wanted = set(number_digits(n) for n in [primary] + list(aliases) if n)
        return held - wanted, wanted - held

    def release(self, item, tokens):
        """Free the numbers ``tokens`` of this subscriber: a termination (``absent``),
        or a PUT of its current document without them (a released primary number is
        replaced by the wanted one); converge() then writes the rest."""
        desired = self.desired(item)
        raw = self.find(item, desired)
        if raw is None:
            return None
        before = self.view(raw)
        if item.get("state", "present") == "absent":
            self.delete(item, raw)
            return before
        body = self.merged_document(raw, {}, [])
        body["alias_numbers"] = [a for a in body["alias_numbers"] if number_digits(number_from_api(a)) not in tokens]
        if number_digits(number_from_api(raw.get("primary_number"))) in tokens:
            body["primary_number"] = number_to_api(desired["primary_number"]) if desired.get("primary_number") else None
        updated = self.api.put("subscribers", raw["id"], body)
        self.subscribers.remember(updated if updated is not None else self.api.get("subscribers", raw["id"]))
        return before

    # --- writing -------------------------------------------------------------------------------
    def create(self, item, desired):
        if desired.get("customer_id") is None:
            raise InputError("subscriber %s@%s does not exist; to create it set customer (its external_id) or customer_id"
                             % (desired["username"], desired["domain"]))
        body = {"customer_id": desired["customer_id"], "domain": desired["domain"], "username": desired["username"]}
        for field in ("password", "webpassword", "status", "administrative") + TEXT_FIELDS + INT_FIELDS:
            if desired.get(field) is not None:
                body[field] = desired[field]
        if desired.get("lock") is not None:
            body["lock"] = desired["lock"]
        if desired.get("primary_number") is not None:
            body["primary_number"] = number_to_api(desired["primary_number"])
        if desired.get("alias_numbers"):
            body["alias_numbers"] = [number_to_api(n) for n in desired["alias_numbers"]]
        # One subscriber create per customer at a time: a C5 serialises them on the
        # customer's row anyway, and two that collide there are rolled back and answered
        # "500 Failed to create subscriber" (measured on a real C5: about one in seven
        # waiting creates), which is not retried. Creates of other customers and every
        # other write still run on all workers.
        create_lock = self.run.cache(CREATE_LOCKS).setdefault(desired["customer_id"], threading.Lock())
        try:
            with create_lock:
                new_id = self.api.create("subscribers", body)
        except ApiError as exc:
            if exc.status == 422 and "already exist" in str(exc.server_message):
                # Maybe it exists under another customer (a customer's listing only
                # holds its own subscribers): say so clearly.
                self.find_fresh(item, desired)
            raise
        if self.run.bulk and "display_name" not in desired and "webusername" not in desired:
            # A bulk create trusts the POST: the body and the id from Location are the
            # object (what the server adds by itself is filled in as it does), no GET.
            raw = self.created_view(body, new_id)
        else:
            raw = self.api.get("subscribers", new_id) or dict(body, id=new_id)
        if "webusername" in desired and desired["webusername"] is None and raw.get("webusername"):
            # A POST always gives a web user name (the SIP one); only a PUT removes it.
            raw = self.update(item, raw, desired, ["webusername"])
        if "display_name" in desired and text(raw.get("display_name")) != desired["display_name"]:
            # sipaccount subscribers ignore display_name: it is a preference.
            self._write_display_name(new_id, raw.get("display_name"), desired["display_name"])
            raw["display_name"] = desired["display_name"]
        self.subscribers.remember(dict(raw, domain=raw.get("domain") or desired["domain"]))
        return raw

    @staticmethod
    def created_view(body, new_id):
        """The representation of a just-created subscriber from its POST body, with
        the server's defaults (status active, not administrative, the SIP user name
        as web user name, aliases not devices)."""
        raw = dict(body, id=new_id)
        raw.setdefault("status", "active")
        raw.setdefault("administrative", False)
        raw.setdefault("webusername", body.get("username"))
        if raw.get("status") == "locked" and raw.get("lock") is None:
            raw["lock"] = "4"
        raw["alias_numbers"] = [dict(alias, is_devid=bool(alias.get("is_devid"))) for alias in body.get("alias_numbers") or []]
        raw.pop("webpassword", None)
        return raw

    def _write_display_name(self, subscriber_id, current, wanted):
        if wanted is None:
            operation = {"op": "remove", "path": "/display_name"}
        else:
            operation = {"op": "add" if text(current) is None else "replace", "path": "/display_name", "value": wanted}
        self.api.patch("subscriberpreferences", subscriber_id, [operation], representation=False)

    def merged_document(self, raw, desired, changes):
        """The complete PUT body: the current representation without read-only
        keys, with the wanted values laid over it (a C5 PUT clears what it is not sent)."""
        body = dict((k, v) for k, v in raw.items() if k not in READ_ONLY)
        if isinstance(body.get("primary_number"), dict):
            body["primary_number"] = strip_number(body["primary_number"])
        body["alias_numbers"] = [strip_number(a) for a in (raw.get("alias_numbers") or [])]

        for field in ("status", "administrative") + INT_FIELDS + tuple(f for f in TEXT_FIELDS if f != "display_name"):
            if field in desired:
                body[field] = desired[field]
        if "lock" in desired:
            body["lock"] = desired["lock"]
        elif "status" in changes and desired.get("status") == "active" and raw.get("status") == "locked":
            # As the C5 does for locked -> active: the lock goes unless one is given.
            body["lock"] = None
        for field in ("password", "webpassword"):
            if field in changes:
                body[field] = desired[field]

        current_primary = number_from_api(raw.get("primary_number"))
        if "primary_number" in desired and not same_number(current_primary, desired["primary_number"]):
            body["primary_number"] = number_to_api(desired["primary_number"])
        if "alias_numbers" in desired:
            current = {}
            for alias in raw.get("alias_numbers") or []:
                current[number_digits(number_from_api(alias))] = alias
            aliases = []
            for number in desired["alias_numbers"]:
                existing = current.get(number_digits(number))
                if existing is not None:
                    # Same digits: keep the stored cc/ac/sn split.
                    entry = strip_number(existing)
                    entry["is_devid"] = bool(number.get("is_devid"))
                else:
                    entry = number_to_api(number)
                aliases.append(entry)
            body["alias_numbers"] = aliases
        return body

    def update(self, item, raw, desired, changes):
        result = raw
        if [c for c in changes if c != "display_name"]:
            body = self.merged_document(raw, desired, changes)
            updated = self.api.put("subscribers", raw["id"], body)
            result = updated if updated is not None else self.api.get("subscribers", raw["id"])
        if "display_name" in changes:
            self._write_display_name(raw["id"], raw.get("display_name"), desired["display_name"])
            result = dict(result)
            result["display_name"] = desired["display_name"]
        return result

    def delete(self, item, raw):
        # DELETE terminates the subscriber: one-way.
        self.api.delete("subscribers", raw["id"])
        self.subscribers.forget(subscriber_id=raw.get("id"))
