# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection problems as a user meets them (issue 10, section 3): wrong credentials,
bad connection options refused before any request, an unreachable server named by its
URL and cause, and a bulk task against a dead server that stops at once."""

import socket

from conftest import Runner


def domain_task(name, **args):
    if "items" not in args:
        args.setdefault("domain", "errors.example.com")
    args.setdefault("reseller", 1)
    return {"name": name, "voip.provisioning.c5_domain": args}


def refused_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return "http://127.0.0.1:%d" % port, port


def test_wrong_password_names_the_login_the_method_and_what_to_check(runner, c5_emulator):
    play = runner.run([domain_task("create", password="wrong-secret-42")])
    msg = play.task("create")["msg"]
    assert msg.startswith("GET /api/domains/ failed: HTTP 401: ")
    assert "Authentication failed for login 'administrator' with basic auth: check username and password" in msg
    assert "wrong-secret-42" not in play.stdout
    assert [r["status"] for r in c5_emulator.requests()] == [401]


def test_url_with_credentials_is_refused_before_any_request_and_never_shown(runner, c5_emulator):
    url = c5_emulator.url.replace("://", "://administrator:url-pass-77@")
    play = runner.run([domain_task("create", url=url)], extra_args=("-vvv",))
    assert play.task("create")["msg"] == (
        "url must not contain a user name or password (user:password@host): set the options username and password "
        "(or C5_USERNAME and C5_PASSWORD) instead")
    assert "url-pass-77" not in play.stdout
    assert c5_emulator.requests() == []


def test_zero_timeout_fails_before_any_request(runner, c5_emulator):
    play = runner.run([domain_task("zero timeout", timeout=0)])
    assert play.task("zero timeout")["msg"] == "timeout must be more than 0 seconds, not 0.0"
    assert c5_emulator.requests() == []


def test_missing_ca_path_is_named(runner, c5_emulator, tmp_path):
    play = runner.run([domain_task("missing ca", ca_path=str(tmp_path / "nowhere.pem"))])
    assert play.task("missing ca")["msg"].startswith("ca_path: no such file or directory '%s'" % (tmp_path / "nowhere.pem"))
    assert c5_emulator.requests() == []


def test_unreachable_server_is_named_by_url_and_cause(runner):
    url, port = refused_url()
    play = runner.run([domain_task("create", url=url, retries=0)])
    assert play.task("create")["msg"] == (
        "GET /api/domains/ failed: cannot reach %s: connection refused on port %d. Check the port in url and that "
        "the API service runs there" % (url, port))


def test_bulk_against_a_dead_server_stops_the_remaining_items_at_once(runner):
    url, _port = refused_url()
    items = [{"domain": "d%d.example.com" % n} for n in range(8)]
    play = runner.run([domain_task("bulk", url=url, retries=1, workers=2, items=items)])
    result = play.task("bulk")
    assert play.status("bulk") == "failed", play.stdout[-3000:]
    messages = [r.get("msg", "") for r in result["results"]]
    tried = [m for m in messages if m.startswith("GET /api/domains/ failed: cannot reach %s: connection refused" % url)]
    stopped = [m for m in messages if "not sent: the last 3 requests could not reach %s" % url in m]
    # At most the in-flight items (one per worker) try after the third failure; the rest are not sent.
    assert 3 <= len(tried) <= 4 and len(tried) + len(stopped) == 8, messages


def test_refused_jwt_login_says_check_username_and_password(runner, c5_emulator):
    play = runner.run([domain_task("create", auth_method="jwt", password="wrong-secret-43")])
    assert play.task("create")["msg"] == (
        "POST /login_jwt failed: HTTP 403: User not found. Login 'administrator' with a JWT login was refused: "
        "check username and password (the account must exist and be active)")
    assert "wrong-secret-43" not in play.stdout
    assert [(r["path"], r["status"]) for r in c5_emulator.requests()] == [("/login_jwt", 403)]


def test_plain_http_to_the_https_port_says_use_https(c5_emulator_tls, tmp_path):
    url = c5_emulator_tls.url.replace("https://", "http://")
    port = url.rsplit(":", 1)[1]
    play = Runner(c5_emulator_tls, tmp_path).run([domain_task("create", url=url)])
    assert play.task("create")["msg"] == (
        "GET /api/domains/ failed: cannot reach %s: the server closed the connection: port %s speaks HTTPS. "
        "Use https:// in url" % (url, port))
