# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run context: what one task run shares between the engine, the resources
and the bulk workers.

* check mode, diff mode and warnings (the caller decides how a warning is shown);
* a clock (``now()`` and ``sleep()``) that tests replace, so that leases, retry
  waits and expiries are tested in milliseconds; a platform whose server times
  what the run manages (VTX leases) sets it to the server's clock
  (:meth:`RunContext.set_clock` with a :class:`ServerTime` fed by the answers'
  ``Date`` headers);
* named, typed caches (:meth:`RunContext.cache`) instead of keys in a shared
  dict: each is thread-safe and computes each key once, however many bulk
  workers ask for it at the same time;
* :func:`find_unique`, the one natural-key finder: it returns the one match or
  None, and "more than one match" is an error naming them, never a guess.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time
from email.utils import mktime_tz, parsedate_tz

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import VoipError

#: What :meth:`Cache.get` returns for a key that was never stored (None can be a
#: cached answer: "looked up, does not exist").
MISSING = object()


class Cache:
    """A thread-safe map for one kind of look-up of a run (for example
    "subscribers by name").  ``get_or_compute`` runs ``compute`` once per key even
    when several workers ask at the same time: the others wait for its answer.  An
    exception is not cached (the next caller computes again)."""

    def __init__(self, name):
        self.name = name
        self._values = {}
        self._lock = threading.RLock()
        self._key_locks = {}

    def get(self, key, default=MISSING):
        with self._lock:
            return self._values.get(key, default)

    def __contains__(self, key):
        with self._lock:
            return key in self._values

    def put(self, key, value):
        with self._lock:
            self._values[key] = value
        return value

    def setdefault(self, key, value):
        with self._lock:
            return self._values.setdefault(key, value)

    def pop(self, key, default=None):
        with self._lock:
            return self._values.pop(key, default)

    def forget(self, key):
        self.pop(key)

    def clear(self):
        with self._lock:
            self._values.clear()

    def keys(self):
        with self._lock:
            return list(self._values)

    def get_or_compute(self, key, compute):
        with self._lock:
            if key in self._values:
                return self._values[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            value = compute()
            with self._lock:
                self._values[key] = value
            return value

    def __len__(self):
        with self._lock:
            return len(self._values)


class RunContext:
    """What a run needs from its caller and shares between its parts.

    ``warn`` is called once per distinct message (the module's or action
    plugin's own warning channel); ``clock`` returns epoch seconds and
    ``sleeper`` waits (tests pass a fake clock whose sleep advances it).
    ``workers`` and ``bulk`` are set by the engine for a task's run."""

    def __init__(self, check_mode=False, diff=False, warn=None, clock=None, sleeper=None):
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)
        self.warnings = []
        self._warn = warn
        self._clock = self._local_clock = clock or time.time
        self._sleeper = sleeper or time.sleep
        self._caches = {}
        self._lock = threading.RLock()
        #: how many requests the run may have in flight (the task's ``workers``).
        self.workers = 1
        #: True while a task with ``items`` runs (resources may trust POST answers).
        self.bulk = False

    def warn(self, message):
        with self._lock:
            if message in self.warnings:
                return
            self.warnings.append(message)
        if self._warn:
            self._warn(message)

    def now(self):
        return self._clock()

    def local_now(self):
        """This machine's (or the test's) clock, whatever :meth:`set_clock` set."""
        return self._local_clock()

    def set_clock(self, clock):
        """Read "now" from ``clock`` (a callable returning epoch seconds) from here
        on, for every part of the run: e.g. ``ServerTime(...).now``, the
        platform's clock, when the server decides when a lease ends.  ``sleep``
        is unchanged (waiting is always local)."""
        self._clock = clock

    def sleep(self, seconds):
        if seconds > 0:
            self._sleeper(seconds)

    def cache(self, name):
        """The run's cache called ``name`` (created on first use)."""
        with self._lock:
            found = self._caches.get(name)
            if found is None:
                found = self._caches[name] = Cache(name)
            return found


class ServerTime:
    """The platform's clock, as its answers tell it: every answer's ``Date``
    header (RFC 9110, whole seconds) given to :meth:`note` moves the offset
    between the server's clock and ``local`` (default ``time.time``); ``now()``
    is the local clock plus that offset, the local clock until an answer came.

    Use: ``run.set_clock(server_time.now)`` once the platform has answered,
    and ``server_time.note(response)`` for each answer (thread-safe)."""

    def __init__(self, local=None):
        self._local = local or time.time
        self._lock = threading.Lock()
        #: seconds the server's clock is ahead of ours (None: no answer yet).
        self.offset = None

    def note(self, response):
        """Take the server's time from ``response``'s ``Date`` header (a response
        without one, or with one that does not parse, changes nothing)."""
        headers = getattr(response, "headers", None) or {}
        self.note_date(headers.get("Date"))

    def note_date(self, value):
        stamp = parsedate_tz(value or "")
        if stamp is None:
            return
        offset = mktime_tz(stamp) - self._local()
        with self._lock:
            self.offset = offset

    def now(self):
        return self._local() + (self.offset or 0.0)


class FakeClock:
    """A clock for tests: ``now()`` returns the set time, ``sleep()`` advances it."""

    def __init__(self, start=1700000000.0):
        self.time = float(start)
        self.slept = []

    def __call__(self):
        return self.time

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.time += seconds

    def advance(self, seconds):
        self.time += seconds


def _describe(candidate):
    if isinstance(candidate, dict):
        return str(candidate.get("id", candidate))
    return str(candidate)


def find_unique(candidates, match=None, what="object", ambiguous=None, plural=None):
    """The one candidate ``match`` accepts, or None when there is none.

    More than one is an error, never a guess: :class:`VoipError` with
    ``ambiguous(found)`` as its message when given, else one naming ``what``,
    how many ``plural`` (e.g. "subscribers") match and their ids."""
    found = [c for c in candidates if match is None or match(c)]
    if len(found) > 1:
        if ambiguous is not None:
            raise VoipError(ambiguous(found))
        raise VoipError("%s is ambiguous: %d %smatch (ids %s); name it by id instead"
                        % (what, len(found), plural + " " if plural else "", ", ".join(_describe(c) for c in found)))
    return found[0] if found else None
