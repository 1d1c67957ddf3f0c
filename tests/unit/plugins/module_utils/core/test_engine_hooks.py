# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The core's hooks for what platforms needed beyond the four kinds' defaults:
entry sets matched per item (``match_key(view, item)``; an ``entry_key(view)``
override still works), leases with a fixed expiry (renewed only when they end
earlier) and ``exclusive`` leases (rivals removed), and a run clock that follows
the server's ``Date`` (``RunContext.set_clock`` + ``ServerTime``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import FakeClock, RunContext, ServerTime
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import (
    EntrySetResource, LeaseResource, run_resource,
)
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet

DAY = 24 * 3600


class Options:
    def __init__(self, params):
        self.params = dict(params)

    def get(self, name, default=None):
        value = self.params.get(name)
        return default if value is None else value

    def __getitem__(self, name):
        return self.params[name]

    def with_values(self, **values):
        return Options(dict(self.params, **values))


def run(resource_class, api, check_mode=False, clock=None, **params):
    params.setdefault("state", "present")
    context = RunContext(check_mode=check_mode, diff=True, clock=clock)
    return run_resource(resource_class, api, Options(params), context), context


# --- entry sets: the key sees the item ----------------------------------------------------------

class Rules:
    def __init__(self, *entries):
        self.entries = [dict(entry, id=index + 1) for index, entry in enumerate(entries)]
        self.writes = []

    def add(self, desired):
        entry = dict(desired, id=len(self.entries) + 100)
        self.entries.append(entry)
        self.writes.append(("CREATE", entry["prefix"]))
        return entry


class Rule(EntrySetResource):
    name = "rules"
    key = ("trunk",)
    fields = FieldSet(Field("trunk", api=False), Field("entries", type="list", elements="dict", api=False),
                      Field("match_by", type="list", elements="str", api=False), Field("exclusive", type="bool", api=False))
    entry_fields = FieldSet(Field("prefix"), Field("target"))

    def parent(self, item):
        return item.get("trunk")

    def entries(self, parent):
        return [dict(e) for e in self.api.entries if e["trunk"] == parent]

    def create_entry(self, parent, desired, entry_id=None):
        return self.api.add(dict(desired, trunk=parent))

    def delete_entry(self, parent, raw):
        self.api.writes.append(("DELETE", raw["id"]))
        self.api.entries = [e for e in self.api.entries if e["id"] != raw["id"]]

    def match_key(self, view, item):
        return tuple((name, view.get(name)) for name in item.get("match_by"))


def test_match_key_gets_each_bulk_item_with_its_own_match_options():
    api = Rules({"trunk": "a", "prefix": "43", "target": "old"}, {"trunk": "b", "prefix": "43", "target": "old"})
    items = [{"trunk": "a", "match_by": ["prefix"], "entries": [{"prefix": "43", "target": "new"}]},
             {"trunk": "b", "entries": [{"prefix": "43", "target": "new"}]}]
    result, _ctx = run(Rule, api, match_by=["prefix", "target"], items=items, exclusive=True)
    # a: matched by prefix, so replaced; b (the task's match_by): a new entry, the unlisted old one deleted.
    assert [r["changed"] for r in result["results"]] == [True, True]
    assert sorted((e["trunk"], e["target"]) for e in api.entries) == [("a", "new"), ("b", "new")]
    again, _ctx = run(Rule, api, match_by=["prefix", "target"], items=items, exclusive=True)
    assert again["changed"] is False


class LegacyRule(Rule):
    """A resource written before match_key: only entry_key(view)."""

    match_key = EntrySetResource.match_key

    def entry_key(self, view):
        return (("prefix", view.get("prefix")),)


def test_an_entry_key_override_alone_still_decides_the_match():
    api = Rules({"trunk": "a", "prefix": "43", "target": "old"})
    result, _ctx = run(LegacyRule, api, trunk="a", entries=[{"prefix": "43", "target": "new"}])
    assert result["changed"] and [e["target"] for e in api.entries] == ["new"]
    assert api.writes == [("DELETE", 1), ("CREATE", "43")]


# --- leases: a fixed expiry, exclusive ----------------------------------------------------------

class Leases:
    def __init__(self, clock):
        self.clock = clock
        self.leases = []
        self.writes = []

    def add(self, expires, **lease):
        lease = dict(lease, id=len(self.leases) + 1, expires=expires)
        self.leases.append(lease)
        return dict(lease)


