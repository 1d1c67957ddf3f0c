# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication and TLS against the emulator: HTTPS with the test CA, a client
certificate issued by POST /api/admincerts/, a JWT login, and what each one sends."""

import io
import os
import ssl
import urllib.request
import zipfile
from base64 import b64encode

from conftest import Runner


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


def test_jwt_logs_in_once_per_task(runner, c5_emulator):
    play = runner.run([domain_task("create", auth_method="jwt", items=[{"domain": "a.example.com"}, {"domain": "b.example.com"}])])
    assert play.task("create")["changed"] is True, play.stdout
    log = c5_emulator.requests()
    assert [r["path"] for r in log if r["auth"] != "bearer"] == ["/login_jwt"]
    assert sum(1 for r in log if r["auth"] == "bearer") >= 4
