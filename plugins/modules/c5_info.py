#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: c5_info
short_description: Read any collection or item of the Sipwise C5 REST API
version_added: 0.1.0
description:
  - Reads one item (O(id)) or all items of a collection (C(/api/<resource>/)) of a Sipwise C5 /
    sip:carrier, for example subscribers, customers, billing profiles, domains, customer contacts,
    call forwards, subscriber preferences, numbers, resellers or call forward destination sets.
  - A collection is read to the end, page by page (O(page_size) rows per request), or until
    O(limit) items were read. The HAL links are removed from the items.
  - The items of C(callforwards) have no C(id) in the API; the module adds it (the subscriber id)
    from each item's link.
  - C(subscriberpreferencedefs) is a single document, not a paginated collection; it is returned as
    RV(item) (preference name to definition).
  - Never changes anything.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.c5_connection
  - voip.provisioning.attributes.INFO_MODULE
  - voip.provisioning.attributes.C5_GROUP
options:
  resource:
    description:
      - The API collection name, as in the URL C(/api/<resource>/), for example V(subscribers),
        V(customers), V(billingprofiles), V(domains), V(customercontacts), V(callforwards),
        V(subscriberpreferences), V(numbers), V(resellers), V(cfdestinationsets),
        V(subscriberpreferencedefs).
    type: str
    required: true
  id:
    description:
      - Read only the item with this id (C(/api/<resource>/<id>)).
      - An item that does not exist (or is out of the login's scope) is not an error; the result
        then has RV(found=false) and RV(item=null).
    type: int
  filters:
    description:
      - Query parameters of the collection (name to value), for example C(handle) V(default) for
        billing profiles, or C(customer_id) and C(status) for subscribers.
      - The C5 ignores unknown filters silently and compares most text filters case-insensitively
        with C(*) as wildcard; check the items you get.
      - Booleans are sent as V(1)/V(0), lists joined with commas.
      - C(page) and C(rows) are set by the module (see O(page_size) and O(limit)).
    type: dict
  limit:
    description:
      - Stop after this many items (the first ones in the server's order; see the C(order_by) filter).
      - Not set means every item.
    type: int
  show_secrets:
    description:
      - B(Unsafe.) Return secrets in clear. By default the value of every key that holds a secret
        (C(password), C(webpassword), C(peer_auth_pass), any key ending in C(pass), C(password),
        C(secret), C(token) or C(psk)) is replaced by C(********) in every returned object, because
        results end up in logs and in the output of C(-v).
      - Set it only to read a secret on purpose, and protect the result (C(no_log) on the task).
    type: bool
    default: false
notes:
  - Runs in check mode like in normal mode, since it only reads.
seealso:
  - module: voip.provisioning.c5_subscriber
  - module: voip.provisioning.c5_callforward
  - module: voip.provisioning.c5_subscriber_preferences
"""

EXAMPLES = r"""
- name: The billing profile with handle default
  voip.provisioning.c5_info:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    resource: billingprofiles
    filters:
      handle: default
  register: profiles

- name: Connection once for all C5 tasks
  module_defaults:
    group/voip.provisioning.c5:
      url: https://c5.example.com:1443
      username: administrator
      password: "{{ c5_password }}"
  block:
    - name: Every subscriber of a customer
      voip.provisioning.c5_info:
        resource: subscribers
        filters:
          customer_id: 5
      register: subscribers

    - name: One subscriber's call forwards
      voip.provisioning.c5_info:
        resource: callforwards
        id: 42
      register: cf

    - name: Fail unless the subscriber exists
      ansible.builtin.assert:
        that: cf.found

    - name: The ten newest customers
      voip.provisioning.c5_info:
        resource: customers
        filters:
          order_by: id
          order_by_direction: desc
        limit: 10

    - name: The preference definitions (name, type, allowed values)
      voip.provisioning.c5_info:
        resource: subscriberpreferencedefs
      register: defs

    - name: Show the allowed languages
      ansible.builtin.debug:
        msg: "{{ defs.item.language.enum_values | map(attribute='value') | list }}"
"""

RETURN = r"""
items:
  description:
    - The items read (without HAL links); with O(id), the one item or nothing.
    - For C(subscriberpreferencedefs), the one document.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1, "handle": "default", "name": "Default Billing Profile", "reseller_id": 1}]
item:
  description:
    - The item read with O(id), or V(null) when it does not exist.
    - For C(subscriberpreferencedefs), the definitions document (preference name to definition).
  returned: when O(id) is given, or for C(subscriberpreferencedefs)
  type: dict
  sample: {"id": 42, "username": "alice", "domain": "sip.example.com", "customer_id": 5}
found:
  description: Whether the item with O(id) exists.
  returned: when O(id) is given, or for C(subscriberpreferencedefs)
  type: bool
  sample: true
count:
  description: The number of items returned (RV(items)).
  returned: always
  type: int
  sample: 1
total_count:
  description:
    - The number of matching items the server counted (also those beyond O(limit)).
  returned: when a collection was listed and the server counted
  type: int
  sample: 1
