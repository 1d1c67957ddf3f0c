# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the VTX OpenAPI differs from plain JSON (spec sections 4 and 7).

* Errors: Spring Boot WebFlux bodies ``{"timestamp", "path", "status", "error",
  "requestId", "message"}``; ``message`` may be empty, then ``error`` speaks.
* Collections: a single-key envelope (``{"callLogs": [...]}``); call logs page by
  ``limit``/``offset`` with a page shorter than ``limit`` being the last (spec 4.4,
  assumed), ``limit`` at most the server's ``bulkLimitCommon``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.dialect import Dialect

#: ``bulkLimitCommon`` of the seed's platform; the module reads the server's value.
DEFAULT_PAGE_SIZE = 100


class VtxDialect(Dialect):
    def __init__(self, page_size=DEFAULT_PAGE_SIZE):
        self.page_size = page_size

    def server_message(self, response, body):
        if isinstance(body, dict) and ("requestId" in body or "status" in body):
            message = body.get("message") or body.get("error") or response.reason
            if body.get("requestId"):
                message = "%s (requestId %s)" % (message, body["requestId"])
            return message
        return Dialect.server_message(self, response, body)

    def dropped_hint(self, hint):
        # Spec trap 9: VTX drops connections from source addresses it has not
        # allow-listed; no HTTP error ever comes back.
        return ("%s. VTX answers allow-listed source addresses only (Swiss and French IPs by default): a dropped "
                "connection is the symptom of a missing entry - ask VTX support to allow-list this host's public IP"
                % hint.rstrip("."))

    def unreachable_hint(self, hint, who):
        # Name the login too: the task's connection options at a glance.
        return "%s (VTX OpenAPI, %s)" % (hint, who) if who else hint

    def page_request(self, path, params, page_number, page_size):
        query = dict(params or {})
        size = int(page_size or self.page_size)
        query["limit"] = size
        query["offset"] = (page_number - 1) * size
        return path, query

    def page_items(self, body, collection):
        if isinstance(body, dict) and len(body) == 1:
            items = list(body.values())[0]
            if isinstance(items, list):
                return items
        return Dialect.page_items(self, body, collection)

    def page_has_next(self, body, items):
        return len(items) >= self.page_size
