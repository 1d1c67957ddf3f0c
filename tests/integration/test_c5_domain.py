# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_domain against the C5 emulator, and the shared behaviour every module gets from
the engine and the action plugin: idempotence with zero writes, check mode, diff,
errors, env-var connection, in-process and on-target runs giving the same result."""

from conftest import writes

DOMAIN = "sip.tenant.example.com"


def task(name, **args):
    return {"name": name, "voip.provisioning.c5_domain": args}


def test_create_is_idempotent_and_second_run_sends_no_write(runner, c5_emulator):
    run = runner.run([task("create", domain=DOMAIN, reseller=1), task("again", domain=DOMAIN, reseller=1)])
    assert run.returncode == 0, run.stdout
    created, again = run.task("create"), run.task("again")
    assert created["changed"] is True
    assert created["domain"]["domain"] == DOMAIN and created["domain"]["reseller_id"] == 1
    assert created["diff"] == {"before": {}, "after": {"domain": DOMAIN, "reseller_id": 1}}
    assert again["changed"] is False
    assert [(w["method"], w["path"]) for w in writes(c5_emulator)] == [("POST", "/api/domains/")]


def test_name_is_matched_case_insensitively_like_c5(runner, c5_emulator):
    runner.run([task("create", domain=DOMAIN, reseller=1)])
    c5_emulator.clear_requests()
    run = runner.run([task("upper", domain=DOMAIN.upper(), reseller=1)])
    assert run.task("upper")["changed"] is False
    assert writes(c5_emulator) == []


def test_check_mode_sends_no_write(runner, c5_emulator):
    run = runner.run([task("create", domain=DOMAIN, reseller=1)], check=True)
    assert run.task("create")["changed"] is True
    assert writes(c5_emulator) == []
    assert c5_emulator.requests(), "check mode still reads"


def test_delete_and_delete_again(runner, c5_emulator):
    runner.run([task("create", domain=DOMAIN, reseller=1)])
    run = runner.run([task("delete", domain=DOMAIN, state="absent"), task("again", domain=DOMAIN, state="absent")])
    assert run.task("delete")["changed"] is True
    assert run.task("delete")["diff"]["before"]["domain"] == DOMAIN
    assert run.task("again")["changed"] is False
    assert [w["method"] for w in writes(c5_emulator)] == ["POST", "DELETE"]


def test_bulk_items_with_per_item_error(runner, c5_emulator):
    run = runner.run([task("bulk", reseller=1, items=[{"domain": "a.example.com"}, {"domain": "b.example.com", "reseller": "no-such-reseller"}])])
    result = run.task("bulk")
    assert run.status("bulk") == "failed"
    assert result["summary"] == {"total": 2, "changed": 1, "failed": 1}
    failed = [r for r in result["results"] if r.get("failed")][0]
    assert "reseller: no reseller named 'no-such-reseller' exists" in failed["msg"]
    assert [(w["method"], w["body"]["domain"]) for w in writes(c5_emulator)] == [("POST", "a.example.com")]


def test_wrong_password_fails_clearly_without_the_secret(runner):
    run = runner.run([task("create", domain=DOMAIN, reseller=1, password="wrong-pass-123")])
    result = run.task("create")
    assert run.status("create") == "failed"
    assert "GET /api/domains/ failed: HTTP 401" in result["msg"]
    assert "wrong-pass-123" not in run.stdout


def test_missing_url_names_the_option_and_env_var(runner):
    run = runner.run([{"name": "nourl", "voip.provisioning.c5_domain": {"domain": DOMAIN}}], module_defaults=False)
    assert "url is required: set the option url (or the environment variable C5_URL)" in run.task("nourl")["msg"]


def test_connection_from_environment_variables(runner, c5_emulator):
    env = {"C5_URL": c5_emulator.url, "C5_USERNAME": "administrator", "C5_PASSWORD": "administrator"}
    run = runner.run([task("create", domain=DOMAIN, reseller=1)], module_defaults=False, extra_env=env)
    assert run.task("create")["changed"] is True


def test_server_error_is_reported_with_method_path_status_and_message(runner):
    run = runner.run([task("create", domain=DOMAIN, reseller=999)])
    result = run.task("create")
    assert run.status("create") == "failed"
    assert result["msg"].startswith("POST /api/domains/ failed: HTTP 422: ")
    assert "Invalid 'reseller_id', doesn't exist." in result["msg"]


def test_retry_after_503_on_reads(runner, c5_emulator):
    c5_emulator.add_fault(method="GET", path_regex="/api/domains/", kind="status", status=503, retry_after=0, count=1)
    run = runner.run([task("create", domain=DOMAIN, reseller=1)])
    result = run.task("create")
    assert result["changed"] is True
    assert any("retrying GET /api/domains/" in w for w in result.get("warnings", []))


def test_dropped_post_is_looked_up_not_repeated(runner, c5_emulator):
    # The server creates the domain but the client never hears back.
    c5_emulator.add_fault(method="POST", path_regex="/api/domains/", kind="drop_after", count=1)
    run = runner.run([task("create", domain=DOMAIN, reseller=1)])
    result = run.task("create")
    assert result["changed"] is True, run.stdout
    assert [w["method"] for w in writes(c5_emulator)] == ["POST"]
    assert any("the object exists: using it" in w for w in result.get("warnings", []))


def test_in_process_and_on_target_runs_return_the_same(runner, c5_emulator):
    tasks = [task("create", domain=DOMAIN, reseller=1), task("again", domain=DOMAIN, reseller=1),
             task("delete", domain=DOMAIN, state="absent")]
    local = runner.run(tasks, in_process=True)
    c5_emulator.reset()
    remote = runner.run(tasks, in_process=False)
    for name in ("create", "again", "delete"):
        a, b = dict(local.task(name)), dict(remote.task(name))
        for volatile in ("invocation", "_ansible_no_log", "warnings", "deprecations"):
            a.pop(volatile, None)
            b.pop(volatile, None)
        assert a == b, name
