# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The c5_tenant role passes the options that name referenced resources through to its
modules: a customer's billing profile schedule, a subscriber's profile set (by name) and a
call-forward announcement (by sound handle name). A re-run writes nothing."""

from conftest import writes

from test_c5_customer import create


def tenant():
    return {
        "domain": "refs.example.com", "reseller": 1,
        "contact": {"email": "office@refs.example.com"},
        "customer": {"external_id": "refs-1",
                     "billing_profiles": [{"profile": "promo", "start": "2030-02-01", "stop": "2030-03-01"}]},
        "subscribers": [{
            "username": "r1", "password": "Sip-Pass-r1", "primary_number": "+43 1 4000001", "profile_set": "office",
            "call_forwards": {"cfu": {"destinations": [
                {"destination": "customhours", "announcement": "custom_announcement_2", "timeout": 20}]}},
        }],
    }


def test_the_role_names_billing_schedules_profile_sets_and_announcements(runner, c5_emulator):
    c5_emulator.set_clock("2030-01-01T00:00:00Z", freeze=True)
    promo = create(c5_emulator, "billingprofiles", handle="promo", name="Promo", reseller_id=1)
    office = create(c5_emulator, "subscriberprofilesets", reseller_id=1, name="Office", description="office users")
    basic = create(c5_emulator, "subscriberprofiles", profile_set_id=office, name="Basic", description="d", attributes=["cfu"])
    c5_emulator.clear_requests()
    role = {"name": "tenant", "ansible.builtin.include_role": {"name": "voip.provisioning.c5_tenant"},
            "vars": {"c5_tenant": tenant(), "c5_connection": runner.connection()}}

    first = runner.run([role])
    assert first.returncode == 0, first.stdout[-3000:]
    posted = dict((w["path"], w["body"]) for w in writes(c5_emulator) if w["method"] == "POST")
    assert posted["/api/customers/"]["billing_profiles"] == [
        {"profile_id": 1}, {"profile_id": promo, "start": "2030-02-01 00:00:00", "stop": "2030-03-01 00:00:00"}]
    assert (posted["/api/subscribers/"]["profile_set_id"], posted["/api/subscribers/"]["profile_id"]) == (office, basic)
    puts = [w["body"] for w in writes(c5_emulator) if w["path"].startswith("/api/callforwards/")]
    assert [d.get("announcement_id") for d in puts[0]["cfu"]["destinations"]] == [130]

    c5_emulator.clear_requests()
    again = runner.run([role])
    assert again.returncode == 0, again.stdout[-3000:]
    assert writes(c5_emulator) == []
