# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 10 section 4: after a number moves to another subscriber the C5 leaves it in
the old subscriber's allowed_clis.  The collection does not remove it by itself (a
number allowed on purpose cannot be told from one left behind; documented in
c5_subscriber and c5_subscriber_preferences); listing allowed_clis with
c5_subscriber_preferences makes it exact in one PATCH, and a re-run writes nothing."""

from conftest import api_get, writes

from test_c5_subscriber import DOMAIN, create, make_tenant


def test_a_moved_number_stays_in_allowed_clis_until_it_is_listed(runner, c5_emulator):
    tenant = make_tenant(c5_emulator)
    ids = {}
    for name, sn in (("giver", "20001"), ("taker", "20002")):
        ids[name] = create(c5_emulator, "subscribers", customer_id=tenant["cust-1"], domain=DOMAIN, username=name,
                           password="Sip-Pass-%s-1" % name, primary_number={"cc": 43, "ac": "1", "sn": "1" + sn},
                           alias_numbers=[{"cc": 43, "ac": "1", "sn": sn, "is_devid": False}])
    c5_emulator.clear_requests()
    giver = {"sip_username": "giver", "domain": DOMAIN}
    exact = dict(giver, preferences={"allowed_clis": ["431120001"]})
    run = runner.run([
        {"name": "move", "voip.provisioning.c5_subscriber": {"domain": DOMAIN, "items": [
            {"username": "taker", "alias_numbers": ["+43 1 20002", "+43 1 20001"]}, {"username": "giver", "alias_numbers": []}]}},
        {"name": "other preferences", "voip.provisioning.c5_subscriber_preferences": dict(giver, preferences={"clir": True})},
        {"name": "exact", "voip.provisioning.c5_subscriber_preferences": exact},
        {"name": "exact again", "voip.provisioning.c5_subscriber_preferences": exact},
    ])
    assert run.returncode == 0, run.stdout
    assert [run.task(n)["changed"] for n in ("other preferences", "exact", "exact again")] == [True, True, False]
    # Managing other preferences of the giver leaves allowed_clis as the C5 left it.
    assert run.task("other preferences")["preferences"]["allowed_clis"] == ["431120001", "43120001"]
    patches = [w["body"] for w in writes(c5_emulator) if w["path"].startswith("/api/subscriberpreferences/")]
    assert patches == [[{"op": "add", "path": "/clir", "value": True}],
                       [{"op": "add", "path": "/allowed_clis", "value": ["431120001"]}]]
    assert api_get(c5_emulator, "/api/subscriberpreferences/%d" % ids["giver"])["allowed_clis"] == ["431120001"]
    assert "43120001" in api_get(c5_emulator, "/api/subscriberpreferences/%d" % ids["taker"])["allowed_clis"]
