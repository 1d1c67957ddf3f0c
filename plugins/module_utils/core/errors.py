# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The errors every layer raises; a module reports them as its failure message."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class VoipError(Exception):
    """An error the module reports as its failure message.  ``details`` are
    extra facts for callers (never a secret)."""

    def __init__(self, message, **details):
        super(VoipError, self).__init__(message)
        self.details = details


class InputError(VoipError):
    """The task's input is wrong: the message names the field and the fix."""


class Unresolved(InputError):
    """A reference (customer, domain, billing profile, ...) does not exist.

    In check mode this is not fatal: an earlier task of the same play may create
    the referenced object, so the item is reported as a change with a warning."""


class ApiError(VoipError):
    """A request failed.  The message names method, path, status and the
    server's own message, and never a credential.

    ``uncertain`` is True when the server may have applied the request although
    no success answer came back (connection dropped, timeout, 5xx on a write);
    ``retry_after`` is the server's ``Retry-After`` in seconds, if any."""

    def __init__(self, method, path, status=None, server_message=None, body=None, uncertain=False, retry_after=None,
                 hint=None):
        self.method = method
        self.path = path
        self.status = status
        self.server_message = server_message
        self.body = body
        self.uncertain = uncertain
        self.retry_after = retry_after
        # What to check, added by the client (auth failures, unreachable hosts).
        self.hint = hint
        if status is None:
            text = "%s %s failed: %s" % (method, path, server_message)
        else:
            text = "%s %s failed: HTTP %s: %s" % (method, path, status, server_message or "(no message)")
        if hint:
            text = "%s%s %s" % (text, "" if text[-1:] in ".!?" else ".", hint)
        super(ApiError, self).__init__(text, status=status, method=method, path=path)

    @property
    def retryable(self):
        """Whether sending the request again may succeed: no answer came back
        (lost, may not have been processed) or the status says "try later"
        (429/502/503/504).  A 500 or a 4xx is the server's answer to this
        request and comes back the same; an unreachable server
        (:class:`ConnectionFailed`) is not asked again either."""
        if isinstance(self, ConnectionFailed):
            return False
        return self.status is None or self.status in TRY_LATER_STATUSES


#: Statuses that mean "not processed, ask again later".
TRY_LATER_STATUSES = frozenset((429, 502, 503, 504))


class ConnectionFailed(ApiError):
    """The server could not be reached (refused, reset, unresolvable, TLS
    handshake failed) after the request's own retries, or the client stopped
    sending because the last requests all failed that way.  ``stopped`` is True
    for the latter: nothing was sent.  A bulk run fails its remaining items at
    once with it instead of retrying each, and reports them together
    (:func:`not_sent_summary`).  ``url``: the server's URL as the client names
    it; ``cause``: why it could not be reached, in words ("connection refused
    on port 9")."""

    def __init__(self, method, path, message, uncertain=False, stopped=False, url=None, cause=None):
        self.stopped = stopped
        self.url = url
        self.cause = cause
        super(ConnectionFailed, self).__init__(method, path, None, message, uncertain=uncertain)


def not_sent_summary(unsent, total):
    """One message for the items of a bulk task that were never sent because the
    server could not be reached (``unsent``: their :class:`ConnectionFailed`
    errors with ``stopped``): ``"N of M items not sent: <url> could not be
    reached: <cause>"``."""
    first = unsent[0]
    return "%d of %d items not sent: %s could not be reached: %s" % (
        len(unsent), total, first.url or "the server", first.cause or first.server_message)


def bulk_failure_message(failed, total, unsent=()):
    """The message of a bulk task with ``failed`` item results (of ``total``).
    ``unsent``: ``(result, ConnectionFailed)`` of the items nothing of which
    reached the server.  When the client stopped sending (a dead server), the
    message says so once (:func:`not_sent_summary`) instead of quoting the first
    item; other failures follow it."""
    unsent = list(unsent)
    if not any(error.stopped for _result, error in unsent):
        return "%d of %d items failed; first error: %s" % (len(failed), total, failed[0]["msg"])
    message = not_sent_summary([error for _result, error in unsent], total)
    others = [result for result in failed if not any(result is taken for taken, _error in unsent)]
    if others:
        message += "; %d more failed, first error: %s" % (len(others), others[0]["msg"])
    return message
