# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The xc5_vpbx role against the XC5 emulator: check mode on an empty system, one
change is one write, purge releases DDIs, absent removes it all; and the seed's
playbook, stage by stage, each stage's second run without a write."""

import copy
import os
import subprocess
import sys

from conftest import REPO, WRITE_METHODS, collections_path
from test_xc5_modules import LOGIN, Xc5Runner, get, writes  # noqa: F401 pylint: disable=unused-import

import pytest

ORG = "acmebrick.x.co.nz"
VPBX = {
    "name": ORG,
    "parent": "x.co.nz",
    "pickup_group": "Alpha",
    "users": [
        {"name": "reception", "ddi": "6491231234", "extension": "600", "voicemail": "reception@" + ORG,
         "block": ["international"]},
        {"name": "sales", "ddi_filter": "64930000__", "extension": "608"},
    ],
    "hunt_groups": [{"name": "main_entry", "ddi": "6499290087", "members": ["reception", "sales"],
                     "final": {"destination": "email:reception@" + ORG}}],
    "blast_groups": [{"name": "blast", "destinations": ["6499290088", "6499290089"]}],
}


@pytest.fixture
def xc5(emulator):
    return emulator("xc5")


@pytest.fixture
def role(xc5, tmp_path):
    runner = Xc5Runner(xc5, tmp_path)

    def apply(vpbx, check=False, **role_vars):
        task = {"name": "vpbx", "ansible.builtin.include_role": {"name": "voip.provisioning.xc5_vpbx"},
                "vars": dict({"xc5_vpbx": vpbx}, **role_vars)}
        show = {"name": "changed", "ansible.builtin.debug": {"var": "xc5_vpbx_changed"}}
        result = runner.run([task, show], check=check)
        assert result.returncode == 0, result.stdout[-4000:]
        return result

    return apply


def test_check_mode_on_an_empty_system_then_converge_then_no_write(role, xc5):
    result = role(VPBX, check=True)
    assert result.task("changed")["xc5_vpbx_changed"] is True
    assert writes(xc5) == []
    role(VPBX)
    # (bulk creates run concurrently: any order)
    assert sorted(a["username"] for a in get(xc5, "account/%s/child" % ORG)) == sorted([
        "reception@" + ORG, "sales@" + ORG, "main_entry@" + ORG, "blast@" + ORG])
    xc5.clear_requests()
    result = role(VPBX)
    assert result.task("changed")["xc5_vpbx_changed"] is False
    assert writes(xc5) == []


def test_one_extension_one_member_one_route_each_one_write(role, xc5):
    role(VPBX)
    changed = copy.deepcopy(VPBX)
    changed["users"][1]["extension"] = "609"
    xc5.clear_requests()
    role(changed)
    assert [m for m, _p in writes(xc5)] == ["PATCH"]  # the org's extension rule, in place
    changed["hunt_groups"][0]["ring_seconds"] = 20
    changed["hunt_groups"][0]["members"] = ["reception"]
    xc5.clear_requests()
    role(changed)
    # member sales removed (one DELETE), reception's ring time (one PATCH)
    assert sorted(m for m, _p in writes(xc5)) == ["DELETE", "PATCH"]


def test_purge_releases_the_ddi_and_absent_removes_all(role, xc5):
    role(VPBX)
    allocated = get(xc5, "account/sales@%s/number" % ORG)[0]["number"]
    fewer = copy.deepcopy(VPBX)
    fewer["users"] = fewer["users"][:1]
    fewer["hunt_groups"][0]["members"] = ["reception"]
    role(fewer, xc5_vpbx_purge=True)
    names = [a["username"] for a in get(xc5, "account/%s/child" % ORG)]
    assert "sales@" + ORG not in names
    free = get(xc5, "account/x.co.nz/numberallocate?filter=" + allocated)
    assert [n["assigned"] for n in free] == ["_unassigned.pool"]
    role(fewer, xc5_vpbx_state="absent")
    status = [a["username"] for a in get(xc5, "account?filter=%25acmebrick%25")]
    assert status == []
    assert [n["assigned"] for n in get(xc5, "account/x.co.nz/numberallocate?filter=6491231234")] == ["_unassigned.pool"]


def test_seed_playbook_stage_by_stage(xc5):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR="1", XC5_URL=xc5.url,
               XC5_USERNAME=LOGIN[0], XC5_PASSWORD=LOGIN[1])
    playbook = os.path.join(REPO, "playbooks", "xc5_acmebrick.yml")
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i",
               os.path.join(REPO, "playbooks", "inventory.ini"), playbook]
    for stage in ("one", "two", "three", "four", "absent"):
        for attempt in (1, 2):
            xc5.clear_requests()
            proc = subprocess.run(command + ["-e", "xc5_stage=" + stage], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
            assert proc.returncode == 0, proc.stdout[-4000:]
            sent = [r["method"] for r in xc5.requests() if r["method"] in WRITE_METHODS]
            if attempt == 1:
                assert sent, "stage %s changed nothing" % stage
            else:
                assert sent == [], "stage %s: the second run wrote %s" % (stage, sent)
                assert " changed=0 " in proc.stdout
        if stage == "four":
            routes = get(xc5, "account/main_entry@%s/route" % ORG)
            assert sorted(r["order"] for r in routes) == [-8, -8, -8, 100, 101, 200]
            assert get(xc5, "hydraaccount/6499878037")[0]["cfna_dest"] == "6499650085"


def test_a_hunt_member_that_is_not_declared_fails_before_any_write(xc5, tmp_path):
    bad = copy.deepcopy(VPBX)
    bad["hunt_groups"][0]["members"] = ["reception", "nobody"]
    task = {"name": "vpbx", "ansible.builtin.include_role": {"name": "voip.provisioning.xc5_vpbx"}, "vars": {"xc5_vpbx": bad},
            "ignore_errors": True}
    result = Xc5Runner(xc5, tmp_path).run([task])
    failed = [r for r in result.results if r["status"] == "failed"]
    assert failed and "main_entry refers to nobody - not declared" in failed[0]["result"]["msg"]
    assert writes(xc5) == []
