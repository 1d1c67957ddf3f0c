# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The desired-state engine's object kind against an in-memory resource: what is written, when, and what is reported."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import MASK, MASK_CHANGED, ObjectResource, run_resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options


class FakeApi:
    """An in-memory 'server' that records every write."""

    def __init__(self):
        self.objects = {}
        self.writes = []
        self.next_id = 1
        self.fail_next_create = None  # an ApiError to raise once, after (or before) storing

    def create(self, doc, store_before_failing=False):
        if self.fail_next_create is not None:
            error, self.fail_next_create = self.fail_next_create, None
            if store_before_failing:
                self._store(doc)
            raise error
        return self._store(doc)

    def _store(self, doc):
        obj = dict(doc, id=self.next_id)
        self.objects[doc["name"]] = obj
        self.next_id += 1
        self.writes.append(("POST", doc["name"]))
        return obj


class Widget(ObjectResource):
    name = "widget"
    key = ("name",)
    fields = FieldSet(Field("name", key=True), Field("size", type="int"), Field("secret", secret="readable"),
                      Field("token", secret="write_only"))

    def desired(self, item):
        if item.get("name") == "bad":
            raise InputError("name: 'bad' is not allowed; pick another name")
        if item.get("owner") == "nobody":
            raise Unresolved("owner: no owner named 'nobody' exists")
        return {k: item.get(k) for k in ("name", "size", "secret", "token") if item.get(k) is not None}

    def find(self, item, desired):
        return self.api.objects.get(desired["name"])

    def view(self, raw):
        return {k: v for k, v in raw.items() if k in ("name", "size", "secret")}

    def create(self, item, desired):
        return self.api.create(desired, store_before_failing=item.get("store_before_failing", False))

    def update(self, item, raw, desired, changes):
        raw.update({k: desired[k] for k in changes})
        self.api.writes.append(("PUT", raw["name"]))
        return raw

    def delete(self, item, raw):
        del self.api.objects[raw["name"]]
        self.api.writes.append(("DELETE", raw["name"]))


def run(api, check_mode=False, diff=True, items=None, **params):
    params.setdefault("state", "present")
    params.setdefault("retries", 2)
    params["items"] = items
    ctx = RunContext(check_mode=check_mode, diff=diff)
    return run_resource(Widget, api, Options(params), ctx), ctx


def test_create_then_second_run_changes_nothing():
    api = FakeApi()
    first, _ctx = run(api, name="w1", size=3)
    assert first["changed"] is True
    assert first["diff"] == {"before": {}, "after": {"name": "w1", "size": 3}}
    second, _ctx = run(api, name="w1", size=3)
    assert second["changed"] is False
    assert api.writes == [("POST", "w1")]


def test_only_fields_the_user_set_are_compared():
    api = FakeApi()
    api.objects["w1"] = {"id": 7, "name": "w1", "size": 3, "colour": "red"}
    result, _ctx = run(api, name="w1")
    assert result["changed"] is False
    assert api.writes == []


def test_update_reports_before_and_after():
    api = FakeApi()
    api.objects["w1"] = {"id": 7, "name": "w1", "size": 3}
    result, _ctx = run(api, name="w1", size=5)
    assert result["changed"] is True
    assert result["diff"] == {"before": {"name": "w1", "size": 3}, "after": {"name": "w1", "size": 5}}
    assert api.writes == [("PUT", "w1")]


def test_check_mode_writes_nothing_and_predicts_the_change():
    api = FakeApi()
    api.objects["w1"] = {"id": 7, "name": "w1", "size": 3}
    result, _ctx = run(api, check_mode=True, name="w1", size=5)
    assert result["changed"] is True
    assert result["diff"]["after"]["size"] == 5
    created, _ctx = run(api, check_mode=True, name="w2", size=1)
    assert created["changed"] is True
    deleted, _ctx = run(api, check_mode=True, name="w1", state="absent")
    assert deleted["changed"] is True
    assert api.writes == []
    assert api.objects["w1"]["size"] == 3


