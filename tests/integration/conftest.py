# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration harness: run real playbooks against the bundled C5 emulator and
return every task's result, so tests can assert on results, on the emulator's
request log and on the state the API returns."""

import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from base64 import b64encode

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def collections_path():
    """The collection must be importable as ansible_collections.voip.provisioning.
    scripts/test.sh exports ANSIBLE_COLLECTIONS_PATH; otherwise use the checkout
    itself when it already sits at .../ansible_collections/voip/provisioning."""
    if os.environ.get("ANSIBLE_COLLECTIONS_PATH"):
        return os.environ["ANSIBLE_COLLECTIONS_PATH"]
    parts = REPO.split(os.sep)
    if parts[-3:-2] == ["ansible_collections"]:
        return os.sep.join(parts[:-3])
    pytest.skip("set ANSIBLE_COLLECTIONS_PATH (scripts/test.sh does) so that voip.provisioning can be found")
    return None


class PlaybookRun:
    def __init__(self, returncode, results, stdout):
        self.returncode = returncode
        self.results = results
        self.stdout = stdout

    def task(self, name):
        """The result of the (last) task of that name."""
        found = [r for r in self.results if r["task"] == name]
        assert found, "no result for task %r; tasks: %s\n%s" % (name, [r["task"] for r in self.results], self.stdout[-3000:])
        return found[-1]["result"]

    def status(self, name):
        return [r for r in self.results if r["task"] == name][-1]["status"]


class Runner:
    """Runs a list of tasks as a playbook on localhost against an emulator."""

    def __init__(self, emulator, tmp_path):
        self.emulator = emulator
        self.tmp_path = tmp_path

    def connection(self, **extra):
        conn = {"url": self.emulator.url, "username": "administrator", "password": "administrator"}
        conn.update(extra)
        return conn

    def run(self, tasks, check=False, diff=True, in_process=True, extra_env=None, module_defaults=True, extra_args=()):
        play = {"hosts": "localhost", "gather_facts": False, "tasks": tasks}
        if module_defaults:
            play["module_defaults"] = {"group/voip.provisioning.c5": self.connection()}
        fd, playbook = tempfile.mkstemp(suffix=".yml", dir=str(self.tmp_path))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yaml.safe_dump([play], handle, sort_keys=False)
        results_file = playbook + ".results.jsonl"
        env = dict(os.environ)
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": collections_path(),
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "record_results",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "VOIP_TEST_RESULTS": results_file,
            "VOIP_PROVISIONING_IN_PROCESS": "1" if in_process else "0",
            # auth_method jwt keeps its token on disk between tasks: one cache per test.
            "VOIP_PROVISIONING_TOKEN_CACHE_DIR": os.path.join(str(self.tmp_path), "token-cache"),
        })
        env.update(extra_env or {})
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local",
                   "-e", "ansible_python_interpreter=%s" % sys.executable, playbook]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        command.extend(extra_args)
        proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
        results = []
        if os.path.exists(results_file):
            with open(results_file, encoding="utf-8") as handle:
                results = [json.loads(line) for line in handle if line.strip()]
        return PlaybookRun(proc.returncode, results, proc.stdout)


@pytest.fixture
def runner(c5_emulator, tmp_path):
    return Runner(c5_emulator, tmp_path)


def writes(emulator):
    """The write requests in the emulator's log."""
    return [r for r in emulator.requests() if r["method"] in WRITE_METHODS]


ADMIN_AUTH = "Basic " + b64encode(b"administrator:administrator").decode()


def api(emulator, method, path, body=None):
    """Call the emulator's API directly (set-up and read-back, not the module under
    test): returns (status, decoded body, id from Location)."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(emulator.url + path, data=data, method=method,
                                     headers={"Authorization": ADMIN_AUTH, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = response.read()
            location = response.headers.get("Location")
            new_id = int(location.rstrip("/").rsplit("/", 1)[1]) if location else None
            return response.status, json.loads(payload) if payload else None, new_id
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null"), None


def api_get(emulator, path):
    """The document at ``path`` without its HAL links; fails the test on an error status."""
    status, body, _new_id = api(emulator, "GET", path)
    assert status == 200, (path, status, body)
    body.pop("_links", None)
    return body


def but(base, **changes):
    """A copy of the task arguments ``base`` with some of them changed."""
    args = dict(base)
    args.update(changes)
    return args


def may_fail(entry):
    """Let the play go on after this task fails, so one run can check several failures."""
    entry["ignore_errors"] = True
    return entry
