# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NoLogScrubber hides what Ansible's remove_values hides, without its quadratic cost."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.parameters import remove_values

from ansible_collections.voip.provisioning.plugins.module_utils.core.options import NO_LOG_MASK, NoLogScrubber

SECRETS = {"s3cret-pass", "pw-000001-secret", "pw-000002-secret", "12345678"}
RESULT = {
    "changed": True,
    "msg": "POST /api/subscribers/ failed: HTTP 422: password 'pw-000001-secret' too weak",
    "results": [
        {"item": "username=alice", "subscriber": {"password": "pw-000002-secret", "cc": 43, "pin": 12345678}},
        {"item": "username=bob", "warnings": ["login s3cret-pass refused", "plain text"], "tags": ("s3cret-pass", "ok")},
    ],
    "s3cret-pass": "a key that is a secret",
}


def test_no_secret_survives_anywhere():
    scrubbed = NoLogScrubber(SECRETS).scrub(RESULT)
    text = repr(scrubbed)
    for secret in SECRETS:
        assert secret not in text
    assert scrubbed["results"][0]["subscriber"]["password"] == NO_LOG_MASK
    assert scrubbed["results"][0]["subscriber"]["pin"] == NO_LOG_MASK
    assert scrubbed["msg"] == "POST /api/subscribers/ failed: HTTP 422: password '%s' too weak" % NO_LOG_MASK
    assert scrubbed["results"][1]["warnings"] == ["login %s refused" % NO_LOG_MASK, "plain text"]
    assert scrubbed["results"][1]["tags"] == (NO_LOG_MASK, "ok")
    assert scrubbed["results"][0]["subscriber"]["cc"] == 43


def test_hides_at_least_what_remove_values_hides():
    ours = repr(NoLogScrubber(SECRETS).scrub(RESULT))
    ansible = repr(remove_values(RESULT, SECRETS))
    for secret in SECRETS:
        assert (secret in ours) <= (secret in ansible)


def test_nothing_to_hide_leaves_data_alone():
    assert NoLogScrubber(set()).scrub(RESULT) == RESULT
    assert NoLogScrubber({None, ""}).scrub({"a": "b"}) == {"a": "b"}
