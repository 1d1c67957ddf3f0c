#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xc5_prompt
short_description: Manage the voice prompts of an XC5-XS account
version_added: 0.2.0
description:
  - Creates, uploads, renames or deletes a prompt of an XC5-XS account (C(/api-sys/account/{acct}/prompt)) -
    the greetings and menu announcements routes play.
  - A prompt is identified by its O(description) among the account's prompts (or by O(guid)). It is created
    under a client-chosen guid, so a create whose answer was lost is never duplicated.
  - With O(file), the WAV file is uploaded (multipart form data). Without it the prompt is created empty and
    the result's C(group_access) code (for example V(*2200101)) lets any phone of the organisation record it.
  - "How the module knows the audio is unchanged: the API returns neither the audio nor a checksum, only
    C(prompt_length) - the length in seconds it reads from the WAV header. The module computes the same length
    from the local file's header; when both agree to the millisecond the audio counts as unchanged and nothing
    is uploaded. A different recording of exactly the same length is therefore not detected - set
    O(force_upload) to replace it."
  - A file that is not a WAV (RIFF/WAVE) fails the task before any request.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.xc5_connection
  - voip.provisioning.attributes
  - voip.provisioning.xc5_connection.GROUP
  - voip.provisioning.bulk
options:
  account:
    description: The account the prompt belongs to, by name or guid. Required unless O(items) is given.
    type: str
  description:
    description:
      - The prompt's description, which identifies it among the account's prompts (routes may name a prompt
        by it, see M(voip.provisioning.xc5_route)). Required unless O(guid) is given.
      - With O(guid), setting a different description renames the prompt.
    type: str
  guid:
    description:
      - The prompt's guid - to manage a known prompt, or to create one under a chosen guid.
    type: str
  file:
    description:
      - A WAV file on the controller to upload as the prompt's audio.
    type: path
  force_upload:
    description: Upload O(file) even when its length equals the server's C(prompt_length).
    type: bool
    default: false
  state:
    description: V(present) creates or updates the prompt; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  items:
    description: Several prompts in one task; each entry takes the options above, unset ones come from the task.
    type: list
    elements: dict
    suboptions:
      account:
        description: The account.
        type: str
      description:
        description: The prompt's description.
        type: str
      guid:
        description: The prompt's guid.
        type: str
      file:
        description: A WAV file to upload.
        type: path
      force_upload:
        description: Upload even when the length is unchanged.
        type: bool
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
seealso:
  - module: voip.provisioning.xc5_route
"""

EXAMPLES = r"""
- name: Upload the hunt group's greeting
  voip.provisioning.xc5_prompt:
    account: main_entry@acmebrick.x.co.nz
    description: MyMessageGreeting
    file: files/greeting.wav

- name: An after-hours prompt recorded by phone
  voip.provisioning.xc5_prompt:
    account: main_entry@acmebrick.x.co.nz
    description: After Hours Menu
  register: after_hours

- name: Tell reception how to record it
  ansible.builtin.debug:
    msg: "Dial {{ after_hours.prompt.group_access }} (or 14 instead of *) to record the after-hours menu"
"""

RETURN = r"""
prompt:
  description: The prompt as the API returns it, with C(prompt_length) (seconds) and C(group_access) (the code to record it by phone).
  returned: when the prompt exists after the task (not in check mode before creation)
  type: dict
  sample: {"guid": "ECB3B334-5F1D-4CD7-8446-675FC7476E31", "description": "After Hours Menu", "prompt_length": 0,
           "group_access": "*2200101"}
diff:
  description: Before and after (description, prompt_length), when run with C(--diff).
  returned: when diff mode is on
  type: dict
results:
  description: One result per entry of O(items).
  returned: when O(items) is given
  type: list
  elements: dict
summary:
  description: Counts of the O(items) results.
  returned: when O(items) is given
  type: dict
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

from ansible_collections.voip.provisioning.plugins.module_utils.xc5.connection import xc5_module
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.prompts import Prompt

MODULE = xc5_module(Prompt, mutually_exclusive=[("account", "items")], required_one_of=[("account", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
