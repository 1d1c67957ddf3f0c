# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The option view and the no_log scrubber.

Neither the client nor the engine touch ``AnsibleModule``: they read an
:class:`Options` view that the module (``AnsibleModule.params``) and the action
plugin (arguments validated in-process with the same spec) both fill.  That is
what lets the same logic run on the controller (fast) or on a target host (an
API only reachable from a jump host).  Connection argument specs are built from
the auth strategies: :func:`.auth.connection_argument_spec`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
from urllib.parse import unquote, urlsplit


class Options:
    """A read-only view of the validated task options."""

    def __init__(self, params):
        self._params = dict(params)

    def get(self, name, default=None):
        value = self._params.get(name)
        return default if value is None else value

    def __getitem__(self, name):
        return self._params[name]

    def __contains__(self, name):
        return self._params.get(name) is not None

    def as_dict(self):
        return copy.deepcopy(self._params)

    def with_values(self, **values):
        """A copy with some options replaced (used for one item of a bulk task)."""
        params = dict(self._params)
        params.update(values)
        return Options(params)


NO_LOG_MASK = "********"


def url_secrets(params):
    """Credentials written into a ``url`` option (``https://user:pw@host``): the
    connection check refuses such a url, and these values are scrubbed from the
    result like ``no_log`` values, so the refused url never shows its password
    (``invocation`` at ``-vvv``)."""
    url = params.get("url") if hasattr(params, "get") else None
    if not isinstance(url, str) or "@" not in url:
        return set()
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return set()
    userinfo = parts.netloc.rpartition("@")[0]
    secrets = set()
    if userinfo:
        secrets.add(userinfo)
        if ":" in userinfo:
            password = userinfo.split(":", 1)[1]
            secrets.update((password, unquote(password)))
    return set(value for value in secrets if value)


class NoLogScrubber:
    """Removes every value of a ``no_log`` option from a result, as Ansible's
    ``remove_values`` does, in time linear in the result.

    ``remove_values`` tests every string against every secret: with ``items`` of
    thousands of subscribers (one SIP password each) that is quadratic, seconds
    at 1,000 items and minutes at 10,000.  Here exact matches are one set look-up,
    and a string is searched for embedded secrets by sliding a window of each
    distinct secret length over it (few lengths, however many secrets)."""

    def __init__(self, no_log_values):
        self.secrets = set(str(v) for v in no_log_values if v is not None and str(v) != "")
        by_length = {}
        for secret in self.secrets:
            by_length.setdefault(len(secret), set()).add(secret)
        self.lengths = sorted(by_length, reverse=True)
        self.by_length = by_length

    def text(self, value):
        if not self.secrets or not value:
            return value
        if value in self.secrets:
            return NO_LOG_MASK
        found = set()
        size = len(value)
        for length in self.lengths:
            if length > size:
                continue
            bucket = self.by_length[length]
            for start in range(size - length + 1):
                piece = value[start:start + length]
                if piece in bucket:
                    found.add(piece)
        for secret in sorted(found, key=len, reverse=True):
            value = value.replace(secret, NO_LOG_MASK)
        return value

    def scrub(self, data):
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, dict):
            return dict((self.scrub(k) if isinstance(k, str) else k, self.scrub(v)) for k, v in data.items())
        if isinstance(data, (list, tuple, set, frozenset)):
            return type(data)(self.scrub(v) for v in data) if not isinstance(data, list) else [self.scrub(v) for v in data]
        if isinstance(data, (int, float)) and not isinstance(data, bool) and str(data) in self.secrets:
            return NO_LOG_MASK
        return data
