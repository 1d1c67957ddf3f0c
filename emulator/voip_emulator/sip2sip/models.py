# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SIP2SIP backend: what NGNPro (SOAP provisioning) and CDRTool's MySQL
journal store, and what each API action does to it.  Knows no HTTP: the
response layer (``app.py``) turns the values returned and the exceptions raised
here into the platform's response quirks.

State lives in core Tables (persisted); time comes from the emulator's clock.

Exceptions:
``SoapFault``  a backend (NGNPro) fault; getters answer an HTML fragment then the
               empty value, setters the ``{"success": false, "error_message":
               "Error (SipPort): ..."}`` envelope
``PhpFatal``   the page dies (HTTP 500, empty body)
``ParamError`` a parameter error answered as ``{"success": false, "error_message": ...}``
"""

import csv
import hashlib
import io
import math
import re
from datetime import datetime, timezone

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
except ImportError:  # pragma: no cover - Python < 3.9
    ZoneInfo = None
    ZoneInfoNotFoundError = Exception

#: The forwarding conditions, in the order the getter lists them.
DIVERSION_KEYS = ("FUNC", "FNOL", "FBUS", "FNOA", "FUNV")
VOICEMAIL = "<voice-mailbox>"
MOBILE = "<mobile-number>"
ALIAS_PAGE = 20
ENUM_PAGE = 10
HISTORY_PER_DIRECTION = 50
HISTORY_DAYS = 14
BALANCE_HISTORY_PAGE = 200
JOURNAL_MAX_ROWS = 5000
DEFAULT_TIMEOUT = 35
MAX_TIMEOUT = 900
#: NGNPro fault codes (spec 3; 1030 for "already a member" is assumed there).
FAULT_GROUP_MEMBER = 1030
FAULT_NOT_MEMBER = 1031
FAULT_ALIAS_EXISTS = 1012
FAULT_NO_VOICEMAIL = 2000
#: Alias user part NGNPro accepts. Assumed: the public code validates nothing
#: before the SOAP call; the backend refuses what is not a SIP user part.
ALIAS_RE = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")


class SoapFault(Exception):
    def __init__(self, code, text, fault="ngnpro:Fault"):
        super().__init__("%s (%s): %s" % (fault, code, text))
        # Text the page printed before the fault (set_call_forwarding's debug lines).
        self.prefix = ""
        self.code = code
        self.text = text
        self.fault = fault

    @property
    def message(self):
        return "Error (SipPort): %s (%s): %s" % (self.fault, self.code, self.text)


class PhpFatal(Exception):
    """A PHP fatal error: HTTP 500 with an empty body."""


class ParamError(Exception):
    """A parameter error (HTTP 200, ``success: false``)."""


def md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def account_ha1(username, domain, password):
    return md5("%s:%s:%s" % (username.lower(), domain.lower(), password))


def _tz(name):
    if ZoneInfo is None or not name:
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def local_time(epoch, tz_name):
    """``YYYY-MM-DD HH:MM:SS`` in the account's time zone (CDRTool shows call
    times in the account's zone)."""
    return datetime.fromtimestamp(epoch, _tz(tz_name)).strftime("%Y-%m-%d %H:%M:%S")


