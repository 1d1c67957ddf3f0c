"""Subscriber preference definitions: exactly the 246 of the real C5 (spec §4.11),
read from ``data/subscriberpreferencedefs.json``.

Each entry: name, label, description, group, type (boolean|int|string|enum|blob),
max_occur (1 single, 0 list), read_only, for enums (label, value, default), and
``served``, the recorded API representation.
"""

import copy
import json
import os


# Reference preferences: exposed by name, stored as the referenced row's id, and
# the value must name an object of the subscriber's reseller (Utils/Preferences.pm):
# name -> (the word in "Unknown <word> '<name>'", the resource holding them or
# None where the emulator has no such resource, so every name is unknown).
REFERENCE_PREFS = {
    "ncos": ("ncos_level", "ncoslevels"), "adm_ncos": ("ncos_level", "ncoslevels"), "adm_cf_ncos": ("ncos_level", "ncoslevels"),
    "rewrite_rule_set": ("rewrite_rule_set", "rewriterulesets"),
    "sound_set": ("sound_set", "soundsets"), "contract_sound_set": ("contract_sound_set", "soundsets"),
    # NCOS sets live in the v2 API (/api/v2/ncos/sets, c5/v2.py); "ncossets" names that source.
    "ncos_set": ("ncos_set", "ncossets"), "adm_ncos_set": ("ncos_set", "ncossets"), "adm_cf_ncos_set": ("ncos_set", "ncossets"),
    "header_rule_set": ("header_rule_set", "headerrulesets"), "emergency_mapping_container": ("emergency mapping container", "emergencymappingcontainers"),
}

# IP list preferences (validated as IPv4/IPv6 addresses or networks).
IP_LIST_PREFS = ("allowed_ips", "man_allowed_ips")

# Preferences of another level: sending them to /api/subscriberpreferences/ is a
# 422 "Invalid enum value" (verified live for prepaid_library, seed_lifecycle.json).
FOREIGN_ENUM_PREFS = ("prepaid_library",)

# Internal preferences: never shown, silently ignored when written (spec §4.10).
INTERNAL_PREFS = ("account_id", "ext_contract_id", "ext_subscriber_id", "ringtimeout", "cfu", "cfb", "cft", "cfna", "cfs", "cfr", "cfo")

#: The file holding the real C5's 246 definitions (the body of ``GET
#: /api/subscriberpreferencedefs/`` recorded from the server build of the
#: transcripts; ``tests/fixtures/c5-real-defs/`` keeps the recording itself and a
#: test checks that both agree).
DEFINITIONS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "subscriberpreferencedefs.json")


def _load():
    with open(DEFINITIONS_FILE, encoding="utf-8") as stream:
        recorded = json.load(stream)
    definitions = []
    for name in sorted(recorded):
        served = recorded[name]
        definitions.append({
            "name": name, "label": served["label"], "description": served["description"],
            "group": served["preference_group"], "type": served["data_type"], "max_occur": served["max_occur"],
            "read_only": served["read_only"],
            "enum": [(e["label"], e["value"], e["default_val"]) for e in served.get("enum_values", ())],
            "served": served,
        })
    return definitions


DEFINITIONS = _load()
BY_NAME = {d["name"]: d for d in DEFINITIONS}


def render_definition(definition):
    """The /api/subscriberpreferencedefs/ representation of one definition: as recorded."""
    return copy.deepcopy(definition["served"])


def enum_default(definition):
    for _label, value, default in definition.get("enum", ()):
        if default:
            return value
    return None
