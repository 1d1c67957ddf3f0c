"""The C5 emulator's tables (core :class:`~voip_emulator.core.tables.Tables`,
mirrored write-through to the store) and the indexes C5 needs over them.

Ids are handed out per table like a fresh NGCP database does (auto-increment,
also consumed by some failed inserts, see ``subscribers.py``)."""

import hashlib
import os

from voip_emulator.core.tables import Tables

PLATFORM = "c5"

TABLES = (
    "admins", "resellers", "contacts", "contracts", "billing_profiles", "domains", "subscribers", "numbers",
    "preferences", "cf_destination_sets", "cf_time_sets", "cf_source_sets", "cf_bnumber_sets", "cf_mappings",
    "email_templates", "sound_sets", "ncos_levels", "rewrite_rule_sets", "subscriber_profile_sets", "subscriber_profiles",
    "ncos_sets", "ncos_set_levels", "header_rule_sets", "header_rules", "time_sets", "billing_networks", "emergency_containers",
)

# Next id per table on a freshly loaded NGCP database, inferred from the recorded
# transcripts (the first API-created contact is 3, customer 2, billing profile 2,
# cf mapping 13, e-mail template 13; everything else starts at 1 or follows the seed).
FRESH_SEQUENCES = {
    "admins": 2, "resellers": 2, "contacts": 3, "contracts": 2, "billing_profiles": 2, "domains": 1,
    "subscribers": 1, "numbers": 1, "cf_destination_sets": 1, "cf_time_sets": 1, "cf_source_sets": 1,
    "cf_bnumber_sets": 1, "cf_mappings": 13, "email_templates": 13,
}

# Provisioning subscriber ids run 4 ahead of billing ids on a fresh database
# (verified live: billing subscriber 1 -> provisioning 5, 11 -> 15).
PROVISIONING_ID_OFFSET = 4


def hash_password(password, salt=None):
    salt = salt or os.urandom(8).hex()
    return salt + "$" + hashlib.sha256((salt + password).encode("utf-8")).hexdigest()


def check_password(stored, password):
    if not stored or "$" not in stored or not isinstance(password, str):
        return False
    salt = stored.split("$", 1)[0]
    return hash_password(password, salt) == stored


class State:
    """The C5 tables (``tables[name]`` is the live ``{id: row}`` dict of a core
    table; rows carry their ``id``) plus derived indexes."""

    def __init__(self, store, clock=None):
        self.store = store
        self.clock = clock
        self.db = Tables(store, PLATFORM)
        for name in TABLES:
            self.db.add(name, id_kind="int", first_id=FRESH_SEQUENCES.get(name, 1))
        self.tables = {name: self.db[name].data for name in TABLES}
        # indexes over non-terminated subscribers
        self.sub_by_login = {}        # (username.lower(), domain_id) -> id
        self.sub_by_weblogin = {}     # (webusername.lower(), domain_id) -> id
        self.subs_by_customer = {}    # customer_id -> {id: True} (insertion = id order)
        self.number_by_e164 = {}      # "cc ac sn" -> number id
        self.cfmaps_by_sub = {}       # subscriber id -> [cf mapping ids]
        # "cc ac sn" -> subscriber id: numbers released by a request that has not
        # finished yet (not persisted: a restart ends every request).
        self.releasing = {}

    # persistence -----------------------------------------------------------
    def load(self):
        """Load persisted tables; False when there is nothing to load (seed then)."""
        if not self.db.load() or not self.tables["admins"]:
            return False
        self.rebuild_indexes()
        return True

    def wipe(self):
        self.db.wipe()
        self.releasing = {}
        self.rebuild_indexes()

    def next_id(self, table):
        return self.db[table].next_id()

    def put(self, table, row):
        """Insert or replace ``row`` under its ``id`` (the sequence is not used:
        seed rows and updates)."""
        self.db[table].put(row["id"], row)

    def remove(self, table, row_id):
        self.db[table].delete(row_id)

    def get(self, table, row_id):
        return self.tables[table].get(row_id)

    # indexes ---------------------------------------------------------------
    def rebuild_indexes(self):
        self.sub_by_login = {}
        self.sub_by_weblogin = {}
        self.subs_by_customer = {}
        self.number_by_e164 = {}
        self.cfmaps_by_sub = {}
        for row in self.tables["cf_mappings"].values():
            self.cfmaps_by_sub.setdefault(row["subscriber_id"], []).append(row["id"])
        for row in self.tables["subscribers"].values():
            if row["status"] != "terminated":
                self.index_subscriber(row)
        for row in self.tables["numbers"].values():
            self.number_by_e164[e164_key(row)] = row["id"]

    def index_subscriber(self, row):
        self.sub_by_login[(row["username"].lower(), row["domain_id"])] = row["id"]
        if row.get("webusername"):
            self.sub_by_weblogin[(row["webusername"].lower(), row["domain_id"])] = row["id"]
        self.subs_by_customer.setdefault(row["customer_id"], {})[row["id"]] = True

    def unindex_subscriber(self, row):
        if self.sub_by_login.get((row["username"].lower(), row["domain_id"])) == row["id"]:
            del self.sub_by_login[(row["username"].lower(), row["domain_id"])]
        if row.get("webusername") and self.sub_by_weblogin.get((row["webusername"].lower(), row["domain_id"])) == row["id"]:
            del self.sub_by_weblogin[(row["webusername"].lower(), row["domain_id"])]
        self.subs_by_customer.get(row["customer_id"], {}).pop(row["id"], None)


def e164_key(number):
    return "%s %s %s" % (number["cc"], number["ac"], number["sn"])
