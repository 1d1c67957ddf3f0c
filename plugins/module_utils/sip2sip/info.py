# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What sip2sip_info reads: one getter per section, each answer made regular.

A section whose call the platform itself breaks on (``get_monthly_usage`` dies
with HTTP 500 in current CDRTool; ``get_prepaid`` answers an HTML error fragment
for an account that is not prepaid) is reported in ``errors`` with the server's
message; the other sections are still read.  A refused login or an unreachable
server fails the task (every section would fail the same way).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import MASK
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.settings import dnd_state
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.targets import CONDITIONS


def _identity(body):
    return body


def _list(body):
    return list(body or [])


def _forwarding(body):
    body = body or {}
    return dict((name, body.get(code) or None) for name, code in CONDITIONS)


def _accept_rules(body):
    body = dict(body or {})
    body.setdefault("persistent", {})
    body.update(dnd_state(body))
    return body


def _history(body):
    body = body or {}
    return {"placed": list(body.get("placed") or []), "received": list(body.get("received") or [])}


def _voicemail(body):
    if not body:
        return None
    body = dict(body)
    if body.get("Password") is not None:
        body["Password"] = MASK
    return body


#: section -> (action, shaping function). Lists the platform answers as null are [].
SECTIONS = (
    ("identity", "get_identity", _identity),
    ("aliases", "get_aliases", _list),
    ("enum", "get_enum", _list),
    ("call_forwarding", "get_call_forwarding", _forwarding),
    ("accept_rules", "get_accept_rules", _accept_rules),
    ("reject_rules", "get_reject_rules", _list),
    ("voicemail", "get_voicemail", _voicemail),
    ("devices", "get_devices", _list),
    ("history", "get_history", _history),
    ("prepaid", "get_prepaid", _identity),
    ("balance_history", "get_balance_history", _list),
    ("monthly_usage", "get_monthly_usage", _identity),
)
SECTION_NAMES = [name for name, _action, _shape in SECTIONS]
DEFAULT_SECTIONS = ["identity", "aliases", "call_forwarding", "accept_rules"]


def gather(api, wanted):
    """``(info, errors)`` for the wanted sections, in their declared order."""
    info, errors = {}, {}
    for name, action, shape in SECTIONS:
        if name not in wanted:
            continue
        try:
            info[name] = shape(api.get(action))
        except ApiError as exc:
            if exc.status in (None, 401):
                raise
            errors[name] = exc.server_message or str(exc)
    return info, errors
