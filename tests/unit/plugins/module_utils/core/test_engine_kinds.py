# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan of each resource kind on small in-memory test resources: create,
update, no-op, delete, check mode, a retry after an uncertain create, and the
kind's own rules (settings: absent restores defaults; entry set: matching by
defining fields, exclusive, shared order, no duplicate after a lost answer;
lease: renewal within the margin, duplicates removed, absent, expiry beyond the
maximum)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import FakeClock, RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import (
    MASK, MASK_CHANGED, EntrySetResource, LeaseResource, ObjectResource, SettingsResource, run_resource,
)
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet


class Options:
    """The read-only option view the engine reads (get / with_values)."""

    def __init__(self, params):
        self.params = dict(params)

    def get(self, name, default=None):
        value = self.params.get(name)
        return default if value is None else value

    def __getitem__(self, name):
        return self.params[name]

    def with_values(self, **values):
        return Options(dict(self.params, **values))


class Store:
    """An in-memory 'server' recording every write; ``lose_next`` makes the next
    write raise a lost-answer error after (``applied``) or before applying it."""

    def __init__(self):
        self.writes = []
        self.lose_next = None

    def write(self, what, apply):
        if self.lose_next is not None:
            applied, self.lose_next = self.lose_next, None
            if applied:
                apply()
            raise ApiError("POST", "/x/", None, "connection reset", uncertain=True)
        self.writes.append(what)
        return apply()


def run(resource_class, api, check_mode=False, diff=True, clock=None, **params):
    params.setdefault("state", "present")
    params.setdefault("retries", 2)
    run_context = RunContext(check_mode=check_mode, diff=diff, clock=clock, sleeper=getattr(clock, "sleep", None))
    return run_resource(resource_class, api, Options(params), run_context), run_context


# --- object ---------------------------------------------------------------------------------------

class Widgets(Store):
    def __init__(self):
        super(Widgets, self).__init__()
        self.objects = {}


class Widget(ObjectResource):
    name = "widget"
    key = ("name",)
    fields = FieldSet(
        Field("name", key=True),
        Field("size", type="int"),
        Field("colour", compare="casefold"),
        Field("secret", secret="readable"),
    )

    def find(self, item, desired):
        return self.api.objects.get(desired["name"])

    def create(self, item, desired):
        def apply():
            self.api.objects[desired["name"]] = dict(desired, id=len(self.api.objects) + 1)
            return self.api.objects[desired["name"]]
        return self.api.write(("POST", desired["name"]), apply)

    def update(self, item, raw, desired, changes):
        self.api.writes.append(("PUT", raw["name"]))
        raw.update(dict((k, desired[k]) for k in changes))
        return raw

    def delete(self, item, raw):
        self.api.writes.append(("DELETE", raw["name"]))
        del self.api.objects[raw["name"]]


def test_object_create_update_noop_delete():
    api = Widgets()
    created, _ctx = run(Widget, api, name="w", size=1, colour="Red")
    assert created["changed"] and created["diff"] == {"before": {}, "after": {"name": "w", "size": 1, "colour": "Red",
                                                                              "secret": None}}
    same, _ctx = run(Widget, api, name="w", size=1, colour="RED")  # casefold: not a change
    assert same["changed"] is False
    updated, _ctx = run(Widget, api, name="w", size=2)
    assert updated["changed"] and (updated["diff"]["before"]["size"], updated["diff"]["after"]["size"]) == (1, 2)
    deleted, _ctx = run(Widget, api, name="w", state="absent")
    gone, _ctx = run(Widget, api, name="w", state="absent")
    assert deleted["changed"] and not gone["changed"]
    assert api.writes == [("POST", "w"), ("PUT", "w"), ("DELETE", "w")]


def test_object_check_mode_predicts_without_writing():
    api = Widgets()
    api.objects["w"] = {"id": 1, "name": "w", "size": 1, "secret": "s1"}
    for params in ({"size": 5}, {"secret": "s2"}, {"state": "absent"}):
        result, _ctx = run(Widget, api, check_mode=True, name="w", **params)
        assert result["changed"] is True
    result, _ctx = run(Widget, api, check_mode=True, name="new", size=1)
    assert result["changed"] and result["diff"]["after"]["size"] == 1
    assert api.writes == [] and api.objects["w"]["size"] == 1


