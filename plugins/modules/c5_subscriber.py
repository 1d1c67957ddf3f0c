#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: c5_subscriber
short_description: Manage SIP subscribers on a Sipwise C5
version_added: 0.1.0
description:
  - Creates, updates or terminates a subscriber (C(/api/subscribers/)) of a Sipwise C5 / sip:carrier.
  - A subscriber is identified by its SIP user name (O(sip_username), or C(username) in O(items)) and
    O(domain) (the domain compared case-insensitively).
  - Only the options that are set are compared and changed; every other field keeps its value.
    An update reads the subscriber, overlays the wanted values and writes the B(complete) document
    back, because a C5 C(PUT) clears what it is not sent (alias numbers, lock level, status,
    external id, web user name, e-mail, time zone, ...). Read-only keys are dropped, and the
    passwords are only sent when they are to be changed.
  - Numbers are compared by their digits (country code + area code + subscriber number), alias
    numbers as a set (the C5 does not keep their order).
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.c5_connection
  - voip.provisioning.attributes
  - voip.provisioning.attributes.C5_GROUP
options:
  sip_username:
    description:
      - The SIP user name of the subscriber, part of the key, for a task that manages one subscriber.
        Required unless O(items) is given (where each entry names it as C(username)).
      - The options O(username) and O(password) are the B(API login), as in every module of this
        collection (they are usually set once with C(module_defaults) for C(group/voip.provisioning.c5)),
        so the subscriber's own user name and SIP password are O(sip_username) and O(sip_password) at
        task level, and C(username) and C(password) (or the same C(sip_) names) in the entries of O(items).
      - Compared exactly; the C5 itself treats user names case-insensitively, so a subscriber whose
        name differs only in case is reported as an error instead of creating a second one.
    type: str
  domain:
    description:
      - The SIP domain name, part of the key. It must exist (see M(voip.provisioning.c5_domain)).
      - Required, in the task or in each entry of O(items).
    type: str
  customer:
    description:
      - The customer, by its external id (see M(voip.provisioning.c5_customer)); terminated customers
        are not considered. Mutually exclusive with O(customer_id).
      - One of O(customer) and O(customer_id) is required to create a subscriber.
      - The customer of an existing subscriber cannot be changed on the C5; a subscriber found under
        another customer fails the task.
    type: str
  customer_id:
    description:
      - The customer, by id. Mutually exclusive with O(customer).
    type: int
  sip_password:
    description:
      - The SIP password of the subscriber (C(password) in the entries of O(items)).
      - When the login may read passwords (the C5 admin flag C(show_passwords)) the current password
        is compared and changed when it differs, whatever O(update_password) says; it is never shown
        (masked in the result and the diff).
      - When the login cannot read it, it is sent only on creation, or on every run with
        O(update_password=always).
    type: str
  webusername:
    description:
      - The user name for the customer self-care web interface. The C5 uses the SIP user name when a
        subscriber is created without one. An empty string removes it.
    type: str
  webpassword:
    description:
      - The password for the customer self-care web interface.
      - The C5 stores it hashed and never returns it, so it cannot be compared. It is sent when the
        subscriber is created, and with O(update_password=always) on every run (each run then
        reports a change, and a C5 with password history enforcement may refuse a repeated password).
    type: str
  update_password:
    description:
      - V(on_create) sets O(sip_password) and O(webpassword) only when creating the subscriber, except that
        a readable SIP password (see O(sip_password)) is compared and corrected.
      - V(always) also sends them on every run when they cannot be compared; for O(webpassword) that is
        a write (and a reported change) on every run.
    type: str
    choices: [on_create, always]
    default: on_create
  primary_number:
    description:
      - The primary number, either a dict with the keys C(cc), C(ac) and C(sn) (integers or digit
        strings) or an E.164 string.
      - In a string with separators (space, V(-), V(.) or V(/)), such as V(+43 9876 10001) or
        V(+43-9876-10001), the groups are country code, area code and subscriber number.
      - In a string without separators, such as V(+43987610001), the country code is found with the
        ITU-T country code table and the rest is the subscriber number (an empty area code). The
        number is the same as C(+43 9876 10001) for comparisons, but the C5 derives the C(ac)
        preference from the area code, so give the groups when that matters.
      - Recent C5 versions require a primary number for subscribers of C(sipaccount) customers.
    type: raw
  alias_numbers:
    description:
      - The complete list of alias numbers, each in one of the forms of O(primary_number); a dict may
        add C(is_devid) (boolean, default V(false)).
      - Aliases not in the list are removed, so V([]) removes all; without this option the aliases
        are left as they are. The order does not matter.
    type: list
    elements: raw
  external_id:
    description: A free external id of the subscriber (not unique on the C5). An empty string removes it.
    type: str
  status:
    description:
      - V(active) or V(locked). V(locked) makes the C5 set the lock level to 4 unless O(lock) is set.
      - Changing a V(locked) subscriber to V(active) without setting O(lock) also removes the lock
        level, as the C5 does. To terminate a subscriber use O(state=absent).
    type: str
    choices: [active, locked]
  lock:
    description:
      - The lock level, V(1) (foreign), V(2) (outgoing), V(3) (incoming and outgoing), V(4) (global) or
        V(5) (ported), or V(none) to remove a lock. A YAML null means "leave it as it is".
      - V(0) is not a lock level on the C5 (its API rejects it); use V(none).
      - V(none) together with O(status=locked) is refused, since the C5 forces level 4 on locked subscribers.
    type: raw
  administrative:
    description: Whether the subscriber is an administrator of its customer (may manage the other subscribers).
    type: bool
  email:
    description: The subscriber's e-mail address. An empty string removes it.
    type: str
  timezone:
    description:
      - A time zone database name such as V(Europe/Vienna). An empty string removes it.
      - A link name (V(US/Eastern)) is stored as its target by the C5; both count as the same zone.
    type: str
  display_name:
    description:
      - The display name (caller name).
      - The C5 keeps it in the subscriber preference C(display_name) and ignores it on subscribers of
        C(sipaccount) customers, so this module writes it through C(/api/subscriberpreferences/) with a
        JSON Patch of that one preference (other preferences are untouched). An empty string removes it.
      - Do not also manage C(display_name) with M(voip.provisioning.c5_subscriber_preferences).
    type: str
  profile_set_id:
    description: The id of the subscriber profile set (of the customer's reseller).
    type: int
  profile_id:
    description: The id of a subscriber profile of O(profile_set_id) (its default profile when not set).
    type: int
  state:
    description:
      - V(present) creates the subscriber or updates the fields that are set.
      - V(absent) B(terminates) it (C(DELETE)). B(This is one-way.) A terminated subscriber disappears from
        the API, its numbers are released, and the same user name can be created again as a new subscriber.
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - Several subscribers in one task. Each entry takes the options above, with C(username) and
        C(password) for the SIP user name and password; an option an entry does not set is taken from
        the task (for example O(domain) and O(customer)). The API login (O(username), O(password)) is
        never taken as an entry's SIP user name or password.
      - When many entries share a customer, its subscribers are listed once (page by page) instead of
        being looked up one by one.
    type: list
    elements: dict
    suboptions:
      username:
        description: The SIP user name (not the API login).
        type: str
        required: true
        aliases: [sip_username]
      domain:
        description: The SIP domain name.
        type: str
      customer:
        description: The customer's external id.
        type: str
      customer_id:
        description: The customer's id.
        type: int
      password:
        description: The SIP password (not the password of the API login); see O(sip_password).
        type: str
        aliases: [sip_password]
      webusername:
        description: The web user name.
        type: str
      webpassword:
        description: The web password.
        type: str
      update_password:
        description: V(on_create) or V(always).
        type: str
        choices: [on_create, always]
      primary_number:
        description: The primary number (dict or E.164 string).
        type: raw
      alias_numbers:
        description: The complete list of alias numbers.
        type: list
        elements: raw
      external_id:
        description: The external id.
        type: str
      status:
        description: V(active) or V(locked).
        type: str
        choices: [active, locked]
      lock:
        description: The lock level 1 to 5, or V(none).
        type: raw
      administrative:
        description: Whether the subscriber is an administrator of its customer.
        type: bool
      email:
        description: The e-mail address.
        type: str
      timezone:
        description: The time zone name.
        type: str
      display_name:
        description: The display name.
        type: str
      profile_set_id:
        description: The subscriber profile set id.
        type: int
      profile_id:
        description: The subscriber profile id.
        type: int
      state:
        description: V(present) or V(absent) (terminate, one-way).
        type: str
        choices: [present, absent]
notes:
  - Check mode sends no write request; with C(--diff) the before and after states are shown with the
    passwords masked.
  - The C5 copies the status of a customer to its subscribers (locking a customer locks them).
"""

EXAMPLES = r"""
- name: A subscriber with a primary number and two aliases
  voip.provisioning.c5_subscriber:
    url: https://c5.example.com:1443
    username: administrator            # the API login
    password: "{{ c5_password }}"
    domain: sip.tenant.example.com
    customer: cust-1001
    sip_username: "10001"
    sip_password: "{{ sip_password }}"
    webpassword: "{{ web_password }}"
    primary_number: "+43 9876 10001"
    alias_numbers:
      - "+43-9877-10001"
      - {cc: 43, ac: 9878, sn: 10001, is_devid: true}
    display_name: Reception

- name: Connection once, many subscribers of one customer in one task
  module_defaults:
    group/voip.provisioning.c5:
      url: https://c5.example.com:1443
      username: administrator
      password: "{{ c5_password }}"
  block:
    - name: Subscribers of cust-1001
      voip.provisioning.c5_subscriber:
        domain: sip.tenant.example.com
        customer: cust-1001
        items:
          - username: "10002"
            password: "{{ vault_sip['10002'] }}"
            primary_number: "+43 9876 10002"
          - username: "10003"
            password: "{{ vault_sip['10003'] }}"
            primary_number: "+43 9876 10003"
            lock: 2

    - name: Unlock a subscriber
      voip.provisioning.c5_subscriber:
        domain: sip.tenant.example.com
        sip_username: "10003"
        lock: none

    - name: Terminate a subscriber (one-way)
      voip.provisioning.c5_subscriber:
        domain: sip.tenant.example.com
        sip_username: "10002"
        state: absent
"""

RETURN = r"""
subscriber:
  description:
    - The subscriber as the API returns it (absent after termination and in check mode before creation).
    - C(password) is masked.
  returned: when the subscriber exists
  type: dict
  sample: {"id": 9, "username": "10001", "domain": "sip.tenant.example.com", "customer_id": 5, "status": "active",
           "lock": null, "primary_number": {"cc": 43, "ac": "9876", "sn": "10001", "number_id": 13},
           "alias_numbers": [], "password": "********", "webusername": "10001"}
diff:
  description: Before and after, when run with C(--diff); passwords are masked.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"lock": null}, "after": {"lock": 2}}
