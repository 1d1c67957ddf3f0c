# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The enterprise's user directory: login name, number and numeric user id.

The platform can neither list an enterprise's users nor map a login name or a
number to the user id its URLs need (the seed's "NOT PLANNED" gaps); VTX support
hands out that table.  Users declare it once (the ``directory`` option, usually
from an inventory variable, or ``directory_file``) and then name users by login
name (``+41225662194@m.ipvoip.ch``), number (``+41225662194``) or id (``176125``)
everywhere.

Resolution, never a guess:

* digits only -> a user id (a number always starts with ``+``);
* ``+`` and digits -> a number (E.164), looked up in the directory;
* ``name@domain`` -> a login name, looked up in the directory, else asked of the
  platform when it supports login names in URLs (7.8+);
* anything else -> an error naming the field.

Every id is checked once per run with the cheapest per-user read the platform
has (``GET /users/{id}/presence``, spec trap 1): an id the platform does not know
fails with a message naming the field and the directory entry.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError

E164_RE = re.compile(r"^\+[1-9][0-9]{5,14}$")
LOGIN_RE = re.compile(r"^[^@\s/]+@[^@\s/]+$")

#: The options a module that names users takes (documented in the vtx_directory doc fragment).
DIRECTORY_OPTIONS = dict(
    directory=dict(type="list", elements="dict", options=dict(
        login_name=dict(type="str"),
        number=dict(type="str"),
        user_id=dict(type="int", required=True),
    )),
    directory_file=dict(type="path"),
)


def check_number(value, field):
    """An E.164 number as the platform writes it (``+41225662194``) or an InputError."""
    if not isinstance(value, str) or not E164_RE.match(value):
        raise InputError("%s: '%s' is not a number in E.164 form such as +41225662194 (a '+', the country code, "
                         "no spaces or punctuation)" % (field, value))
    return value


def kind_of(reference):
    """"id", "number" or "login_name" of a user reference, or None."""
    if isinstance(reference, bool):
        return None
    if isinstance(reference, int):
        return "id" if reference > 0 else None
    text = str(reference).strip()
    if text.isdigit():
        return "id"
    if LOGIN_RE.match(text):
        return "login_name"
    if text.startswith("+"):
        return "number"
    return None


def _load_file(path):
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except (IOError, OSError) as exc:
        raise InputError("directory_file: cannot read '%s': %s" % (path, exc))
    try:
        data = json.loads(text)
    except ValueError:
        try:
            import yaml  # ansible-core's own dependency
        except ImportError:
            raise InputError("directory_file: '%s' is not JSON and PyYAML is not installed to read YAML" % path)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InputError("directory_file: '%s' is neither JSON nor YAML: %s" % (path, exc))
    if isinstance(data, dict):
        # {"users": [...]} or {"vtx_directory": [...]} (a vars file) are accepted too.
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(lists) != 1:
            raise InputError("directory_file: '%s' must hold a list of {login_name, number, user_id} entries "
                             "(or a mapping with exactly one such list)" % path)
        data = lists[0]
    if not isinstance(data, list):
        raise InputError("directory_file: '%s' must hold a list of {login_name, number, user_id} entries" % path)
    return data


class Directory:
    """The declared users, indexed by id, number and login name (case-insensitive)."""

    def __init__(self, entries=(), source="directory"):
        self.entries = []
        self.by_id = {}
        self.by_number = {}
        self.by_login = {}
        for index, raw in enumerate(entries or ()):
            self._add(raw, "%s[%d]" % (source, index))

    @classmethod
    def from_options(cls, options):
        directory = cls(options.get("directory") or (), "directory")
        path = options.get("directory_file")
        if path:
            for index, raw in enumerate(_load_file(path)):
                directory._add(raw, "directory_file %s entry %d" % (path, index + 1))
        return directory

    def _add(self, raw, where):
        if not isinstance(raw, dict):
            raise InputError("%s: an entry must be a mapping with user_id and login_name and/or number, not %r" % (where, raw))
        unknown = sorted(set(raw) - set(("login_name", "number", "user_id")))
        if unknown:
            raise InputError("%s: unknown key(s) %s (known: login_name, number, user_id)" % (where, ", ".join(unknown)))
        user_id = raw.get("user_id")
        if isinstance(user_id, str) and user_id.strip().isdigit():
            user_id = int(user_id.strip())
        if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
            raise InputError("%s: user_id must be the platform's numeric user id (e.g. 176125), not %r" % (where, user_id))
        login = raw.get("login_name")
        number = raw.get("number")
        if login is not None and (not isinstance(login, str) or not LOGIN_RE.match(login)):
            raise InputError("%s: login_name must look like +41225662194@m.ipvoip.ch, not %r" % (where, login))
        if number is not None:
            check_number(number, "%s: number" % where)
        elif login is not None and E164_RE.match(login.split("@")[0]):
            # The number is the user part of the login name (spec 3).
            number = login.split("@")[0]
        if login is None and number is None:
            raise InputError("%s: give login_name and/or number for user_id %d" % (where, user_id))
        entry = {"user_id": user_id, "login_name": login, "number": number}
        for index, key, value in ((self.by_id, "user_id", user_id), (self.by_number, "number", number),
                                  (self.by_login, "login_name", login.lower() if login else None)):
            if value is None:
                continue
            if value in index and index[value] != entry:
                raise InputError("%s: %s %s is declared twice (also as %s); each user once" % (where, key, value, index[value]))
            index[value] = entry
        self.entries.append(entry)

    def __len__(self):
        return len(self.entries)

    def user_ids(self):
        return [entry["user_id"] for entry in self.entries]

    def entry(self, user_id):
        return self.by_id.get(user_id)

    def local(self, reference, field):
        """``(kind, entry or None)`` without asking the platform; InputError for a
        reference that is none of the three forms or a malformed number."""
        kind = kind_of(reference)
        if kind is None:
            raise InputError("%s: '%s' is not a user id (digits), a number (+E.164) or a login name (user@domain)"
                             % (field, reference))
        text = str(reference).strip()
        if kind == "id":
            if text.startswith("0"):
                # User ids never start with 0: this is a national number, and guessing its country is not ours.
                raise InputError("%s: '%s' looks like a national number; write it in E.164 (+41...) or give the "
                                 "numeric user id" % (field, reference))
            if int(text) not in self.by_id and "+" + text in self.by_number:
                # YAML reads an unquoted +41225662194 as the integer 41225662194.
                raise InputError("%s: '%s' is not a user id of the directory, but +%s is one of its numbers: YAML reads "
                                 "an unquoted +41... as an integer - quote the number ('+%s')" % (field, text, text, text))
            return kind, self.by_id.get(int(text)) or {"user_id": int(text), "login_name": None, "number": None}
        if kind == "number":
            check_number(text, field)
            return kind, self.by_number.get(text)
        return kind, self.by_login.get(text.lower())


class UserResolver:
    """Resolves references to verified user ids through the directory and, for
    login names it lacks, the platform (7.8+). One per run (results cached)."""

    def __init__(self, api, directory, run):
        self.api = api
        self.directory = directory
        self.cache = run.cache("vtx_users")

    def resolve(self, reference, field="user", verify=True):
        """The directory-style entry ``{user_id, login_name, number}`` of a verified
        user (``verify=False``: the caller reads the user itself and reports a
        missing one with :meth:`unknown`)."""
        kind, entry = self.directory.local(reference, field)
        if entry is None and kind == "number":
            raise InputError("%s: number %s is not in the directory; the platform cannot look numbers up, so add "
                             "{number: %s, login_name: ..., user_id: ...} to directory (from VTX support's table)"
                             % (field, reference, reference))
        if entry is None:
            entry = self.cache.get_or_compute(("login", str(reference).lower()), lambda: self._by_login_name(reference, field))
        if verify:
            self.verify(entry, field)
        return entry

    def verify(self, entry, field="user"):
        """Check (once per run) that the platform knows the user of ``entry``."""
        self.cache.get_or_compute(("id", entry["user_id"]), lambda: self._verify(entry, field))

    def user_id(self, reference, field="user"):
        return self.resolve(reference, field)["user_id"]

    def _by_login_name(self, login, field):
        if not self.api.supports_login_names():
            raise InputError("%s: login name %s is not in the directory, and this platform (version %s) cannot look "
                             "login names up (7.8+ can); add {login_name: %s, user_id: ...} to directory"
                             % (field, login, ".".join(str(p) for p in self.api.version()), login))
        try:
            presence = self.api.presence(login)
        except ApiError as exc:
            if exc.status == 404:
                raise InputError("%s: the platform knows no user with login name %s; check the spelling or add it to "
                                 "directory" % (field, login))
            raise
        return {"user_id": int(presence["userId"]), "login_name": login, "number": None}

    def _verify(self, entry, field):
        try:
            self.api.presence(entry["user_id"])
        except ApiError as exc:
            raise self.unknown(entry, field, exc)
        return True

    @staticmethod
    def unknown(entry, field, exc):
        """The error to raise for an ApiError reading the user ``entry``."""
        label = entry.get("login_name") or entry.get("number")
        named = "user id %d%s" % (entry["user_id"], " (%s)" % label if label else "")
        if exc.status == 404:
            return InputError("%s: the platform knows no %s; correct the directory entry (VTX support's table "
                              "lists the ids)" % (field, named))
        if exc.status == 403:
            return InputError("%s: %s belongs to another enterprise than the API login's" % (field, named))
        return exc