"""

import re

from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import (
    C5Api, c5_argument_spec, c5_client, self_link_id, strip_hal)
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import mask_deep
from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec

RESOURCE_NAME = re.compile(r"^[a-z0-9]+$")
# Documents that look like a collection URL but are one unpaginated object.
SINGLE_DOCUMENTS = frozenset(("subscriberpreferencedefs",))
RESERVED_FILTERS = ("page", "rows")


def resource_name(value):
    name = str(value or "").strip().strip("/")
    if name.startswith("api/"):
        name = name[4:]
    if not RESOURCE_NAME.match(name):
        raise InputError("resource must be a C5 collection name such as subscribers or billingprofiles "
                         "(lower-case letters and digits, as in /api/<resource>/), not '%s'" % value)
    return name


def query_parameters(filters):
    params = {}
    for key, value in (filters or {}).items():
        if key in RESERVED_FILTERS:
            raise InputError("filters: '%s' is set by the module; use limit (and page_size) instead" % key)
        if value is None:
            continue
        if isinstance(value, bool):
            value = 1 if value else 0
        elif isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, dict):
            raise InputError("filters: '%s' must be a plain value, not a dict" % key)
        params[str(key)] = value
    return params


def unknown_resource(exc):
    return exc.status == 404 and "path not found" in str(exc.server_message or "").lower()


def with_id(item, raw=None, item_id=None):
    """An item without HAL links, with its id (callforwards items have none but their link)."""
    result = strip_hal(item)
    if isinstance(result, dict) and result.get("id") is None:
        found = item_id if item_id is not None else self_link_id(raw if raw is not None else item)
        if found is not None:
            result = dict(result, id=found)
    return result


def read_item(api, resource, item_id):
    path = api.item_path(resource, item_id)
    try:
        response = api.client.request("GET", path)
    except ApiError as exc:
        if unknown_resource(exc):
            raise VoipError("resource '%s': the C5 has no /api/%s/ (HTTP 404 Path not found); check the name"
                            % (resource, resource))
        if exc.status == 404:
            return None
        raise
    # The client's decode (the dialect's, cached): the body the client already read
    # to look for an error in it.  A body that is not a JSON object is reported,
    # not returned as an item (a download such as a recording, or a proxy's page).
    raw = api.client.decode(response)
    if not isinstance(raw, dict):
        raise VoipError(
            "GET %s answered HTTP %s with %s (%d bytes), not a JSON object: c5_info reads JSON documents only; check "
            "resource (a download such as a recording is not readable here) and that url reaches the C5 API itself"
            % (path, response.status_code, response.headers.get("Content-Type") or "no Content-Type",
               len(response.content or b"")))
    return with_id(raw, item_id=item_id)


def read_collection(api, resource, filters, limit):
    rows = api.page_size if limit is None else max(1, min(api.page_size, limit))
    totals = {}

    def on_page(page, body):
        if page == 1:
            totals["count"] = api.client.dialect.page_total(body)

    try:
        items, _complete = api.client.paginate(api.collection(resource), filters, page_size=rows, keep=with_id,
                                               limit=limit, on_page=on_page)
    except ApiError as exc:
        if unknown_resource(exc):
            raise VoipError("resource '%s': the C5 has no collection /api/%s/ (HTTP 404 Path not found); "
                            "check the name" % (resource, resource))
        raise
    return items, totals.get("count")


def run(options, ctx):
    result = read(options, ctx)
    # Secrets are never returned unless asked for (show_secrets, documented as unsafe).
    return result if options.get("show_secrets") else mask_deep(result)


def read(options, ctx):
    resource = resource_name(options.get("resource"))
    item_id = options.get("id")
    limit = options.get("limit")
    if limit is not None and limit < 1:
        raise InputError("limit must be 1 or more, not %s" % limit)
    if resource in SINGLE_DOCUMENTS and item_id is not None:
        raise InputError("%s is a single document without items; omit id" % resource)
    params = query_parameters(options.get("filters"))
    client = c5_client(options, ctx)
    try:
        api = C5Api(client, options.get("page_size"))
        if resource in SINGLE_DOCUMENTS:
            document = api.get_document(api.collection(resource))
            return {"changed": False, "item": document, "found": True, "items": [document], "count": 1}
        if item_id is not None:
            item = read_item(api, resource, item_id)
            items = [item] if item is not None else []
            return {"changed": False, "item": item, "found": item is not None, "items": items, "count": len(items)}
        items, total_count = read_collection(api, resource, params, limit)
        result = {"changed": False, "items": items, "count": len(items)}
        if total_count is not None:
            result["total_count"] = total_count
        return result
    finally:
        client.close()


MODULE = ModuleSpec(
    argument_spec=c5_argument_spec(
        resource=dict(type="str", required=True),
        id=dict(type="int"),
        filters=dict(type="dict"),
        limit=dict(type="int"),
        show_secrets=dict(type="bool", default=False),
    ),
    run_function=run,
    mutually_exclusive=[("id", "filters"), ("id", "limit")],
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
