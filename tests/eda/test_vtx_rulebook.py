# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""End to end with the real ansible-rulebook: the example rulebook
(extensions/eda/rulebooks/vtx_missed_calls.yml, sources loaded from the installed
collection) receives the VTX emulator's pushes; a missed inbound call posts a
ticket, an answered call and a forged notification fire nothing."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import yaml

from voip_emulator.vtx import timefmt
from voip_emulator.vtx.testing import APPLICATION, LOGIN, PASSWORD, Receiver, api_session, simulate_call

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RULEBOOK = os.path.join(REPO, "extensions", "eda", "rulebooks", "vtx_missed_calls.yml")


def rulebook_command():
    found = os.path.join(os.path.dirname(sys.executable), "ansible-rulebook")
    return found if os.path.exists(found) else shutil.which("ansible-rulebook")


def collections_path():
    if os.environ.get("ANSIBLE_COLLECTIONS_PATH"):
        return os.environ["ANSIBLE_COLLECTIONS_PATH"]
    parts = REPO.split(os.sep)
    if parts[-3:-2] == ["ansible_collections"]:
        return os.sep.join(parts[:-3])
    pytest.skip("set ANSIBLE_COLLECTIONS_PATH (scripts/test.sh does) so that voip.provisioning can be found")
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, log, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("ansible-rulebook exited (%s):\n%s" % (process.returncode, read(log)))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail("the webhook did not listen within %d s:\n%s" % (seconds, read(log)))


def read(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()[-4000:]


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_missed_call_becomes_a_ticket_forgery_fires_nothing(emulator, tmp_path):
    if rulebook_command() is None:
        pytest.fail("ansible-rulebook is not installed (requirements-dev.txt; it needs a Java 17 runtime)")
    vtx = emulator("vtx")
    port = free_port()
    receiver_url = "http://127.0.0.1:%d/vtx/cdr" % port
    subscription = api_session().post(vtx.url + "/openapi/v1/subscriptions", timeout=30, json={
        "expires": timefmt.instant(vtx.clock()["now"] + 3600), "notificationUrl": receiver_url,
        "resourceType": "CALL_LOG", "userIds": [176125, 176129]}).json()["subscription"]["id"]
    with Receiver() as tickets:
        variables = {"vtx_webhook_port": port, "vtx_url": vtx.url + "/openapi", "vtx_username": LOGIN,
                     "vtx_password": PASSWORD, "vtx_service_psk": APPLICATION, "ticket_queue_url": tickets.url}
        (tmp_path / "vars.yml").write_text(yaml.safe_dump(variables))
        (tmp_path / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {
            "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
        log = str(tmp_path / "rulebook.log")
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR="1",
                   PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
        with open(log, "w", encoding="utf-8") as output:
            process = subprocess.Popen(
                [rulebook_command(), "-r", RULEBOOK, "-i", str(tmp_path / "inventory.yml"), "-e", str(tmp_path / "vars.yml"),
                 "--print-events"], cwd=str(tmp_path), env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, process, log)
            answered = simulate_call(vtx.url, "+41225662195", direction="INCOMING", duration=65)
            missed = simulate_call(vtx.url, "+41225662194", direction="INCOMING", duration=0,
                                   callPartyNumber="+41445551234")
            assert [n["status"] for n in answered["notifications"] + missed["notifications"]] == [200, 200]
            forged = {"subscriptionId": "5b14a0bf-da8a-4c32-9979-1bc7017a3b84", "callLogEvents": [{
                "changeType": "CREATED", "callLog": dict(missed["callLog"], id="forged", callPartyNumber="+41000000000"),
                "context": {"user": {"id": 176125, "name": "+41225662194@m.ipvoip.ch"}}}]}
            assert post(receiver_url, forged) == 403
            deadline = time.monotonic() + 120
            while not tickets.received and time.monotonic() < deadline:
                assert process.poll() is None, read(log)
                time.sleep(0.5)
            # Give a wrongly fired rule (answered call, forgery) time to show up too.
            time.sleep(3)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    bodies = tickets.bodies()
    assert len(bodies) == 1, "tickets: %s\n%s" % (bodies, read(log))
    ticket = bodies[0]
    assert ticket["subject"] == "Missed call from +41445551234 to +41225662194@m.ipvoip.ch"
    assert ticket["user"] == {"id": 176125, "name": "+41225662194@m.ipvoip.ch"}
    assert ticket["subscription_id"] == subscription
    call = dict(missed["callLog"])
    call["call_start"] = timefmt.instant(timefmt.parse(call["callStart"]))[:-1] + ".000Z"
    assert ticket["call"] == call


PRESENCE_RULEBOOK = """
- name: VTX presence changes
  hosts: all
  sources:
    - voip.provisioning.vtx_presence:
        url: "{{ vtx_url }}"
        username: "{{ vtx_username }}"
        password: "{{ vtx_password }}"
        service_psk: "{{ vtx_service_psk }}"
        directory: "{{ vtx_directory }}"
        interval: 0.5
        max_rate: 20
  rules:
    - name: In a call
      condition: event.presence.enhanced_activity == "IN_A_CALL"
      action:
        debug:
          msg: "PRESENCE {{ event.presence.login_name }} {{ event.presence.previous.enhanced_activity }} -> IN_A_CALL"
"""


def test_presence_source_under_ansible_rulebook(emulator, tmp_path):
    if rulebook_command() is None:
        pytest.fail("ansible-rulebook is not installed (requirements-dev.txt; it needs a Java 17 runtime)")
    vtx = emulator("vtx")
    from voip_emulator.vtx.testing import DIRECTORY, set_presence

    (tmp_path / "presence.yml").write_text(PRESENCE_RULEBOOK)
    (tmp_path / "vars.yml").write_text(yaml.safe_dump({
        "vtx_url": vtx.url + "/openapi", "vtx_username": LOGIN, "vtx_password": PASSWORD, "vtx_service_psk": APPLICATION,
        "vtx_directory": DIRECTORY[:2]}))
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
    log = str(tmp_path / "rulebook.log")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR="1",
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    with open(log, "w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [rulebook_command(), "-r", str(tmp_path / "presence.yml"), "-i", str(tmp_path / "inventory.yml"),
             "-e", str(tmp_path / "vars.yml")], cwd=str(tmp_path), env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        # Wait until the source polls (its first round only learns the states).
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len([r for r in vtx.requests() if r["path"].endswith("/presence")]) < 4:
            assert process.poll() is None, read(log)
            time.sleep(0.3)
        set_presence(vtx.url, DIRECTORY[1]["number"], "ONLINE", "IN_A_CALL")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "PRESENCE" not in read(log):
            assert process.poll() is None, read(log)
            time.sleep(0.3)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    fired = [line for line in read(log).splitlines() if "PRESENCE" in line and "->" in line]
    assert fired and "PRESENCE +41225662195@m.ipvoip.ch NONE -> IN_A_CALL" in fired[0], read(log)
    assert len(fired) == 1, read(log)