def utc_datetime(epoch):
    """A MySQL DATETIME text; the journal table's NOW() is taken as UTC (assumed:
    the server's zone is not public)."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


class Backend:
    """The platform's state and actions. ``tables`` holds ``accounts`` (key
    ``user@domain``), ``aliases`` (key ``alias@domain``) and ``journal`` (int ids)."""

    def __init__(self, tables, clock):
        self.tables = tables
        self.clock = clock
        self.accounts = tables["accounts"]
        self.aliases = tables["aliases"]
        self.journal = tables["journal"]

    # -- lookups ----------------------------------------------------------
    def account(self, address):
        return self.accounts.get(address.lower())

    def _save(self, account):
        self.accounts.put(account["address"], account)

    def _fault_for(self, account, action):
        """A fault the account's seed asks for on this action (tests of the
        HTML-fragment and SOAP-fault paths)."""
        text = (account.get("backend_faults") or {}).get(action)
        if text:
            raise SoapFault(account.get("backend_fault_code", 1000), text)

    # -- identity ---------------------------------------------------------
    def mobile_number(self, account):
        return account.get("mobile_number") or account.get("owner_mobile_number") or ""

    def get_identity(self, account):
        self._fault_for(account, "get_identity")
        timeout = account.get("timeout") or DEFAULT_TIMEOUT
        return {
            "sip_address": account["address"],
            "email": account.get("email", ""),
            "first": account.get("first_name", ""),
            "lastname": account.get("last_name", ""),
            "pstn_caller_id": account.get("rpid", ""),
            "mobile_number": self.mobile_number(account),
            "timezone": account.get("timezone", ""),
            "no_answer_timeout": min(int(timeout), MAX_TIMEOUT),
            "quick_dial": account.get("quickdial", ""),
        }

    # -- aliases ----------------------------------------------------------
    def aliases_of(self, account):
        """Every alias pointing to the account, sorted by alias user."""
        rows = [alias for alias, doc in self.aliases.rows() if doc["target"] == account["address"]]
        return sorted(rows, key=lambda address: address.partition("@")[0])

    def get_aliases(self, account):
        self._fault_for(account, "get_aliases")
        # The server asks NGNPro for one page of 20 (spec 5.2): more exist unseen.
        return self.aliases_of(account)[:ALIAS_PAGE]

    def add_alias(self, account, username):
        if username is None or not username.strip():
            raise ParamError("Error: missing username")
        self._fault_for(account, "add_alias")
        user = username.strip().lower()
        if not ALIAS_RE.match(user):
            raise SoapFault(1008, "Invalid alias username %s" % user)
        address = "%s@%s" % (user, account["domain"])
        if address in self.aliases or address in self.accounts:
            # The code of this fault is not public (spec 5.3): assumed.
            raise SoapFault(FAULT_ALIAS_EXISTS, "Alias %s already exists" % address)
        self.aliases.put(address, {"target": account["address"], "owner": account.get("owner", 0)})
        return "Added alias %s" % username

    def set_aliases(self, account, wanted):
        """The form action ``set aliases``: make the alias set equal to ``wanted``;
        invalid names are skipped (spec 5.20)."""
        addresses = set()
        for name in wanted:
            name = name.strip().lower()
            if "@" not in name:
                name = "%s@%s" % (name, account["domain"])
            user, _sep, domain = name.partition("@")
            if ALIAS_RE.match(user) and domain == account["domain"]:
                addresses.add(name)
        for address in self.aliases_of(account):
            if address not in addresses:
                self.aliases.delete(address)
        for address in sorted(addresses):
            if address not in self.aliases and address not in self.accounts:
                self.aliases.put(address, {"target": account["address"], "owner": account.get("owner", 0)})

    # -- other getters ----------------------------------------------------
    def get_enum(self, account):
        self._fault_for(account, "get_enum")
        return list(account.get("enum") or [])[:ENUM_PAGE]

    def get_history(self, account):
        self._fault_for(account, "get_history")
        now = self.clock.now()
        window_start = now - HISTORY_DAYS * 86400
        result = {"placed": [], "received": []}
        calls = sorted(account.get("calls") or [], key=lambda call: call["start"], reverse=True)
        for call in calls:
            direction = call["direction"]
            if call["start"] < window_start or call["start"] > now or call.get("duration") is None:
                continue
            if direction == "placed" and call.get("status") == 435:
                continue
            if len(result[direction]) >= HISTORY_PER_DIRECTION:
                continue
            item = {
                "remoteParty": call["remote"], "displayName": call.get("display", ""),
                "startTime": local_time(call["start"], account.get("timezone")),
                "stopTime": local_time(call["start"] + call["duration"], account.get("timezone")),
                "timezone": account.get("timezone", ""), "duration": call["duration"], "status": call.get("status", 200),
            }
            if direction == "placed":
                item["price"] = call.get("price", 0)
            item.update({"sessionId": call.get("session", ""), "fromTag": call.get("from_tag", ""),
                         "toTag": call.get("to_tag", ""), "proxyIP": call.get("proxy", "10.0.0.1"),
                         "media": call.get("media", ["audio"])})
            result[direction].append(item)
        # A direction without calls is null, not [] (spec 5.5).
        return {key: (value or None) for key, value in result.items()}

    def get_devices(self, account):
        self._fault_for(account, "get_devices")
        now = self.clock.now()
        devices = []
        for device in account.get("devices") or []:
            remaining = int(device["expires_at"] - now)
            if remaining <= 0:
                continue
            devices.append({"contact": device["contact"], "publicContact": device["publicContact"], "expires": remaining,
                            "user_agent": device.get("user_agent", ""), "transport": device.get("transport", "udp")})
        return devices or None

    def get_prepaid(self, account):
        self._fault_for(account, "get_prepaid")
        if not account.get("prepaid"):
            raise SoapFault(1040, "Account %s is not prepaid" % account["address"])
        return dict(account["prepaid"])

    def get_balance_history(self, account, as_csv=False):
        self._fault_for(account, "get_balance_history")
        entries = sorted(account.get("balance_history") or [], key=lambda entry: entry["time"], reverse=True)[:BALANCE_HISTORY_PAGE]
        rows = [{"date": local_time(entry["time"], account.get("timezone")), "action": entry["action"],
                 "description": entry["description"], "value": entry["value"], "balance": entry["balance"],
                 "session": entry.get("session", "")} for entry in entries]
        if not as_csv:
            return rows
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["Date", "Action", "Description", "Value", "Balance", "Session"])
        for row in rows:
            writer.writerow([row["date"], row["action"], row["description"], row["value"], row["balance"], row["session"]])
        return out.getvalue()

    def get_monthly_usage(self, account):
        # Current CDRTool dies here (HTTP 500, spec 5.9); the emulator returns the
        # intended shape, as the spec says. Tests provoke the 500 with a fault rule
        # or the account's ``php_fatal`` list.
        self._fault_for(account, "get_monthly_usage")
        month = datetime.fromtimestamp(self.clock.now(), timezone.utc).strftime("%Y-%m")
        placed = [call for call in account.get("calls") or [] if call["direction"] == "placed"
                  and datetime.fromtimestamp(call["start"], timezone.utc).strftime("%Y-%m") == month]
        return {"calls": len(placed), "price": round(sum(call.get("price", 0) for call in placed), 4)}

    def get_reject_rules(self, account):
        self._fault_for(account, "get_reject_rules")
        return list(account.get("reject") or [])

    def set_reject(self, account, members):
        account["reject"] = [member if member.startswith("sip:") else "sip:" + member for member in members if member.strip()]
        self._save(account)

    def get_voicemail(self, account):
        self._fault_for(account, "get_voicemail")
        box = account.get("voicemail")
        if not box:
            return None
        return {"Mailbox": box["mailbox"], "Password": box["password"], "Name": box.get("name", ""),
                "Email": box.get("email", ""), "Info": box.get("info", ""), "Options": box.get("options", {}),
                "Account": "%s@%s" % (box["mailbox"], box.get("server", "vm." + account["domain"]))}

    # -- call forwarding --------------------------------------------------
    @staticmethod
    def read_target(stored):
        if not stored:
            return None
        for prefix in ("sip:", "sips:"):
            if stored.startswith(prefix):
                return stored[len(prefix):]
        return stored

    def get_call_forwarding(self, account):
        self._fault_for(account, "get_call_forwarding")
        stored = account.get("forwarding") or {}
        return {key: self.read_target(stored.get(key)) for key in DIVERSION_KEYS}

    def normalise_target(self, account, value):
        """The server's rewriting of a forwarding target (spec 5.11, in order)."""
        mobile = self.mobile_number(account)
        if value == MOBILE and mobile:
            value = mobile
        if value == VOICEMAIL:
            return value
        if "@" not in value:
            value = "%s@%s" % (value, account["domain"])
        if value[:1] in ("+", "0"):
            value = "%s@%s" % (value.partition("@")[0], account["domain"])
        if not value.startswith("sip:"):
            value = "sip:" + value
        return value

    def set_call_forwarding(self, account, params):
        """Returns (debug_text, message). Only keys present change; empty removes."""
        present = [key for key in DIVERSION_KEYS if key in params]
        if not present:
            return "", "Diversions remained the same"
        debug = "".join("Key %s changed %s" % (key, params[key]) for key in present)
        stored = dict(account.get("forwarding") or {})
        for key in present:
            raw = params[key]
            stored[key] = self.normalise_target(account, raw) if raw != "" else ""
        try:
            self._fault_for(account, "set_call_forwarding")
        except SoapFault as fault:
            # The debug lines were printed before the backend call failed.
            fault.prefix = debug
            raise
        # The whole merged set is written, even when nothing differs.
        account["forwarding"] = {key: stored.get(key, "") for key in DIVERSION_KEYS}
        account["diversion_writes"] = account.get("diversion_writes", 0) + 1
        self._save(account)
        message = "Changed diversions " + "".join("%s=%s " % (key, stored[key]) for key in present)
        return debug, message

    # -- accept rules / DND -----------------------------------------------
    def _temporary(self, account):
        """The temporary rule as the backend reports it now: remaining minutes,
        lapsed to ``{"groups": [], "duration": 0}`` once the time is up."""
        rule = (account.get("accept_rules") or {}).get("temporary")
        if not rule:
            return {"groups": [], "duration": 0}
        if rule.get("duration"):
            remaining = rule["duration"] * 60 - (self.clock.now() - rule["since"])
            if remaining <= 0:
                return {"groups": [], "duration": 0}
            # Assumed: the backend rounds remaining minutes up (a DND of 30 minutes
            # reads back 30 right after it was set).
            return {"groups": list(rule["groups"]), "duration": int(math.ceil(remaining / 60.0))}
        return {"groups": list(rule["groups"]), "duration": 0}

    def on_clock_change(self):
        """Let lapsed temporary rules go (the read path already hides them)."""
        for address, account in self.accounts.rows():
            rule = (account.get("accept_rules") or {}).get("temporary")
            if rule and rule.get("duration") and self._temporary(account)["groups"] == []:
                account["accept_rules"]["temporary"] = None
                self.accounts.put(address, account)

    def _persistent_view(self, account):
        """Persistent rules keyed by the days bitmask: two rules with the same
        days collapse into the last one (the key is the only place days survive)."""
        rules = account.get("accept_rules") or {}
        if "persistent" in rules and rules["persistent"] is None:
            # No persistent list from the backend at all: the page iterates over
            # null and PHP 8 dies (spec 5.12), for the getter and the DND setters.
            raise PhpFatal("foreach over null persistent accept rules")
        view = {}
        for rule in rules.get("persistent") or []:
            view[str(rule["days"])] = {"start": rule["start"], "stop": rule["stop"], "groups": list(rule["groups"])}
        return view

    def get_accept_rules(self, account):
        self._fault_for(account, "get_accept_rules")
        result = {}
        persistent = self._persistent_view(account)
        if persistent:
            result["persistent"] = persistent
        result["temporary"] = self._temporary(account)
        groups = ["everybody", "nobody"] + [group for group in account.get("phonebook_groups") or [] if group not in ("everybody", "nobody")]
        result["groups"] = groups
        return result

    def set_accept_rules_form(self, account, params):
        """The web form action ``set accept rules`` (spec 5.20): replaces ALL accept
        rules. ``radio_persistent_<days>`` 0 everybody / 1 nobody / 2 the groups in
        ``groups_<days>[]``, with ``start_<days>``/``stop_<days>`` (a rule whose
        times are missing or invalid is dropped); ``radio_temporary`` likewise with
        ``groups_temporary[]`` and ``duration`` minutes."""
        def groups_of(radio, chosen):
            return {"0": ["everybody"], "1": ["nobody"]}.get(radio, [g for g in chosen if g])

        persistent = []
        for key, radio in sorted(params.items()):
            match = re.match(r"^radio_persistent_(\d+)$", key)
            if not match:
                continue
            days = match.group(1)
            start, stop = params.get("start_" + days, ""), params.get("stop_" + days, "")
            if not (_HHMM.match(start or "") and _HHMM.match(stop or "")):
                continue
            groups = groups_of(radio, _as_list(params.get("groups_%s[]" % days)))
            if groups and 0 < int(days) <= 127:
                persistent.append({"days": int(days), "start": start, "stop": stop, "groups": groups})
        temporary = None
        if params.get("radio_temporary") is not None:
            groups = groups_of(params["radio_temporary"], _as_list(params.get("groups_temporary[]")))
            temporary = {"groups": groups, "duration": max(0, php_intval(params.get("duration"))), "since": self.clock.now()}
        account["accept_rules"] = {"persistent": persistent, "temporary": temporary}
        self._save(account)

    def _set_temporary(self, account, groups, duration):
        self._fault_for(account, "set_accept_rules")
        # The page re-sends the persistent rules exactly as it read them: keyed by
        # days, without their days member. The emulator keeps what survives that
        # shape (days from the key), so rules sharing a days value are lost.
        persistent = [{"days": int(days), "start": rule["start"], "stop": rule["stop"], "groups": rule["groups"]}
                      for days, rule in self._persistent_view(account).items()]
        if account.get("drops_rules_without_days"):
            # The other plausible backend (spec 5.13: its handling is unknown): rules
            # sent without their days member are dropped. Seed flag, for tests.
            persistent = []
        rules = account.setdefault("accept_rules", {})
        rules["persistent"] = persistent
        rules["temporary"] = {"groups": groups, "duration": duration, "since": self.clock.now()}
        account["accept_rule_writes"] = account.get("accept_rule_writes", 0) + 1
        self._save(account)

    def set_dnd_on(self, account, duration):
        minutes = php_intval(duration) if duration is not None else 0
        if minutes < 0:
            # Assumed: NGNPro refuses a negative duration.
            raise SoapFault(1009, "Invalid temporary rule duration %d" % minutes)
        self._set_temporary(account, ["nobody"], minutes)
        if minutes:
            return "Do not disturb has been enabled for %d minutes" % minutes
        return "Do not disturb has been enabled"

    def set_dnd_off(self, account):
        self._set_temporary(account, ["everybody"], 0)
        return "Do not disturb has been disabled"

    # -- privacy ----------------------------------------------------------
    def set_privacy(self, account, on):
        self._fault_for(account, "set_privacy")
        groups = list(account.get("groups") or [])
        if on:
            if "anonymous" in groups:
                raise SoapFault(FAULT_GROUP_MEMBER, "Account %s is already in group anonymous" % account["address"])
            groups.append("anonymous")
        elif "anonymous" in groups:
            groups.remove("anonymous")
        # else: fault 1031 (not a member) is swallowed by the page: success.
        account["groups"] = groups
        self._save(account)
        return "Caller-ID is now %s for outgoing calls" % ("hidden" if on else "visible")

    # -- journal ----------------------------------------------------------
    def get_journal_entries(self, account, params):
        if "limit" in params and php_intval(params["limit"]) < JOURNAL_MAX_ROWS:
            # The code uses an undefined variable for a limit below 5000: no rows.
            rows = []
        else:
            rows = [doc for _id, doc in self.journal.rows() if doc["account"] == account["address"]]
        except_uuid = params.get("except_uuid")
        if except_uuid:
            rows = [doc for doc in rows if doc["uuid"] != except_uuid]
        if params.get("after_id") not in (None, ""):
            after = php_intval(params["after_id"])
            rows = [doc for doc in rows if int(doc["id"]) > after]
        if params.get("after_timestamp") not in (None, ""):
            # Compared as text with the DATETIME column (spec 5.17): an epoch
            # number sorts before every date, so it filters nothing.
            after = params["after_timestamp"]
            rows = [doc for doc in rows if doc["timestamp"] > after]
        rows = rows[:JOURNAL_MAX_ROWS]
        results = [{"id": str(doc["id"]), "source": doc["source"], "timestamp": doc["timestamp"], "account": doc["account"],
                    "uuid": doc["uuid"], "ip_address": doc["ip_address"], "data": doc["data"]} for doc in rows]
        return {"success": True, "error_message": None, "rows": len(results), "results": results}

    def put_journal_entries(self, account, uuid, data, ip_address):
        import json  # pylint: disable=import-outside-toplevel

        if not uuid:
            return {"results": [], "success": False, "error_message": "Missing uuid"}
        if data is None or data == "":
            return {"results": [], "success": False, "error_message": "Missing data"}
        try:
            items = json.loads(data)
        except ValueError:
            items = None
        # PHP: json_decode('[]', true) is an empty array, which the page's
        # "if (!$entries)" takes for a decode failure; '{}' decodes to an object.
        if not items and not (isinstance(items, dict) or data.strip() == "{}"):
            return {"results": [], "success": False, "error_message": "Json decode error"}
        if isinstance(items, dict):
            items = list(items.values())
        if not isinstance(items, list):
            return {"results": [], "success": False, "error_message": "Json decode error"}
        results = []
        for item in items:
            if not isinstance(item, dict) or "data" not in item:
                continue
            if not isinstance(item["data"], str):
                raise PhpFatal("data of a journal entry must be a string")
            doc = {"source": "default", "timestamp": utc_datetime(self.clock.now()), "account": account["address"],
                   "uuid": uuid, "ip_address": ip_address, "data": item["data"]}
            journal_id = self.journal.insert(doc)
            doc["id"] = journal_id
            self.journal.put(journal_id, doc)
            client_id = item.get("id")
            results.append({"id": client_id if client_id is None else str(client_id), "journal_id": str(journal_id),
                            "source": "default"})
        return {"results": results, "success": True}

    def delete_journal_entries(self, account, params):  # pylint: disable=unused-argument
        if not params.get("data") and not params.get("journal_id"):
            return {"success": False, "error_message": "Missing data"}
        # The SQL the page builds is invalid on the stock MySQL backend (spec 5.17).
        return {"error_message": "database error"}


_HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def php_intval(value):
    """PHP ``intval`` of a request string: leading digits, else 0."""
    if value is None:
        return 0
    match = re.match(r"^\s*([+-]?\d+)", str(value))
    return int(match.group(1)) if match else 0
