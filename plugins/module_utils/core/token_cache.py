# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An on-disk cache of login tokens, so that the tasks of a play share one login.

Every Ansible task runs in a freshly forked worker: nothing in memory survives
from one task to the next, so a :class:`~.auth.LoginForToken` strategy (C5
``POST /login_jwt``) would log in once per task.  This cache keeps the token
between tasks, in files only the user can read:

* **Key**: PBKDF2 of the password, salted with the login URL, the auth method
  and the username.  Other credentials (another password, login, platform or
  URL) never find the entry, and the password itself is never stored, nor a
  fast hash of it a reader of the directory could test guesses against.
* **Expiry**: the JWT ``exp`` claim, read without verifying the signature (only
  the server can verify it; we only need to know when to stop sending it).  A
  token is reused while it is further than :func:`reuse_margin` (60 s, or 10 %
  of its lifetime if more) from its expiry, so a task never starts with a token
  about to lapse.  A token whose expiry cannot be read is **not cached**: we
  could not tell when it stops working, and a token that never expires written
  to disk would be a standing credential that outlives the play.
* **Files**: one JSON file per key in a 0700 directory, each 0600, written to
  a temporary file and renamed into place (readers see the old or the new
  entry, never half of one).  Only a directory owned by the user and closed to
  group and others is used; a file that is not ours, not private, unreadable or
  corrupt counts as absent.  The cache never fails a task: every error means
  "no cached token" and the task logs in as before.
* **Concurrency**: forks (several hosts, ``strategy: free``) may start at the
  same moment.  Logging in happens under an exclusive ``flock`` per key: the
  first worker logs in and stores the token, the others wait for it and then
  read it instead of each logging in (the wait is bounded; after it a worker
  logs in on its own, which costs a login, never correctness).

Where: :func:`default_directory`; ``VOIP_PROVISIONING_TOKEN_CACHE_DIR``
overrides it (tests use a directory each).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import errno
import hashlib
import json
import os
import stat
import tempfile
import time

try:
    import fcntl
except ImportError:  # not POSIX: no locking, concurrent first logins each log in
    fcntl = None

#: Environment variable naming the cache directory (overrides the default).
DIRECTORY_ENV = "VOIP_PROVISIONING_TOKEN_CACHE_DIR"
#: A token is not handed out when it expires in less than this many seconds...
MIN_MARGIN = 60.0
#: ...or in less than this share of its lifetime, if that is more.
MARGIN_SHARE = 0.1
#: PBKDF2 rounds for the key: about 15 ms once per task, and as much for every
#: password an attacker who can list the directory would try against a file name.
KEY_ROUNDS = 50000
#: The longest a worker waits for another one's login before logging in itself.
LOCK_WAIT = 30.0
FORMAT_VERSION = 1


def default_directory():
    """``$XDG_RUNTIME_DIR/voip-provisioning/tokens`` when that directory exists
    (systemd's per-user runtime directory: tmpfs, 0700, emptied at logout and
    reboot, so tokens never reach a disk), else
    ``~/.ansible/tmp/voip-provisioning/tokens``: Ansible's own per-user
    temporary area on the controller.  In an AWX / AAP execution environment
    that is inside the job's container (``/runner``), so the cache lives as long
    as the job and is never shared between jobs."""
    override = os.environ.get(DIRECTORY_ENV)
    if override:
        return os.path.abspath(os.path.expanduser(override))
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime) and os.path.isdir(runtime):
        return os.path.join(runtime, "voip-provisioning", "tokens")
    return os.path.join(os.path.expanduser("~"), ".ansible", "tmp", "voip-provisioning", "tokens")


