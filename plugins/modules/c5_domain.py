#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: c5_domain
short_description: Manage SIP domains on a Sipwise C5
version_added: 0.1.0
description:
  - Creates or deletes a SIP domain (C(/api/domains/)) of a Sipwise C5 / sip:carrier.
  - A domain is identified by its name, compared case-insensitively as the C5 does.
  - A domain cannot be changed once created (the API has no update); a domain that exists
    under another reseller is reported as an error, not moved.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.c5_connection
  - voip.provisioning.attributes
  - voip.provisioning.attributes.C5_GROUP
  - voip.provisioning.bulk
options:
  domain:
    description:
      - The domain name (a host name or IP literal). Required unless O(items) is given.
      - One name per task or entry of O(items); a list, or a name that cannot be the host of a SIP URI
        (a space, an empty label, a leading or trailing V(-)), fails before any request.
    type: str
  reseller:
    description:
      - The reseller that owns the domain, by id or by name.
      - Required for administrators when creating; ignored (forced to their own) for
        reseller logins.
    type: str
  state:
    description:
      - V(present) creates the domain if it does not exist.
      - V(absent) deletes it. B(Deleting a domain also deletes every subscriber in it.)
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - Several domains in one task. Each entry takes the options above; an option an
        entry does not set is taken from the task.
    type: list
    elements: dict
    suboptions:
      domain:
        description: The domain name.
        type: str
        required: true
      reseller:
        description: The reseller, by id or name.
        type: str
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
"""

EXAMPLES = r"""
- name: Create the tenant's SIP domain
  voip.provisioning.c5_domain:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    domain: sip.tenant.example.com
    reseller: 1

- name: Connection once for all C5 tasks
  module_defaults:
    group/voip.provisioning.c5:
      url: https://c5.example.com:1443
      username: administrator
      password: "{{ c5_password }}"
  block:
    - name: Two domains in one task
      voip.provisioning.c5_domain:
        reseller: default
        items:
          - domain: sip.a.example.com
          - domain: sip.b.example.com

    - name: Remove a domain (and every subscriber in it)
      voip.provisioning.c5_domain:
        domain: old.example.com
        state: absent
"""

RETURN = r"""
domain:
  description: The domain as the API returns it (absent after a deletion or in check mode before creation).
  returned: when the domain exists
  type: dict
  sample: {"id": 3, "domain": "sip.tenant.example.com", "reseller_id": 1}
diff:
  description: Before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {"before": {}, "after": {"domain": "sip.tenant.example.com", "reseller_id": 1}}
results:
  description: One result per entry of O(items), each with C(changed), C(domain), C(item) and, on error, C(failed) and C(msg).
  returned: when O(items) is given
  type: list
  elements: dict
summary:
  description: Counts of the O(items) results.
  returned: when O(items) is given
  type: dict
  sample: {"total": 2, "changed": 1, "failed": 0}
  contains:
    total:
      description: The number of entries in O(items).
      returned: always
      type: int
      sample: 2
    changed:
      description: The entries that changed (in check mode, that would change).
      returned: always
      type: int
      sample: 1
    failed:
      description: The entries that failed, invalid ones included.
      returned: always
      type: int
      sample: 0
    not_applied:
      description:
        - "The valid entries that were not applied because invalid entries stopped the task before
          any request (O(continue_on_error=false), the default); each of them is in RV(results) with
          C(changed=null) and the message C(not applied: item N (...) is invalid)."
        - It is then C(total) minus C(failed).
      returned: when invalid entries stopped the task; never with O(continue_on_error=true), which applies the valid entries
      type: int
      sample: 1
"""

from ansible_collections.voip.provisioning.plugins.module_utils.c5.domains import Domain
from ansible_collections.voip.provisioning.plugins.module_utils.c5.task import c5_module

MODULE = c5_module(Domain, mutually_exclusive=[("domain", "items")], required_one_of=[("domain", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
