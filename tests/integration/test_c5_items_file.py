# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""items_file: a bulk task's entries read from a JSON or YAML file by the module (and the
c5_tenant role's c5_tenant_subscribers_file): the same writes as items, secrets masked,
invalid entries stop the task before any request."""

import json

import yaml

from conftest import may_fail, writes

from test_c5_subscriber import DOMAIN, make_tenant, task
from test_c5_subscriber_settings import entries


def test_entries_from_a_json_file_are_applied_like_items_and_their_passwords_masked(runner, c5_emulator, tmp_path):
    make_tenant(c5_emulator)
    path = tmp_path / "subscribers.json"
    path.write_text(json.dumps(entries(3)), encoding="utf-8")
    bulk = task("bulk", customer="cust-1", items_file=str(path), item_results="full")
    first = runner.run([bulk], extra_args=("-v",))
    assert first.returncode == 0, first.stdout[-3000:]
    result = first.task("bulk")
    assert result["summary"] == {"total": 3, "changed": 3, "failed": 0}
    posted = sorted((w["body"]["username"], w["body"]["password"]) for w in writes(c5_emulator)
                    if w["path"] == "/api/subscribers/")
    assert posted == [("30000", "Sip-Secret-30000"), ("30001", "Sip-Secret-30001"), ("30002", "Sip-Secret-30002")]
    assert len(writes(c5_emulator)) == 9
    assert "Sip-Secret-3000" not in first.stdout and "Sip-Secret-3000" not in json.dumps(result)
    assert result["invocation"]["module_args"]["items_file"] == str(path)

    c5_emulator.clear_requests()
    again = runner.run([bulk])
    assert again.task("bulk")["summary"] == {"total": 3, "changed": 0, "failed": 0}
    assert writes(c5_emulator) == []


def test_an_invalid_entry_in_the_file_stops_the_task_before_any_request(runner, c5_emulator, tmp_path):
    make_tenant(c5_emulator)
    bad = entries(2)
    bad[1]["lock"] = "seven"
    bad[1]["colour"] = "red"
    path = tmp_path / "subscribers.yml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    run = runner.run([may_fail(task("bulk", customer="cust-1", items_file=str(path)))])
    assert run.status("bulk") == "failed"
    message = run.task("bulk")["msg"]
    assert message.startswith("items_file: 1 of 2 entries of %s are invalid, so nothing was applied: entry 1: " % path)
    assert "colour" in message
    assert c5_emulator.requests() == []
    both = runner.run([may_fail(task("both", customer="cust-1", items_file=str(path), items=entries(1)))])
    assert "mutually exclusive: items|items_file" in both.task("both")["msg"]


def test_the_tenant_role_reads_its_subscribers_from_a_file(runner, c5_emulator, tmp_path):
    path = tmp_path / "subscribers.yml"
    path.write_text(yaml.safe_dump(entries(4)), encoding="utf-8")
    tenant = {"domain": DOMAIN, "reseller": 1, "contact": {"email": "office@example.com"},
              "customer": {"external_id": "file-1"}}
    role = {"name": "tenant", "ansible.builtin.include_role": {"name": "voip.provisioning.c5_tenant"},
            "vars": {"c5_tenant": tenant, "c5_tenant_subscribers_file": str(path), "c5_connection": runner.connection()}}
    first = runner.run([role])
    assert first.returncode == 0, first.stdout[-3000:]
    by_path = sorted(set(w["path"].rstrip("0123456789") for w in writes(c5_emulator)))
    assert by_path == ["/api/callforwards/", "/api/customercontacts/", "/api/customers/", "/api/domains/",
                       "/api/subscriberpreferences/", "/api/subscribers/"]
    assert len([w for w in writes(c5_emulator) if w["path"] == "/api/subscribers/"]) == 4
    c5_emulator.clear_requests()
    assert runner.run([role]).returncode == 0
    assert writes(c5_emulator) == []

    # Both places, or the purge (which needs the declared list): refused before any write.
    c5_emulator.clear_requests()
    twice = dict(role, vars=dict(role["vars"], c5_tenant=dict(tenant, subscribers=entries(1))))
    refused = runner.run([may_fail(twice)])
    assert "c5_tenant_subscribers_file and c5_tenant.subscribers are both set" in refused.stdout
    purge = dict(role, vars=dict(role["vars"], c5_tenant_purge_subscribers=True))
    refused = runner.run([may_fail(purge)])
    assert "c5_tenant_purge_subscribers needs the declared subscribers" in refused.stdout
    assert writes(c5_emulator) == []
