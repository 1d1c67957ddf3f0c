# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sip2sip_settings, sip2sip_alias, sip2sip_info and sip2sip_journal run as real
playbooks against the SIP2SIP emulator: create, a second run that reports no
change and sends no write, check mode without writes, diff, bad input failing
before any write, and the platform's traps."""

import json
import os
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from requests.auth import HTTPDigestAuth

from voip_emulator.testing import EmulatorProcess

from conftest import Runner, may_fail

DOMAIN = "sip2sip.info"
ALICE = {"account": "alice@sip2sip.info", "password": "alice-web-secret"}
BOB = {"account": "bob@sip2sip.info", "password": "bob-sip-secret"}
WRITE_PREFIXES = ("set_", "add_", "put_", "delete_", "set ")
EXTRA = {"generate": [{"prefix": "crowd", "count": 12, "domain": DOMAIN, "password": "crowd-{n}-secret"}],
         "accounts": [{"username": "lossy", "domain": DOMAIN, "password": "lossy-secret", "drops_rules_without_days": True,
                       "accept_rules": {"persistent": [{"days": 31, "start": "09:00", "stop": "17:00", "groups": ["everybody"]}]}}]}


@pytest.fixture(scope="module")
def sip2sip_process(tmp_path_factory):
    state_dir = str(tmp_path_factory.mktemp("sip2sip-integration"))
    with open(os.path.join(state_dir, "sip2sip-accounts.json"), "w", encoding="utf-8") as stream:
        json.dump(EXTRA, stream)
    with EmulatorProcess(platform="sip2sip", state_dir=state_dir) as emulator:
        yield emulator


@pytest.fixture
def emulator(sip2sip_process):
    sip2sip_process.ensure_running()
    sip2sip_process.reset()
    return sip2sip_process


class Sip2SipRunner(Runner):
    def play(self, tasks, **kwargs):
        block = {"block": tasks, "module_defaults": {"group/voip.provisioning.sip2sip": {"url": self.emulator.url}}}
        return self.run([block], module_defaults=False, **kwargs)


@pytest.fixture
def runner(emulator, tmp_path):
    return Sip2SipRunner(emulator, tmp_path)


def action_of(entry):
    return (parse_qs(urlsplit(entry["path"]).query).get("action") or [None])[-1]


def write_actions(emulator, since=0):
    """The actions of the write requests answered (not the 401 challenges)."""
    return [action_of(entry) for entry in emulator.requests(since=since)
            if entry["status"] != 401 and (action_of(entry) or "").startswith(WRITE_PREFIXES)]


def last_seq(emulator):
    entries = emulator.requests()
    return entries[-1]["seq"] if entries else 0


def read(emulator, action, login=None, **params):
    login = login or ALICE
    user, domain = login["account"].split("@")
    query = {"realm": domain, "action": action}
    query.update(params)
    response = requests.get(emulator.url + "/settings.phtml", params=query, auth=HTTPDigestAuth(user, login["password"]), timeout=10)
    assert response.status_code == 200
    return json.loads(response.text)


def settings_task(name="settings", **args):
    return {"name": name, "voip.provisioning.sip2sip_settings": dict(ALICE, **args)}


FORWARDING = {"no_answer": "<voice-mailbox>", "busy": "+41791112233", "unconditional": "", "not_online": "sip:Bob"}


def test_settings_converge_then_no_change_and_no_write(runner, emulator):
    first = runner.play([settings_task(forwarding=FORWARDING, dnd=True, dnd_minutes=30)])
    result = first.task("settings")
    assert result["changed"] is True, first.stdout[-2000:]
    assert result["settings"]["forwarding"] == {"unconditional": None, "not_online": "Bob@sip2sip.info",
                                                "busy": "+41791112233@sip2sip.info", "no_answer": "<voice-mailbox>",
                                                "unavailable": None}
    assert result["diff"]["before"]["forwarding"]["not_online"] == "<voice-mailbox>"
    assert write_actions(emulator) == ["set_call_forwarding", "set_dnd_on"]
    forwarding = read(emulator, "get_call_forwarding")
    assert forwarding["FNOA"] == "<voice-mailbox>" and forwarding["FBUS"] == "+41791112233@sip2sip.info"
    assert read(emulator, "get_accept_rules")["temporary"] == {"groups": ["nobody"], "duration": 30}

    mark = last_seq(emulator)
    second = runner.play([settings_task(forwarding=FORWARDING, dnd=True, dnd_minutes=30)])
    assert second.task("settings")["changed"] is False
    assert write_actions(emulator, since=mark) == []