def _b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_expiry(token):
    """The ``exp`` claim (seconds since the epoch) of a JWT, read without
    verifying the signature; None for a token that is not a JWT or has no
    numeric ``exp``."""
    if not isinstance(token, str):
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(_b64url_decode(parts[1]).decode("utf-8"))
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    exp = payload.get("exp") if isinstance(payload, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    return float(exp)


def reuse_margin(obtained, expires):
    """Seconds before ``expires`` from which a token is no longer handed out:
    :data:`MIN_MARGIN`, or :data:`MARGIN_SHARE` of the lifetime if more (a 10 h
    C5 token is renewed after 9 h, a 1 h one after 54 min)."""
    return max(MIN_MARGIN, MARGIN_SHARE * max(0.0, float(expires) - float(obtained)))


def cache_key(scope, password, rounds=KEY_ROUNDS):
    """The file name part for a login: PBKDF2-HMAC-SHA256 of ``password``,
    salted with ``scope`` (URL, auth method, username...)."""
    salt = hashlib.sha256("\0".join(str(part) for part in scope).encode("utf-8")).digest()
    return hashlib.pbkdf2_hmac("sha256", str(password).encode("utf-8"), salt, rounds).hex()


class _Lock:
    """An exclusive ``flock`` on ``path``, waited for at most ``wait`` seconds.
    ``acquired`` says whether it was obtained; the body runs either way (a lock
    that cannot be had only costs a second login)."""

    def __init__(self, path, wait):
        self.path = path
        self.wait = wait
        self.fd = None
        self.acquired = False

    def __enter__(self):
        if fcntl is None or self.path is None:
            return self
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError:
            return self
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.acquired = True
                break
            except (IOError, OSError) as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK) or time.monotonic() >= deadline:
                    break
            time.sleep(0.05)
        return self

    def __exit__(self, *exc_info):
        if self.fd is not None:
            try:
                if self.acquired:
                    fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = None
        return False


class TokenCache:
    """Tokens by key in ``directory`` (default :func:`default_directory`).
    ``clock`` gives the current time in seconds since the epoch (tests pass
    their own)."""

    def __init__(self, directory=None, clock=time.time, lock_wait=LOCK_WAIT):
        self.directory = directory or default_directory()
        self.clock = clock
        self.lock_wait = lock_wait
        self._ready = None

    # --- the directory ------------------------------------------------------------------
    def ready(self):
        """Create the directory (0700) if needed; True when it is ours and private."""
        if self._ready is None:
            self._ready = self._prepare()
        return self._ready

    def _prepare(self):
        try:
            old_umask = os.umask(0o077)
            try:
                os.makedirs(self.directory, 0o700)
            except OSError as exc:
                if exc.errno != errno.EEXIST:
                    return False
            finally:
                os.umask(old_umask)
            info = os.lstat(self.directory)
        except OSError:
            return False
        # A symlink, someone else's directory or one others can read: not a place for tokens.
        return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077

    def _path(self, key, suffix=".json"):
        return os.path.join(self.directory, key + suffix)

    # --- entries ------------------------------------------------------------------------
    def _read(self, key):
        """The stored entry ``{"token", "expires", "obtained"}``, or None."""
        if not self.ready():
            return None
        try:
            fd = os.open(self._path(key), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if info.st_uid != os.getuid() or info.st_mode & 0o077 or not stat.S_ISREG(info.st_mode):
                return None
            with os.fdopen(fd, "rb") as handle:
                fd = None
                entry = json.loads(handle.read(65536).decode("utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        finally:
            if fd is not None:
                os.close(fd)
        if not isinstance(entry, dict) or entry.get("version") != FORMAT_VERSION:
            return None
        token, expires, obtained = entry.get("token"), entry.get("expires"), entry.get("obtained")
        if not isinstance(token, str) or not token:
            return None
        for number in (expires, obtained):
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                return None
        return {"token": token, "expires": float(expires), "obtained": float(obtained)}

    def usable(self, entry):
        """Whether ``entry`` is further than its reuse margin from its expiry."""
        return entry["expires"] - self.clock() > reuse_margin(entry["obtained"], entry["expires"])

    def get(self, key):
        """A token entry worth reusing, or None.  An entry too close to its
        expiry is removed (best effort)."""
        entry = self._read(key)
        if entry is None:
            return None
        if not self.usable(entry):
            self._remove(key)
            return None
        return entry

    def put(self, key, token, expires, obtained=None):
        """Store ``token``; True when stored.  Nothing is stored without an
        expiry or when the token is already within its reuse margin."""
        if expires is None or not self.ready():
            return False
        entry = {"version": FORMAT_VERSION, "token": token, "expires": float(expires),
                 "obtained": float(self.clock() if obtained is None else obtained)}
        if not self.usable(entry):
            return False
        try:
            fd, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.directory)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "w") as handle:
                os.fchmod(handle.fileno(), 0o600)
                json.dump(entry, handle)
            os.replace(temporary, self._path(key))
            return True
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            return False

    def drop(self, key, token):
        """Forget the entry of ``key`` if it still holds ``token`` (a refused
        token); a newer one another worker stored meanwhile stays."""
        entry = self._read(key)
        if entry is not None and entry["token"] == token:
            self._remove(key)

    def _remove(self, key):
        try:
            os.unlink(self._path(key))
        except OSError:
            pass

    def lock(self, key):
        """An exclusive lock for logging in as ``key`` (a context manager)."""
        return _Lock(self._path(key, ".lock") if self.ready() else None, self.lock_wait)
