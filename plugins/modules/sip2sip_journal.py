#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sip2sip_journal
short_description: Put and read the data-replication journal of a SIP2SIP account
version_added: 0.2.0
description:
  - The journal lets several clients of one account replicate data among themselves (Blink
    replicates chat history with it). Each client instance has its own O(uuid); each entry its
    client-chosen O(entries[].id) and opaque O(entries[].data) (encrypt it, the server stores it
    as given).
  - O(state=present) puts the entries that are not stored yet. The platform does not
    de-duplicate (every put adds rows) and does not keep the client's id, so the module
    recognises a stored entry as a row of the same O(uuid) with exactly the same data, and sends
    only the others. A second identical run sends nothing.
  - O(state=query) reads entries (every page of up to 5000 rows, oldest first).
  - O(state=absent) asks the platform to delete the given entries. B(On the stock CDRTool
    backend this always fails) (the platform answers C(database error)); the task then fails
    saying so. It is offered for deployments with a working backend.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.sip2sip_connection
  - voip.provisioning.attributes
  - voip.provisioning.sip2sip_connection.ACTION_GROUP
options:
  state:
    description: V(present) puts missing entries, V(query) reads, V(absent) deletes.
    type: str
    choices: [present, query, absent]
    default: present
  uuid:
    description:
      - The client instance writing the entries (Blink uses its GRUU instance id,
        V(urn:uuid:...)). Required for V(present) and V(absent).
      - With O(state=query), entries written by this uuid are left out (O(except_uuid) says it
        explicitly).
    type: str
  entries:
    description:
      - The entries, for V(present) and V(absent). Two entries may not have the same data (the
        journal could not tell them apart).
    type: list
    elements: dict
    suboptions:
      id:
        description: The client's own identifier of the entry (returned with its journal id).
        type: str
        required: true
      data:
        description: The entry's data, a string (the platform fails on anything else, so anything else is refused).
        type: raw
        required: true
  after_id:
    description: With O(state=query), only entries with a larger journal id.
    type: int
  after_timestamp:
    description:
      - With O(state=query), only entries written after this time, as V(YYYY-MM-DD HH:MM:SS)
        (the platform compares text with its DATETIME column; an epoch number is refused here
        because it would filter nothing).
    type: str
  except_uuid:
    description: With O(state=query), leave out the entries written by this client instance.
    type: str
notes:
  - The platform ignores a request for fewer than 5000 rows by answering none, so the module
    never sends a limit.
seealso:
  - module: voip.provisioning.sip2sip_info
"""

EXAMPLES = r"""
- name: Replicate two messages from this client
  voip.provisioning.sip2sip_journal:
    account: alice@sip2sip.info
    password: "{{ sip2sip_web_password }}"
    uuid: urn:uuid:0d2b8e2a-7c1e-4b37-9a4e-2f9c6c1e6d10
    entries:
      - id: msg-1001
        data: "{{ message_1001 | b64encode }}"
      - id: msg-1002
        data: "{{ message_1002 | b64encode }}"
  register: put

- name: What other clients wrote since journal id 40
  voip.provisioning.sip2sip_journal:
    account: alice@sip2sip.info
    password: "{{ sip2sip_web_password }}"
    state: query
    except_uuid: urn:uuid:0d2b8e2a-7c1e-4b37-9a4e-2f9c6c1e6d10
    after_id: 40
  register: news
"""

RETURN = r"""
journal_ids:
  description:
    - With V(present), the journal id of every entry by its client id (C(null) in check mode
      for entries that would be put).
  returned: state=present
  type: dict
  sample: {msg-1001: "41", msg-1002: "42"}
put:
  description: The client ids sent now (in check mode, that would be sent).
  returned: state=present
  type: list
  elements: str
  sample: [msg-1002]
duplicates:
  description: Client ids whose data is stored more than once already (by earlier puts of a client that does not check).
  returned: state=present
  type: list
  elements: str
entries:
  description: With V(query), the rows read, oldest first.
  returned: state=query
  type: list
  elements: dict
  sample:
    - {id: "41", source: default, timestamp: "2026-05-01 10:00:00", account: alice@sip2sip.info,
       uuid: "urn:uuid:0d2b8e2a-7c1e-4b37-9a4e-2f9c6c1e6d10", ip_address: 192.0.2.1, data: "aGVsbG8="}
account:
  description: The account.
  returned: success
  type: str
"""

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip import journal
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.api import connection_spec, with_accounts


def run(options, ctx):
    state = options.get("state", "present")
    if state in ("present", "absent"):
        if not options.get("uuid"):
            raise InputError("uuid is required with state=%s: the client instance id (for example urn:uuid:...)" % state)
        entries = journal.check_entries(options.get("entries"))
    else:
        after_timestamp = journal.check_after_timestamp(options.get("after_timestamp"))

    def work(accounts):
        api = accounts.api(options)
        if state == "query":
            rows = journal.read_all(api, after_id=options.get("after_id"), after_timestamp=after_timestamp,
                                    except_uuid=options.get("except_uuid") or options.get("uuid"))
            return {"changed": False, "entries": rows, "account": api.account}
        journal_ids, sent, duplicates = journal.put_missing(api, options["uuid"], entries, ctx.check_mode
                                                            or state == "absent")
        if state == "absent":
            stored = [journal_ids[client_id] for client_id, _data in entries if journal_ids.get(client_id)]
            if stored and not ctx.check_mode:
                journal.delete(api, stored)
            result = {"changed": bool(stored), "account": api.account, "deleted": stored}
            if ctx.diff:
                result["diff"] = {"before": {"journal_ids": stored}, "after": {"journal_ids": []}}
            return result
        result = {"changed": bool(sent), "journal_ids": journal_ids, "put": sent, "duplicates": duplicates,
                  "account": api.account}
        if ctx.diff:
            result["diff"] = {"before": {"stored": sorted(k for k in journal_ids if k not in sent)},
                              "after": {"stored": sorted(journal_ids)}}
        return result

    return with_accounts(options, ctx, work)


def _argument_spec():
    spec = connection_spec()
    spec.update(
        state=dict(type="str", choices=["present", "query", "absent"], default="present"),
        uuid=dict(type="str"),
        entries=dict(type="list", elements="dict", options=dict(
            id=dict(type="str", required=True),
            # raw: a string is checked for, not converted to (the platform fails on non-strings).
            data=dict(type="raw", required=True),
        )),
        after_id=dict(type="int"),
        after_timestamp=dict(type="str"),
        except_uuid=dict(type="str"),
    )
    return spec


MODULE = ModuleSpec(argument_spec=_argument_spec(), run_function=run)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