def test_object_secret_masked_in_result_and_diff():
    api = Widgets()
    api.objects["w"] = {"id": 1, "name": "w", "secret": "old"}
    result, _ctx = run(Widget, api, name="w", secret="new")
    assert result["diff"]["before"]["secret"] == MASK and result["diff"]["after"]["secret"] == MASK_CHANGED
    assert result["widget"]["secret"] == MASK and "new" not in repr(result) and "old" not in repr(result)


def test_object_retry_after_uncertain_create_that_happened_sends_it_once():
    api = Widgets()
    api.lose_next = True  # applied, answer lost
    result, ctx = run(Widget, api, name="w", size=1)
    assert result["changed"] and list(api.objects) == ["w"]
    assert "the object exists: using it" in ctx.warnings[0]


def test_object_retry_after_uncertain_create_that_did_not_happen_creates_once():
    api = Widgets()
    api.lose_next = False  # not applied
    clock = FakeClock()
    result, ctx = run(Widget, api, clock=clock, name="w", size=1)
    assert result["changed"] and api.writes == [("POST", "w")]
    assert "not there, so retrying" in ctx.warnings[0] and clock.slept == [0.5]


def test_object_unresolved_reference_is_a_change_in_check_mode_only():
    class Owned(Widget):
        fields = Widget.fields.extended(Field("owner_id", option="owner", resolve=lambda res, value, item: res.owner(value)))

        def owner(self, value):
            raise Unresolved("owner: no owner named '%s'" % value)

    with pytest.raises(Unresolved):
        run(Owned, Widgets(), name="w", owner="nobody")
    result, ctx = run(Owned, Widgets(), check_mode=True, name="w", owner="nobody")
    assert result["changed"] and "earlier task" in ctx.warnings[0]
    absent, _ctx = run(Owned, Widgets(), name="w", owner="nobody", state="absent")
    assert absent == {"changed": False}


def test_object_bulk_items_inherit_and_fail_alone():
    class Picky(Widget):
        def desired(self, item):
            if item.get("name") == "bad":
                raise InputError("name: 'bad' is not allowed")
            return Widget.desired(self, item)

    api = Widgets()
    result, _ctx = run(Picky, api, items=[{"name": "a", "size": 1}, {"name": "bad"}, {"name": "c"}], size=9, workers=2)
    assert result["summary"] == {"total": 3, "changed": 2, "failed": 1} and result["failed"]
    assert api.objects["a"]["size"] == 1 and api.objects["c"]["size"] == 9


# --- settings document ------------------------------------------------------------------------------

DEFAULTS = {"ring": 20, "dnd": False}


class Settings(SettingsResource):
    name = "settings"
    key = ("owner",)
    fields = FieldSet(Field("owner", api=False, key=True), Field("ring", type="int"), Field("dnd", type="bool"))

    def read(self, item, desired):
        if item.get("owner") not in self.api.documents:
            raise Unresolved("owner '%s' does not exist" % item.get("owner"))
        return dict(self.api.documents[item["owner"]])

    def write(self, item, raw, desired, changes):
        self.api.writes.append(("PUT", item["owner"], dict((k, desired[k]) for k in changes)))
        self.api.documents[item["owner"]].update(dict((k, desired[k]) for k in changes))
        return dict(self.api.documents[item["owner"]])

    def defaults(self, item):
        return dict(DEFAULTS)


class Documents(Store):
    def __init__(self):
        super(Documents, self).__init__()
        self.documents = {"alice": dict(DEFAULTS)}


def test_settings_update_noop_and_absent_restores_defaults():
    api = Documents()
    updated, _ctx = run(Settings, api, owner="alice", ring=30)
    assert updated["changed"] and updated["diff"] == {"before": DEFAULTS, "after": dict(DEFAULTS, ring=30)}
    same, _ctx = run(Settings, api, owner="alice", ring=30)
    assert same["changed"] is False
    absent, _ctx = run(Settings, api, owner="alice", state="absent")
    assert absent["changed"] and api.documents["alice"] == DEFAULTS
    again, _ctx = run(Settings, api, owner="alice", state="absent")
    assert again["changed"] is False
    assert api.writes == [("PUT", "alice", {"ring": 30}), ("PUT", "alice", {"ring": 20})]


