# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How CDRTool's ``settings.phtml`` answers (spec sections 3 and 8).

* Every answer is HTTP 200, errors included, served as ``text/html``: the body
  decides.  Setters answer ``{"success": true|false, "error_message": ...}``
  (the success text is in ``error_message`` too).
* ``set_call_forwarding`` prints ``Key FUNC changed ...`` debug lines before its
  JSON: the JSON is the value that ends the body.
* A getter whose backend call fails answers an HTML fragment
  (``<span class='alert alert-error'>Error (SipPort): ...</span>``) followed by
  ``null`` (``[]`` for aliases and ENUM): that is an error, not "no value".
* An unknown action answers ``Error: invalid action`` (after an HTML page header
  when the name has no ``get_``/``set_``/... in it); no action, or a web form
  action, answers a whole HTML page.  A form action is sent with
  ``expect="html"``: its page is its answer (an ``alert-error`` in it is still an
  error); any other HTML answer is an error.
* The journal's delete answers ``{"error_message": "database error"}`` without
  a ``success`` key.
* A PHP fatal error is HTTP 500 with an empty body.
* ``get_journal_entries`` answers at most 5000 rows, oldest first, and takes
  ``after_id`` (rows after that id): the client's paging loop reads on with the
  last id of a full page (:meth:`Sip2SipDialect.next_page_params`).  No ``limit``
  is ever sent (one below 5000 returns nothing).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.voip.provisioning.plugins.module_utils.core.dialect import (
    EXPECT_HTML, Dialect, body_text, expected, json_after_text,
)
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import VoipError

_ALERT_RE = re.compile(r"alert-error['\"]?>(.*?)</span>", re.S)
_TAG_RE = re.compile(r"<[^>]+>")
#: ``Error (SipPort): <fault> (<code>): <text>`` -> code
_FAULT_CODE_RE = re.compile(r"\((\d+)\)")
#: Rows ``get_journal_entries`` answers at most (a full page: more may follow).
SERVER_PAGE_ROWS = 5000


def fault_code(message):
    """The NGNPro fault code in an ``Error (SipPort): ...`` message, or None."""
    if not message or "SipPort" not in message:
        return None
    found = _FAULT_CODE_RE.search(message)
    return int(found.group(1)) if found else None


class Sip2SipDialect(Dialect):
    """JSON after any text; the body, never the status, says whether it failed."""

    text_before_json = True

    def decode(self, response):
        text = body_text(response)
        if not text.strip():
            return ""
        if expected(response) == EXPECT_HTML or text.lstrip().startswith("<"):
            # An HTML fragment or page: error_in reports it; callers never see it as data.
            return text
        try:
            return json_after_text(text)
        except ValueError:
            return text  # CSV export, or something unexpected (error_in decides)

    def error_in(self, response, body):
        text = body_text(response)
        stripped = text.lstrip()
        if stripped.startswith("<"):
            if expected(response) == EXPECT_HTML and "alert-error" not in text:
                return None  # a web form's page (spec 5.20): the caller verifies with the getter
            alert = _ALERT_RE.search(text)
            if alert:
                return "the server answered an error fragment: %s" % _TAG_RE.sub("", alert.group(1)).strip()
            try:
                tail = json_after_text(text)
            except ValueError:
                tail = None
            if isinstance(tail, dict) and tail.get("error_message"):
                return str(tail["error_message"])
            return "the server answered an HTML page instead of JSON (an unknown action or a form action)"
        if isinstance(body, dict):
            if body.get("success") is False:
                return str(body.get("error_message") or "the server answered success: false")
            if "success" not in body and set(body) == set(["error_message"]):
                return str(body["error_message"])
        if isinstance(body, str) and body.strip() and "csv" not in (response.headers.get("Content-Type") or ""):
            return "the server's answer is not JSON: %s" % body.strip()[:200]
        return None

    def server_message(self, response, body):
        if response.status_code == 500 and not body:
            return "HTTP 500 with an empty body (a PHP error on the server; the platform itself breaks on this call)"
        if response.status_code == 401:
            return "the login was refused"
        return super(Sip2SipDialect, self).server_message(response, body)

    def unreachable_hint(self, hint, who):
        # Every account is its own login, and the settings page is often reached
        # through an allow-listed or proxied path: name the account and the place.
        return "%s; the settings page must be reachable from the host that runs the module (%s)" % (
            hint.rstrip("."), who or "no login")

    # --- paging: only the journal pages, by the id of the last row ---------------------
    def page_items(self, body, collection):
        if isinstance(body, list):
            return list(body)
        if isinstance(body, dict) and isinstance(body.get("results"), list):
            return list(body["results"])
        raise VoipError("GET %s answered %r instead of a list of rows" % (collection, body))

    def page_has_next(self, body, items):
        return len(items) >= SERVER_PAGE_ROWS

    def next_page_params(self, params, body, items):
        following = dict(params or {})
        following["after_id"] = str(int(items[-1]["id"]))
        return following
