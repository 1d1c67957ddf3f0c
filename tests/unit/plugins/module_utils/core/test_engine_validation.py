# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input validated before the first request (Resource.validate, run_resource): one
invalid entry of items stops a bulk task before anything is sent, the valid entries
reported 'changed: null, not applied: item N (...) is invalid'; continue_on_error
applies the valid ones; moves (release first) never involve an invalid entry."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource, run_resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options


class Api:
    """Records every call, reads included: 'no request' means an empty log."""

    def __init__(self, objects=None):
        self.objects = dict(objects or {})
        self.calls = []


class Gadget(ObjectResource):
    name = "gadget"
    key = ("name",)
    fields = FieldSet(Field("name", key=True), Field("colour"), Field("owner"),
                      Field("state", choices=["present", "absent"], default="present", api=False))

    def validate(self, item):
        if item.get("colour") not in (None, "red", "green"):
            raise InputError("colour: %r is not a colour; use red or green" % item.get("colour"))

    def find(self, item, desired):
        self.api.calls.append(("GET", desired["name"]))
        return self.api.objects.get(desired["name"])

    def create(self, item, desired):
        self.api.calls.append(("POST", desired["name"]))
        self.api.objects[desired["name"]] = dict(desired, id=len(self.api.objects) + 1)
        return self.api.objects[desired["name"]]

    def update(self, item, raw, desired, changes):
        self.api.calls.append(("PUT", desired["name"]))
        raw.update(desired)
        return raw

    def delete(self, item, raw):
        self.api.calls.append(("DELETE", raw["name"]))
        del self.api.objects[raw["name"]]


def run(api, resource=Gadget, **params):
    params.setdefault("state", "present")
    return run_resource(resource, api, Options(params), RunContext(check_mode=False, diff=False))


ITEMS = [{"name": "g0", "colour": "red"}, {"name": "g1", "colour": "blue"}, {"name": "g2"}]


def test_an_invalid_item_stops_the_task_before_any_request():
    api = Api()
    result = run(api, items=ITEMS)
    assert api.calls == []
    assert result["failed"] is True and result["changed"] is False
    error = "colour: 'blue' is not a colour; use red or green"
    reason = "not applied: item 1 (name=g1) is invalid"
    assert result["results"] == [
        {"changed": None, "msg": reason, "item": "name=g0"},
        {"changed": False, "failed": True, "msg": error, "item": "name=g1"},
        {"changed": None, "msg": reason, "item": "name=g2"},
    ]
    assert result["summary"] == {"total": 3, "changed": 0, "failed": 1, "not_applied": 2}
    assert result["msg"] == ("1 of 3 items is invalid, so nothing was applied (no request was sent; fix it, or set "
                             "continue_on_error: true to apply the valid ones); item 1 (name=g1): " + error)


def test_several_invalid_items_are_all_named():
    api = Api()
    result = run(api, items=[{"name": "a", "colour": "blue"}, {"name": "b"}, {"name": "c", "colour": "pink"}])
    assert api.calls == []
    assert result["results"][1] == {"changed": None, "item": "name=b",
                                    "msg": "not applied: items 0 (name=a), 2 (name=c) are invalid"}
    assert result["msg"].startswith("2 of 3 items are invalid, so nothing was applied (no request was sent; fix them, ")
    assert result["msg"].endswith("item 0 (name=a): colour: 'blue' is not a colour; use red or green")


def test_continue_on_error_applies_the_valid_items_and_fails_the_invalid_ones():
    api = Api()
    result = run(api, items=ITEMS, continue_on_error=True)
    assert sorted(call for call in api.calls if call[0] != "GET") == [("POST", "g0"), ("POST", "g2")]
    assert "g1" not in [name for _method, name in api.calls]  # never looked up either
    assert result["failed"] is True
    assert result["summary"] == {"total": 3, "changed": 2, "failed": 1}
    assert result["results"][1] == {"changed": False, "failed": True, "item": "name=g1",
                                    "msg": "colour: 'blue' is not a colour; use red or green"}
    assert [r["changed"] for r in result["results"]] == [True, False, True]
    assert result["msg"].startswith("1 of 3 items failed; first error: colour: 'blue'")


def test_all_valid_items_run_as_before():
    api = Api()
    result = run(api, items=[ITEMS[0], ITEMS[2]])
    assert "failed" not in result and result["summary"] == {"total": 2, "changed": 2, "failed": 0}


def test_a_single_task_is_validated_before_any_request():
    api = Api()
    try:
        run(api, name="g1", colour="blue")
    except InputError as exc:
        assert str(exc) == "colour: 'blue' is not a colour; use red or green"
    else:
        raise AssertionError("no InputError")
    assert api.calls == []


class Holder(Gadget):
    """Items that move a token between them (like numbers between subscribers)."""
    moves = True
    released = []

    def claims(self, item):
        held = set(self.api.objects.get(item["name"], {}).get("tokens", []))
        wanted = set(item.get("tokens", []))
        return held - wanted, wanted - held

    def release(self, item, tokens):
        Holder.released.append((item["name"], sorted(tokens)))
        raw = self.api.objects[item["name"]]
        before = dict(raw)
        raw["tokens"] = [t for t in raw["tokens"] if t not in tokens]
        return before


def test_moves_leave_invalid_items_out_and_keep_the_indexes_of_the_valid_ones():
    api = Api({"giver": {"id": 1, "name": "giver", "tokens": ["t1"]}})
    Holder.released = []
    items = [{"name": "bad", "colour": "blue", "tokens": ["t1"]},
             {"name": "giver", "tokens": []},
             {"name": "taker", "tokens": ["t1"]}]
    result = run(api, resource=Holder, items=items, continue_on_error=True, workers=1)
    # the invalid entry also wanted t1: it is neither asked nor counted as a taker
    assert Holder.released == [("giver", ["t1"])]
    assert [r["item"] for r in result["results"]] == ["name=bad", "name=giver", "name=taker"]
    assert result["results"][0]["failed"] is True
    assert result["results"][1]["changed"] is True  # its release, merged at its own index
