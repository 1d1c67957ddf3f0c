# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The data-replication journal of an account (module sip2sip_journal).

The platform's traps (spec 5.17) and what this module does about them:

* no de-duplication on put: every put adds rows.  The journal does not keep the
  client's own id either, so an entry is recognised by what it does keep: a row
  written by the same client ``uuid`` with exactly the same ``data``.  Entries
  already there are not sent again; two entries with the same data are refused
  (they could not be told apart);
* a ``limit`` below 5000 returns nothing: never sent.  A read returns at most
  5000 rows, oldest first: the module reads on with ``after_id`` until a short page;
* ``after_timestamp`` is compared as text with a DATETIME: only
  ``YYYY-MM-DD HH:MM:SS`` is accepted (an epoch number would filter nothing);
* an entry's data must be a string (anything else crashes the page);
* an empty ``data=[]`` is a "decode error": never sent;
* delete is broken on the stock backend (``{"error_message": "database error"}``):
  ``state=absent`` tries it and fails saying so.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, VoipError

_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")


def check_entries(entries):
    """The entries as ``[(client id as str, data)]``; InputError naming the bad one."""
    if not entries:
        raise InputError("entries: give at least one {id, data} entry (the platform refuses an empty list)")
    result, ids, datas = [], {}, {}
    for position, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise InputError("entries[%d]: must be a dict with id and data" % position)
        client_id, data = entry.get("id"), entry.get("data")
        if client_id is None or str(client_id) == "":
            raise InputError("entries[%d]: id (the client's own identifier of the entry) is required" % position)
        if not isinstance(data, str):
            raise InputError("entries[%d] (id %s): data must be a string (encode or encrypt it first); the platform "
                             "fails on anything else" % (position, client_id))
        client_id = str(client_id)
        if client_id in ids:
            raise InputError("entries: id %s is given twice (entries %d and %d)" % (client_id, ids[client_id], position))
        if data in datas:
            raise InputError("entries: ids %s and %s have the same data; the journal keeps no client id, so they could "
                             "not be told apart" % (datas[data], client_id))
        ids[client_id], datas[data] = position, client_id
        result.append((client_id, data))
    return result


def check_after_timestamp(value):
    if value is None:
        return None
    text = str(value).strip()
    if not _DATETIME_RE.match(text):
        raise InputError("after_timestamp: %r must be a date and time YYYY-MM-DD HH:MM:SS (the platform compares it as "
                         "text with its DATETIME column, so an epoch number would filter nothing)" % (value,))
    return text


def read_all(api, **params):
    """Every row the filters select (the client reads page after page of 5000 by ``after_id``)."""
    query = dict((k, str(v) if k == "after_id" else v) for k, v in params.items() if v is not None)
    return api.rows("get_journal_entries", **query)


def put_missing(api, uuid, entries, check_mode):
    """``(journal_ids, sent, duplicates)``: the journal id of every entry, the
    client ids sent now, and client ids already stored more than once."""
    rows = [row for row in read_all(api) if row.get("uuid") == uuid]
    by_data = {}
    for row in rows:
        by_data.setdefault(row.get("data"), []).append(str(row["id"]))
    journal_ids, missing, duplicates = {}, [], []
    for client_id, data in entries:
        found = by_data.get(data)
        if found:
            journal_ids[client_id] = found[0]
            if len(found) > 1:
                duplicates.append(client_id)
        else:
            missing.append((client_id, data))
    if not missing or check_mode:
        for client_id, _data in missing:
            journal_ids[client_id] = None
        return journal_ids, [client_id for client_id, _data in missing], duplicates
    body = api.post("put_journal_entries", {
        "uuid": uuid, "data": json.dumps([{"id": client_id, "data": data} for client_id, data in missing])})
    for result in (body or {}).get("results") or []:
        journal_ids[str(result.get("id"))] = result.get("journal_id")
    failed = [client_id for client_id, _data in missing if not journal_ids.get(client_id)]
    if failed:
        raise VoipError("SIP2SIP put_journal_entries for %s stored no row for ids %s" % (api.account, ", ".join(failed)))
    return journal_ids, [client_id for client_id, _data in missing], duplicates


def delete(api, journal_ids):
    try:
        api.post("delete_journal_entries", {"data": json.dumps([int(i) for i in journal_ids])})
    except ApiError as exc:
        if "database error" in (exc.server_message or ""):
            raise VoipError("SIP2SIP delete_journal_entries for %s answered 'database error': the platform's delete is "
                            "broken on the stock CDRTool backend (its SQL is invalid); the entries %s are still there"
                            % (api.account, ", ".join(journal_ids)))
        raise
