# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vtx_cdr_info and vtx_presence_info as real playbooks against the VTX emulator."""

import pytest

from conftest import may_fail
from test_vtx_modules import DIRECTORY, VtxRunner, api_requests, task
from voip_emulator.vtx import seed, timefmt
from voip_emulator.vtx.testing import set_presence, simulate_call


@pytest.fixture
def vtx(emulator):
    return emulator("vtx")


@pytest.fixture
def runner(vtx, tmp_path):
    return VtxRunner(vtx, tmp_path)


def seeded(user_ids, since=None, until=None):
    calls = [c for c in seed.history() if c["userId"] in user_ids]
    return [c for c in calls if (since is None or timefmt.parse(c["callStart"]) >= since)
            and (until is None or timefmt.parse(c["callStart"]) < until)]


def test_cdr_info_enterprise_every_page_four_styles_parsed(runner, vtx):
    run = runner.run([task("all", "vtx_cdr_info", enterprise=True)])
    result = run.task("all")
    expected = seeded({176125, 176129, 176133, 176137})
    assert result["count"] == len(expected) == 192 and result["complete"] is True
    assert {c["id"] for c in result["call_logs"]} == {c["id"] for c in expected}
    starts = [c["call_start"] for c in result["call_logs"]]
    assert starts == sorted(starts, reverse=True) and all(s.endswith("Z") and len(s) == 24 for s in starts)
    for call in result["call_logs"]:
        assert timefmt.parse(call["call_start"]) == pytest.approx(timefmt.parse(call["callStart"]), abs=0.001)
    # Every style of the platform was met and parsed.
    raw = [c["callStart"] for c in result["call_logs"]]
    assert any(r.endswith("+0200") or r.endswith("+0100") for r in raw) and any(r.endswith(":00") for r in raw)
    by_id = {c["id"]: c for c in result["call_logs"]}
    assert by_id[expected[1]["id"]]["login_name"] == "+41225662195@m.ipvoip.ch"
    assert by_id[expected[3]["id"]]["login_name"] is None  # 176137 is not in the test directory
    pages = [r for r in api_requests(vtx) if "/callLogs" in r["path"]]
    assert len(pages) == 2 and "limit=100" in pages[0]["path"] and "offset=100" in pages[1]["path"]


def test_cdr_info_users_time_range_and_limit(runner, vtx):
    since, until = "2024-09-10T00:00:00+02:00", "2024-09-20T00:00:00Z"
    run = runner.run([
        task("range", "vtx_cdr_info", users=["+41225662194", "+41225662196"], since=since, until=until),
        task("limited", "vtx_cdr_info", users=["176125"], limit=5),
    ])
    expected = seeded({176125, 176133}, timefmt.parse(since), timefmt.parse(until))
    result = run.task("range")
    assert result["count"] == len(expected) > 0
    assert sorted(c["id"] for c in result["call_logs"]) == sorted(c["id"] for c in expected)
    limited = run.task("limited")
    assert limited["count"] == 5 and limited["complete"] is False
    newest = sorted(seeded({176125}), key=lambda c: timefmt.parse(c["callStart"]), reverse=True)[:5]
    assert [c["id"] for c in limited["call_logs"]] == [c["id"] for c in newest]


def test_cdr_info_sees_a_simulated_call(runner, vtx):
    call = simulate_call(vtx.url, "+41225662195", direction="INCOMING", duration=0)["callLog"]
    run = runner.run([task("latest", "vtx_cdr_info", users=["+41225662195"], limit=1)])
    assert run.task("latest")["call_logs"][0]["id"] == call["id"]


def test_cdr_info_bad_input(runner, vtx):
    cases = [
        (dict(users=["176125"], since="yesterday"), "since: 'yesterday' is not an ISO 8601 date-time"),
        (dict(users=["176125"], since="2024-09-20T00:00:00Z", until="2024-09-10T00:00:00Z"), "must be before until"),
        (dict(users=["+41225662199"]), "number +41225662199 is not in the directory"),
        (dict(enterprise=True, domain_id=17001), "HTTP 403"),
    ]
    run = runner.run([may_fail(task("bad %d" % i, "vtx_cdr_info", **args)) for i, (args, _f) in enumerate(cases)])
    for index, (_args, fragment) in enumerate(cases):
        assert run.status("bad %d" % index) == "failed" and fragment in run.task("bad %d" % index)["msg"]


def test_presence_info_every_directory_user_one_read_each(runner, vtx):
    set_presence(vtx.url, "+41225662194", "ONLINE", "IN_A_CALL")
    run = runner.run([task("presence", "vtx_presence_info")])
    presence = run.task("presence")["presence"]
    assert [p["user_id"] for p in presence] == [e["user_id"] for e in DIRECTORY]
    first = presence[0]
    assert first["login_name"] == "+41225662194@m.ipvoip.ch" and first["number"] == "+41225662194"
    assert first["enhanced_activity"] == "IN_A_CALL" and first["activity"] == "ONLINE" and first["domain_id"] == 16317
    assert first["modified_on"].endswith("Z") and set(first["states"]) == {"current", "c5", "lastC5", "thirdParty"}
    assert presence[1]["enhanced_activity"] == "NONE"
    reads = [r["path"] for r in api_requests(vtx) if r["path"].endswith("/presence")]
    assert sorted(reads) == sorted("/openapi/v1/users/%d/presence" % e["user_id"] for e in DIRECTORY)


def test_presence_info_unknown_user(runner, vtx):
    run = runner.run([may_fail(task("unknown", "vtx_presence_info", users=["999999"]))])
    assert "the platform knows no user id 999999" in run.task("unknown")["msg"]


def test_cdr_info_unknown_user_id(runner, vtx):
    run = runner.run([may_fail(task("unknown", "vtx_cdr_info", users=["999999"]))])
    assert "the platform knows no user id 999999" in run.task("unknown")["msg"]
