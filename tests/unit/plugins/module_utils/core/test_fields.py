# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Declared fields: one declaration gives both argument specs, the desired state,
the view, the API body, the comparison and the masking; and the run context's
caches and natural-key finder."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import MISSING, RunContext, find_unique
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import MASK, MASK_CHANGED, Field, FieldSet, mask, mask_deep

FIELDS = FieldSet(
    Field("username", option="sip_username", item_option="username", item_aliases=["sip_username"], key=True),
    Field("domain", key=True, compare="casefold"),
    Field("password", option="sip_password", item_option="password", item_aliases=["sip_password"],
          secret="readable"),
    Field("webpassword", secret="write_only"),
    Field("aliases", type="list", elements="str", compare="set", api_name="alias_numbers"),
    Field("lock", type="raw", normalise=int, read=lambda v: None if v in (None, "") else int(v)),
    Field("uuid", writable=False),
    Field("state", choices=["present", "absent"], default="present", api=False),
    Field("update_password", choices=["on_create", "always"], default="on_create", api=False, no_log=False),
)


def test_task_and_items_specs_come_from_the_same_fields():
    spec = FIELDS.argument_spec()
    assert spec["sip_username"] == {"type": "str"}
    assert spec["sip_password"] == {"type": "str", "no_log": True}
    assert spec["state"] == {"type": "str", "choices": ["present", "absent"], "default": "present"}
    assert spec["update_password"]["no_log"] is False
    items = spec["items"]
    assert (items["type"], items["elements"]) == ("list", "dict")
    entry = items["options"]
    assert entry["username"] == {"type": "str", "required": True, "aliases": ["sip_username"]}
    assert entry["password"] == {"type": "str", "aliases": ["sip_password"], "no_log": True}
    assert entry["state"] == {"type": "str", "choices": ["present", "absent"]}  # no default: inherited
    assert "sip_username" not in entry and "username" not in spec


def test_entry_names_become_task_names():
    assert FIELDS.entry_as_task({"username": "u1", "password": "p", "domain": "d"}) == {
        "sip_username": "u1", "sip_password": "p", "domain": "d"}
    assert FIELDS.entry_as_task({"sip_username": "u2"})["sip_username"] == "u2"


def test_desired_view_api_compare_and_mask():
    item = {"sip_username": "u1", "domain": "D.example", "sip_password": "s3cret", "lock": "4", "state": "present",
            "aliases": ["2", "1"]}
    desired = FIELDS.desired(item)
    assert desired == {"username": "u1", "domain": "D.example", "password": "s3cret", "lock": 4, "aliases": ["2", "1"]}
    view = FIELDS.view({"username": "u1", "domain": "d.example", "password": "x", "alias_numbers": ["1", "2"],
                        "lock": "4", "webpassword": "never", "uuid": "abc"})
    assert "webpassword" not in view and view["lock"] == 4 and view["aliases"] == ["1", "2"]
    assert not FIELDS.differs("domain", view["domain"], desired["domain"])
    assert not FIELDS.differs("aliases", view["aliases"], desired["aliases"])
    assert FIELDS.differs("password", view["password"], desired["password"])
    assert FIELDS.to_api({"aliases": ["1"], "uuid": "u", "lock": 4}) == {"alias_numbers": ["1"], "lock": 4}
    assert (FIELDS.hidden, FIELDS.write_only, FIELDS.keys) == (("password", "webpassword"), ("webpassword",),
                                                               ("username", "domain"))
    masked = mask({"password": "a", "webpassword": "b", "lock": 1}, FIELDS.hidden, ["webpassword"])
    assert masked == {"password": MASK, "webpassword": MASK_CHANGED, "lock": 1}


def test_nested_fields_and_bad_declarations():
    nested = FieldSet(Field("cfu", type="dict", options=[Field("timeout", type="int", default=300)]))
    assert nested.argument_spec(items=False) == {"cfu": {"type": "dict", "options": {"timeout": {"type": "int", "default": 300}}}}
    with pytest.raises(ValueError):
        Field("x", secret="maybe")
    with pytest.raises(ValueError):
        FieldSet(Field("x"), Field("x"))


def test_cache_computes_each_key_once_under_workers():
    run = RunContext()
    cache = run.cache("subscribers")
    assert run.cache("subscribers") is cache and cache.get("k") is MISSING
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.05)
        return 42

    threads = [threading.Thread(target=cache.get_or_compute, args=("k", compute)) for _index in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1] and cache.get("k") == 42
    cache.forget("k")
    assert "k" not in cache


def test_find_unique_never_guesses():
    rows = [{"id": 1, "name": "a"}, {"id": 2, "name": "A"}]
    assert find_unique(rows, lambda r: r["name"] == "a")["id"] == 1
    assert find_unique(rows, lambda r: r["name"] == "b") is None
    with pytest.raises(VoipError, match=r"name 'a' is ambiguous: 2 match \(ids 1, 2\)"):
        find_unique(rows, lambda r: r["name"].lower() == "a", "name 'a'")


def test_run_context_clock_and_warnings():
    now = [100.0]
    seen = []
    run = RunContext(warn=seen.append, clock=lambda: now[0], sleeper=lambda s: now.__setitem__(0, now[0] + s))
    run.sleep(5)
    run.warn("once")
    run.warn("once")
    assert run.now() == 105.0 and run.warnings == seen == ["once"]


def test_mask_deep_masks_every_secret_key_at_any_depth():
    data = {"items": [{"username": "u", "password": "p", "webpassword": "w", "prefs": {"peer_auth_pass": "x"},
                       "api_token": "t", "password_hint": "kept", "empty_password": None}],
            "defs": {"peer_auth_pass": {"data_type": "string"}}}
    masked = mask_deep(data)
    item = masked["items"][0]
    assert (item["password"], item["webpassword"], item["prefs"]["peer_auth_pass"], item["api_token"]) == (MASK,) * 4
    assert item["password_hint"] == "kept" and item["empty_password"] is None
    assert masked["defs"] == data["defs"]  # a definition named like a secret is not a secret
    assert data["items"][0]["password"] == "p"  # a copy