def test_settings_check_mode_sends_no_write_and_predicts(runner, emulator):
    run = runner.play([settings_task(forwarding={"busy": "bob"}, dnd=True)], check=True)
    result = run.task("settings")
    assert result["changed"] is True
    assert result["settings"]["forwarding"]["busy"] == "bob@sip2sip.info"
    assert write_actions(emulator) == []
    assert read(emulator, "get_call_forwarding")["FBUS"] is None


def test_settings_update_writes_only_the_differing_condition(runner, emulator):
    runner.play([settings_task(forwarding={"busy": "bob", "no_answer": "<voice-mailbox>"})])
    mark = last_seq(emulator)
    run = runner.play([settings_task(forwarding={"busy": "carol@example.com", "no_answer": "<voice-mailbox>"})])
    assert run.task("settings")["changed"] is True
    sent = [entry for entry in emulator.requests(since=mark) if action_of(entry) == "set_call_forwarding" and entry["status"] == 200]
    # A setter is a GET with its parameters in the query (spec 5), sent once.
    assert len(sent) == 1 and sent[0]["method"] == "GET" and not sent[0]["body"]
    assert parse_qs(urlsplit(sent[0]["path"]).query) == {"realm": [DOMAIN], "action": ["set_call_forwarding"],
                                                         "FBUS": ["sip:carol@example.com"]}


def test_bad_input_fails_before_any_request_names_the_field(runner, emulator):
    run = runner.play([
        may_fail(settings_task("unknown condition", forwarding={"sometimes": "bob"})),
        may_fail(settings_task("malformed target", forwarding={"busy": "bob smith"})),
        may_fail(settings_task("foreign number domain", forwarding={"busy": "+41791112233@other.net"})),
        may_fail(settings_task("dnd out of range", dnd=True, dnd_minutes=5000)),
        may_fail(settings_task("mobile without number", **dict(BOB, forwarding={"busy": "<mobile-number>"}))),
        may_fail({"name": "wrong realm", "voip.provisioning.sip2sip_settings": {
            "account": "alice@example.org", "password": "alice-web-secret", "dnd": False}}),
        may_fail({"name": "not an address", "voip.provisioning.sip2sip_settings": {
            "account": "alice", "password": "x", "dnd": False}}),
        may_fail({"name": "unreachable", "voip.provisioning.sip2sip_settings": dict(
            ALICE, url="http://127.0.0.1:9/settings.phtml", retries=0, dnd=False)}),
    ])
    assert "sometimes" in run.task("unknown condition")["msg"]
    assert "forwarding.busy" in run.task("malformed target")["msg"]
    assert "write +41791112233 or +41791112233@sip2sip.info" in run.task("foreign number domain")["msg"]
    assert "dnd_minutes: 5000 is out of range" in run.task("dnd out of range")["msg"]
    assert "has none" in run.task("mobile without number")["msg"]
    assert "login was refused" in run.task("wrong realm")["msg"] and "realm" in run.task("wrong realm")["msg"]
    assert "user@domain" in run.task("not an address")["msg"]
    unreachable = run.task("unreachable")["msg"]
    assert "http://127.0.0.1:9/settings.phtml" in unreachable and "alice@sip2sip.info" in unreachable
    assert "reachable" in unreachable
    assert write_actions(emulator) == []
    assert read(emulator, "get_call_forwarding", login=BOB)["FBUS"] is None


def test_privacy_is_never_a_false_unchanged(runner, emulator):
    run = runner.play([
        settings_task("on", privacy=True),
        settings_task("on again", privacy=True),
        settings_task("off", privacy=False),
    ])
    assert (run.task("on")["changed"], run.task("on")["privacy_before"]) == (True, False)
    assert (run.task("on again")["changed"], run.task("on again")["privacy_before"]) == (False, True)
    assert (run.task("off")["changed"], run.task("off")["privacy_before"]) == (True, "unknown")
    checked = runner.play([settings_task("check", privacy=True)], check=True)
    assert checked.task("check")["changed"] is True and checked.task("check")["privacy_before"] == "unknown"


