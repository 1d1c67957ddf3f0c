# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``OPTIONS`` answers for each path: a description, the methods and
exactly the fields the spec names (spec section 4 and gap 13: the live server's
OPTIONS is the field list clients may validate against, so the emulator lists
no field the spec does not know).

Field types are the reference's vocabulary: ``string``, ``boolean``,
``integer``, ``string/uniqueidentifier``, ``string/read-only``."""

RW = ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _f(kind, text):
    return {"type": kind, "description": text}


GUID = _f("string/uniqueidentifier", "Unique identifier for each entry")

ACCOUNT_FIELDS = {
    "guid": GUID,
    "username": _f("string", "The account name, also the SIP authentication username"),
    "password": _f("string", "SIP and API password; generated when not given"),
    "description": _f("string", "Free text"),
    "enabled": _f("boolean", "Active or inactive"),
    "parent": _f("string", "The parent account's name; children inherit the parent's virtual PBX features"),
    "parentguid": _f("string/uniqueidentifier", "The parent account's guid"),
    "pin_reference": _f("boolean", "Ask for a billing reference on every call (stored in the CDR)"),
    "dnd": _f("boolean", "Do not disturb: behave as unregistered and go to diversions"),
    "private": _f("boolean", "Present all outgoing calls as private"),
    "block_privacy": _f("boolean", "Reject private (anonymous) callers"),
    "callerid": _f("boolean", "Present caller details to this user"),
    "cfna_duration": _f("integer", "Seconds to ring before diversions (no-answer timer)"),
    "reg_status": _f("string/read-only", "Current registration status"),
    "trunking": _f("boolean", "SIP trunking (the DDI in the request line may vary)"),
    "concurrent_call_limit": _f("integer", "Maximum concurrent calls"),
    "pickup_group": _f("string", "Call pickup group name"),
}

NUMBER_FIELDS = {
    "guid": _f("string", "Unique identifier for each entry"),
    "number": _f("string", "The e.164 phone number. Numbers must be unique, or prefixed with a: if outgoing rewrite is allowed"),
    "is-pilot": _f("boolean", "Indicates to use this number a a default for invalid presented caller number"),
    "cfa": _f("string", "An e.164 destination. Creates a call-forward-all for calls to this number"),
    "alert-info": _f("string", "Assigns a value to the sip Alert-Info header for distinctive ring"),
    "account-code": _f("string", "Free for use associated data"),
}

ROUTE_FIELDS = {
    "guid": GUID,
    "order": _f("integer", "Routes run in ascending order; 0 rings the account's registered devices"),
    "destination": _f("string", "Where to send the call: an account name, email:<address>, conference:<room> or a number"),
    "username": _f("string", "Ring this account (with hunt_user)"),
    "hunt_user": _f("boolean", "Sequential hunt member: rung only if not busy, its own routes are not applied"),
    "ring_seconds": _f("integer", "Ring time of this step"),
    "menu_level": _f("integer", "IVR menu number (1 = entry menu)"),
    "digit_map": _f("string", "DTMF map key=action,...: #n jumps to menu n, T is the timeout"),
    "time_definition": _f("string", "When the route applies, e.g. nz_holidays,!Mon-Thur 08:30-17:00"),
    "promptguid": _f("string/uniqueidentifier", "Prompt to play"),
}

CALLRULE_FIELDS = {
    "guid": GUID,
    "order": _f("integer", "Rules run in ascending order; several rules may share an order"),
    "prefix": _f("string", "Condition on the E.164-translated dialled number"),
    "prefix_raw": _f("string", "Condition on the untranslated dialled digits"),
    "location": _f("string", "Condition on a named destination class, e.g. <CallRule-International>"),
    "username": _f("string", "Target account"),
    "destination": _f("string", "Rewrite or action: :600 internal number, drop:<code>:<text> reject, *% replace prefix"),
    "early_rule": _f("boolean", "Apply before smart-code handling"),
    "record_email": _f("string", "Record calls and mail the recording to this address"),
}

FORK_FIELDS = {
    "guid": GUID,
    "destination": _f("string", "A DDI rung in parallel with the other forks"),
}

PROMPT_FIELDS = {
    "guid": GUID,
    "description": _f("string", "Free text"),
    "prompt_length": _f("string/read-only", "Length of the recorded audio in seconds (0 until recorded)"),
    "group_access": _f("string/read-only", "Code users of the organisation dial to record the prompt by phone"),
}

REG_FIELDS = {
    "guid": GUID,
    "contact": _f("string/read-only", "Registered contact URI"),
    "received": _f("string/read-only", "Source address of the registration"),
    "user_agent": _f("string/read-only", "User agent of the device"),
    "expires": _f("integer", "Seconds until the registration expires"),
}

LOCATION_FIELDS = {
    "guid": GUID,
    "name": _f("string/read-only", "Destination class name for callrule.location"),
    "description": _f("string/read-only", "Free text"),
}

HYDRA_FIELDS = {
    "password": _f("string", "SIP password of the line"),
    "cfna_dest": _f("string", "Forward on no answer and busy to this number or voicemail"),
    "cfna_active": _f("boolean", "Whether the no-answer forward is active"),
    "ums_pin": _f("string", "Creates the voicemail box or resets its PIN; null removes the mailbox"),
    "concurrent_limit": _f("integer", "2 allows call hold, 1 disables it"),
    "private": _f("integer", "Caller presentation: 1 private, 0 presented"),
    "callerid": _f("boolean", "Show the caller on the phone"),
}

#: path template (lower case, "*" for a context) -> OPTIONS record
PATHS = {
    "": {"description": "API index", "methods": ["GET", "OPTIONS"], "fields": {}},
    "account": {"description": "Manage accounts", "methods": RW, "fields": ACCOUNT_FIELDS},
    "account/*": {"description": "Manage an account", "methods": RW, "fields": ACCOUNT_FIELDS},
    "account/*/child": {"description": "Manage child accounts", "methods": ["GET", "PUT", "OPTIONS"], "fields": ACCOUNT_FIELDS},
    "account/*/number": {"description": "Manage account phonenumbers", "methods": RW, "fields": NUMBER_FIELDS},
    "account/*/numberallocate": {"description": "Free numbers of the _unassigned.pool", "methods": ["GET", "OPTIONS"],
                                 "fields": NUMBER_FIELDS},
    "account/*/reg": {"description": "Current registrations of the account", "methods": ["GET", "OPTIONS"], "fields": REG_FIELDS},
    "account/*/route": {"description": "Manage account routes (calls to the account)", "methods": RW, "fields": ROUTE_FIELDS},
    "account/*/callrule": {"description": "Manage account call rules (calls made by the account)", "methods": RW,
                           "fields": CALLRULE_FIELDS},
    "account/*/fork": {"description": "Manage account forks (parallel ringing)", "methods": RW, "fields": FORK_FIELDS},
    "account/*/prompt": {"description": "Manage account prompts", "methods": RW, "fields": PROMPT_FIELDS},
    "number": {"description": "Read a phonenumber by guid", "methods": ["GET", "OPTIONS"], "fields": NUMBER_FIELDS},
    "guid": {"description": "Generate a new guid", "methods": ["GET", "OPTIONS"], "fields": {"guid": GUID}},
    "location": {"description": "Named destination classes for call rules", "methods": ["GET", "OPTIONS"],
                 "fields": LOCATION_FIELDS},
    "hydraaccount": {"description": "Basic POTS account provisioning (beta)", "methods": ["GET", "PUT", "DELETE", "OPTIONS"],
                     "fields": HYDRA_FIELDS},
}
