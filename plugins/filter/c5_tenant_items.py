# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: c5_tenant_items
author: voip.provisioning contributors
version_added: 1.0.0
short_description: The O(items) of the c5_tenant role's bulk tasks, from its tenant variable
description:
  - Builds, in one pass over the subscribers of a C(c5_tenant) variable (see the
    C(voip.provisioning.c5_tenant) role), the O(voip.provisioning.c5_subscriber#module:items) of
    M(voip.provisioning.c5_subscriber), M(voip.provisioning.c5_callforward) or
    M(voip.provisioning.c5_subscriber_preferences).
  - The role uses it instead of chains of C(selectattr)/C(map)/C(zip)/C(combine), which cost
    Ansible's templating several passes over every subscriber (seconds at thousands of
    subscribers).
options:
  _input:
    description: The tenant (the role's C(c5_tenant) variable); only its C(subscribers) are read.
    type: dict
    required: true
  kind:
    description:
      - V(subscribers) gives every subscriber without the role-only keys C(call_forwards) and
        C(preferences).
      - V(call_forwards) gives C({username, <call forward types>}) of every subscriber that sets
        C(call_forwards) (not null) and is not declared C(state=absent).
      - V(preferences) gives C({username, preferences}) of every subscriber that sets C(preferences)
        (not null) and is not declared C(state=absent).
    type: str
    required: true
    choices: [subscribers, call_forwards, preferences]
"""

EXAMPLES = r"""
- name: Ensure the call forwards of a tenant
  voip.provisioning.c5_callforward:
    domain: "{{ c5_tenant.domain }}"
    items: "{{ c5_tenant | voip.provisioning.c5_tenant_items('call_forwards') }}"
"""

RETURN = r"""
_value:
  description: The entries, in the order of the tenant's subscribers.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

ROLE_ONLY_KEYS = frozenset(("call_forwards", "preferences"))
KINDS = ("subscribers", "call_forwards", "preferences")


def c5_tenant_items(tenant, kind):
    """See DOCUMENTATION.  Each subscriber's keys are read once; values are passed
    on as they are (``omit`` in them is removed by Ansible, as before)."""
    if kind not in KINDS:
        raise AnsibleFilterError("c5_tenant_items: kind must be one of %s, not %r" % (", ".join(KINDS), kind))
    if not hasattr(tenant, "get"):
        raise AnsibleFilterError("c5_tenant_items: the input must be the tenant (a dict), not %s" % type(tenant).__name__)
    subscribers = tenant.get("subscribers") or []
    if kind == "subscribers":
        return [dict((key, value) for key, value in subscriber.items() if key not in ROLE_ONLY_KEYS)
                for subscriber in subscribers]
    entries = [(subscriber.get("username"), subscriber.get("state"), subscriber.get(kind)) for subscriber in subscribers]
    absent = set(username for username, state, _value in entries if state == "absent")
    items = []
    for username, _state, value in entries:
        if value is None or username in absent:
            continue
        if kind == "preferences":
            items.append({"username": username, "preferences": value})
        else:
            if not hasattr(value, "items"):
                raise AnsibleFilterError("c5_tenant_items: call_forwards of subscriber %s must be a dict of call "
                                         "forward types, not %s" % (username, type(value).__name__))
            item = {"username": username}
            item.update(value.items())
            items.append(item)
    return items


class FilterModule(object):
    def filters(self):
        return {"c5_tenant_items": c5_tenant_items}
