# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""C5 customers (``/api/customers/``), found by external_id; terminated, never deleted."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.voip.provisioning.plugins.module_utils.c5.domains import STATE
from ansible_collections.voip.provisioning.plugins.module_utils.c5.references import C5References
from ansible_collections.voip.provisioning.plugins.module_utils.c5.values import differs_bool, differs_int, norm_bool
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import find_unique
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet

# Keys of a customer representation that are read-only or describe the billing
# history; they are not sent back on update.
READ_ONLY = ("id", "_links", "_embedded", "create_timestamp", "activate_timestamp", "modify_timestamp",
             "terminate_timestamp", "all_billing_profiles", "billing_profiles", "billing_profile_definition")


TIMESTAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
SCHEDULE_OPTIONS = dict(
    profile=dict(type="raw", required=True),
    start=dict(type="str"),
    stop=dict(type="str"),
    network=dict(type="raw"),
)


def schedule_timestamp(value, field):
    """A schedule time as the C5 returns it (``YYYY-MM-DD HH:MM:SS``, the server's
    local time) from that form, ``YYYY-MM-DD HH:MM``, ISO 8601 with ``T`` or a date."""
    if value is None or str(value).strip() == "":
        return None
    match = TIMESTAMP.match(str(value).strip())
    if not match:
        raise InputError("%s: '%s' is not a time; give YYYY-MM-DD HH:MM:SS (the C5's local time) or YYYY-MM-DD"
                         % (field, value))
    year, month, day, hour, minute, second = [int(g or 0) for g in match.groups()]
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59 and second <= 59):
        raise InputError("%s: '%s' is not a valid date and time" % (field, value))
    return "%04d-%02d-%02d %02d:%02d:%02d" % (year, month, day, hour, minute, second)


def check_schedule(entries):
    """The rules of a billing profile schedule that need no request (the C5's own
    checks of ``billing_profiles``), naming the interval and the fix."""
    if not isinstance(entries, list):
        raise InputError("billing_profiles must be a list of {profile, start, stop, network}")
    bases = 0
    for index, entry in enumerate(entries):
        field = "billing_profiles[%d]" % (index + 1)
        if not isinstance(entry, dict) or entry.get("profile") in (None, ""):
            raise InputError("%s: each interval needs a profile (a billing profile handle or id)" % field)
        start = schedule_timestamp(entry.get("start"), field + ".start")
        stop = schedule_timestamp(entry.get("stop"), field + ".stop")
        if stop is not None and start is None:
            raise InputError("%s: an interval with a stop needs a start (the C5 refuses 'stop' without 'start')" % field)
        if start is not None and stop is not None and start >= stop:
            raise InputError("%s: start %s must be before stop %s" % (field, start, stop))
        if start is None:
            bases += 1
            if bases > 1 or entry.get("network") not in (None, ""):
                raise InputError("%s: only one interval may have neither start nor stop (the base profile), and it "
                                 "has no network" % field)


def interval_key(entry):
    return (entry.get("start") or "", entry.get("stop") or "", int(entry.get("profile_id") or 0), int(entry.get("network_id") or 0))


def scheduled_view(mappings):
    """Intervals of a schedule in comparable form (sorted; the C5 lists them in no
    meaningful order)."""
    view = []
    for mapping in mappings or []:
        view.append({"profile_id": int(mapping["profile_id"]) if mapping.get("profile_id") is not None else None,
                     "start": schedule_timestamp(mapping.get("start"), "start"),
                     "stop": schedule_timestamp(mapping.get("stop"), "stop"),
                     "network_id": int(mapping["network_id"]) if mapping.get("network_id") is not None else None})
    return sorted(view, key=interval_key)


def interval_body(entry):
    return dict((k, v) for k, v in entry.items() if v is not None)


def _max_subscribers(value):
    value = int(value)
    if value < -1:
        raise InputError("max_subscribers must be -1 (unlimited) or a count >= 0, not %d" % value)
    return None if value == -1 else value


def _vat_rate(value):
    rate = float(value)
    if not 0 <= rate <= 100:
        raise InputError("vat_rate must be between 0 and 100, not %s" % value)
    return rate


def _differs_rate(current, wanted):
    try:
        return float(current or 0) != float(wanted or 0)
    except (TypeError, ValueError):
        return current != wanted


def _resolve_contact(resource, value, item):
    if item.get("contact_id") is not None:
        return None  # contact_id wins (both at once is refused by desired())
    return resource.refs.contact_id(value, resource.refs.reseller_id(item.get("reseller")))


def _resolve_billing_profile(resource, value, item):
    return resource.refs.billing_profile_id(value, resource.refs.reseller_id(item.get("reseller")))


