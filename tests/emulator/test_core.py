# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Behaviour of the emulator's platform-neutral core, driven through the trivial
``echo`` platform (``voip_emulator.core.echo``) in real subprocesses."""

import base64
import http.client
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time

import pytest

from voip_emulator.core.profiles import resolve_profile
from voip_emulator.core.tls import issue_client_cert
from voip_emulator.testing import EMULATOR_DIR, EmulatorError, EmulatorProcess

WRAPPER = os.path.join(EMULATOR_DIR, "voip-emulator")


@pytest.fixture(scope="module")
def echo_session():
    with EmulatorProcess(platform="echo", seed=7) as emulator:
        yield emulator


@pytest.fixture
def echo(echo_session):
    echo_session.ensure_running()
    echo_session.reset()
    return echo_session


def connect(emulator, timeout=10):
    return http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=timeout)


def call(connection, method, target, body=None, headers=None):
    """One request on a (keep-alive) connection: (status, headers dict, body bytes)."""
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        headers = dict({"Content-Type": "application/json"}, **(headers or {}))
    connection.request(method, target, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def raw_exchange(emulator, data):
    """Send raw bytes on a fresh socket and read until the server closes."""
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def basic(login, password):
    return "Basic " + base64.b64encode(("%s:%s" % (login, password)).encode()).decode()


def timed(connection, method, target, headers=None):
    started = time.monotonic()
    assert call(connection, method, target, headers=headers)[0] == 200
    return time.monotonic() - started


# -- HTTP behaviour ----------------------------------------------------------


def test_keepalive_requests_are_fast_and_share_one_connection(echo):
    connection = connect(echo)
    call(connection, "GET", "/echo/warmup")
    sock = connection.sock
    started = time.monotonic()
    for number in range(100):
        status, headers, body = call(connection, "GET", "/echo/ping?n=%d" % number)
        assert status == 200 and int(headers["Content-Length"]) == len(body)
    elapsed = time.monotonic() - started
    # A response written in two pieces costs ~40 ms of delayed ACK each: 4 s.
    assert elapsed < 1.0, "100 keep-alive requests took %.2f s" % elapsed
    assert connection.sock is sock, "the server closed the keep-alive connection"
    connection.close()


def test_raw_target_reaches_the_app_uncollapsed(echo):
    status, _headers, body = call(connect(echo), "GET", "//api/customers/?page=1&rows=5")
    assert status == 200
    assert json.loads(body)["target"] == "//api/customers/?page=1&rows=5"


def test_head_sends_the_get_headers_without_a_body(echo):
    connection = connect(echo)
    call(connection, "POST", "/echo/items", {"name": "a"})
    get_status, get_headers, get_body = call(connection, "GET", "/echo/items")
    head_status, head_headers, head_body = call(connection, "HEAD", "/echo/items")
    assert get_status == head_status == 200
    assert head_body == b""
    assert int(head_headers["Content-Length"]) == len(get_body) > 0
    assert head_headers["Content-Type"] == get_headers["Content-Type"]
    # Stray body bytes after HEAD would break the next answer on this connection.
    assert call(connection, "GET", "/echo/items")[2] == get_body


def test_empty_valued_header_is_sent_as_name_colon_space(echo):
    answer = raw_exchange(echo, b"POST /echo/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
    head, _sep, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 201 Created\r\n")
    assert b"\r\nContent-Type: \r\n" in head + b"\r\n"
    assert b"\r\nContent-Length: 0" in head and b"\r\nConnection: close" in head
    assert body == b""
    connection = connect(echo)
    status, headers, _body = call(connection, "PUT", "/echo/empty")
    assert status == 204 and headers["Content-Type"] == "" and "Content-Length" not in headers
    assert call(connection, "GET", "/echo/after-204")[0] == 200


def test_chunked_request_body_is_read(echo):
    answer = raw_exchange(echo, b"POST /echo/chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                b"Content-Type: application/json\r\nConnection: close\r\n\r\n"
                                b"4\r\n{\"a\"\r\n3\r\n: 1\r\n1\r\n}\r\n0\r\n\r\n")
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["body"] == {"a": 1}


# -- request log -------------------------------------------------------------


def test_request_log_records_requests_without_credentials(echo):
    connection = connect(echo)
    call(connection, "POST", "/echo/items", {"name": "x"},
         headers={"Authorization": basic("administrator", "s3cret-pw"), "Prefer": "return=minimal", "Accept": "*/*"})
    call(connection, "GET", "/echo/one", headers={"Authorization": "Bearer tok3n-value"})
    call(connection, "PUT", "/echo/two", body="plain text", headers={"Content-Type": "text/plain"})
    call(connection, "POST", "/echo/big", body="y" * 20000, headers={"Content-Type": "text/plain"})
    echo.health()  # control requests are never logged

    entries = echo.requests()
    assert [(e["seq"], e["method"], e["path"], e["status"]) for e in entries] == [
        (1, "POST", "/echo/items", 201), (2, "GET", "/echo/one", 200), (3, "PUT", "/echo/two", 200), (4, "POST", "/echo/big", 200),
    ]
    first = entries[0]
    assert first["request_headers"] == {"Content-Type": "application/json", "Prefer": "return=minimal", "Accept": "*/*", "Authorization": "Basic"}
    assert first["body"] == {"name": "x"}
    assert first["auth"] == "basic" and first["auth_user"] == "administrator"
    assert isinstance(first["duration_ms"], float) and abs(first["time"] - time.time()) < 60
    assert entries[1]["auth"] == "bearer" and entries[1]["request_headers"]["Authorization"] == "Bearer"
    assert entries[1]["body"] is None
    assert entries[2]["auth"] == "none" and entries[2]["body"] == "plain text"
    assert len(entries[3]["body"]) == 10000 and entries[3]["body_truncated"] is True
    dumped = json.dumps(entries)
    assert "s3cret-pw" not in dumped and "tok3n-value" not in dumped

    assert [e["seq"] for e in echo.requests(since=2)] == [3, 4]
    assert len(echo.requests(clear=True)) == 4
    assert echo.requests() == []
    call(connection, "GET", "/echo/three")
    assert echo.clear_requests()["cleared"] == 1
    assert echo.requests() == []


# -- faults ------------------------------------------------------------------


def test_drop_fault_closes_without_answer_and_app_never_runs(echo):
    echo.add_fault(kind="drop", method="POST", path_regex="^/echo/items")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        call(connect(echo), "POST", "/echo/items", {"name": "lost"})
    connection = connect(echo)
    assert json.loads(call(connection, "GET", "/echo/items")[2]) == {}
    assert call(connection, "POST", "/echo/items", {"name": "kept"})[0] == 201  # count 1: used up
    assert json.loads(call(connection, "GET", "/echo/items")[2]) == {"1": {"name": "kept"}}
    dropped = echo.requests()[0]
    assert (dropped["method"], dropped["status"], dropped["fault"]) == ("POST", 0, "drop")


def test_status_fault_with_retry_after_count_and_after(echo):
    echo.add_fault(kind="status", status=503, retry_after=2, path_regex="^/echo/flaky", count=2, after=1)
    echo.add_fault(kind="status", status=500, method="DELETE")
    connection = connect(echo)
    answers = [call(connection, "GET", "/echo/flaky") for attempt in range(4)]
    assert [answer[0] for answer in answers] == [200, 503, 503, 200]
    assert answers[1][1]["Retry-After"] == "2"
    assert json.loads(answers[1][2]) == {"code": 503, "message": "injected fault"}
    # The app ran for the two unfaulted requests only.
    assert json.loads(answers[3][2])["count"] == 2
    assert call(connection, "GET", "/echo/other")[0] == 200
    assert call(connection, "DELETE", "/echo/other")[0] == 500
    flaky_rule = echo.faults()[0]
    assert (flaky_rule["matched"], flaky_rule["fired"]) == (4, 2)


def test_status_after_and_drop_after_faults_run_the_app_first(echo):
    echo.add_fault(kind="status_after", status=502, method="POST", path_regex="/echo/items")
    status, _headers, body = call(connect(echo), "POST", "/echo/items", {"name": "written"})
    assert status == 502 and json.loads(body)["code"] == 502
    echo.add_fault(kind="drop_after", method="POST", path_regex="/echo/items")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        call(connect(echo), "POST", "/echo/items", {"name": "also written"})
    # The client never heard of either write, but both happened.
    items = json.loads(call(connect(echo), "GET", "/echo/items")[2])
    assert items == {"1": {"name": "written"}, "2": {"name": "also written"}}
    assert [(e["status"], e.get("fault")) for e in echo.requests()] == [(502, "status_after"), (0, "drop_after"), (200, None)]


def test_invalid_control_input_is_rejected(echo):
    with pytest.raises(EmulatorError, match="400.*fault kind"):
        echo.add_fault(kind="explode")
    with pytest.raises(EmulatorError, match="400.*unknown latency profile"):
        echo.configure(latency_profile="warp-speed")
    with pytest.raises(EmulatorError, match="404"):
        echo.control("GET", "nothing-here")
    assert echo.faults() == []


def test_reset_restores_seed_data_log_faults_and_config(echo):
    connection = connect(echo)
    call(connection, "POST", "/echo/items", {"name": "x"})
    call(connection, "GET", "/echo/count")
    echo.add_fault(kind="status", status=500, path_regex="never")
    echo.configure(latency_profile="fast")
    echo.reset()
    assert echo.config()["latency_profile"] == "none"
    assert echo.faults() == [] and echo.requests() == []
    assert json.loads(call(connection, "GET", "/echo/items")[2]) == {}
    assert json.loads(call(connection, "GET", "/echo/count")[2])["count"] == 1
    assert echo.requests()[0]["seq"] == 1


# -- latency profiles, workers, serialisation ---------------------------------


def test_c5_real_costs_plus_basic_auth_match_the_measurements():
    profile = resolve_profile("c5-real")
    auth = profile.auth_cost if hasattr(profile, "auth_cost") else profile["auth_cost"]
    assert auth == pytest.approx(0.42)
    # Pages as recalibrated against the real platform's re-runs (docs/performance.md,
    # "The c5-real profile beside the real platform"): 0.014 s per row.
    assert profile.request_cost("GET", "GET page", 10) + auth == pytest.approx(0.673, abs=0.001)
    assert profile.request_cost("GET", "GET page", 100) + auth == pytest.approx(1.933, abs=0.001)
    # The preference definitions are one request, whatever their number.
    assert profile.request_cost("GET", "GET defs", 247) == pytest.approx(0.2)
    # POST /login_jwt checks the password like Basic auth: bcrypt + a request.
    assert profile.request_cost("POST", "POST other") == pytest.approx(auth + 0.08)
    assert profile.request_cost("POST", "POST subscribers") + auth == pytest.approx(1.07)
    assert profile.request_cost("GET", "GET item") + auth == pytest.approx(0.5)
    assert profile.request_cost("DELETE", "DELETE anything") + auth == pytest.approx(0.5)


def test_latency_profile_applies_costs_auth_cost_and_time_scale(echo):
    echo.configure(latency_profile="c5-real", time_scale=0.1)
    connection = connect(echo)
    expectations = [
        # (method, target, auth header, expected seconds = profile cost * 0.1)
        ("GET", "/echo/item", None, 0.008),
        ("GET", "/echo/item", basic("administrator", "pw"), 0.008 + 0.042),
        ("GET", "/echo/page?rows=100", None, 0.1513),
        ("POST", "/echo/subscribers", None, 0.065),
    ]
    for method, target, auth, expected in expectations:
        elapsed = timed(connection, method, target, {"Authorization": auth} if auth else None)
        assert expected * 0.95 <= elapsed < expected + 0.1, (target, auth, elapsed)
    logged = [entry["duration_ms"] / 1000.0 for entry in echo.requests()]
    assert [round(value, 2) for value in logged] == pytest.approx([round(e[3], 2) for e in expectations], abs=0.011)
    echo.configure(latency_profile="fast", time_scale=1.0)
    assert 0.019 <= timed(connection, "GET", "/echo/x") < 0.1
    echo.configure(latency_profile=None)
    assert timed(connection, "GET", "/echo/x") < 0.015


def test_keepalive_connection_holds_its_worker_until_it_closes(echo):
    echo.configure(workers=1, keepalive_holds_worker=True)
    first = connect(echo)
    assert call(first, "GET", "/echo/a")[0] == 200
    done = {}

    def second_client():
        done["status"] = call(connect(echo), "GET", "/echo/b")[0]
        done["at"] = time.monotonic()

    waiter = threading.Thread(target=second_client)
    waiter.start()
    time.sleep(0.3)
    assert "at" not in done, "the second connection got a worker while the first one held it"
    assert echo.health()["workers"] == {"workers": 1, "in_use": 1, "waiting": 1}
    closed_at = time.monotonic()
    first.close()
    waiter.join(5)
    assert done["status"] == 200 and done["at"] >= closed_at

    # Without keepalive_holds_worker the worker goes back after each request.
    echo.configure(workers=1, keepalive_holds_worker=False)
    first = connect(echo)
    call(first, "GET", "/echo/a")
    started = time.monotonic()
    assert call(connect(echo), "GET", "/echo/b")[0] == 200
    assert time.monotonic() - started < 0.2
    first.close()


def run_parallel(emulator, targets):
    """Send the targets at the same moment, each on its own connection."""
    connections = [connect(emulator) for target in targets]
    for connection in connections:
        connection.connect()
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def client(index):
        barrier.wait()
        results[index] = call(connections[index], "GET", targets[index])

    threads = [threading.Thread(target=client, args=(index,)) for index in range(len(targets))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results, time.monotonic() - started


def test_same_serialize_key_runs_one_at_a_time_and_may_conflict(echo):
    echo.configure(default_cost=0.15, parallel_conflict_500_rate=0.0)
    elapsed = run_parallel(echo, ["/echo/s?lock=customer-1", "/echo/s?lock=customer-1"])[1]
    assert elapsed >= 0.3, "same key ran in parallel"
    elapsed = run_parallel(echo, ["/echo/s?lock=customer-1", "/echo/s?lock=customer-2"])[1]
    assert elapsed < 0.28, "different keys were serialised"

    echo.configure(parallel_conflict_500_rate=1.0)
    echo.clear_requests()
    results = run_parallel(echo, ["/echo/s?lock=customer-1", "/echo/s?lock=customer-1"])[0]
    assert sorted(result[0] for result in results) == [200, 500]
    failed = next(result[2] for result in results if result[0] == 500)
    assert json.loads(failed) == {"code": 500, "message": "Failed to create subscriber"}
    # The app ran for the winner only: 6 echo requests so far, not 7.
    assert json.loads(call(connect(echo), "GET", "/echo/s")[2])["count"] == 6
    assert [entry.get("conflict") for entry in echo.requests() if entry["status"] == 500] == [True]


# -- TLS, restart, CLI ------------------------------------------------------------


def test_tls_client_certificates_and_state_survive_a_restart(tmp_path):
    with EmulatorProcess(platform="echo", client_certs=True) as emulator:
        assert emulator.url.startswith("https://127.0.0.1:")
        trusted = http.client.HTTPSConnection("127.0.0.1", emulator.port, context=emulator.ssl_context(), timeout=10)
        status, _headers, body = call(trusted, "GET", "/echo/anonymous")
        assert status == 200 and json.loads(body)["client_cert"] is None and json.loads(body)["scheme"] == "https"

        with pytest.raises(ssl.SSLCertVerificationError):
            call(http.client.HTTPSConnection("127.0.0.1", emulator.port, context=ssl.create_default_context(), timeout=10), "GET", "/")

        serial, pem_path = emulator.issue_client_cert("Sipwise NGCP API client certificate")
        with_cert = http.client.HTTPSConnection("127.0.0.1", emulator.port, context=emulator.ssl_context(pem_path), timeout=10)
        seen = json.loads(call(with_cert, "GET", "/echo/with-cert")[2])["client_cert"]
        assert seen["serial"] == serial and seen["subject"] == "CN=Sipwise NGCP API client certificate"
        assert "voip-emulator test CA" in seen["issuer"]
        assert emulator.requests()[-1]["auth"] == "cert"

        # A certificate from another CA is refused during the handshake.
        foreign_pem = issue_client_cert(str(tmp_path / "other-ca"), "intruder")[1]
        foreign_path = tmp_path / "foreign.pem"
        foreign_path.write_bytes(foreign_pem)
        with pytest.raises((ssl.SSLError, ConnectionError)):
            call(http.client.HTTPSConnection("127.0.0.1", emulator.port, context=emulator.ssl_context(str(foreign_path)), timeout=10),
                 "GET", "/echo/foreign")

        with open(emulator.ca_file, "rb") as stream:
            ca_before = stream.read()
        port_before = emulator.port
        emulator.restart()
        with open(emulator.ca_file, "rb") as stream:
            assert stream.read() == ca_before
        assert emulator.port == port_before
        # Same CA and port: a client built before the restart still verifies; the
        # persisted counter continues (2 echoes before the restart; the refused
        # handshakes never reached the app).
        trusted = http.client.HTTPSConnection("127.0.0.1", emulator.port, context=emulator.ssl_context(), timeout=10)
        assert json.loads(call(trusted, "GET", "/echo/after-restart")[2])["count"] == 3
        state_dir = emulator.state_dir
    assert not os.path.exists(state_dir)


def pid_alive(pid):
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii") as stream:
            return stream.read().split(") ")[-1][:1] != "Z"
    except FileNotFoundError:
        return False


def test_cli_daemon_start_and_stop(tmp_path):
    assert os.access(WRAPPER, os.X_OK)
    profile_file = tmp_path / "tiny.json"
    profile_file.write_text(json.dumps({"base": "fast", "default_cost": 0.0}), encoding="utf-8")
    pid_file, port_file, state_dir = tmp_path / "emulator.pid", tmp_path / "url", tmp_path / "state"
    started = subprocess.run(
        [sys.executable, WRAPPER, "--platform", "echo", "--port", "0", "--daemon", "--state-dir", str(state_dir),
         "--pid-file", str(pid_file), "--port-file", str(port_file), "--profile-file", str(profile_file)],
        capture_output=True, text=True, timeout=30, check=False,
    )
    pid = None
    try:
        assert started.returncode == 0, started.stderr
        match = re.fullmatch(r"voip-emulator echo listening on (http://127\.0\.0\.1:(\d+))\n", started.stdout)
        assert match, started.stdout
        assert port_file.read_text(encoding="utf-8").strip() == match.group(1)
        pid = int(pid_file.read_text(encoding="utf-8"))
        emulator = EmulatorProcess(platform="echo", state_dir=str(state_dir))
        emulator.url = match.group(1)
        health = emulator.health()
        assert health["pid"] == pid and health["latency_profile"] == "tiny"
        assert (state_dir / "echo.sqlite").exists()

        stopped = subprocess.run([sys.executable, WRAPPER, "stop", "--pid-file", str(pid_file)],
                                 capture_output=True, text=True, timeout=30, check=False)
        assert stopped.returncode == 0, stopped.stderr
        assert not pid_alive(pid)
        # The server removed its own port file: it shut down cleanly on SIGTERM.
        assert not port_file.exists() and not pid_file.exists()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", int(match.group(2))), timeout=2).close()
    finally:
        if pid is not None and pid_alive(pid):
            subprocess.run([sys.executable, WRAPPER, "stop", "--pid-file", str(pid_file)], timeout=30, check=False)


# -- the clock ---------------------------------------------------------------


def test_clock_control_sets_advances_freezes_and_reset_returns_to_real_time(echo):
    connection = connect(echo)
    state = echo.clock()
    assert not state["frozen"] and abs(state["now"] - time.time()) < 5 and state["iso"].endswith("Z")
    state = echo.set_clock("2030-01-02T03:04:05Z", freeze=True)
    assert state["now"] == 1893553445.0 and state["frozen"] and state["iso"] == "2030-01-02T03:04:05.000Z"
    # The application reads the same clock.
    assert json.loads(call(connection, "GET", "/echo/clock")[2])["now"] == 1893553445.0
    assert echo.advance_clock(3600)["now"] == 1893557045.0
    time.sleep(0.05)
    assert echo.clock()["now"] == 1893557045.0  # frozen: no drift
    assert json.loads(call(connection, "GET", "/echo/changes")[2])["clock_changes"] >= 2
    running = echo.freeze_clock(False)
    assert not running["frozen"] and running["now"] >= 1893557045.0
    with pytest.raises(EmulatorError, match="400.*unknown clock command"):
        echo.control("POST", "clock", {"jump": 5})
    with pytest.raises(EmulatorError, match="400.*ISO 8601"):
        echo.set_clock("next tuesday")
    echo.reset()
    state = echo.clock()
    assert not state["frozen"] and abs(state["offset"]) < 1
    assert echo.health()["clock"]["frozen"] is False