def test_settings_check_mode_and_missing_owner():
    api = Documents()
    result, _ctx = run(Settings, api, check_mode=True, owner="alice", dnd=True)
    assert result["changed"] and result["diff"]["after"]["dnd"] is True and api.writes == []
    with pytest.raises(Unresolved):
        run(Settings, api, owner="bob", dnd=True)
    assert run(Settings, api, owner="bob", state="absent")[0] == {"changed": False}
    assert run(Settings, api, check_mode=True, owner="bob", dnd=True)[0]["changed"] is True


def test_settings_have_no_create_or_delete():
    assert not hasattr(Settings, "create") and not hasattr(Settings, "delete")


# --- entry set ------------------------------------------------------------------------------------------

class Routes(Store):
    def __init__(self):
        super(Routes, self).__init__()
        self.entries = []
        self.next_id = 1

    def add(self, **entry):
        entry = dict(entry, id=self.next_id)
        self.next_id += 1
        self.entries.append(entry)
        return entry


class Route(EntrySetResource):
    name = "routes"
    key = ("trunk",)
    fields = FieldSet(Field("trunk", api=False, key=True), Field("entries", type="list", elements="dict", api=False),
                      Field("exclusive", type="bool", default=False, api=False))
    entry_fields = FieldSet(Field("prefix", key=True), Field("target", key=True), Field("order", type="int"),
                            Field("weight", type="int"))
    order_field = "order"

    def parent(self, item):
        if item.get("trunk") != "t1":
            raise Unresolved("trunk '%s' does not exist" % item.get("trunk"))
        return "t1"

    def entries(self, parent):
        return [dict(e) for e in self.api.entries]

    def create_entry(self, parent, desired, entry_id=None):
        return self.api.write(("POST", desired["prefix"], desired["target"], desired.get("order")),
                              lambda: self.api.add(**desired))

    def delete_entry(self, parent, raw):
        self.api.writes.append(("DELETE", raw["id"]))
        self.api.entries = [e for e in self.api.entries if e["id"] != raw["id"]]


def test_entry_set_creates_missing_in_order_then_noop():
    api = Routes()
    entries = [{"prefix": "43", "target": "gw1"}, {"prefix": "49", "target": "gw2"}]
    first, _ctx = run(Route, api, trunk="t1", entries=entries)
    assert first["changed"] and [(e["prefix"], e["order"]) for e in api.entries] == [("43", 1), ("49", 2)]
    assert first["diff"]["before"] == {"entries": []} and len(first["diff"]["after"]["entries"]) == 2
    second, _ctx = run(Route, api, trunk="t1", entries=entries)
    assert second["changed"] is False and len(api.writes) == 2


def test_entry_set_matches_by_defining_fields_and_replaces_a_differing_entry():
    api = Routes()
    api.add(prefix="43", target="gw1", order=1, weight=1)
    api.add(prefix="44", target="gw1", order=2)
    result, _ctx = run(Route, api, trunk="t1", entries=[{"prefix": "43", "target": "gw1", "weight": 5}])
    assert result["changed"]
    # No update_entry: the differing entry is deleted and created again; the unlisted one stays.
    assert api.writes == [("DELETE", 1), ("POST", "43", "gw1", 1)]
    assert sorted((e["prefix"], e.get("weight")) for e in api.entries) == [("43", 5), ("44", None)]


def test_entry_set_exclusive_deletes_unlisted_and_duplicates():
    api = Routes()
    api.add(prefix="43", target="gw1", order=1)
    api.add(prefix="43", target="gw1", order=1)  # a duplicate from an earlier lost answer
    api.add(prefix="44", target="gw9", order=2)
    result, _ctx = run(Route, api, trunk="t1", exclusive=True, entries=[{"prefix": "43", "target": "gw1"}])
    assert result["changed"] and [e["id"] for e in api.entries] == [1]
    assert sorted(api.writes) == [("DELETE", 2), ("DELETE", 3)]


def test_entry_set_shared_order_keeps_both_entries():
    api = Routes()
    entries = [{"prefix": "43", "target": "gw1", "order": 5}, {"prefix": "43", "target": "gw2", "order": 5},
               {"prefix": "1", "target": "gw3", "order": 1}]
    run(Route, api, trunk="t1", entries=entries)
    assert [(e["target"], e["order"]) for e in api.entries] == [("gw3", 1), ("gw1", 5), ("gw2", 5)]
    again, _ctx = run(Route, api, trunk="t1", entries=entries, exclusive=True)
    assert again["changed"] is False and len(api.writes) == 3


