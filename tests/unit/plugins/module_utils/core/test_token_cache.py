# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The on-disk token cache: keys that separate credentials, the reuse margin,
private files written atomically, and every broken file read as "no token"."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import stat
import subprocess
import sys
import textwrap

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.core import token_cache
from ansible_collections.voip.provisioning.plugins.module_utils.core.token_cache import (
    TokenCache, cache_key, default_directory, jwt_expiry, reuse_margin)

NOW = 2000000000.0


def jwt(claims, header=None):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode("utf-8")).decode("ascii").rstrip("=")
    return "%s.%s.c2lnbmF0dXJl" % (part(header or {"typ": "JWT", "alg": "HS256"}), part(claims))


class Clock:
    def __init__(self, now=NOW):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def cache(tmp_path, clock):
    return TokenCache(str(tmp_path / "tokens"), clock=clock)


KEY = cache_key(("https://c5.example.com:1443", "/login_jwt", "jwt", "admin"), "pw")


# --- the JWT expiry ---------------------------------------------------------------------------

def test_jwt_expiry_reads_exp_without_verifying():
    assert jwt_expiry(jwt({"id": 1, "username": "admin", "exp": 2000036000})) == 2000036000.0
    assert jwt_expiry(jwt({"exp": 1.5e9})) == 1.5e9


@pytest.mark.parametrize("token", [
    jwt({"id": 1, "username": "admin"}),        # a platform without relative_exp: no exp
    jwt({"exp": "2000036000"}), jwt({"exp": True}), jwt({"exp": None}), jwt([1, 2]),
    "opaque-token", "a.b", "a.%%%.c", "a." + base64.urlsafe_b64encode(b"\xff\xfe").decode() + ".c", None,
])
def test_jwt_expiry_is_none_when_it_cannot_be_read(token):
    assert jwt_expiry(token) is None


# --- keys -------------------------------------------------------------------------------------

def test_the_key_separates_url_method_login_and_password_and_hides_the_password():
    scope = ("https://c5.example.com:1443", "/login_jwt", "jwt", "admin")
    keys = {
        cache_key(scope, "pw"),
        cache_key(scope, "pw2"),
        cache_key(("https://c5-b.example.com:1443",) + scope[1:], "pw"),
        cache_key(scope[:2] + ("other",) + scope[3:], "pw"),
        cache_key(scope[:3] + ("reseller",), "pw"),
        # No ambiguity from joining: "ad" + "min" is not "admin".
        cache_key(scope[:3] + ("ad", "min"), "pw"),
    }
    assert len(keys) == 6
    assert cache_key(scope, "pw") == cache_key(scope, "pw")
    assert all(len(key) == 64 and "pw" not in key for key in keys)


def test_the_stored_file_holds_the_token_but_neither_password_nor_login(cache):
    assert cache.put(KEY, jwt({"exp": NOW + 3600}), NOW + 3600)
    (name,) = [n for n in os.listdir(cache.directory) if n.endswith(".json")]
    text = open(os.path.join(cache.directory, name)).read()
    assert "pw" not in text.replace(jwt({"exp": NOW + 3600}), "") and "admin" not in text


# --- expiry margin ----------------------------------------------------------------------------

def test_reuse_margin_is_60_seconds_or_a_tenth_of_the_lifetime():
    assert reuse_margin(NOW, NOW + 36000) == 3600
    assert reuse_margin(NOW, NOW + 3600) == 360
    assert reuse_margin(NOW, NOW + 300) == 60
    assert reuse_margin(NOW, NOW - 10) == 60


def test_a_token_is_reused_until_its_margin_then_dropped(cache, clock):
    token = jwt({"exp": NOW + 3600})
    assert cache.put(KEY, token, NOW + 3600, NOW)
    assert cache.get(KEY)["token"] == token
    clock.now = NOW + 3600 - 361
    assert cache.get(KEY)["token"] == token
    clock.now = NOW + 3600 - 360
    assert cache.get(KEY) is None
    assert not os.path.exists(os.path.join(cache.directory, KEY + ".json"))


def test_a_short_lived_token_keeps_the_60_second_margin(cache, clock):
    assert cache.put(KEY, "t", NOW + 120, NOW)
    clock.now = NOW + 59
    assert cache.get(KEY) is not None
    clock.now = NOW + 60
    assert cache.get(KEY) is None


def test_nothing_is_stored_without_an_expiry_or_already_within_the_margin(cache):
    assert cache.put(KEY, "no-exp", None) is False
    assert cache.put(KEY, "nearly-gone", NOW + 30, NOW) is False
    assert cache.get(KEY) is None
    assert [n for n in os.listdir(cache.directory) if not n.endswith(".lock")] == []


def test_drop_forgets_only_the_refused_token(cache):
    cache.put(KEY, "old", NOW + 3600, NOW)
    cache.drop(KEY, "other")
    assert cache.get(KEY)["token"] == "old"
    cache.drop(KEY, "old")
    assert cache.get(KEY) is None


# --- files and directory ----------------------------------------------------------------------

def test_directory_is_0700_and_files_0600_whatever_the_umask(tmp_path, clock):
    old = os.umask(0o022)
    try:
        cache = TokenCache(str(tmp_path / "a" / "tokens"), clock=clock)
        assert cache.put(KEY, "t", NOW + 3600, NOW)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(cache.directory).st_mode) == 0o700
    files = os.listdir(cache.directory)
    assert files == [KEY + ".json"]
    assert stat.S_IMODE(os.stat(os.path.join(cache.directory, files[0])).st_mode) == 0o600


