# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # How the modules that manage a subscriber's settings name the subscriber.
    DOCUMENTATION = r"""
options:
  sip_username:
    description:
      - The subscriber's SIP user name (compared case-insensitively, as the C5 does). Needs O(domain).
      - One of O(sip_username) (with O(domain)), O(subscriber_id) or O(items) is required.
      - It is not called C(username) because O(username) and O(password) are the B(API login), as
        in every module of this collection (usually set once with C(module_defaults) for
        C(group/voip.provisioning.c5)). The entries of O(items) name the subscriber C(username).
    type: str
  domain:
    description:
      - The subscriber's SIP domain.
      - With O(items), the domain of every entry that does not name its own.
    type: str
  subscriber_id:
    description:
      - The subscriber's id (the C(id) of C(/api/subscribers/)), instead of O(sip_username) and O(domain).
    type: int
"""