def test_entry_set_no_duplicate_after_a_lost_answer():
    api = Routes()
    api.lose_next = True  # the create happened, its answer was lost
    result, ctx = run(Route, api, trunk="t1", entries=[{"prefix": "43", "target": "gw1"}])
    assert result["changed"] and len(api.entries) == 1 and "exists: using it" in ctx.warnings[0]
    api.lose_next = False  # lost before it happened: created once on the retry
    run(Route, api, trunk="t1", clock=FakeClock(), entries=[{"prefix": "43", "target": "gw1"}, {"prefix": "49", "target": "gw1"}])
    assert sorted(e["prefix"] for e in api.entries) == ["43", "49"]


def test_entry_set_check_mode_absent_and_missing_parent():
    api = Routes()
    api.add(prefix="43", target="gw1", order=1)
    check, _ctx = run(Route, api, check_mode=True, trunk="t1", exclusive=True, entries=[{"prefix": "49", "target": "gw1"}])
    assert check["changed"] and api.writes == [] and [e["prefix"] for e in check["diff"]["after"]["entries"]] == ["49"]
    absent, _ctx = run(Route, api, trunk="t1", state="absent", entries=[{"prefix": "43", "target": "gw1"}])
    assert absent["changed"] and api.entries == []
    assert run(Route, api, trunk="t1", state="absent", entries=[{"prefix": "43", "target": "gw1"}])[0]["changed"] is False
    with pytest.raises(Unresolved):
        run(Route, api, trunk="t2", entries=[])


class EditableRoute(Route):
    """An API that changes an entry in place and takes a client-chosen id on create."""

    def update_entry(self, parent, raw, desired, changes):
        self.api.writes.append(("PATCH", raw["id"], sorted(changes)))
        for entry in self.api.entries:
            if entry["id"] == raw["id"]:
                entry.update(desired)
                return dict(entry)

    def client_id(self, parent, desired):
        return "%s-%s" % (desired["prefix"], desired["target"])

    def create_entry(self, parent, desired, entry_id=None):
        def apply():
            if any(e["id"] == entry_id for e in self.api.entries):
                return [e for e in self.api.entries if e["id"] == entry_id][0]  # a PUT under the same id
            entry = dict(desired, id=entry_id)
            self.api.entries.append(entry)
            return entry
        return self.api.write(("PUT", entry_id), apply)


def test_entry_set_updates_in_place_and_creates_under_a_client_id():
    api = Routes()
    api.entries.append({"id": "43-gw1", "prefix": "43", "target": "gw1", "order": 1, "weight": 1})
    entries = [{"prefix": "43", "target": "gw1", "weight": 7}, {"prefix": "49", "target": "gw2"}]
    result, _ctx = run(EditableRoute, api, trunk="t1", entries=entries)
    assert result["changed"] and api.writes == [("PATCH", "43-gw1", ["weight"]), ("PUT", "49-gw2")]
    assert [e["id"] for e in api.entries] == ["43-gw1", "49-gw2"]
    assert [(e["prefix"], e["weight"]) for e in result["routes"]] == [("43", 7), ("49", None)]


class Chain(Route):
    """An append-only list whose order is its meaning (no order field)."""

    ordered = True
    order_field = None
    entry_fields = FieldSet(Field("prefix", key=True), Field("target", key=True))


def chain(api):
    return [(e["prefix"], e["target"]) for e in api.entries]