def test_timed_dnd_is_an_action_until_it_lapses_by_the_clock(runner, emulator):
    emulator.freeze_clock()
    task = settings_task("dnd", dnd=True, dnd_minutes=30)
    assert runner.play([task]).task("dnd")["changed"] is True
    emulator.advance_clock(10 * 60)
    again = runner.play([task]).task("dnd")
    assert again["changed"] is False and again["settings"]["dnd_minutes_left"] == 20
    emulator.advance_clock(21 * 60)
    assert runner.play([task]).task("dnd")["changed"] is True
    assert runner.play([settings_task("off", dnd=False)]).task("off")["changed"] is True


def test_dnd_warns_when_the_platform_loses_the_persistent_rules(runner, emulator):
    lossy = {"account": "lossy@sip2sip.info", "password": "lossy-secret"}
    run = runner.play([{"name": "dnd", "voip.provisioning.sip2sip_settings": dict(lossy, dnd=True)}])
    result = run.task("dnd")
    assert result["changed"] is True
    assert any("persistent accept rules" in warning for warning in result.get("warnings", [])), result
    assert "persistent" not in read(emulator, "get_accept_rules", login=lossy)


def test_reject_rules_through_the_form_action(runner, emulator):
    task = settings_task("reject", reject_rules=["spam@example.com", "sip:robot@example.net"])
    assert runner.play([task]).task("reject")["changed"] is True
    assert sorted(read(emulator, "get_reject_rules")) == ["sip:robot@example.net", "sip:spam@example.com"]
    mark = last_seq(emulator)
    assert runner.play([task]).task("reject")["changed"] is False
    assert write_actions(emulator, since=mark) == []


def test_many_accounts_concurrently_then_no_write(runner, emulator):
    items = [{"account": "crowd%d@%s" % (n, DOMAIN), "password": "crowd-%d-secret" % n,
              "forwarding": {"no_answer": "<voice-mailbox>"}, "dnd": False} for n in range(1, 13)]
    task = {"name": "crowd", "voip.provisioning.sip2sip_settings": {"workers": 4, "items": items}}
    first_run = runner.play([task])
    first = first_run.task("crowd")
    assert first["summary"] == {"total": 12, "changed": 12, "failed": 0}
    assert "crowd-1-secret" not in first_run.stdout and "crowd-1-secret" not in json.dumps(first)
    assert write_actions(emulator).count("set_call_forwarding") == 12
    mark = last_seq(emulator)
    second = runner.play([task]).task("crowd")
    assert second["summary"] == {"total": 12, "changed": 0, "failed": 0}
    assert write_actions(emulator, since=mark) == []


def test_aliases_added_once(runner, emulator):
    task = {"name": "aliases", "voip.provisioning.sip2sip_alias": dict(ALICE, aliases=["Alice.Office", "asmith"])}
    first = runner.play([task]).task("aliases")
    assert first["changed"] is True and first["added"] == ["alice.office@sip2sip.info", "asmith@sip2sip.info"]
    assert "asmith@sip2sip.info" in read(emulator, "get_aliases")
    mark = last_seq(emulator)
    assert runner.play([task]).task("aliases")["changed"] is False
    assert write_actions(emulator, since=mark) == []
    taken = runner.play([may_fail({"name": "taken", "voip.provisioning.sip2sip_alias": dict(ALICE, aliases=["support"])})])
    assert "Error (SipPort)" in taken.task("taken")["msg"]


def test_info_masks_the_voicemail_password_and_reports_broken_calls(runner, emulator):
    emulator.add_fault(kind="status", status=500, path_regex="action=get_monthly_usage", count=None)
    run = runner.play([{"name": "info", "voip.provisioning.sip2sip_info": dict(ALICE, gather=["all"])}])
    result = run.task("info")
    assert result["info"]["voicemail"]["Password"] == "********"
    assert "4321" not in run.stdout
    assert set(result["errors"]) == {"monthly_usage"}
    assert result["info"]["call_forwarding"]["not_online"] == "<voice-mailbox>"
    assert write_actions(emulator) == []


