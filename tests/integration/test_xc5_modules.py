# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The xc5_* modules as playbooks against the XC5 emulator: create, a second run
with zero writes in the emulator's log, update, check mode, diff, delete, bad
input failing before any write, server errors and lost answers."""

import base64
import json
import struct
import urllib.error
import urllib.request
import wave

import pytest

from conftest import Runner, WRITE_METHODS

LOGIN = ("dave@dcom", "dcom-secret")
ORG = "acmebrick.x.co.nz"
RECEPTION = "reception@acmebrick.x.co.nz"
SALES = "sales@acmebrick.x.co.nz"
MAIN = "main_entry@acmebrick.x.co.nz"


class Xc5Runner(Runner):
    def connection(self, **extra):
        conn = {"url": self.emulator.url, "username": LOGIN[0], "password": LOGIN[1]}
        conn.update(extra)
        return conn

    def run(self, tasks, connection=None, **kwargs):
        block = {"block": tasks, "module_defaults": {"group/voip.provisioning.xc5": connection or self.connection()}}
        return Runner.run(self, [block], module_defaults=False, **kwargs)


@pytest.fixture
def xc5(emulator):
    return emulator("xc5")


@pytest.fixture
def run(xc5, tmp_path):
    return Xc5Runner(xc5, tmp_path).run


def writes(emulator):
    return [(r["method"], r["path"]) for r in emulator.requests() if r["method"] in WRITE_METHODS]


def api(emulator, method, path, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    auth = "Basic " + base64.b64encode(("%s:%s" % LOGIN).encode()).decode()
    request = urllib.request.Request(emulator.url + "/api-sys/" + path, data=data, method=method,
                                     headers={"Authorization": auth, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def get(emulator, path):
    status, body = api(emulator, "GET", path)
    assert status == 200, (path, status, body)
    return body


def task(name, module, ignore_errors=False, **args):
    entry = {"name": name, "voip.provisioning.%s" % module: args}
    if ignore_errors:
        entry["ignore_errors"] = True
    return entry


def org_and_users(*users):
    tasks = [task("org", "xc5_account", account=ORG, parent="x.co.nz")]
    tasks.append(task("users", "xc5_account", parent=ORG, items=[{"account": u} for u in users]))
    return tasks


def wav(path, seconds):
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack("<h", 0) * int(seconds * 8000))
    return str(path)


# -- xc5_account -------------------------------------------------------------------------

def test_account_create_idempotent_update_diff_check_delete(run, xc5):
    reception = dict(account=RECEPTION, parent=ORG, cfna_duration=10, account_password="sip-secret-1")
    upper_name = dict(reception)
    upper_name["account"] = RECEPTION.upper()
    result = run([task("org", "xc5_account", account=ORG, parent="x.co.nz", pickup_group="Alpha"),
                  task("create", "xc5_account", **reception),
                  task("again", "xc5_account", **upper_name)])
    assert result.returncode == 0, result.stdout
    created = result.task("create")
    assert created["changed"] is True and created["account"]["password"] == "********"
    assert created["diff"]["after"]["account_password"] == "********"
    assert "sip-secret-1" not in result.stdout
    assert result.task("again")["changed"] is False
    record = get(xc5, "account/" + RECEPTION)[0]
    assert record["password"] == "sip-secret-1" and record["cfna_duration"] == 10 and record["parent"] == ORG
    assert get(xc5, "account/" + ORG)[0]["pickup_group"] == "Alpha"
    assert len(writes(xc5)) == 2  # the two creates; the second run wrote nothing

    xc5.clear_requests()
    result = run([task("check", "xc5_account", account=RECEPTION, cfna_duration=15)], check=True)
    assert result.task("check")["changed"] is True and writes(xc5) == []
    result = run([task("update", "xc5_account", account=RECEPTION, cfna_duration=15, account_password="sip-secret-2")])
    update = result.task("update")
    assert update["diff"]["before"]["cfna_duration"] == 10 and update["diff"]["after"]["cfna_duration"] == 15
    assert update["diff"]["after"]["account_password"] == "******** (changed)"
    assert writes(xc5) == [("PATCH", "/api-sys/account/%s" % record["guid"])]
    assert xc5.requests()[-1]["body"] == {"cfna_duration": 15, "password": "sip-secret-2"}

    xc5.clear_requests()
    result = run([task("delete", "xc5_account", account=RECEPTION, state="absent"),
                  task("delete again", "xc5_account", account=RECEPTION, state="absent")])
    assert result.task("delete")["changed"] is True and result.task("delete again")["changed"] is False
    assert api(xc5, "GET", "account/" + RECEPTION)[0] == 404


def test_account_bad_input_fails_before_any_write(run, xc5):
    result = run([task("unknown parent", "xc5_account", True, account="x@" + ORG, parent="nobody.x.co.nz"),
                  task("reserved", "xc5_account", True, account="_unassigned.pool", description="mine"),
                  task("negative", "xc5_account", True, account=ORG, parent="x.co.nz", cfna_duration=-1)])
    assert result.task("unknown parent")["msg"].startswith("parent: no account 'nobody.x.co.nz' on the server")
    assert "reserved system account" in result.task("reserved")["msg"]
    assert result.task("negative")["msg"].startswith("cfna_duration: -1 is negative")
    assert writes(xc5) == []


def test_account_delete_with_numbers_and_lost_create_answer(run, xc5):
    xc5.add_fault(method="PUT", path_regex=r"/child$", kind="drop_after")
    result = run(org_and_users(SALES) + [
        task("ddi", "xc5_number", account=SALES, number="6499290089"),
        task("refused", "xc5_account", True, account=SALES, state="absent"),
        task("released", "xc5_account", account=SALES, state="absent", release_numbers=True)])
    # The org's create lost its answer; the client repeated it, the server said "exists",
    # the module found its own account instead of failing or duplicating.
    assert result.task("org")["changed"] is True
    assert any("using it" in w for w in result.task("org").get("warnings", []))
    assert [a["username"] for a in get(xc5, "account/x.co.nz/child")] == [ORG]
    assert "release_numbers: true" in result.task("refused")["msg"]
    assert result.task("released")["changed"] is True
    free = get(xc5, "account/x.co.nz/numberallocate?filter=6499290089")
    assert [n["assigned"] for n in free] == ["_unassigned.pool"]


def test_account_bulk_rerun_reads_by_listing(run, xc5):
    users = ["u%d@%s" % (i, ORG) for i in range(5)]
    items = [{"account": u, "description": "user %d" % i} for i, u in enumerate(users)]
    tasks = [task("org", "xc5_account", account=ORG, parent="x.co.nz"),
             task("bulk", "xc5_account", parent=ORG, items=items)]
    run(tasks)
    xc5.clear_requests()
    result = run(tasks)
    assert result.task("bulk")["changed"] is False and result.task("bulk")["summary"]["total"] == 5
    gets = [r["path"] for r in xc5.requests() if r["method"] == "GET"]
    assert writes(xc5) == []
    assert "/api-sys/account/%s/child" % ORG in gets
    assert not [p for p in gets if p.startswith("/api-sys/account/u")]  # no per-user GET


# -- xc5_number ------------------------------------------------------------------------------

def test_number_assign_allocate_idempotent_move_release(run, xc5):
    result = run(org_and_users(RECEPTION, SALES) + [
        task("given", "xc5_number", account=RECEPTION, number="6491231234", is_pilot=True),
        task("allocate", "xc5_number", account=RECEPTION, pool_filter="649929%88"),
        task("given again", "xc5_number", account=RECEPTION, number="6491231234", is_pilot=True),
        task("allocate again", "xc5_number", account=RECEPTION, pool_filter="649929%88"),
    ])
    assert result.returncode == 0, result.stdout
    assert result.task("allocate")["number"]["guid"] == "D5A51C5C-F762-4E82-8B3E-7CB15662D40C"
    assert result.task("given again")["changed"] is False and result.task("allocate again")["changed"] is False
    numbers = sorted(n["number"] for n in get(xc5, "account/%s/number" % RECEPTION))
    assert numbers == ["6491231234", "6499290188"]

    xc5.clear_requests()
    result = run([task("elsewhere", "xc5_number", True, account=SALES, number="6491231234"),
                  task("plus", "xc5_number", True, account=SALES, number="+6491231234"),
                  task("empty pool", "xc5_number", True, account=SALES, pool_filter="7%"),
                  task("no account", "xc5_number", True, account="ghost@" + ORG, number="6499290087")])
    assert result.task("elsewhere")["msg"] == (
        "number: 6491231234 is already assigned to account '%s'; release it there first (state=absent), or set "
        "move: true to move it to %s" % (RECEPTION, SALES))
    assert "(write it as 6491231234)" in result.task("plus")["msg"]
    assert result.task("empty pool")["msg"].startswith("pool_filter: no free number in _unassigned.pool matches '7%'")
    assert result.task("no account")["msg"].startswith("account: no account 'ghost@")
    assert writes(xc5) == []

    result = run([task("check move", "xc5_number", account=SALES, number="6491231234", move=True)], check=True)
    assert result.task("check move")["changed"] is True and writes(xc5) == []
    result = run([task("move", "xc5_number", account=SALES, number="6491231234", move=True),
                  task("release", "xc5_number", account=SALES, number="6491231234", state="absent")])
    assert result.task("move")["number"]["assigned"] == SALES
    assert result.task("release")["changed"] is True
    free = get(xc5, "account/%s/numberallocate?filter=6491231234" % SALES)
    assert [n["assigned"] for n in free] == ["_unassigned.pool"]


# -- entry sets: xc5_route, xc5_callrule, xc5_fork -----------------------------------------------

HUNT = [
    {"order": "100", "username": RECEPTION, "hunt_user": True, "ring_seconds": 10},
    {"order": 101, "username": SALES, "hunt_user": True, "ring_seconds": 10},
    {"order": 200, "destination": RECEPTION},
]


def test_route_entry_set_idempotent_one_change_exclusive_check(run, xc5):
    route = task("hunt", "xc5_route", account=MAIN, entries=HUNT)
    result = run(org_and_users(RECEPTION, SALES, MAIN) + [route])
    assert result.task("hunt")["changed"] is True
    assert len(get(xc5, "account/%s/route" % MAIN)) == 3
    xc5.clear_requests()
    result = run([route])
    assert result.task("hunt")["changed"] is False and writes(xc5) == []
    assert [r["method"] for r in xc5.requests()].count("GET") <= 4

    changed = [dict(HUNT[0], ring_seconds=15)] + HUNT[1:2]
    result = run([task("one change", "xc5_route", account=MAIN, entries=changed, exclusive=True)], check=True)
    assert result.task("one change")["changed"] is True and writes(xc5) == []
    result = run([task("one change", "xc5_route", account=MAIN, entries=changed, exclusive=True)])
    diff = result.task("one change")["diff"]
    assert len(diff["before"]["entries"]) == 3 and len(diff["after"]["entries"]) == 2
    kinds = sorted(method for method, _path in writes(xc5))
    assert kinds == ["DELETE", "PATCH"]  # exactly the changed member and the unlisted divert
    routes = {r["order"]: r for r in get(xc5, "account/%s/route" % MAIN)}
    assert sorted(routes) == [100, 101] and routes[100]["ring_seconds"] == 15


def test_route_lost_answer_on_create_does_not_duplicate(run, xc5):
    run(org_and_users(RECEPTION, SALES, MAIN))
    xc5.add_fault(method="PUT", path_regex=r"/route/", kind="drop_after")
    result = run([task("hunt", "xc5_route", account=MAIN, entries=HUNT)])
    assert result.returncode == 0, result.stdout
    routes = get(xc5, "account/%s/route" % MAIN)
    assert sorted(r["order"] for r in routes) == [100, 101, 200]
    assert any("retrying" in w for w in result.task("hunt").get("warnings", []))


def test_route_bad_input_names_field_before_any_write(run, xc5):
    run(org_and_users(MAIN))
    xc5.clear_requests()
    result = run([
        task("map", "xc5_route", True, account=MAIN, entries=[{"order": -8, "menu_level": 1, "digit_map": "1#3"}]),
        task("time", "xc5_route", True, account=MAIN, entries=[{"order": -8, "time_definition": "Mon-Thurx 08:30-17:00"}]),
        task("member", "xc5_route", True, account=MAIN, entries=[{"order": 100, "username": "ghost@" + ORG}]),
        task("prompt", "xc5_route", True, account=MAIN, entries=[{"order": 200, "prompt": "No Such Greeting"}]),
        task("twice", "xc5_route", True, account=MAIN, entries=[{"order": 1}, {"order": 1}]),
    ])
    assert result.task("map")["msg"].startswith("digit_map: '1#3' is not key=action")
    assert result.task("time")["msg"].startswith("time_definition: 'Mon-Thurx 08:30-17:00' names an unknown day")
    assert result.task("member")["msg"].startswith("username: no account 'ghost@")
    assert result.task("prompt")["msg"].startswith("prompt: account '%s' has no prompt described 'No Such Greeting'" % MAIN)
    assert result.task("twice")["msg"].startswith("entries: entries 1 and 2 are the same route")
    assert writes(xc5) == []


def test_callrules_several_per_order_and_locations(run, xc5):
    rules = [{"order": -12, "record_email": RECEPTION},
             {"order": -14, "location": "<CallRule-International>", "destination": "drop:404:destination blocked"},
             {"order": -14, "location": "<callrule-mobile>", "destination": "drop:404:destination blocked"}]
    plan = [{"order": -2, "prefix_raw": "600", "username": RECEPTION, "destination": ":600"},
            {"order": -2, "prefix_raw": "14", "destination": "*%", "early_rule": True}]
    tasks = [task("blocking", "xc5_callrule", account=RECEPTION, entries=rules),
             task("plan", "xc5_callrule", account=ORG, entries=plan)]
    result = run(org_and_users(RECEPTION) + tasks)
    assert result.returncode == 0, result.stdout
    assert len(get(xc5, "account/%s/callrule" % RECEPTION)) == 3
    xc5.clear_requests()
    result = run(tasks + [task("bad location", "xc5_callrule", True, account=RECEPTION,
                               entries=[{"order": -14, "location": "<CallRule-Mars>"}]),
                          task("bad drop", "xc5_callrule", True, account=RECEPTION,
                               entries=[{"order": -14, "destination": "drop:abc"}])])
    assert result.task("blocking")["changed"] is False and result.task("plan")["changed"] is False
    assert "'<CallRule-Mars>' is not a location of this XC5" in result.task("bad location")["msg"]
    assert result.task("bad drop")["msg"].startswith("destination: 'drop:abc' must be drop:<SIP code")
    assert writes(xc5) == []
    # Inheritance: the user's own rules are not the organisation's; the dump shows both.
    dump = get(xc5, "account/%s?dump-config=true" % RECEPTION)[0]
    assert [r["prefix_raw"] for r in dump["inherited"]["callrules"]] == ["600", "14"]


def test_forks_exclusive_and_absent(run, xc5):
    forks = task("forks", "xc5_fork", account="blast@" + ORG, entries=[{"destination": "6499290088"},
                                                                       {"destination": "6499290089"}])
    result = run(org_and_users("blast@" + ORG) + [forks, dict(forks, name="again")])
    assert result.task("forks")["changed"] is True and result.task("again")["changed"] is False
    xc5.clear_requests()
    result = run([task("only one", "xc5_fork", account="blast@" + ORG, exclusive=True, entries=[{"destination": "6499290089"}]),
                  task("bad", "xc5_fork", True, account="blast@" + ORG, entries=[{"destination": RECEPTION}]),
                  task("none", "xc5_fork", account="blast@" + ORG, state="absent")])
    assert len(writes(xc5)) == 2
    assert "is not an E.164 number" in result.task("bad")["msg"]
    assert get(xc5, "account/blast@%s/fork" % ORG) == []


# -- xc5_prompt, xc5_hydra_account, xc5_info -------------------------------------------------------

def test_prompt_upload_idempotent_by_length(run, xc5, tmp_path):
    short, longer = wav(tmp_path / "g.wav", 2.5), wav(tmp_path / "g2.wav", 3.0)
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"ID3 mp3")
    greet = dict(account=MAIN, description="MyMessageGreeting", file=short)
    result = run(org_and_users(MAIN) + [
        task("greet", "xc5_prompt", **greet), task("again", "xc5_prompt", **greet),
        task("by phone", "xc5_prompt", account=MAIN, description="After Hours Menu"),
        task("bad", "xc5_prompt", True, account=MAIN, description="x", file=str(bad))])
    assert result.task("greet")["prompt"]["prompt_length"] == 2.5
    assert result.task("again")["changed"] is False
    assert result.task("by phone")["prompt"]["group_access"].startswith("*22")
    assert "is not a WAV file" in result.task("bad")["msg"]
    prompts = get(xc5, "account/%s/prompt" % MAIN)
    assert sorted(p["description"] for p in prompts) == ["After Hours Menu", "MyMessageGreeting"]
    xc5.clear_requests()
    greet["file"] = longer
    result = run([task("new audio", "xc5_prompt", **greet)])
    assert result.task("new audio")["diff"]["after"]["prompt_length"] == 3.0
    assert [m for m, _p in writes(xc5)] == ["PUT"]
    assert xc5.requests()[-1]["path"].endswith("/prompt/" + result.task("new audio")["prompt"]["guid"])


def test_hydra_account_mapped_names(run, xc5):
    line = dict(number="6499878037", account_password="5gjgosk2@#", cfna_destination="6499650085", cfna_active=True,
                mailbox_pin="5676", concurrent_call_limit=2, private=True, callerid=True)
    result = run([task("line", "xc5_hydra_account", **line), task("again", "xc5_hydra_account", **line)])
    assert result.task("line")["changed"] is True and result.task("again")["changed"] is False
    assert "5gjgosk2" not in result.stdout and "5676" not in result.stdout
    facade = get(xc5, "hydraaccount/6499878037")[0]
    assert facade["private"] == 1 and facade["concurrent_limit"] == 2 and facade["ums_pin"] == "5676"
    xc5.clear_requests()
    result = run([task("no mailbox", "xc5_hydra_account", number="6499878037", mailbox=False),
                  task("bad limit", "xc5_hydra_account", True, number="6499878037", concurrent_call_limit=0),
                  task("remove", "xc5_hydra_account", number="6499878037", state="absent")])
    assert xc5.requests()[1]["body"] == {"ums_pin": None}
    assert result.task("bad limit")["msg"].startswith("concurrent_call_limit: give 1")
    assert [m for m, _p in writes(xc5)] == ["PUT", "DELETE"]


def test_info_reads_filters_and_documentation(run, xc5):
    result = run([task("locations", "xc5_info", path="location", filter="<CallR%"),
                  task("docs", "xc5_info", path="account/*/number", documentation=True),
                  task("dave", "xc5_info", path="/api-sys/account/dave@dcom"),
                  task("missing", "xc5_info", True, path="account/nobody")])
    names = [r["name"] for r in result.task("locations")["records"]]
    assert "<CallRule-International>" in names and all(n.startswith("<CallR") for n in names)
    assert set(result.task("docs")["documentation"]["fields"]) == {"guid", "number", "is-pilot", "cfa", "alert-info",
                                                                   "account-code"}
    assert result.task("dave")["records"][0]["password"] == "********"
    assert result.task("missing")["msg"].startswith("path: /api-sys/account/nobody answered 404")


def test_connection_errors_name_url_and_login(run, xc5):
    # The core's messages (client, Xc5Login, Xc5Dialect): the URL of /api-sys/,
    # the login, the auth method and what to check.
    result = run([task("wrong password", "xc5_info", True, path="guid")],
                 connection={"url": xc5.url, "username": "dave@dcom", "password": "wrong"})
    assert result.task("wrong password")["msg"] == (
        "GET /api-sys/guid failed: HTTP 401: unauthorized. Authentication failed for login 'dave@dcom' with basic "
        "auth: check username and password (the login must be an existing, enabled XC5 account) (url %s/api-sys)"
        % xc5.url)
    result = run([task("partitioned", "xc5_account", True, account="dave@dcom", description="x")],
                 connection={"url": xc5.url, "username": "x.co.nz", "password": "xconz-secret"})
    assert result.task("partitioned")["msg"] == (
        "GET /api-sys/account/dave@dcom failed: HTTP 403: access denied. Login 'x.co.nz' with basic auth is "
        "authenticated but not allowed to GET /api-sys/account/dave@dcom: an XC5 login reaches every account with "
        "accountresource:api_access=system, only its own account and its descendants with =user, nothing without "
        "it; only the XC5 operator can grant it")
    result = run([task("unreachable", "xc5_info", True, path="guid")],
                 connection={"url": "http://127.0.0.1:9", "username": "a", "password": "b-secret", "retries": 0})
    assert result.task("unreachable")["msg"] == (
        "GET /api-sys/guid failed: cannot reach http://127.0.0.1:9/api-sys: connection refused on port 9. Check the "
        "port in url and that the API service runs there (XC5 API, login 'a' with basic auth)")


def test_server_error_is_reported_with_method_path_status(run, xc5):
    run(org_and_users(RECEPTION))
    xc5.add_fault(method="PATCH", kind="status", status=500, count=None)
    result = run([task("update", "xc5_account", True, account=RECEPTION, cfna_duration=5, retries=0)])
    assert "PATCH /api-sys/account/" in result.task("update")["msg"] and "HTTP 500" in result.task("update")["msg"]


def test_https_with_ca_path_and_env_connection(emulator, tmp_path):
    secure = emulator("xc5", tls=True)
    runner = Xc5Runner(secure, tmp_path)
    env = {"XC5_URL": secure.url, "XC5_USERNAME": LOGIN[0], "XC5_PASSWORD": LOGIN[1], "XC5_CA_PATH": secure.ca_file}
    result = Runner.run(runner, [task("guid over https", "xc5_info", path="guid"),
                                 task("unverified", "xc5_info", True, path="guid", ca_path="/etc/ssl/certs/none.pem")],
                        module_defaults=False, extra_env=env)
    assert len(result.task("guid over https")["records"][0]["guid"]) == 36
    assert "unverified" in [r["task"] for r in result.results if r["status"] == "failed"]
