# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``item_results``: every task with ``items`` has it; ``compact`` reduces the
entries that neither changed nor failed to ``changed``/``item`` and keeps the
changed and failed entries whole; ``full`` (the default) changes nothing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options
from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec, compact_results

BULK = {
    "changed": True,
    "failed": True,
    "msg": "1 of 4 items failed",
    "summary": {"total": 4, "changed": 1, "failed": 1},
    "results": [
        {"changed": False, "subscriber": {"id": 1, "username": "a"}, "diff": {"before": {}, "after": {}},
         "item": "username=a"},
        {"changed": True, "subscriber": {"id": 2, "username": "b"}, "diff": {"before": {"x": 1}, "after": {"x": 2}},
         "item": "username=b"},
        {"changed": False, "failed": True, "msg": "HTTP 422: no", "item": "username=c"},
        {"changed": False, "subscriber": {"id": 4}, "warnings": ["w"], "item": "username=d"},
        {"changed": None, "msg": "not applied: item 2 (username=c) is invalid", "item": "username=e"},
    ],
    "diff": [{"before": {"x": 1}, "after": {"x": 2}}],
}


def spec_with(result):
    return ModuleSpec(argument_spec=dict(name=dict(type="str"), items=dict(type="list", elements="dict")),
                      run_function=lambda options, ctx: copy.deepcopy(result))


def test_every_task_with_items_has_the_option_and_no_other_does():
    assert ModuleSpec(argument_spec=dict(items=dict(type="list")), run_function=None).argument_spec["item_results"] == \
        dict(type="str", choices=["full", "compact"], default="full")
    assert "item_results" not in ModuleSpec(argument_spec=dict(name=dict(type="str")), run_function=None).argument_spec


def test_compact_keeps_changed_and_failed_items_whole_and_reduces_the_others():
    result = spec_with(BULK).run(Options({"items": [{}], "item_results": "compact"}), RunContext())
    assert result["results"] == [
        {"changed": False, "item": "username=a"},
        BULK["results"][1],
        BULK["results"][2],
        {"changed": False, "warnings": ["w"], "item": "username=d"},
        BULK["results"][4],
    ]
    # The task's own keys are untouched.
    assert dict((k, v) for k, v in result.items() if k != "results") == \
        dict((k, v) for k, v in BULK.items() if k != "results")


def test_full_and_the_default_return_every_item_whole():
    for options in ({"items": [{}]}, {"items": [{}], "item_results": "full"}):
        assert spec_with(BULK).run(Options(options), RunContext()) == BULK


def test_compact_without_items_changes_nothing():
    single = {"changed": False, "subscriber": {"id": 1}}
    assert spec_with(single).run(Options({"item_results": "compact"}), RunContext()) == single
    assert compact_results({"changed": False}) == {"changed": False}