def test_journal_put_is_idempotent_and_query_reads_it(runner, emulator):
    entries = [{"id": "m1", "data": "aGVsbG8="}, {"id": "m2", "data": "d29ybGQ="}]
    put = {"name": "put", "voip.provisioning.sip2sip_journal": dict(ALICE, uuid="urn:uuid:one", entries=entries)}
    first = runner.play([put]).task("put")
    assert first["changed"] is True and first["journal_ids"] == {"m1": "1", "m2": "2"}
    mark = last_seq(emulator)
    second = runner.play([put]).task("put")
    assert second["changed"] is False and second["journal_ids"] == {"m1": "1", "m2": "2"}
    assert write_actions(emulator, since=mark) == []
    query = runner.play([{"name": "query", "voip.provisioning.sip2sip_journal": dict(ALICE, state="query", after_id=1)}])
    assert [row["data"] for row in query.task("query")["entries"]] == ["d29ybGQ="]
    assert all("limit=" not in entry["path"] for entry in emulator.requests())


def test_alias_and_journal_check_mode_send_no_write(runner, emulator):
    run = runner.play([
        {"name": "alias", "voip.provisioning.sip2sip_alias": dict(ALICE, aliases=["new.one"])},
        {"name": "journal", "voip.provisioning.sip2sip_journal": dict(ALICE, uuid="u", entries=[{"id": "1", "data": "x"}])},
    ], check=True)
    assert run.task("alias")["changed"] is True and run.task("alias")["added"] == ["new.one@sip2sip.info"]
    assert run.task("journal")["changed"] is True and run.task("journal")["journal_ids"] == {"1": None}
    assert write_actions(emulator) == []
    assert "new.one@sip2sip.info" not in read(emulator, "get_aliases")


def test_over_https_with_the_test_ca(emulator_factory, tmp_path):
    tls = emulator_factory(platform="sip2sip", tls=True)
    run = Sip2SipRunner(tls, tmp_path).play([
        {"name": "info", "voip.provisioning.sip2sip_info": dict(ALICE, ca_path=tls.ca_file, gather=["identity"])},
        may_fail({"name": "untrusted", "voip.provisioning.sip2sip_info": dict(ALICE, gather=["identity"])}),
    ])
    assert tls.url.startswith("https://")
    assert run.task("info")["info"]["identity"]["sip_address"] == "alice@sip2sip.info"
    assert "TLS" in run.task("untrusted")["msg"] and tls.url in run.task("untrusted")["msg"]


def test_the_module_runs_on_a_target_host_too(runner, emulator):
    """Without the in-process action plugin (an API reachable only from a jump host)
    the module is shipped and run as a module: same results."""
    run = runner.play([settings_task(forwarding={"busy": "bob"}, dnd=False),
                       {"name": "info", "voip.provisioning.sip2sip_info": dict(ALICE, gather=["call_forwarding"])}],
                      in_process=False)
    assert run.task("settings")["changed"] is True, run.stdout[-3000:]
    assert run.task("info")["info"]["call_forwarding"]["busy"] == "bob@sip2sip.info"


def test_exclusive_aliases_through_the_form_action(runner, emulator):
    exact = {"name": "exact", "voip.provisioning.sip2sip_alias": dict(ALICE, aliases=["one", "two"], exclusive=True)}
    first = runner.play([exact]).task("exact")
    assert first["changed"] is True and first["removed"] == ["alice.smith@sip2sip.info"]
    assert read(emulator, "get_aliases") == ["one@sip2sip.info", "two@sip2sip.info"]
    mark = last_seq(emulator)
    assert runner.play([exact]).task("exact")["changed"] is False
    assert write_actions(emulator, since=mark) == []
    clash = runner.play([may_fail({"name": "clash", "voip.provisioning.sip2sip_alias": dict(
        ALICE, aliases=["one", "support"], exclusive=True)})])
    assert "support@sip2sip.info" in clash.task("clash")["msg"]