results:
  description: One result per entry of O(items), each with C(changed), C(subscriber), C(item) and, on error, C(failed) and C(msg).
  returned: when O(items) is given
  type: list
  elements: dict
summary:
  description: Counts of the O(items) results.
  returned: when O(items) is given
  type: dict
  sample: {"total": 2, "changed": 1, "failed": 0}
"""

from ansible_collections.voip.provisioning.plugins.module_utils.c5 import (
    C5References, c5_argument_spec, list_pages, norm_bool, run_c5, same_timezone, strip_hal,
)
from ansible_collections.voip.provisioning.plugins.module_utils.c5_numbers import (
    number_digits, number_from_api, number_to_api, numbers_from_api, parse_number, parse_number_list,
    same_number, same_number_set, sort_numbers,
)
from ansible_collections.voip.provisioning.plugins.module_utils.client import ApiError, InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.engine import Resource, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.runner import ModuleSpec

# Never sent back on update: server-generated, or secrets sent only when changing.
READ_ONLY = ("id", "uuid", "create_timestamp", "modify_timestamp", "_links", "_embedded", "password", "webpassword",
             "display_name")
TEXT_FIELDS = ("webusername", "external_id", "email", "timezone", "display_name")
INT_FIELDS = ("profile_set_id", "profile_id")
LOCK_LEVELS = ("1", "2", "3", "4", "5")


def _text(value):
    if value is None or value == "":
        return None
    return str(value)


def _int(value):
    return None if value is None or value == "" else int(value)


def parse_lock(value, field="lock"):
    """1..5 as an int, or None for 'no lock' (the option value none)."""
    text = str(value).strip().lower()
    if isinstance(value, bool):
        text = "?"
    if text in ("none", "null", ""):
        return None
    if text == "0":
        raise InputError("%s: 0 is not a lock level on the C5 (its API rejects it); use %s: none to remove a lock, "
                         "or 1 (foreign), 2 (outgoing), 3 (incoming and outgoing), 4 (global), 5 (ported)" % (field, field))
    if text not in LOCK_LEVELS:
        raise InputError("%s: %r is not a lock level; use 1 (foreign), 2 (outgoing), 3 (incoming and outgoing), "
                         "4 (global), 5 (ported), or none to remove a lock" % (field, value))
    return int(text)


def norm_lock(value):
    """The server returns the lock as the stored preference string ("4") or null."""
    if value is None or value == "" or str(value) == "0":
        return None
    return int(value)


def strip_number(obj):
    """A number of the representation as it can be sent back (no number_id)."""
    return dict((k, v) for k, v in obj.items() if k != "number_id") if isinstance(obj, dict) else obj


class Subscriber(Resource):
    name = "subscriber"
    key_options = ("sip_username", "domain")
    secret_fields = ("password",)
    write_only_fields = ("webpassword",)

    def identity(self, item):
        return "username=%s, domain=%s" % (item.get("sip_username"), item.get("domain"))

    # --- references ----------------------------------------------------------------------
    def _customer_id(self, item):
        """The id of the customer the item names (None when it names none);
        raises Unresolved when it does not exist or is terminated."""
        ref_id = item.get("customer_id")
        ref = item.get("customer")
        if ref_id is not None and ref is not None:
            raise InputError("give customer or customer_id, not both (an entry of items may not override one with the other)")
        if ref is not None:
            customer = C5References(self.api, self.shared).customer(str(ref))
            if customer is None:
                raise Unresolved("customer: no customer with external_id '%s' exists (terminated ones do not count); "
                                 "create it first (voip.provisioning.c5_customer) or give customer_id" % ref)
            return customer["id"]
        if ref_id is None:
            return None
        cache = self.shared.setdefault("c5_customer_ids", {})
        with self.shared["lock"]:
            known = ref_id in cache
            exists = cache.get(ref_id)
        if not known:
            customer = self.api.get("customers", int(ref_id))
            exists = bool(customer) and customer.get("status") != "terminated"
            with self.shared["lock"]:
                cache[ref_id] = exists
        if not exists:
            raise Unresolved("customer_id: customer %s does not exist or is terminated; create the customer first "
                             "(voip.provisioning.c5_customer) or correct the id" % ref_id)
        return int(ref_id)

    # --- desired state ---------------------------------------------------------------------
    def desired(self, item):
        username = item.get("sip_username")
        domain = item.get("domain")
        if not username:
            raise InputError("sip_username is required (or give items, each with its username)")
        if not domain:
            raise InputError("domain is required, in the task or in each entry of items")
        desired = {"username": str(username), "domain": str(domain)}
        customer_id = self._customer_id(item)
        if customer_id is not None:
            desired["customer_id"] = customer_id
        if C5References(self.api, self.shared).domain(desired["domain"]) is None:
            raise Unresolved("domain: no domain '%s' exists; create it first (voip.provisioning.c5_domain) "
                             "or correct the name" % domain)
        if item.get("state", "present") == "absent":
            return desired

        if item.get("sip_password") is not None:
            desired["password"] = str(item["sip_password"])
        if item.get("webpassword") is not None:
            desired["webpassword"] = str(item["webpassword"])
        for field in TEXT_FIELDS:
            if item.get(field) is not None:
                desired[field] = _text(item[field])
        for field in INT_FIELDS:
            if item.get(field) is not None:
                desired[field] = int(item[field])
        if item.get("status") is not None:
            desired["status"] = item["status"]
        if item.get("lock") is not None:
            desired["lock"] = parse_lock(item["lock"])
            if desired["lock"] is None and desired.get("status") == "locked":
                raise InputError("lock: none contradicts status: locked (the C5 gives locked subscribers lock level 4); "
                                 "leave lock out or give a level 1-5")
        if item.get("administrative") is not None:
            desired["administrative"] = bool(item["administrative"])
        if item.get("primary_number") is not None:
            desired["primary_number"] = parse_number(item["primary_number"], "primary_number")
        if item.get("alias_numbers") is not None:
            aliases = parse_number_list(item["alias_numbers"], "alias_numbers")
            primary = desired.get("primary_number")
            for alias in aliases:
                if primary is not None and same_number(alias, primary):
                    raise InputError("alias_numbers: %s is also the primary_number" % number_digits(alias))
            desired["alias_numbers"] = sort_numbers(aliases)
        return desired

    # --- finding ---------------------------------------------------------------------------
    def prefetch(self, items):
        """List the subscribers of a customer once when that is cheaper than one
        look-up per item: needs (pages + 1 count request) <= items of that customer."""
        counts = {}
        refs = C5References(self.api, self.shared)
        for item in items:
            try:
                if item.get("domain"):
                    refs.domain(str(item["domain"]))  # warm the cache before the workers start
                customer_id = self._customer_id(item)
            except VoipError:
                continue  # the item reports it itself
            if customer_id is not None:
                counts[customer_id] = counts.get(customer_id, 0) + 1
        index = {}
        listed = set()
        for customer_id, count in counts.items():
            if count < 2:
                continue

            def keep(raw, customer_id=customer_id):
                raw = strip_hal(raw)
                return raw if raw.get("customer_id") == customer_id and raw.get("username") else None

            # A one-row request counts them first: the customer is listed only when
            # (pages + that request) <= its items, else each item is looked up.
            found, complete = list_pages(self.api, "subscribers", {"customer_id": customer_id}, keep=keep,
                                         max_pages=count - 1, workers=self.shared.get("workers", 1),
                                         count_first=True)
            if not complete:
                continue
            for raw in found:
                index[(raw["username"], str(raw.get("domain") or "").lower())] = raw
            if complete:
                listed.add(customer_id)
        with self.shared["lock"]:
            self.shared["subscriber_index"] = index
            self.shared["subscriber_index_customers"] = listed

    def _lookup(self, item, username, domain):
        lowered = domain.lower()
        candidates = [s for s in self.api.list("subscribers", {"username": username, "domain": domain})
                      if str(s.get("domain") or "").lower() == lowered]
        exact = [s for s in candidates if s.get("username") == username]
        if len(exact) > 1:
            raise VoipError("subscriber %s@%s is ambiguous: ids %s" % (username, domain, ", ".join(str(s.get("id")) for s in exact)))
        if exact:
            return exact[0]
        folded = [s for s in candidates if str(s.get("username") or "").lower() == username.lower()]
        if folded and item.get("state", "present") == "present":
            raise VoipError("subscriber %s@%s does not exist, but %s@%s (id %s) does, and the C5 compares user names "
                            "case-insensitively: use the spelling '%s'"
                            % (username, domain, folded[0].get("username"), folded[0].get("domain"), folded[0].get("id"),
                               folded[0].get("username")))
        return None

    def find(self, item, desired):
        username = desired["username"]
        domain = desired["domain"]
        key = (username, domain.lower())
        with self.shared["lock"]:
            index = self.shared.get("subscriber_index")
            listed = self.shared.get("subscriber_index_customers") or set()
        if index is not None and key in index:
            raw = index[key]
        elif index is not None and desired.get("customer_id") in listed:
            # The customer's complete listing does not hold it.  (If it exists
            # under another customer, the create answers 422 and create()
            # reports that.)
            raw = None
        else:
            raw = self._lookup(item, username, domain)
        if raw is not None:
            self._check_customer(raw, desired)
        return raw

    def find_fresh(self, item, desired):
        """After a create with an unknown outcome: ask the server, not the bulk index."""
        raw = self._lookup(item, desired["username"], desired["domain"])
        if raw is not None:
            self._check_customer(raw, desired)
        return raw

    def _check_customer(self, raw, desired):
        wanted = desired.get("customer_id")
        if wanted is not None and raw.get("customer_id") is not None and int(raw["customer_id"]) != wanted:
            raise VoipError("subscriber %s@%s (id %s) belongs to customer %s, not to customer %s; the C5 cannot move "
                            "a subscriber to another customer (customer_id can't be changed). Terminate it "
                            "(state=absent) and create it again under the new customer, or correct the customer."
                            % (raw.get("username"), raw.get("domain"), raw.get("id"), raw.get("customer_id"), wanted))

    # --- comparing ---------------------------------------------------------------------------
    def view(self, raw):
        view = {
            "username": raw.get("username"),
            "domain": raw.get("domain"),
            "customer_id": raw.get("customer_id"),
            "status": raw.get("status"),
            "lock": norm_lock(raw.get("lock")),
            "administrative": norm_bool(raw.get("administrative")),
            "primary_number": number_from_api(raw.get("primary_number")),
            "alias_numbers": sort_numbers(numbers_from_api(raw.get("alias_numbers"), with_devid=True)),
        }
        for field in TEXT_FIELDS:
            view[field] = _text(raw.get(field))
        for field in INT_FIELDS:
            view[field] = _int(raw.get(field))
        if raw.get("password") is not None:
            # Only logins with show_passwords see it; otherwise it cannot be compared.
            view["password"] = raw["password"]
        return view

    def differs(self, field, current, wanted):
        if field == "domain":
            return str(current or "").lower() != str(wanted or "").lower()
        if field == "primary_number":
            return not same_number(current, wanted)
        if field == "alias_numbers":
            return not same_number_set(current, wanted)
        if field == "lock":
            return norm_lock(current) != norm_lock(wanted)
        if field == "administrative":
            return norm_bool(current) != norm_bool(wanted)
        if field == "timezone":
            return not same_timezone(_text(current), _text(wanted))
        if field in TEXT_FIELDS:
            return _text(current) != _text(wanted)
        if field in INT_FIELDS or field == "customer_id":
            return _int(current) != _int(wanted)
        return current != wanted

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
        try:
            new_id = self.api.create("subscribers", body)
        except ApiError as exc:
            if exc.status == 422 and "already exist" in str(exc.server_message):
                # Maybe it exists under another customer (the bulk index only
                # holds the named customer's subscribers): say so clearly.
                existing = self._lookup(item, desired["username"], desired["domain"])
                if existing is not None:
                    self._check_customer(existing, desired)
            raise
        if self.shared.get("bulk") and "display_name" not in desired and "webusername" not in desired:
            # A bulk create trusts the POST: the body and the id from Location are the
            # object (what the server adds by itself is filled in as it does), no GET.
            raw = self.created_view(body, new_id)
        else:
            raw = self.api.get("subscribers", new_id) or dict(body, id=new_id)
        if "webusername" in desired and desired["webusername"] is None and raw.get("webusername"):
            # A POST always gives a web user name (the SIP one); only a PUT removes it.
            raw = self.update(item, raw, desired, ["webusername"])
        if "display_name" in desired and _text(raw.get("display_name")) != desired["display_name"]:
            # sipaccount subscribers ignore display_name: it is a preference.
            self._write_display_name(new_id, raw.get("display_name"), desired["display_name"])
            raw["display_name"] = desired["display_name"]
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
            operation = {"op": "add" if _text(current) is None else "replace", "path": "/display_name", "value": wanted}
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


def _subscriber_options(for_items=False):
    options = dict(
        domain=dict(type="str"),
        customer=dict(type="str"),
        customer_id=dict(type="int"),
        webusername=dict(type="str"),
        webpassword=dict(type="str", no_log=True),
        update_password=dict(type="str", choices=["on_create", "always"], no_log=False) if for_items else
        dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
        primary_number=dict(type="raw"),
        alias_numbers=dict(type="list", elements="raw"),
        external_id=dict(type="str"),
        status=dict(type="str", choices=["active", "locked"]),
        lock=dict(type="raw"),
        administrative=dict(type="bool"),
        email=dict(type="str"),
        timezone=dict(type="str"),
        display_name=dict(type="str"),
        profile_set_id=dict(type="int"),
        profile_id=dict(type="int"),
        state=dict(type="str", choices=["present", "absent"]) if for_items else
        dict(type="str", choices=["present", "absent"], default="present"),
    )
    if for_items:
        # In an entry, username/password are the subscriber's own.
        options["username"] = dict(type="str", required=True, aliases=["sip_username"])
        options["password"] = dict(type="str", no_log=True, aliases=["sip_password"])
    else:
        # At task level, username/password are the API login (c5_connection).
        options["sip_username"] = dict(type="str")
        options["sip_password"] = dict(type="str", no_log=True)
    return options


def _argument_spec():
    spec = _subscriber_options()
    spec["items"] = dict(type="list", elements="dict", options=_subscriber_options(for_items=True),
                         mutually_exclusive=[("customer", "customer_id")])
    return c5_argument_spec(**spec)


def entry_options(entry):
    """An entry of items as the engine reads it: its ``username``/``password``
    (the subscriber's) become ``sip_username``/``sip_password``, so that an entry
    never inherits the task's ``username``/``password`` (the API login)."""
    entry = dict(entry)
    entry["sip_username"] = entry.pop("username", None)
    entry["sip_password"] = entry.pop("password", None)
    return entry


def run(options, ctx):
    items = options.get("items")
    if items is not None:
        options = options.with_values(items=[entry_options(entry) for entry in items])
    return run_c5(Subscriber, options, ctx)


MODULE = ModuleSpec(
    argument_spec=_argument_spec(),
    run_function=run,
    mutually_exclusive=[("sip_username", "items"), ("sip_password", "items"), ("customer", "customer_id")],
    required_one_of=[("sip_username", "items")],
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
