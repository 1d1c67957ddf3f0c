# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seed accounts of the SIP2SIP emulator.

The base set is ``accounts.json`` beside this file.  Tests, molecule and the
demo extend it with a file of the same shape, found (all that exist, in this
order) at the app option ``accounts_file``, the environment variable
``VOIP_SIP2SIP_ACCOUNTS`` and ``<state-dir>/sip2sip-accounts.json``:

    {"accounts": [{"username": "dave", "domain": "sip2sip.info", "password": "..."}],
     "generate": [{"prefix": "load", "count": 50, "domain": "sip2sip.info",
                   "password": "load-{n}-secret"}],
     "aliases_taken": [{"alias": "sales", "domain": "sip2sip.info", "target": "x@sip2sip.info"}]}

An account with the address of an earlier one replaces it.  Times in the seed
are relative (``minutes_ago``, ``expires_in``) and fixed by the clock at seeding.

Account keys: ``username``, ``domain``, one of ``password`` (clear SIP password),
``ha1_password`` (the account stores only md5(user:domain:password)), optional
``web_password``; ``first_name``, ``last_name``, ``email``, ``rpid``,
``mobile_number``, ``owner_mobile_number``, ``timezone``, ``timeout``,
``quickdial``, ``owner``, ``phonebook_groups``, ``groups`` (``anonymous`` =
privacy on), ``forwarding`` (stored values), ``accept_rules``, ``reject``,
``enum``, ``aliases``, ``voicemail``, ``prepaid``, ``balance_history``,
``devices``, ``calls``, ``drops_rules_without_days`` (a DND write loses the
persistent accept rules), ``backend_faults`` (``{action: fault text}``: that
action meets a backend fault), ``php_fatal`` (actions that die with HTTP 500).
"""

import json
import os

from voip_emulator.sip2sip.models import DIVERSION_KEYS, account_ha1

BASE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "accounts.json")
ENV_VAR = "VOIP_SIP2SIP_ACCOUNTS"
STATE_FILE = "sip2sip-accounts.json"


class SeedError(ValueError):
    """A seed file that cannot be used."""


def seed_files(options):
    files = [BASE_FILE]
    for candidate in (options.get("accounts_file"), os.environ.get(ENV_VAR),
                      os.path.join(options["state_dir"], STATE_FILE) if options.get("state_dir") else None):
        if candidate and os.path.exists(candidate) and candidate not in files:
            files.append(candidate)
    return files


def _read(path):
    try:
        with open(path, encoding="utf-8") as stream:
            data = json.load(stream)
    except (OSError, ValueError) as exc:
        raise SeedError("cannot read SIP2SIP seed file %s: %s" % (path, exc)) from exc
    if not isinstance(data, dict):
        raise SeedError("SIP2SIP seed file %s must hold an object" % path)
    return data


def _generated(spec):
    for number in range(1, int(spec["count"]) + 1):
        yield {
            "username": "%s%d" % (spec.get("prefix", "user"), number),
            "domain": spec.get("domain", "sip2sip.info"),
            "password": spec.get("password", "{prefix}{n}-secret").format(n=number, prefix=spec.get("prefix", "user")),
            "first_name": spec.get("first_name", "User"),
            "last_name": str(number),
            "timezone": spec.get("timezone", "UTC"),
            "owner": spec.get("owner", 2000 + number),
            "accept_rules": {"persistent": [{"days": 31, "start": "08:00", "stop": "20:00", "groups": ["everybody"]}]},
        }


def build_account(spec, now):
    try:
        username = spec["username"].lower()
        domain = spec["domain"].lower()
    except (KeyError, AttributeError) as exc:
        raise SeedError("a seed account needs username and domain: %r" % (spec,)) from exc
    account = {key: value for key, value in spec.items() if key not in (
        "password", "ha1_password", "web_password", "aliases", "calls", "devices", "balance_history", "forwarding")}
    account.update(username=username, domain=domain, address="%s@%s" % (username, domain))
    # Credentials as NGNPro keeps them (spec 2.5).
    account["password"] = spec.get("password")
    account["ha1"] = account_ha1(username, domain, spec["ha1_password"]) if spec.get("ha1_password") else None
    account["web_ha1"] = account_ha1(username, domain, spec["web_password"]) if spec.get("web_password") else None
    if not (account["password"] or account["ha1"]):
        raise SeedError("seed account %s needs password or ha1_password" % account["address"])
    forwarding = spec.get("forwarding") or {}
    account["forwarding"] = {key: forwarding.get(key, "") for key in DIVERSION_KEYS}
    rules = spec.get("accept_rules") or {}
    # "persistent": null = the backend sends no persistent list at all (spec 5.12: the
    # page then dies with HTTP 500 on PHP 8); [] or absent = no persistent rules.
    persistent = rules.get("persistent", [])
    account["accept_rules"] = {"persistent": None if persistent is None else list(persistent),
                               "temporary": rules.get("temporary")}
    account["groups"] = list(spec.get("groups") or [])
    account["calls"] = [dict(call, start=now - call.pop("minutes_ago", 60) * 60) for call in map(dict, spec.get("calls") or [])]
    account["devices"] = [dict(device, expires_at=now + device.pop("expires_in", 3600)) for device in map(dict, spec.get("devices") or [])]
    account["balance_history"] = [dict(entry, time=now - entry.pop("minutes_ago", 0) * 60)
                                  for entry in map(dict, spec.get("balance_history") or [])]
    return account, [alias.lower() for alias in spec.get("aliases") or []]


def seed(backend, options, now):
    """Fill empty tables from the seed files."""
    accounts = {}
    alias_names = {}
    taken = []
    for path in seed_files(options):
        data = _read(path)
        specs = list(data.get("accounts") or [])
        for generator in data.get("generate") or []:
            specs.extend(_generated(generator))
        for spec in specs:
            account, aliases = build_account(spec, now)
            accounts[account["address"]] = account
            alias_names[account["address"]] = aliases
        taken.extend(data.get("aliases_taken") or [])
    for address, account in accounts.items():
        backend.accounts.put(address, account)
        for alias in alias_names[address]:
            backend.aliases.put("%s@%s" % (alias, account["domain"]), {"target": address, "owner": account.get("owner", 0)})
    for entry in taken:
        backend.aliases.put("%s@%s" % (entry["alias"].lower(), entry["domain"].lower()),
                            {"target": entry["target"], "owner": entry.get("owner", 0)})
