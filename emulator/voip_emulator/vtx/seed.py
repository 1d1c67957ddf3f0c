# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seed data of the VTX emulator.

The enterprise, site, service provider and the four users are the seed's own
(``shared/seeds/002_cb4bfb4999edbe68.txt``: enterprise 291908.bus.ent, user ids
176125-176137 with numbers +41225662194-197; ids of the enterprise, site and
provider from its push example).  A second enterprise (300500.bus.ent) is
invented so that "a user of another enterprise" (403) can be tested.  The API
passwords and application PSKs are invented (VTX support issues them).
"""

import uuid

from voip_emulator.vtx import timefmt

SERVICE_PROVIDER = {"id": 2, "name": "vtx.sp"}

ENTERPRISES = [
    {"id": 16317, "name": "291908.bus.ent", "site": {"id": 16321, "name": "s1.291908.bus.ipvoip.ch"}},
    {"id": 17001, "name": "300500.bus.ent", "site": {"id": 17005, "name": "s1.300500.bus.ipvoip.ch"}},
]

#: Basic logins of the API (one ENTERPRISE_ADMIN per enterprise).
ACCOUNTS = [
    {"login": "openapi@291908.bus.ent", "password": "vtx-openapi-secret", "enterprise": 16317},
    {"login": "openapi@300500.bus.ent", "password": "other-enterprise-secret", "enterprise": 17001},
]

#: X-C5-Application PSKs -> the opaque ``applicationId`` the platform echoes on
#: subscriptions (the seed shows they differ, spec section 2).
APPLICATIONS = [
    {"psk": "5e0c8a1e-3b6f-4c2a-9d7e-2f4b8c1a6d30", "application_id": "71c177e5-7417-4265-b97f-4595016dceb8"},
    {"psk": "a9d3f7c2-1e4b-4f6a-8c5d-7b2e9f0a3c41", "application_id": "0b6e2d94-58c3-4a1f-b7e0-c4d1a9f35e82"},
]

USERS = [
    {"id": 176125, "loginName": "+41225662194@m.ipvoip.ch", "enterprise": 16317},
    {"id": 176129, "loginName": "+41225662195@m.ipvoip.ch", "enterprise": 16317},
    {"id": 176133, "loginName": "+41225662196@m.ipvoip.ch", "enterprise": 16317},
    {"id": 176137, "loginName": "+41225662197@m.ipvoip.ch", "enterprise": 16317},
    {"id": 180001, "loginName": "+41215550101@m.ipvoip.ch", "enterprise": 17001},
]

SERVER = {
    "buildCustomer": "Release",
    "buildVersion": "7.7.2.12",
    "buildNumber": "1",
    "buildDate": "2024-05-28T17:21:44+0200",
    "bulkLimitCommon": 100,
    "bulkLimitAddUser": 100,
    "bulkLimitAddAddressBookEntry": 1000,
}

#: Call history: HISTORY_CALLS calls from 2024-09-01T06:00:00Z, one every
#: 2 h 17 min, round-robin over the users of both enterprises.  ``callStart`` is
#: stored as the switch wrote it; the styles rotate so that clients meet all four
#: (the platform is documented to send ``...Z``; older records imported from
#: the TELES switch carry offsets - an assumption that exercises trap 6).
HISTORY_START = timefmt.parse("2024-09-01T06:00:00Z")
HISTORY_STEP = 2 * 3600 + 17 * 60
HISTORY_CALLS = 240
_STYLE_ORDER = ("instant", "zurich_micro", "utc_trimmed", "no_colon")
_NAMESPACE = uuid.UUID("6f1c9a52-0d1e-4b7a-9d1f-3a2b5c7e9f10")


def history():
    """The seeded call logs (deterministic)."""
    calls = []
    for index in range(HISTORY_CALLS):
        user = USERS[index % len(USERS)]
        start = HISTORY_START + index * HISTORY_STEP + (index % 7) * 0.137
        style = _STYLE_ORDER[index % len(_STYLE_ORDER)]
        outgoing = index % 3 != 0
        calls.append({
            "id": str(uuid.uuid5(_NAMESPACE, "call-%d" % index)),
            "userId": user["id"],
            "callStart": timefmt.STYLES[style](start),
            "duration": (index * 37) % 600 if index % 5 else 0,
            "direction": "OUTGOING" if outgoing else "INCOMING",
            "callType": "VOICE",
            "status": 804 if index % 5 else 486,
            "callPartyNumber": "+4122511%04d" % (7900 + index),
            "callPartyDialNumber": "022511%04d" % (7900 + index),
        })
    return calls
