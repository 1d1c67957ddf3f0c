#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vtx_subscription
short_description: Keep a VTX call-log push subscription alive
version_added: 0.2.0
description:
  - Keeps one C(CALL_LOG) push subscription of the VTX VoIP OpenAPI alive - the platform POSTs every
    call log of the listed users to O(notification_url) when a call ends.
  - Subscriptions are leases - they last 3 days at most and vanish when they expire, and the platform
    does not de-duplicate identical ones. This module lists the subscriptions, matches them by
    resource type, set of user ids and URL (the server's id is not a natural key), then creates one
    when none matches, renews it (C(PATCH {expires})) when it expires within O(renew_margin), deletes
    duplicates (keeping the one that lasts longest), and deletes every match for O(state=absent).
  - A second run inside the margin reports no change and sends no write.
  - Desired state holds only while the task runs more often than every 3 days minus the margin;
    schedule it (an AWX schedule or cron; see the C(vtx_cdr_feed) role).
  - Changing the user set or the URL makes a different subscription - the old one is left to expire
    unless removed with O(state=absent) or O(exclusive) (only the C(expires) patch is documented by
    the platform, so a user set is never patched).
  - Time is the platform's - "now" is read from the server's C(Date) header, not the controller's clock.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.vtx_connection
  - voip.provisioning.vtx_connection.DIRECTORY
  - voip.provisioning.attributes
  - voip.provisioning.vtx_connection.GROUP
options:
  notification_url:
    description:
      - The http:// or https:// URL the platform POSTs the call logs to. The platform signs nothing;
        the receiver must check the C(subscriptionId) (the C(vtx_cdr_webhook) event source does).
    type: str
    required: true
  users:
    description:
      - The users whose call logs are pushed - login names, numbers or user ids (see O(directory)).
      - The set matters, not the order or repetitions.
      - Required unless O(all_users) is set.
    type: list
    elements: str
  all_users:
    description:
      - Subscribe every user of O(directory) - the platform has no enterprise-wide C(CALL_LOG)
        subscription, so the directory is expanded into the user set. A user added to the directory
        later means a new subscription (the old one is then a different set; remove it with
        O(state=absent) or let it expire).
    type: bool
    default: false
  exclusive:
    description:
      - O(notification_url) belongs to this task - also delete the subscriptions of the same resource
        type to that URL for any other user set (left behind when the user set changed; they would
        push the same calls twice until they expire). With O(state=absent), every subscription to the
        URL is deleted.
    type: bool
    default: false
  resource_type:
    description: What is pushed; the platform documents C(CALL_LOG) only.
    type: str
    choices: [CALL_LOG]
    default: CALL_LOG
  lifetime:
    description:
      - Seconds a created or renewed subscription lasts, at most 259200 (3 days, the platform's limit).
        Asked lifetimes are shortened by 300 s below that limit, so that the request never reaches the
        platform past its cap.
      - Default 259200. Mutually exclusive with O(expires).
    type: int
  expires:
    description:
      - The instant a created or renewed subscription ends, ISO 8601 with an offset
        (V(2026-12-06T00:00:00Z)). More than 3 days ahead of the platform's time, or in the past,
        fails before any write.
      - With O(expires), O(renew_margin) is not used - an existing subscription is renewed when it ends
        more than 300 s before O(expires) (or before the platform's cap, when that comes first).
    type: str
  renew_margin:
    description:
      - Renew when the subscription expires within this many seconds. Must be shorter than the lifetime.
      - Not used with O(expires).
    type: int
    default: 86400
  state:
    description:
      - V(present) keeps one matching subscription alive; V(absent) deletes every matching one.
    type: str
    choices: [present, absent]
    default: present
notes:
  - A forged notification is indistinguishable from a real one except by its C(subscriptionId); keep
    C(id) of RV(subscription) to yourself and verify it on the receiver (the C(vtx_cdr_webhook) event source does).
  - The C(vtx_cdr_feed) role keeps the enterprise's CDR subscriptions alive from the directory, on a schedule.
seealso:
  - module: voip.provisioning.vtx_cdr_info
"""

EXAMPLES = r"""
- name: Push the call logs of two users to the CRM (run at least daily)
  voip.provisioning.vtx_subscription:
    username: openapi@291908.bus.ent
    password: "{{ vtx_password }}"
    service_psk: "{{ vtx_service_psk }}"
    directory: "{{ vtx_directory }}"
    notification_url: https://crm.example.com/vtx/cdr
    users:
      - "+41225662194"
      - "+41225662195@m.ipvoip.ch"
  register: subscription

- name: The whole enterprise (every user of the directory), renewed when less than 12 h remain
  voip.provisioning.vtx_subscription:
    notification_url: https://crm.example.com/vtx/cdr
    all_users: true
    renew_margin: 43200

- name: Stop the pushes
  voip.provisioning.vtx_subscription:
    notification_url: https://crm.example.com/vtx/cdr
    all_users: true
    state: absent
"""

RETURN = r"""
subscription:
  description: The subscription kept (in check mode, as it was), as the platform returns it.
  returned: when O(state=present) and one exists or was created (not in check mode for a create)
  type: dict
  sample:
    id: dfaa8ef2-ac51-4883-ad40-92de788e142c
    resourceType: CALL_LOG
    resourceIds: ["176125", "176129"]
    userIds: [176125, 176129]
    notificationUrl: https://crm.example.com/vtx/cdr
    expires: "2026-12-07T10:55:00Z"
    creatorId: openapi@291908.bus.ent
    creatorRole: ENTERPRISE_ADMIN
    creatorIsImpersonated: false
    applicationId: 71c177e5-7417-4265-b97f-4595016dceb8
    created: "2026-12-04T11:00:00.123456+01:00"
    modified: "2026-12-04T11:00:00.123456+01:00"
removed:
  description: How many duplicate subscriptions were deleted (would be, in check mode).
  returned: when a matching subscription existed and something changed
  type: int
  sample: 1
removed_other:
  description: Ids of the subscriptions to the same URL for another user set that were deleted (would be, in check mode).
  returned: with O(exclusive)
  type: list
  elements: str
  sample: ["5b14a0bf-da8a-4c32-9979-1bc7017a3b84"]
diff:
  description: The subscription before and after (C(id), C(expires) in UTC, C(users), C(notification_url), C(resource_type)).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.connection import argument_spec, run_task
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import DIRECTORY_OPTIONS
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.subscriptions import FIELDS, Subscription

OPTIONS = dict(
    FIELDS.argument_spec(items=False),
    all_users=dict(type="bool", default=False),
    exclusive=dict(type="bool", default=False),
    lifetime=dict(type="int"),
    expires=dict(type="str"),
    renew_margin=dict(type="int", default=86400),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)


def run(options, ctx):
    return run_task(Subscription, options, ctx)


MODULE = ModuleSpec(
    argument_spec(**dict(OPTIONS, **DIRECTORY_OPTIONS)), run,
    mutually_exclusive=[["users", "all_users"], ["lifetime", "expires"]],
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