def test_a_directory_others_can_read_is_not_used(tmp_path, clock):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(str(shared), 0o755)
    cache = TokenCache(str(shared), clock=clock)
    assert cache.ready() is False
    assert cache.put(KEY, "t", NOW + 3600, NOW) is False and cache.get(KEY) is None
    assert os.listdir(str(shared)) == []
    with cache.lock(KEY) as lock:
        assert lock.acquired is False


def test_a_symlinked_directory_is_not_used(tmp_path, clock):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    os.symlink(str(real), str(tmp_path / "link"))
    assert TokenCache(str(tmp_path / "link"), clock=clock).ready() is False


def test_a_directory_that_cannot_be_created_means_no_cache(tmp_path, clock):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = TokenCache(str(blocker / "tokens"), clock=clock)
    assert cache.ready() is False
    assert cache.put(KEY, "t", NOW + 3600, NOW) is False and cache.get(KEY) is None


@pytest.mark.parametrize("content", [
    b"", b"{", b"\xff\xfe", b"[]", b"null", b'{"version": 1}', b'{"version": 2, "token": "t", "expires": 1, "obtained": 1}',
    b'{"version": 1, "token": "", "expires": 2000003600, "obtained": 2000000000}',
    b'{"version": 1, "token": "t", "expires": "2000003600", "obtained": 2000000000}',
    b'{"version": 1, "token": "t", "expires": 2000003600, "obtained": true}',
])
def test_a_corrupt_file_is_no_token(cache, content):
    cache.ready()
    path = os.path.join(cache.directory, KEY + ".json")
    with open(path, "wb") as handle:
        handle.write(content)
    os.chmod(path, 0o600)
    assert cache.get(KEY) is None
    # ... and a new login replaces it.
    assert cache.put(KEY, "fresh", NOW + 3600, NOW) and cache.get(KEY)["token"] == "fresh"


def test_a_file_others_can_read_or_a_symlink_is_no_token(cache, tmp_path):
    cache.put(KEY, "t", NOW + 3600, NOW)
    path = os.path.join(cache.directory, KEY + ".json")
    os.chmod(path, 0o644)
    assert cache.get(KEY) is None
    os.chmod(path, 0o600)
    elsewhere = tmp_path / "elsewhere.json"
    os.rename(path, str(elsewhere))
    os.symlink(str(elsewhere), path)
    assert cache.get(KEY) is None


def test_an_unreadable_file_is_no_token(cache, monkeypatch):
    cache.put(KEY, "t", NOW + 3600, NOW)

    def refuse(*args, **kwargs):
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(token_cache.os, "open", refuse)
    assert cache.get(KEY) is None


def test_a_failed_write_leaves_no_temporary_file(cache, monkeypatch):
    cache.ready()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(token_cache.os, "replace", fail)
    assert cache.put(KEY, "t", NOW + 3600, NOW) is False
    assert os.listdir(cache.directory) == []


def test_default_directory_env_then_xdg_runtime_dir_then_ansible_tmp(monkeypatch, tmp_path):
    monkeypatch.setenv(token_cache.DIRECTORY_ENV, str(tmp_path / "mine"))
    assert default_directory() == str(tmp_path / "mine")
    monkeypatch.delenv(token_cache.DIRECTORY_ENV)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert default_directory() == str(tmp_path / "voip-provisioning" / "tokens")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "missing"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_directory() == str(tmp_path / "home" / ".ansible" / "tmp" / "voip-provisioning" / "tokens")


# --- concurrency ------------------------------------------------------------------------------

WORKER = textwrap.dedent("""
    import sys, time
    sys.path[:0] = %(path)r
    from ansible_collections.voip.provisioning.plugins.module_utils.core.token_cache import TokenCache
    cache = TokenCache(%(directory)r)
    key = %(key)r
    with cache.lock(key) as lock:
        assert lock.acquired
        if cache.get(key) is None:
            with open(%(logins)r, "a") as log:
                log.write("login\\n")
            time.sleep(0.3)
            cache.put(key, "token-%%d" %% int(sys.argv[1]), time.time() + 3600)
    print(cache.get(key)["token"])
""")


def test_parallel_workers_log_in_once_and_all_get_that_token(tmp_path):
    """Six processes (forks of several hosts) want a token at once: one logs in
    under the lock, the others wait and read its token."""
    logins = str(tmp_path / "logins")
    script = WORKER % dict(path=[p for p in sys.path if p], directory=str(tmp_path / "tokens"), key=KEY, logins=logins)
    workers = [subprocess.Popen([sys.executable, "-c", script, str(n)], stdout=subprocess.PIPE, text=True) for n in range(6)]
    tokens = [w.communicate(timeout=60)[0].strip() for w in workers]
    assert [w.returncode for w in workers] == [0] * 6
    assert open(logins).read() == "login\n"
    assert len(set(tokens)) == 1 and tokens[0].startswith("token-")


def test_a_lock_held_too_long_is_given_up_after_the_wait(cache):
    other = TokenCache(cache.directory, lock_wait=0.2)
    with cache.lock(KEY) as held:
        assert held.acquired
        with other.lock(KEY) as waited:
            assert waited.acquired is False
    with other.lock(KEY) as free:
        assert free.acquired


def test_rewrites_replace_the_entry_whole_and_leave_no_temporary_file(cache):
    """Each write goes to a temporary file renamed over the entry: a reader sees
    the old or the new entry, never a torn one."""
    cache.ready()
    for n in range(50):
        assert cache.put(KEY, "token-%d-" % n + "x" * 5000, NOW + 3600, NOW)
        assert cache.get(KEY)["token"].startswith("token-%d-" % n)
    assert [n for n in os.listdir(cache.directory) if n.startswith(".tmp-")] == []
