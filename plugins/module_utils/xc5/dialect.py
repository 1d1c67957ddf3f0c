# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How ``/api-sys/`` differs from plain JSON (spec sections 3 and 7, gap 2):
every answer is a JSON array - a record, a listing, a deletion and an error
(``[{"error": "..."}]``) alike - and there is no paging (a listing is whole).
Error hints name the login (unreachable) and the API rights a 403 lacks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.dialect import Dialect


class Xc5Dialect(Dialect):
    def server_message(self, response, body):
        if isinstance(body, list) and body and isinstance(body[0], dict) and body[0].get("error"):
            return str(body[0]["error"])
        return Dialect.server_message(self, response, body)

    def unreachable_hint(self, hint, who):
        # Name the login too: the task's connection options at a glance.
        return "%s (XC5 API, %s)" % (hint, who) if who else hint

    def forbidden_hint(self, method, path, who):
        # Spec 2: the XC5 answers 403 "access denied" to a valid login without
        # API access, and to a partitioned login (api_access=user) addressing an
        # account outside its own subtree.
        return ("%s is authenticated but not allowed to %s %s: an XC5 login reaches every account with "
                "accountresource:api_access=system, only its own account and its descendants with =user, nothing "
                "without it; only the XC5 operator can grant it" % (who[0].upper() + who[1:], method, path))

    def page_items(self, body, collection):
        if isinstance(body, list):
            return list(body)
        return Dialect.page_items(self, body, collection)

    def created(self, response, body):
        """A create answers the new record in a one-element array."""
        if isinstance(body, list) and body:
            return body[0]
        return body
