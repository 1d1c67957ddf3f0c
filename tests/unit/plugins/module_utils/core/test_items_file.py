# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""items_file: entries read by the module, validated with the suboptions of items,
their secrets masked; the module's rules about items apply to items_file too."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.items_file import load_entries
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options
from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec

ITEMS = {"type": "list", "elements": "dict", "mutually_exclusive": [("customer", "customer_id")], "options": {
    "username": {"type": "str", "required": True},
    "password": {"type": "str", "no_log": True},
    "lock": {"type": "int", "default": 0},
    "customer": {"type": "str"},
    "customer_id": {"type": "int"},
    "state": {"type": "str", "choices": ["present", "absent"]},
}}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_and_yaml_entries_are_validated_with_defaults_and_their_secrets_collected(tmp_path):
    json_path = write(tmp_path, "e.json", json.dumps([{"username": "a", "password": "Pw-a-1", "lock": "2"}]))
    yaml_path = write(tmp_path, "e.yml", "- username: a\n  password: Pw-a-1\n  lock: '2'\n")
    for path in (json_path, yaml_path):
        entries, secrets = load_entries(path, ITEMS)
        assert entries == [{"username": "a", "password": "Pw-a-1", "lock": 2, "customer": None, "customer_id": None,
                            "state": None}]
        assert secrets == {"Pw-a-1"}


def test_invalid_entries_are_named_and_nothing_is_returned(tmp_path):
    path = write(tmp_path, "e.json", json.dumps([
        {"username": "a"}, {"password": "x"}, "b", {"username": "c", "customer": "x", "customer_id": 1},
        {"username": "d", "state": "gone"}, {"username": "e", "colour": "red"}]))
    with pytest.raises(InputError) as caught:
        load_entries(path, ITEMS)
    message = str(caught.value)
    assert message.startswith("items_file: 5 of 6 entries of %s are invalid, so nothing was applied: entry 1: " % path)
    for part in ("missing required arguments: username", "entry 2 is a str, not a dict",
                 "parameters are mutually exclusive: customer|customer_id", "entry 4:", "colour"):
        assert part in message, part


@pytest.mark.parametrize("text, expected", [
    ('{"username": "a"}', "must hold a list of entries (the keys of items), not a dict"),
    ("[{", "is not valid JSON"),
])
def test_a_file_that_is_not_a_list_of_entries_fails_naming_it(tmp_path, text, expected):
    path = write(tmp_path, "e.json", text)
    with pytest.raises(InputError, match="^items_file: .*" + expected.replace("(", r"\(").replace(")", r"\)")):
        load_entries(path, ITEMS)


def test_a_missing_file_says_where_it_is_read(tmp_path):
    with pytest.raises(InputError, match="^items_file: cannot read .*on the host that runs the module"):
        load_entries(str(tmp_path / "nope.json"), ITEMS)


def test_pinned_validator_keeps_no_log_values_where_items_file_reads_them():
    outcome = ArgumentSpecValidator(ITEMS["options"]).validate({"username": "a", "password": "Pw-1"})
    assert outcome._no_log_values == {"Pw-1"}


def test_module_rules_about_items_cover_items_file_and_its_secrets_are_masked(tmp_path):
    seen = []

    def run(options, ctx):
        seen.append(options.get("items"))
        return {"changed": True, "results": [{"item": e["username"], "msg": "set %s" % e["password"]} for e in options["items"]]}

    spec = ModuleSpec({"name": {"type": "str"}, "items": ITEMS, "items_file": {"type": "path"}}, run,
                      mutually_exclusive=[("name", "items")], required_one_of=[("name", "items")])
    assert spec.mutually_exclusive == [("name", "items"), ("name", "items_file"), ("items", "items_file")]
    assert spec.required_one_of == [("name", "items", "items_file")]
    path = write(tmp_path, "e.json", json.dumps([{"username": "a", "password": "Pw-secret-1"}]))
    result = spec.run(Options({"items_file": path, "items": None}), RunContext())
    assert seen[0][0]["username"] == "a"
    assert result["results"] == [{"item": "a", "msg": "set ********"}]