def test_secrets_are_masked_in_diff_and_object():
    api = FakeApi()
    api.objects["w1"] = {"id": 7, "name": "w1", "secret": "old-secret"}
    result, _ctx = run(api, name="w1", secret="new-secret")
    assert result["changed"] is True
    assert result["diff"]["before"]["secret"] == MASK
    assert result["diff"]["after"]["secret"] == MASK_CHANGED
    assert result["widget"]["secret"] == MASK
    assert "new-secret" not in repr(result) and "old-secret" not in repr(result)


def test_write_only_secret_follows_update_password():
    api = FakeApi()
    api.objects["w1"] = {"id": 7, "name": "w1"}
    on_create, _ctx = run(api, name="w1", token="t0ken")
    assert on_create["changed"] is False
    always, _ctx = run(api, name="w1", token="t0ken", update_password="always")
    assert always["changed"] is True
    assert api.writes == [("PUT", "w1")]


def test_absent_deletes_once():
    api = FakeApi()
    api.objects["w1"] = {"id": 7, "name": "w1"}
    first, _ctx = run(api, name="w1", state="absent")
    second, _ctx = run(api, name="w1", state="absent")
    assert (first["changed"], second["changed"]) == (True, False)
    assert api.writes == [("DELETE", "w1")]


def test_unresolved_reference_fails_before_any_write_but_not_in_check_mode():
    api = FakeApi()
    with pytest.raises(Unresolved, match="owner: no owner named 'nobody'"):
        run(api, name="w1", owner="nobody")
    result, ctx = run(api, check_mode=True, name="w1", owner="nobody")
    assert result["changed"] is True
    assert "assumed to be created by an earlier task" in ctx.warnings[0]
    assert api.writes == []


def test_failed_create_that_happened_is_not_sent_twice():
    api = FakeApi()
    api.fail_next_create = ApiError("POST", "/api/widgets/", None, "connection reset", uncertain=True)
    result, ctx = run(api, name="w1", size=1, store_before_failing=True)
    assert result["changed"] is True
    assert api.writes == [("POST", "w1")]
    assert "the object exists: using it" in ctx.warnings[0]


def test_failed_create_that_did_not_happen_is_retried_after_lookup():
    api = FakeApi()
    api.fail_next_create = ApiError("POST", "/api/widgets/", 503, "Service Unavailable", uncertain=True, retry_after=0)
    result, ctx = run(api, name="w1", size=1)
    assert result["changed"] is True
    assert api.writes == [("POST", "w1")]
    assert "it is not there, so retrying" in ctx.warnings[0]


def test_a_500_on_create_is_looked_up_but_not_sent_again():
    # Issue 10: a deterministic 500 was sent four times. Only "try later" answers
    # (no answer, 429/502/503/504) are sent again once the look-up finds nothing.
    api = FakeApi()
    api.fail_next_create = ApiError("POST", "/api/widgets/", 500, "Failed to create subscriber", uncertain=True, retry_after=0)
    with pytest.raises(ApiError, match="HTTP 500"):
        run(api, name="w1", size=1)
    assert api.writes == [] and api.objects == {}
    api.fail_next_create = ApiError("POST", "/api/widgets/", 500, "Internal error", uncertain=True)
    result, ctx = run(api, name="w2", size=1, store_before_failing=True)
    assert result["changed"] is True and "the object exists: using it" in ctx.warnings[0]


def test_client_error_on_create_is_not_retried():
    api = FakeApi()
    api.fail_next_create = ApiError("POST", "/api/widgets/", 422, "Validation failed. field='size'")
    with pytest.raises(ApiError, match="HTTP 422"):
        run(api, name="w1", size=1)
    assert api.writes == []


def test_bulk_reports_each_item_and_does_not_hide_others():
    api = FakeApi()
    items = [{"name": "a", "size": 1}, {"name": "bad"}, {"name": "c"}]
    result, _ctx = run(api, items=items, size=9, workers=2)
    assert result["failed"] is True
    assert result["summary"] == {"total": 3, "changed": 2, "failed": 1}
    by_item = {r["item"]: r for r in result["results"]}
    assert by_item["name=bad"]["msg"] == "name: 'bad' is not allowed; pick another name"
    assert api.objects["a"]["size"] == 1  # the item's own value wins
    assert api.objects["c"]["size"] == 9  # inherited from the task
    assert "1 of 3 items failed" in result["msg"]
