# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process runner's use of ansible-core's argument validation.

Two things have no public API in ansible-core 2.19 and are pinned here, so that the
next ansible-core that changes them fails these tests loudly (not a user's run):
the no_log values of a validation (``ValidationResult._no_log_values``) and the
reporting of validation warnings by ``ModuleArgumentSpecValidator`` itself."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common import arg_spec
from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator, ValidationResult

from ansible_collections.voip.provisioning.plugins.module_utils.core.options import NO_LOG_MASK
from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.plugin_utils.local_action import no_log_values, validate_arguments

SPEC = ModuleSpec(
    argument_spec=dict(
        url=dict(type="str"),
        username=dict(type="str", aliases=["sip_username"]),
        password=dict(type="str", no_log=True),
        items=dict(type="list", elements="dict", options=dict(
            username=dict(type="str"), password=dict(type="str", no_log=True))),
    ),
    run_function=lambda options, ctx: {"changed": False},
)


def test_pinned_validation_result_keeps_no_log_values_in_a_private_set():
    # If this fails, ansible-core moved the no_log values: update
    # local_action.no_log_values (and this test) before anything else.
    result = ModuleArgumentSpecValidator(SPEC.argument_spec).validate(
        {"password": "top-secret", "items": [{"username": "a", "password": "item-secret"}]})
    assert isinstance(result, ValidationResult)
    assert isinstance(result._no_log_values, set), "ValidationResult._no_log_values changed in this ansible-core"
    assert {"top-secret", "item-secret"} <= result._no_log_values


def test_no_log_values_of_nested_items_are_scrubbed():
    validation, scrubber = validate_arguments(SPEC, {"password": "top-secret",
                                                     "items": [{"username": "a", "password": "item-secret"}]})
    assert validation.error_messages == []
    assert scrubber.scrub({"msg": "login a with item-secret and top-secret"}) == \
        {"msg": "login a with %s and %s" % (NO_LOG_MASK, NO_LOG_MASK)}


def test_a_validation_without_the_private_set_fails_the_task_instead_of_leaking():
    class Moved:
        pass

    with pytest.raises(AnsibleActionFail, match="ValidationResult._no_log_values"):
        no_log_values(Moved())


def test_pinned_validator_reports_alias_warnings_itself(monkeypatch):
    # The runner does not copy ValidationResult._warnings into the result because
    # ModuleArgumentSpecValidator already passes them to ansible-core's public warn().
    # If this fails, the runner has to report them itself again.
    warned = []
    monkeypatch.setattr(arg_spec, "warn", lambda message, **kwargs: warned.append(message))
    validate_arguments(SPEC, {"username": "a", "sip_username": "b"})
    assert warned == ["Both option username and its alias sip_username are set."]


def test_credentials_in_url_are_scrubbed_like_no_log_values():
    validation, scrubber = validate_arguments(SPEC, {"url": "https://admin:p%40ss-word@c5.example.com"})
    shown = json.dumps(scrubber.scrub({"invocation": {"module_args": validation.validated_parameters},
                                       "msg": "p@ss-word p%40ss-word"}))
    assert "p%40ss-word" not in shown and "p@ss-word" not in shown and "admin:" not in shown
    assert "c5.example.com" in shown


def test_pinned_ansible_module_keeps_the_diff_flag_in_a_private_attribute():
    # ModuleSpec.main reads AnsibleModule._diff (no public accessor in ansible-core 2.19).
    # If this fails, update core/runner.py before anything else.
    from ansible.module_utils.testing import patch_module_args

    with patch_module_args({"_ansible_diff": True, "_ansible_check_mode": True}):
        module = AnsibleModule(argument_spec={}, supports_check_mode=True)
    assert module._diff is True and module.check_mode is True


def test_plain_turns_tagged_values_into_the_plain_types_at_any_depth():
    from ansible._internal._datatag._tags import Origin
    from ansible_collections.voip.provisioning.plugins.plugin_utils.local_action import plain

    origin = Origin(path="/tenant.yml", line_num=3)
    entry = origin.tag({"username": origin.tag("a"), "n": origin.tag(5), "f": origin.tag(1.5), "ok": True, "x": None})
    tagged = origin.tag({origin.tag("items"): origin.tag([entry]), "t": (origin.tag("b"),), "s": set([1])})
    result = plain(tagged)
    assert result == {"items": [{"username": "a", "n": 5, "f": 1.5, "ok": True, "x": None}], "t": ("b",), "s": set([1])}

    def types(value):
        if isinstance(value, dict):
            return [type(value)] + [t for k, v in value.items() for t in types(k) + types(v)]
        if isinstance(value, (list, tuple, set)):
            return [type(value)] + [t for v in value for t in types(v)]
        return [type(value)]
    assert set(types(result)) == set([dict, list, tuple, set, str, int, float, bool, type(None)])
    untagged = {"a": ["b"]}
    assert plain(untagged) == untagged


def test_validation_sees_plain_values():
    from ansible._internal._datatag._tags import Origin

    origin = Origin(path="/tenant.yml")
    validation, _scrubber = validate_arguments(SPEC, origin.tag({"username": origin.tag("a"),
                                                                 "items": origin.tag([origin.tag({"username": "b"})])}))
    assert validation.validated_parameters["username"].__class__ is str
    assert validation.validated_parameters["items"][0].__class__ is dict


def test_invocation_counts_the_items_below_vvv_and_echoes_them_at_vvv():
    from ansible_collections.voip.provisioning.plugins.plugin_utils.local_action import invocation_args

    parameters = {"domain": "d", "items": [{"username": "a"}, {"username": "b"}], "workers": 2}
    assert invocation_args(parameters, verbosity=2) == {"domain": "d", "items": "2 entries (shown with -vvv)", "workers": 2}
    assert invocation_args(parameters, verbosity=3) is parameters
    assert invocation_args({"domain": "d", "items": None}, verbosity=0) == {"domain": "d", "items": None}
