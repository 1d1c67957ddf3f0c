# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dialect hooks: what differs between the platforms' HTTP APIs, so that the
client has no platform branches.

A dialect decodes a body (HAL object, JSON array, JSON after debug text, empty),
decides whether an answer is an error whatever its status (SIP2SIP answers 200
with ``{"success": false, ...}``), finds the server's own error text, asks for
page N of a collection and reads its items, and reads a create's result (C5:
the id in ``Location``; XC5: the returned record).

A request may say what its success answer is (``ApiClient.request(...,
expect="html")``: a web form's HTML page); the client puts that on the response
before any hook sees it and the hooks read it with :func:`expected`.

The base :class:`Dialect` is plain JSON without paging (everything is on page
1).  A platform subclasses it in ``module_utils/<platform>/dialect.py`` and
overrides only what its API does differently.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# Keys under which JSON APIs put their error text, most specific first.
MESSAGE_KEYS = ("message", "error", "errorMessage", "error_message", "detail", "msg")


#: What a request may expect as its success answer (``ApiClient.request(..., expect=...)``).
EXPECT_HTML = "html"
EXPECT_VALUES = (None, EXPECT_HTML)


def set_expected(response, expect):
    """Record on ``response`` what its request expects (called by the client)."""
    if expect not in EXPECT_VALUES:
        raise ValueError("expect must be one of %s, not %r" % (EXPECT_VALUES, expect))
    try:
        response.voip_expect = expect
    except AttributeError:
        pass


def expected(response):
    """What the request of ``response`` expects as its success answer: None (the
    dialect decides) or ``"html"`` (an HTML page, e.g. a web form's answer)."""
    return getattr(response, "voip_expect", None)


def body_text(response):
    """The body of ``response`` as text."""
    content = response.content or b""
    return content.decode(response.encoding or "utf-8", "replace") if isinstance(content, bytes) else content


def json_after_text(text):
    """The JSON value that ends ``text``, after any text before it (PHP debug
    prints, an HTML fragment): the first ``{`` or ``[`` from which the rest
    parses.  Raises ValueError when there is none."""
    text = (text or "").strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    decoder = json.JSONDecoder()
    for index, char in enumerate(text):
        if char in "{[":
            try:
                value, end = decoder.raw_decode(text, index)
            except ValueError:
                continue
            if not text[end:].strip():
                return value
    raise ValueError("no JSON value at the end of the body")


class Dialect:
    """Plain JSON, no paging.  Subclass per platform; document what you override.

    Class attributes:
    ``text_before_json``: the body may carry text before its JSON (decode skips it).
    """

    text_before_json = False

    # --- bodies ---------------------------------------------------------------------------
    def decode(self, response):
        """The decoded body: a dict or list, ``""`` for no content, the text when it
        is not JSON (always the text when the request expects ``"html"``)."""
        content = response.content
        if not content:
            return ""
        if expected(response) == EXPECT_HTML:
            return body_text(response)
        try:
            # From the bytes: json detects UTF-8/16/32 itself, and requests'
            # response.text would guess a charset from the whole body first.
            return json.loads(content)
        except ValueError:
            pass
        text = content.decode(response.encoding or "utf-8", "replace") if isinstance(content, bytes) else content
        if self.text_before_json:
            try:
                return json_after_text(text)
            except ValueError:
                pass
        return text

    def error_in(self, response, body):
        """An error message when the answer is an error although its status says
        success (None when it is not).  Only called for success statuses."""
        return None

    def server_message(self, response, body):
        """The server's own error text: a JSON message field, else the body text."""
        if isinstance(body, dict):
            for key in MESSAGE_KEYS:
                if body.get(key):
                    return str(body[key])
        if isinstance(body, list) and body and isinstance(body[0], dict):
            for key in MESSAGE_KEYS:
                if body[0].get(key):
                    return str(body[0][key])
        if isinstance(body, (dict, list)):
            return json.dumps(body)[:500]
        return str(body or "").strip()[:500] or response.reason

    def unreachable_hint(self, hint, who):
        """What to check after the server could not be reached: ``hint`` is the
        client's advice for the cause (check the port, the CA, ...), ``who`` the
        auth strategy's description of the login ("login 'admin' with basic
        auth") or None.  A platform adds its own advice here (an allow-list, one
        login per account).  Default: ``hint``."""
        return hint

    def dropped_hint(self, hint):
        """What to check after the server dropped the connection without a word
        (no answer to the connection attempt, or closed before any answer): what
        a firewall or a source-address allow-list does.  ``hint`` is the client's
        advice; a platform that answers allow-listed addresses only says so here
        (VTX).  :meth:`unreachable_hint` is applied after it.  Default: ``hint``."""
        return hint

    def forbidden_hint(self, method, path, who):
        """What to check after a 403: the login is known but may not do this."""
        return ("%s is authenticated but not allowed to %s %s: check the account's role and rights on the platform"
                % (who[0].upper() + who[1:], method, path))

    # --- paging ----------------------------------------------------------------------------
    def page_request(self, path, params, page_number, page_size):
        """``(path, params)`` asking for page ``page_number`` of ``page_size`` items."""
        return path, dict(params or {})

    def page_items(self, body, collection):
        """The items of one page of ``collection`` (its path)."""
        if isinstance(body, list):
            return list(body)
        return [] if body in (None, "") else [body]

    def page_has_next(self, body, items):
        """Whether another page follows this one."""
        return False

    def next_page_params(self, params, body, items):
        """The parameters of the page after this one, before :meth:`page_request`
        adds the page number: unchanged for numbered pages; a cursor API (rows
        after the last id seen, e.g. SIP2SIP's journal ``after_id``) puts the
        cursor in here and ignores the page number."""
        return params

    def page_total(self, body):
        """The item count the server reported for the whole collection, or None."""
        return None

    # --- creates ---------------------------------------------------------------------------
    def created(self, response, body):
        """What a create returns to its caller: the new record (or its id)."""
        return body