def test_ordered_entry_set_recreates_from_the_first_misplaced_entry():
    api = Routes()
    for prefix in ("a", "c"):
        api.add(prefix=prefix, target="gw")
    wanted = [{"prefix": p, "target": "gw"} for p in ("a", "b", "c")]
    check, _ctx = run(Chain, api, check_mode=True, trunk="t1", entries=wanted)
    assert check["changed"] and [e["prefix"] for e in check["diff"]["after"]["entries"]] == ["a", "b", "c"]
    assert api.writes == []
    run(Chain, api, trunk="t1", entries=wanted)
    assert chain(api) == [("a", "gw"), ("b", "gw"), ("c", "gw")]
    assert api.writes == [("DELETE", 2), ("POST", "b", "gw", None), ("POST", "c", "gw", None)]
    reordered = [{"prefix": p, "target": "gw"} for p in ("a", "c", "b")]
    run(Chain, api, trunk="t1", entries=reordered)
    assert chain(api) == [("a", "gw"), ("c", "gw"), ("b", "gw")]
    writes = len(api.writes)
    again, _ctx = run(Chain, api, trunk="t1", entries=reordered + [{"prefix": "d", "target": "gw"}])
    assert again["changed"] and api.writes[writes:] == [("POST", "d", "gw", None)]  # appended: nothing recreated
    assert run(Chain, api, trunk="t1", entries=reordered + [{"prefix": "d", "target": "gw"}])[0]["changed"] is False


# --- lease ------------------------------------------------------------------------------------------------

DAY = 24 * 3600


class Subscriptions(Store):
    def __init__(self, clock):
        super(Subscriptions, self).__init__()
        self.clock = clock
        self.leases = []
        self.next_id = 1

    def add(self, lifetime, **lease):
        lease = dict(lease, id=self.next_id, expires=self.clock() + lifetime)
        self.next_id += 1
        self.leases.append(lease)
        return lease


class Subscription(LeaseResource):
    name = "subscription"
    key = ("topic",)
    fields = FieldSet(Field("topic", key=True), Field("callback"), Field("lifetime", type="int", api=False),
                      Field("renew_margin", type="int", api=False), Field("expires", type="float", writable=False))

    def leases(self, item, desired):
        return [dict(lease) for lease in self.api.leases if lease["topic"] == desired["topic"]]

    def expires(self, view):
        return view.get("expires")

    def create(self, item, desired):
        return self.api.write(("POST", desired["topic"]), lambda: self.api.add(self.lifetime(item), **desired))

    def renew(self, item, raw, desired):
        self.api.writes.append(("RENEW", raw["id"]))
        for lease in self.api.leases:
            if lease["id"] == raw["id"]:
                lease.update(desired, expires=self.api.clock() + self.lifetime(item))
                return dict(lease)

    def delete(self, item, raw):
        self.api.writes.append(("DELETE", raw["id"]))
        self.api.leases = [lease for lease in self.api.leases if lease["id"] != raw["id"]]


def test_lease_created_then_kept_then_renewed_within_margin():
    clock = FakeClock()
    api = Subscriptions(clock)
    created, _ctx = run(Subscription, api, clock=clock, topic="calls", callback="https://x/cb", renew_margin=3600)
    assert created["changed"] and api.leases[0]["expires"] == clock() + 3 * DAY
    clock.advance(2 * DAY)
    kept, _ctx = run(Subscription, api, clock=clock, topic="calls", callback="https://x/cb", renew_margin=3600)
    assert kept["changed"] is False
    clock.advance(DAY - 1800)  # within the margin
    check, _ctx = run(Subscription, api, clock=clock, check_mode=True, topic="calls", renew_margin=3600)
    assert check["changed"] and api.writes == [("POST", "calls")]
    renewed, _ctx = run(Subscription, api, clock=clock, topic="calls", renew_margin=3600)
    assert renewed["changed"] and api.writes == [("POST", "calls"), ("RENEW", 1)]
    assert api.leases[0]["expires"] == clock() + 3 * DAY


def test_lease_changed_field_renews_and_duplicates_are_removed():
    clock = FakeClock()
    api = Subscriptions(clock)
    api.add(DAY, topic="calls", callback="https://a")
    api.add(2 * DAY, topic="calls", callback="https://a")
    result, _ctx = run(Subscription, api, clock=clock, topic="calls", callback="https://a")
    assert result["changed"] and result["removed"] == 1 and [lease["id"] for lease in api.leases] == [2]
    assert api.writes == [("DELETE", 1)]  # the longer one is kept, not renewed (outside the margin)
    run(Subscription, api, clock=clock, topic="calls", callback="https://b")
    assert api.leases[0]["callback"] == "https://b" and api.writes[-1] == ("RENEW", 2)


