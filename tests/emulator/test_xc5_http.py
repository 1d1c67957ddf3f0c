# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The XC5 emulator served over real HTTP(S) by the CLI: persistence, request
log, faults (the write happened but the answer was lost), profiles, TLS."""

import requests

from voip_emulator.xc5.seed import SYSTEM_LOGIN

ORG = "acmebrick.x.co.nz"


def test_lost_answer_on_a_collection_put_still_wrote(emulator):
    xc5 = emulator("xc5")
    base = xc5.url + "/api-sys"
    assert requests.put(base + "/account/", json={"username": ORG}, auth=SYSTEM_LOGIN, timeout=10).status_code == 200
    xc5.add_fault(method="PUT", path_regex=r"/route/?$", kind="drop_after")
    try:
        requests.put(base + "/account/%s/route" % ORG, json={"order": 200, "destination": "email:a@b"},
                     auth=SYSTEM_LOGIN, timeout=10)
        raise AssertionError("the answer should have been lost")
    except requests.ConnectionError:
        pass
    # The write happened: a blind retry of the collection PUT would duplicate it (gap 1).
    routes = requests.get(base + "/account/%s/route" % ORG, auth=SYSTEM_LOGIN, timeout=10).json()
    assert [r["destination"] for r in routes] == ["email:a@b"]
    log = [(e["method"], e["path"], e["status"]) for e in xc5.requests()]
    assert ("PUT", "/api-sys/account/%s/route" % ORG, 0) in [(m, p.split("?")[0], s) for m, p, s in log]


def test_state_survives_a_restart_on_the_same_state_dir(emulator_factory):
    xc5 = emulator_factory(platform="xc5", profile="fast")
    base = xc5.url + "/api-sys"
    created = requests.put(base + "/account/", json={"username": ORG}, auth=SYSTEM_LOGIN, timeout=10).json()[0]
    xc5.restart()
    again = requests.get(xc5.url + "/api-sys/account/" + ORG, auth=SYSTEM_LOGIN, timeout=10).json()[0]
    assert again["guid"] == created["guid"] and again["password"] == created["password"]


def test_https(emulator):
    xc5 = emulator("xc5", tls=True)
    assert xc5.url.startswith("https://")
    answer = requests.get(xc5.url + "/api-sys/guid", auth=SYSTEM_LOGIN, verify=xc5.ca_file, timeout=10)
    assert answer.status_code == 200 and len(answer.json()[0]["guid"]) == 36
