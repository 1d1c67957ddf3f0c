# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication and TLS against the emulator: HTTPS with the test CA, a client
certificate issued by POST /api/admincerts/, a JWT login, and what each one sends;
with auth_method jwt, one login per play (the token cache), also across forks."""

import io
import json
import os
import ssl
import subprocess
import sys
import urllib.request
import zipfile
from base64 import b64encode

import pytest
import requests
import yaml
from conftest import Runner, collections_path


ADMIN_BASIC = "Basic " + b64encode(b"administrator:administrator").decode()


def domain_task(name, **args):
    if "items" not in args:
        args.setdefault("domain", "tls.example.com")
    args.setdefault("reseller", 1)
    return {"name": name, "voip.provisioning.c5_domain": args}


def issue_admin_certificate(emulator, directory):
    """Ask the API for a client certificate, as an operator would (POST /api/admincerts/)."""
    request = urllib.request.Request(emulator.url + "/api/admincerts/", data=b"{}", method="POST", headers={
        "Content-Type": "application/json",
        "Authorization": "Basic " + b64encode(b"administrator:administrator").decode(),
    })
    context = ssl.create_default_context(cafile=emulator.ca_file)
    with urllib.request.urlopen(request, context=context) as response:
        assert response.status == 201
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    pem_name = [n for n in archive.namelist() if n.endswith(".pem")][0]
    path = os.path.join(str(directory), pem_name)
    with open(path, "wb") as handle:
        handle.write(archive.read(pem_name))
    return path


def test_https_with_ca_path_and_basic_auth(c5_emulator_tls, tmp_path):
    runner = Runner(c5_emulator_tls, tmp_path)
    play = runner.run([domain_task("create", ca_path=c5_emulator_tls.ca_file)])
    assert play.task("create")["changed"] is True, play.stdout
    assert {r["auth"] for r in c5_emulator_tls.requests()} == {"basic"}


def test_https_without_the_ca_fails_on_verification_and_names_it(c5_emulator_tls, tmp_path):
    runner = Runner(c5_emulator_tls, tmp_path)
    play = runner.run([domain_task("create")])
    assert play.status("create") == "failed"
    assert "CERTIFICATE_VERIFY_FAILED" in play.task("create")["msg"]
    assert c5_emulator_tls.requests() == []


def test_client_certificate_authentication_sends_no_password(c5_emulator_tls, tmp_path):
    pem = issue_admin_certificate(c5_emulator_tls, tmp_path)
    c5_emulator_tls.clear_requests()
    runner = Runner(c5_emulator_tls, tmp_path)
    play = runner.run([domain_task("create", ca_path=c5_emulator_tls.ca_file, client_cert=pem)], module_defaults=False,
                      extra_env={"C5_URL": c5_emulator_tls.url})
    assert play.task("create")["changed"] is True, play.stdout
    assert {r["auth"] for r in c5_emulator_tls.requests()} == {"cert"}


def jwt_play(tag):
    """Five C5 tasks of three modules, the way a role provisions a tenant."""
    domain = "%s.jwt.example.com" % tag
    email = "%s@jwt.example.com" % tag
    return [
        domain_task("domain", domain=domain),
        {"name": "contact", "voip.provisioning.c5_customer_contact": {"email": email, "reseller": 1}},
        {"name": "customer", "voip.provisioning.c5_customer": {
            "external_id": "jwt-%s" % tag, "contact": email, "reseller": 1, "billing_profile": "default"}},
        {"name": "subscribers", "voip.provisioning.c5_subscriber": {
            "domain": domain, "customer": "jwt-%s" % tag,
            "items": [{"username": "u%d" % n, "password": "Jwt-Pass-%d-x" % n,
                       "primary_number": "+43 9877 %d%d" % (sum(map(ord, tag)), n)} for n in (1, 2)]}},
        {"name": "read back", "voip.provisioning.c5_info": {"resource": "domains", "filters": {"domain": domain}}},
    ]


class JwtRunner(Runner):
    """The c5 group defaults plus auth_method jwt."""

    def connection(self, **extra):
        extra.setdefault("auth_method", "jwt")
        return super(JwtRunner, self).connection(**extra)


@pytest.fixture
def jwt_runner(c5_emulator, tmp_path):
    return JwtRunner(c5_emulator, tmp_path)


def logins(log):
    return [r for r in log if r["path"] == "/login_jwt"]


def cached_tokens(tmp_path):
    directory = tmp_path / "token-cache"
    return [json.loads(p.read_text())["token"] for p in directory.glob("*.json")] if directory.exists() else []


def test_jwt_logs_in_once_per_play(jwt_runner, c5_emulator, tmp_path):
    play = jwt_runner.run(jwt_play("one"))
    assert play.returncode == 0, play.stdout
    assert [play.task(t)["changed"] for t in ("domain", "contact", "customer", "subscribers")] == [True] * 4
    log = c5_emulator.requests()
    # One password check for the whole play; every API request carries the token.
    assert [(r["method"], r["status"]) for r in logins(log)] == [("POST", 200)]
    assert log[0]["path"] == "/login_jwt"
    assert {r["auth"] for r in log[1:]} == {"bearer"} and len(log) > 10
    (token,) = cached_tokens(tmp_path)
    # The secret token is in no task result and not in the output, even at -vvv.
    verbose = jwt_runner.run([domain_task("again", domain="one.jwt.example.com")], extra_args=("-vvv",))
    assert verbose.status("again") == "ok" and verbose.task("again")["changed"] is False
    assert token not in verbose.stdout and token not in play.stdout and token not in json.dumps(play.results)
    assert len(logins(c5_emulator.requests())) == 1


def test_jwt_token_expired_by_the_server_clock_means_one_new_login(jwt_runner, c5_emulator, tmp_path):
    runner = jwt_runner
    assert runner.run(jwt_play("before")).returncode == 0
    (old,) = cached_tokens(tmp_path)
    c5_emulator.clear_requests()
    # Past the token's exp by the C5's clock (36000 s, as ngcp-panel ships it); our clock did not move.
    c5_emulator.advance_clock(36001)
    play = runner.run(jwt_play("after"))
    assert play.returncode == 0, play.stdout
    log = c5_emulator.requests()
    # The first task's first request is refused (403 Invalid user, as a C5 refuses an expired JWT),
    # the task logs in once and sends it again; the other tasks use the new token.
    assert [(r["path"], r["status"]) for r in log[:3]] == [(log[0]["path"], 403), ("/login_jwt", 200), (log[0]["path"], 200)]
    assert len(logins(log)) == 1
    assert [r for r in log if r["status"] == 403] == [log[0]]
    (new,) = cached_tokens(tmp_path)
    assert new != old


def test_jwt_token_cache_off_logs_in_once_per_task(jwt_runner, c5_emulator, tmp_path):
    # Through the environment fallback, as an AWX credential would set it.
    play = jwt_runner.run(jwt_play("off"), extra_env={"C5_TOKEN_CACHE": "false"})
    assert play.returncode == 0, play.stdout
    log = c5_emulator.requests()
    assert len(logins(log)) == 5
    assert cached_tokens(tmp_path) == []


def test_jwt_other_credentials_do_not_use_the_cached_token(jwt_runner, c5_emulator, tmp_path):
    runner = jwt_runner
    admin = {"login": "jwt-second", "password": "Second-Pass-1", "email": "second@jwt.example.com", "is_superuser": True,
             "is_active": True, "reseller_id": 1}
    created = requests.post(c5_emulator.url + "/api/admins/", json=admin, headers={"Authorization": ADMIN_BASIC}, timeout=30)
    assert created.status_code == 201, created.text
    assert runner.run([domain_task("first", domain="first.jwt.example.com")]).returncode == 0
    play = runner.run([domain_task("second", domain="second.jwt.example.com",
                                   username="jwt-second", password="Second-Pass-1")])
    assert play.task("second")["changed"] is True, play.stdout
    users = [r["body"]["username"] for r in logins(c5_emulator.requests())]
    assert users == ["administrator", "jwt-second"]
    assert len(cached_tokens(tmp_path)) == 2


def test_jwt_hosts_in_parallel_forks_share_one_login(c5_emulator, tmp_path):
    """Six hosts, six forks, each task of each host in its own process at the same
    moment: the first fork logs in under the cache's lock, the others wait and
    take its token."""
    hosts = ["h%d" % n for n in range(1, 7)]
    play = [{"hosts": "all", "gather_facts": False, "module_defaults": {"group/voip.provisioning.c5": {
        "url": c5_emulator.url, "username": "administrator", "password": "administrator", "auth_method": "jwt"}},
        "tasks": [domain_task("domain", domain="{{ inventory_hostname }}.forks.example.com"),
                  {"name": "read", "voip.provisioning.c5_info": {"resource": "domains",
                                                                 "filters": {"domain": "{{ inventory_hostname }}.forks"}}}]}]
    playbook = tmp_path / "forks.yml"
    playbook.write_text(yaml.safe_dump(play))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR="1",
               VOIP_PROVISIONING_TOKEN_CACHE_DIR=str(tmp_path / "token-cache"))
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", ",".join(hosts) + ",",
               "-c", "local", "-f", str(len(hosts)), "-e", "ansible_python_interpreter=%s" % sys.executable, str(playbook)]
    proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0, proc.stdout
    log = c5_emulator.requests()
    assert sorted(r["body"]["domain"] for r in log if r["path"] == "/api/domains/" and r["method"] == "POST") == \
        ["%s.forks.example.com" % h for h in hosts]
    assert len(logins(log)) == 1 and log[0]["path"] == "/login_jwt"
    assert {r["auth"] for r in log[1:]} == {"bearer"}