def test_lease_absent_deletes_all_and_lifetime_beyond_max_fails_before_writing():
    clock = FakeClock()
    api = Subscriptions(clock)
    api.add(DAY, topic="calls")
    api.add(DAY, topic="calls")
    absent, _ctx = run(Subscription, api, clock=clock, topic="calls", state="absent")
    assert absent["changed"] and api.leases == []
    assert run(Subscription, api, clock=clock, topic="calls", state="absent")[0]["changed"] is False
    with pytest.raises(InputError, match="beyond what the platform grants"):
        run(Subscription, api, clock=clock, topic="calls", lifetime=4 * DAY)
    assert api.writes == [("DELETE", 1), ("DELETE", 2)]


def test_lease_retry_after_lost_create_answer_does_not_duplicate():
    clock = FakeClock()
    api = Subscriptions(clock)
    api.lose_next = True
    result, ctx = run(Subscription, api, clock=clock, topic="calls")
    assert result["changed"] and len(api.leases) == 1 and "exists: using it" in ctx.warnings[0]


def test_bulk_diff_is_the_task_diff_too_masked_and_headed_by_item():
    api = Widgets()
    api.objects["w"] = {"id": 1, "name": "w", "size": 1, "secret": "s1"}
    api.objects["u"] = {"id": 2, "name": "u", "size": 1}
    items = [{"name": "w", "size": 2, "secret": "s2"}, {"name": "n", "size": 1}, {"name": "u", "size": 1}]
    result, _ctx = run(Widget, api, items=items, workers=1)
    assert [d["before_header"] for d in result["diff"]] == ["name=w", "name=n"]  # unchanged items add none
    assert result["diff"][0]["before"]["secret"] == MASK and result["diff"][0]["after"]["secret"] == MASK_CHANGED
    assert result["diff"][0]["after"]["size"] == 2 and result["diff"][1]["before"] == {}
    assert "s1" not in repr(result) and "s2" not in repr(result)
    quiet, _ctx = run(Widget, api, diff=False, items=[{"name": "x"}])
    assert "diff" not in quiet


# --- moves between the items of a bulk task ----------------------------------------------------------

class Desks(Store):
    """Desks hold badges; a badge is on one desk at most (the server refuses a second)."""

    def __init__(self):
        super(Desks, self).__init__()
        self.objects = {"a": {"id": 1, "name": "a", "badges": ["b1"]}, "b": {"id": 2, "name": "b", "badges": []}}

    def put(self, name, badges):
        for other in self.objects.values():
            if other["name"] != name and set(other["badges"]) & set(badges):
                raise ApiError("PUT", "/desks/%s" % name, 422, "badge already taken")
        self.writes.append(("PUT", name, sorted(badges)))
        self.objects[name]["badges"] = list(badges)
        return dict(self.objects[name])


class Desk(ObjectResource):
    name = "desk"
    key = ("name",)
    moves = True
    fields = FieldSet(Field("name", key=True), Field("badges", type="list", elements="str", compare="set"))

    def find(self, item, desired):
        found = self.api.objects.get(desired["name"])
        return dict(found) if found else None

    def update(self, item, raw, desired, changes):
        return self.api.put(raw["name"], desired["badges"])

    def claims(self, item):
        held = set((self.api.objects.get(item["name"]) or {}).get("badges") or [])
        wanted = set(item.get("badges") or [])
        return held - wanted, wanted - held

    def release(self, item, tokens):
        raw = self.find(item, {"name": item["name"]})
        self.api.put(raw["name"], [b for b in raw["badges"] if b not in tokens])
        return self.view(raw)


def test_moves_release_before_any_take_whatever_the_order_and_workers():
    for workers in (1, 2):
        api = Desks()
        result, _ctx = run(Desk, api, workers=workers, items=[{"name": "b", "badges": ["b1"]}, {"name": "a", "badges": []}])
        assert not result.get("failed"), result
        assert api.writes == [("PUT", "a", []), ("PUT", "b", ["b1"])]
        by_item = dict((r["item"], r) for r in result["results"])
        assert by_item["name=a"]["changed"] and by_item["name=a"]["diff"]["before"]["badges"] == ["b1"]
    api = Desks()
    check, _ctx = run(Desk, api, check_mode=True, items=[{"name": "b", "badges": ["b1"]}, {"name": "a", "badges": []}])
    assert check["changed"] and api.writes == []