class Customer(ObjectResource):
    name = "customer"
    key = ("external_id",)
    fields = FieldSet(
        Field("external_id", key=True, normalise=str),
        Field("contact", api=False),
        Field("contact_id", type="int", normalise=int, compare=differs_int),
        Field("contact_by_email", api_name="contact_id", option="contact", in_task=False, in_items=False,
              resolve=_resolve_contact),
        Field("reseller", api=False),
        Field("billing_profile_id", option="billing_profile", compare=differs_int, resolve=_resolve_billing_profile),
        Field("type", choices=["sipaccount", "pbxaccount"]),
        Field("status", choices=["active", "locked", "pending"]),
        Field("max_subscribers", type="int", normalise=_max_subscribers, compare=differs_int),
        Field("vat_rate", type="float", normalise=_vat_rate, compare=_differs_rate),
        Field("add_vat", type="bool", normalise=bool, read=norm_bool, compare=differs_bool),
        Field("billing_profiles", type="list", elements="dict", options=SCHEDULE_OPTIONS, api=False),
        STATE,
    )

    def __init__(self, api, options, run):
        super(Customer, self).__init__(api, options, run)
        # Scheduled intervals that have started (in all_billing_profiles, no longer in
        # the future list billing_profiles): history, kept by the C5 and never re-sent.
        self.started = set()
        self.wanted_intervals = None  # the listed schedule, when the task gives one

    @property
    def refs(self):
        return C5References(self.api, self.run)

    def desired(self, item):
        external_id = item.get("external_id")
        if not external_id:
            raise InputError("external_id is required (or give items)")
        if item.get("contact") is not None and item.get("contact_id") is not None:
            raise InputError("give contact or contact_id, not both (an entry of items may not override one with the other)")
        self.refs.reseller_id(item.get("reseller"))
        if item.get("state", "present") == "absent":
            return {"external_id": str(external_id)}
        schedule = self.schedule(item)
        # The contact named by e-mail takes the place of contact_id.
        desired = dict(("contact_id" if name == "contact_by_email" else name, value)
                       for name, value in ObjectResource.desired(self, item).items())
        if schedule is not None:
            base, intervals = schedule
            if base is not None:
                if desired.get("billing_profile_id") not in (None, base):
                    raise InputError("billing_profiles: the interval without start and stop (profile %s) is the base "
                                     "profile, but billing_profile is %s; give one of them" % (base, desired["billing_profile_id"]))
                desired["billing_profile_id"] = base
            desired["billing_profiles"] = intervals
            self.wanted_intervals = intervals
        return desired

    def validate(self, item):
        if item.get("state", "present") == "present" and item.get("billing_profiles") is not None:
            check_schedule(item["billing_profiles"])

    def schedule(self, item):
        """``billing_profiles`` as ``(base profile id or None, scheduled intervals)``,
        checked as the C5 checks them (before any write), profiles and networks resolved."""
        entries = item.get("billing_profiles")
        if entries is None:
            return None
        check_schedule(entries)
        reseller_id = self.refs.reseller_id(item.get("reseller"))
        base, intervals = None, []
        for index, entry in enumerate(entries):
            field = "billing_profiles[%d]" % (index + 1)
            start = schedule_timestamp(entry.get("start"), field + ".start")
            stop = schedule_timestamp(entry.get("stop"), field + ".stop")
            profile_id = self.refs.billing_profile_id(entry["profile"], reseller_id, field=field + ".profile")
            network_id = self.network_id(entry.get("network"), reseller_id, field + ".network")
            if start is None:
                base = profile_id
                continue
            intervals.append({"profile_id": profile_id, "start": start, "stop": stop, "network_id": network_id})
        return base, sorted(intervals, key=interval_key)

    def network_id(self, network, reseller_id, field):
        if network is None or network == "":
            return None
        if isinstance(network, int) or str(network).isdigit():
            return int(network)
        # Listed by name alone: a network of no reseller (an administrator's,
        # usable by every reseller's customers) does not match a reseller_id filter
        # on the C5 (an exact match), and one of another reseller is named as such.
        found = self.refs.named("billingnetworks", "name", network, reseller_id, what="billing network", field=field,
                                reseller_filter=False)
        return int(found["id"])

    def view(self, raw):
        view = ObjectResource.view(self, raw)
        view.pop("contact_by_email", None)
        # As the C5 returns them: billing_profiles lists the intervals still to come;
        # all_billing_profiles holds the ones that have started too.
        future = scheduled_view((raw or {}).get("billing_profiles"))
        if future or self.wanted_intervals is not None:
            view["billing_profiles"] = future
        future_keys = set(interval_key(e) for e in future)
        started = [e for e in scheduled_view([m for m in (raw or {}).get("all_billing_profiles") or [] if m.get("start")])
                   if interval_key(e) not in future_keys]
        self.started = set(interval_key(e) for e in started)
        return view

    def to_send(self, intervals):
        """The listed intervals that have not started (the C5 takes only future ones)."""
        return [e for e in intervals or [] if interval_key(e) not in self.started]

    def differs(self, name, current, wanted):
        if name == "billing_profiles":
            return [interval_key(e) for e in current or []] != [interval_key(e) for e in self.to_send(wanted)]
        if name == "billing_profile_id" and self.wanted_started_profile(current):
            # A listed interval is in force now: the C5 shows its profile, the base is unchanged.
            return False
        return ObjectResource.differs(self, name, current, wanted)

    def wanted_started_profile(self, current):
        intervals = self.wanted_intervals or []
        return current is not None and any(interval_key(e) in self.started and e["profile_id"] == int(current)
                                           for e in intervals)

    def find(self, item, desired):
        external_id = desired["external_id"]
        filters = {"external_id": external_id, "not_status": "terminated"}
        reseller_id = self.refs.reseller_id(item.get("reseller"))
        if reseller_id is not None:
            filters["reseller_id"] = reseller_id
        raw = find_unique(
            self.api.list("customers", filters),
            lambda c: c.get("external_id") == external_id and c.get("status") != "terminated",
            ambiguous=lambda found: (
                "customer external_id '%s' is ambiguous: %d customers that are not terminated have it (ids %s); "
                "external ids are not unique on the C5, but this module uses them as the key%s"
                % (external_id, len(found), ", ".join(str(c.get("id")) for c in found),
                   "" if reseller_id is not None else " (set reseller if they belong to different resellers)")))
        if raw is not None and item.get("state", "present") == "present" and desired.get("type") \
                and raw.get("type") and raw["type"] != desired["type"]:
            raise VoipError("customer '%s' (id %s) is a %s; the C5 cannot change the type of a customer to %s "
                            "(its API ignores it). Remove the option type, or terminate the customer "
                            "(state=absent) and create a new one."
                            % (external_id, raw.get("id"), raw["type"], desired["type"]))
        return raw

    def create(self, item, desired):
        missing = [name for name, key in (("contact or contact_id", "contact_id"), ("billing_profile", "billing_profile_id"))
                   if desired.get(key) is None]
        if missing:
            raise InputError("customer '%s' does not exist; to create it set %s" % (desired["external_id"], " and ".join(missing)))
        body = dict(desired)
        body.setdefault("type", "sipaccount")
        body.setdefault("status", "active")
        intervals = body.pop("billing_profiles", None)
        if intervals is not None:
            # The schedule: the base profile as the interval without start and stop.
            body["billing_profile_definition"] = "profiles"
            body["billing_profiles"] = [{"profile_id": body.pop("billing_profile_id")}] + [interval_body(e) for e in intervals]
        new_id = self.api.create("customers", body)
        self.refs.forget_customer(desired["external_id"])
        return self.api.get("customers", new_id) or dict(body, id=new_id)

    def update(self, item, raw, desired, changes):
        # Customers keep omitted columns, but contact_id, status and
        # billing_profile_id are required on every PUT: send the merged document.
        wanted = dict(desired)
        intervals = wanted.pop("billing_profiles", None)
        if "billing_profile_id" not in changes:
            # The profile in force may be a scheduled one: never send it back as the base.
            wanted.pop("billing_profile_id", None)
        updated = raw
        if [c for c in changes if c != "billing_profiles"]:
            body = dict((k, v) for k, v in raw.items() if k not in READ_ONLY)
            body.update(wanted)
            updated = self.api.put("customers", raw["id"], body)
            updated = updated if updated is not None else self.api.get("customers", raw["id"])
        if "billing_profiles" in changes:
            # A schedule replaces the intervals still to come; started ones stay.
            body = dict((k, v) for k, v in updated.items() if k not in READ_ONLY and k != "billing_profile_id")
            body.update(dict((k, v) for k, v in wanted.items() if k != "billing_profile_id"))
            body["billing_profile_definition"] = "profiles"
            body["billing_profiles"] = [interval_body(e) for e in self.to_send(intervals)]
            updated = self.api.put("customers", raw["id"], body)
            updated = updated if updated is not None else self.api.get("customers", raw["id"])
        return updated

    def delete(self, item, raw):
        # No DELETE on customers: termination is a status, and it is one-way.
        self.api.patch("customers", raw["id"], [{"op": "replace", "path": "/status", "value": "terminated"}],
                       representation=False)
        self.refs.forget_customer(raw.get("external_id"))

    def absent_view(self):
        return {"status": "terminated"}