class Lease(LeaseResource):
    name = "lease"
    key = ("url", "users")
    max_lifetime = 3 * DAY
    clock_slack = 300
    fields = FieldSet(Field("url"), Field("users"), Field("expires_at", type="float", api=False),
                      Field("exclusive", type="bool", api=False), Field("renew_margin", type="int", api=False),
                      Field("expires", type="float", writable=False))

    def fixed_expiry(self, item):
        return item.get("expires_at")

    def leases(self, item, desired):
        return [dict(lease) for lease in self.api.leases if (lease["url"], lease["users"]) == (desired["url"], desired["users"])]

    def rivals(self, item, desired):
        return [dict(lease) for lease in self.api.leases if lease["url"] == desired["url"] and lease["users"] != desired["users"]]

    def expires(self, view):
        return view.get("expires")

    def create(self, item, desired):
        self.api.writes.append("CREATE")
        return self.api.add(self.new_expiry(self.lifetime(item)), url=desired["url"], users=desired["users"])

    def lifetime(self, item):
        expiry = self.fixed_expiry(item)
        return LeaseResource.lifetime(self, item) if expiry is None else expiry - self.run.now()

    def renew(self, item, raw, desired):
        self.api.writes.append(("RENEW", raw["id"]))
        for lease in self.api.leases:
            if lease["id"] == raw["id"]:
                lease["expires"] = self.new_expiry(self.lifetime(item))
                return dict(lease)

    def delete(self, item, raw):
        self.api.writes.append(("DELETE", raw["id"]))
        self.api.leases = [lease for lease in self.api.leases if lease["id"] != raw["id"]]


def test_new_expiry_stays_clock_slack_below_the_cap():
    clock = FakeClock()
    api = Leases(clock)
    run(Lease, api, clock=clock, url="u", users="1")
    assert api.leases[0]["expires"] == clock() + 3 * DAY - 300


def test_fixed_expiry_renews_only_a_lease_that_ends_earlier():
    clock = FakeClock()
    api = Leases(clock)
    target = clock() + 2 * DAY
    api.add(target - 200, url="u", users="1")  # within the slack of the target: kept
    kept, _ctx = run(Lease, api, clock=clock, url="u", users="1", expires_at=target, renew_margin=10 * DAY)
    assert kept["changed"] is False and api.writes == []  # renew_margin does not apply to a fixed expiry
    api.leases[0]["expires"] = target - 3600  # ends an hour early: renewed to the target
    renewed, _ctx = run(Lease, api, clock=clock, url="u", users="1", expires_at=target)
    assert renewed["changed"] and api.writes == [("RENEW", 1)] and api.leases[0]["expires"] == target
    # A target beyond what a renewal can give: a lease at the most a renewal gives is kept.
    far = clock() + 5 * DAY
    api.leases[0]["expires"] = clock() + 3 * DAY - 300
    assert run(Lease, api, clock=clock, url="u", users="1", expires_at=far)[0]["changed"] is False


def test_exclusive_removes_rivals_after_the_own_plan_and_reports_them():
    clock = FakeClock()
    api = Leases(clock)
    api.add(clock() + 2 * DAY, url="u", users="1")
    api.add(clock() + 2 * DAY, url="u", users="1,2")
    api.add(clock() + 2 * DAY, url="other", users="3")
    plain, _ctx = run(Lease, api, clock=clock, url="u", users="1")
    assert plain["changed"] is False and "removed_other" not in plain
    check, _ctx = run(Lease, api, clock=clock, check_mode=True, url="u", users="1", exclusive=True)
    assert check["changed"] and check["removed_other"] == [2] and api.writes == []
    result, _ctx = run(Lease, api, clock=clock, url="u", users="1", exclusive=True)
    assert result["changed"] and result["removed_other"] == [2] and api.writes == [("DELETE", 2)]
    assert sorted(lease["id"] for lease in api.leases) == [1, 3]
    again, _ctx = run(Lease, api, clock=clock, url="u", users="1", exclusive=True)
    assert again["changed"] is False and again["removed_other"] == []


# --- the run clock from the server --------------------------------------------------------------

class Answer:
    def __init__(self, date):
        self.headers = {"Date": date} if date is not None else {}


def test_server_time_follows_the_date_header_and_becomes_the_run_clock():
    local = FakeClock(1700000000.0)
    server = ServerTime(local)
    assert server.now() == 1700000000.0 and server.offset is None  # our clock until an answer
    server.note(Answer(None))
    server.note(Answer("not a date"))
    assert server.offset is None
    server.note(Answer("Wed, 15 Nov 2023 00:13:20 GMT"))  # 1700007200: two hours ahead
    assert server.offset == 7200.0
    context = RunContext(clock=local, sleeper=local.sleep)
    context.set_clock(server.now)
    local.advance(10)
    assert context.now() == 1700007210.0 and context.local_now() == 1700000010.0
    context.sleep(5)  # waiting stays local
    assert local.slept == [5] and context.now() == 1700007215.0


@pytest.mark.parametrize("date, offset", [("Tue, 14 Nov 2023 22:13:20 GMT", 0.0), ("Tue, 14 Nov 2023 22:13:20 +0100", -3600.0)])
def test_server_time_reads_the_zone_of_the_date(date, offset):
    server = ServerTime(FakeClock(1700000000.0))
    server.note(Answer(date))
    assert server.offset == offset
