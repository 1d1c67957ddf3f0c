# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The starting state of the emulated XC5 system.

Logins (Basic auth):

- ``dave@dcom`` / ``dcom-secret``: system-wide API access (the vendor's own
  account in the seed, guid 26DF146A-02E3-4A25-AE3F-08FE87DE6674, number
  6499740205 guid E6134D37-… as in the seed's number example);
- ``x.co.nz`` / ``xconz-secret``: the reseller ("the operator") with partitioned
  access (``api_access=user``): itself and what it creates below it;
- ``noapi@dcom`` / ``noapi-secret``: enabled, no API access (403).

``_unassigned.pool`` holds free DDIs: the seed's (6491231234, 6499290085/87/89,
6499878037), pool number D5A51C5C-… = 6499290188 that the seed allocates after
``filter=%88``, and 6493000000-6493000599 for tenants of hundreds of users.
Pool number guids are derived from the number (stable across resets).
"""

import uuid

SYSTEM_LOGIN = ("dave@dcom", "dcom-secret")
RESELLER_LOGIN = ("x.co.nz", "xconz-secret")
NOAPI_LOGIN = ("noapi@dcom", "noapi-secret")
DAVE_GUID = "26DF146A-02E3-4A25-AE3F-08FE87DE6674"
DAVE_NUMBER_GUID = "E6134D37-104E-4320-AEE8-030300F3BF1A"
SEED_POOL_GUID = "D5A51C5C-F762-4E82-8B3E-7CB15662D40C"
SHARED_PIN_PROMPT = "F4FE3E59-0439-4849-9444-85BEFE8694B3"
_NAMESPACE = uuid.UUID("6b8ea062-5f8c-4339-a0c4-000000000004")

SEED_POOL = ["6491231234", "6499290085", "6499290087", "6499290089", "6499878037", "6499290090", "6499650085"]
BULK_POOL = ["64930%05d" % i for i in range(600)]
LOCATIONS = [
    ("<CallRule-International>", "Calls to international destinations"),
    ("<CallRule-Mobile>", "Calls to mobile networks"),
    ("<CallRule-National>", "National long-distance calls"),
    ("<CallRule-Premium>", "Premium-rate services (0900)"),
    ("<CallRule-Emergency>", "Emergency services (111)"),
    ("<Route-Local>", "Local calling area"),
]
RESERVED = ["_route.default", "_auth.blacklist", "_prompts", "_service.outdial", "_node.xs1", "_carrier.example",
            "_cos.standard", "_prompt.shared"]


def stable_guid(text):
    return str(uuid.uuid5(_NAMESPACE, text)).upper()


def seed(backend):
    """Fill an empty backend (called with the tables wiped)."""
    dave = backend.create_account({"password": SYSTEM_LOGIN[1], "description": "Designcom operator"},
                                  guid=DAVE_GUID, username=SYSTEM_LOGIN[0])[0]
    _set(backend, dave, api_access="system")
    backend.add_number(dave, {"number": "6499740205", "is-pilot": True, "alert-info": "dr4"}, guid=DAVE_NUMBER_GUID)
    reseller = backend.create_account({"password": RESELLER_LOGIN[1], "description": "Reseller x.co.nz"},
                                      guid=stable_guid(RESELLER_LOGIN[0]), username=RESELLER_LOGIN[0])[0]
    _set(backend, reseller, api_access="user")
    noapi = backend.create_account({"password": NOAPI_LOGIN[1]}, guid=stable_guid(NOAPI_LOGIN[0]), username=NOAPI_LOGIN[0])[0]
    _set(backend, noapi, api_access=None)
    for name in RESERVED:
        backend.create_account({"description": "reserved", "enabled": name != "_auth.blacklist"},
                               guid=stable_guid(name), username=name)
    pool = backend.create_account({"description": "free numbers"}, guid=stable_guid("_unassigned.pool"),
                                  username="_unassigned.pool")[0]
    backend.add_number(pool, {"number": "6499290188"}, guid=SEED_POOL_GUID)
    for number in SEED_POOL + BULK_POOL:
        backend.add_number(pool, {"number": number}, guid=stable_guid(number))
    shared = backend.account_by_name("_prompt.shared")
    prompt = backend.create_prompt(shared, {"description": "Please enter your PIN"}, guid=SHARED_PIN_PROMPT)
    backend.prompts.put(prompt["guid"], dict(prompt, prompt_length=3.2, audio_bytes=25600))
    for name, description in LOCATIONS:
        backend.locations.insert({"guid": None, "name": name, "description": description}, stable_guid(name))
        row = backend.locations.get(stable_guid(name))
        backend.locations.put(row and stable_guid(name), dict(row, guid=stable_guid(name)))
    backend.registrations.insert({"guid": stable_guid("reg:dave"), "account": dave["guid"],
                                  "contact": "sip:dave@192.0.2.10:5060;transport=udp", "received": "192.0.2.10:5060",
                                  "user_agent": "Yealink SIP-T46S 66.86.0.15", "expires": 3600},
                                 stable_guid("reg:dave"))


def _set(backend, doc, **values):
    backend.accounts.put(doc["guid"], dict(backend.accounts.get(doc["guid"]), **values))
