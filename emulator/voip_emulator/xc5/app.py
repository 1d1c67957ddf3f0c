# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``XC5App``: the XC5-XS ``/api-sys/`` API over the :mod:`.model` backend.

The HTTP layer only: routes as data (case-insensitive, trailing slash optional),
HTTP Basic against accounts (system-wide or partitioned API access), request
bodies (one JSON object; multipart WAV for prompts), ``?patch=true``, OPTIONS
documentation, and the framing every answer shares: a JSON array with
``Content-Type: application/hal+json``, errors as ``[{"error": "..."}]``
(spec sections 2-4). Records get HAL ``_links`` built from guids, also when
the request named the account (spec gap 3).
"""

import email.parser
import email.policy
import json
import re
from urllib.parse import unquote

from voip_emulator.core.app import App, Response
from voip_emulator.core.auth import AuthFailed, BasicAuth
from voip_emulator.core.errors import HttpError
from voip_emulator.core.routes import Router
from voip_emulator.core.tables import Tables
from voip_emulator.xc5 import docs
from voip_emulator.xc5.model import POOL, Backend
from voip_emulator.xc5.rules import ModelError
from voip_emulator.xc5.seed import seed

HAL = "application/hal+json"
BASE = "/api-sys"
STATUS = {"invalid": 400, "denied": 403, "not_found": 404, "conflict": 409}
ACCOUNT = r"(?P<acct>[^/]+)"
GUID = r"(?P<guid>[^/]+)"
ENTRY_KINDS = ("route", "callrule", "fork")
LEAN_FIELDS = ("guid", "username", "description", "enabled", "parent")
TRUE_WORDS = ("true", "1", "yes")


def array(status, records, headers=()):
    return Response(status, [("Content-Type", HAL)] + list(headers), json.dumps(records).encode("utf-8"))


def error(status, message, headers=()):
    return HttpError(status, [{"error": message}], headers, content_type=HAL)


class XC5App(App):
    name = "xc5"

    def __init__(self, store, options=None, clock=None):
        super().__init__(store, options, clock)
        self.tables = Tables(store, "xc5")
        self.backend = Backend(self.tables)
        self.lock = self.tables.lock
        self.basic = BasicAuth("xc5", self._verify)
        self.router = self._routes()
        if not self.tables.load():
            seed(self.backend)

    def reset(self):
        with self.lock:
            self.tables.wipe()
            seed(self.backend)

    # -- routing -------------------------------------------------------------

    def _routes(self):
        router = Router()
        flags = re.IGNORECASE

        def add(methods, pattern, handler):
            router.add(methods, BASE + pattern + "/?", handler, flags=flags)

        add("GET", "", self.index)
        add(("GET", "PUT"), "/account", self.accounts)
        add(("GET", "PUT", "PATCH", "DELETE"), "/account/" + ACCOUNT, self.account)
        add(("GET", "PUT"), "/account/" + ACCOUNT + "/child", self.children)
        add(("GET", "PUT"), "/account/" + ACCOUNT + "/number", self.numbers)
        add(("GET", "PUT", "PATCH", "DELETE"), "/account/" + ACCOUNT + "/number/" + GUID, self.number)
        add("GET", "/account/" + ACCOUNT + "/numberallocate", self.numberallocate)
        add("GET", "/account/" + ACCOUNT + "/reg", self.registrations)
        for kind in ENTRY_KINDS:
            add(("GET", "PUT"), "/account/" + ACCOUNT + "/(?P<kind>" + kind + ")", self.entries)
            add(("GET", "PUT", "PATCH", "DELETE"), "/account/" + ACCOUNT + "/(?P<kind>" + kind + ")/" + GUID, self.entry)
        add(("GET", "PUT"), "/account/" + ACCOUNT + "/prompt", self.prompts)
        add(("GET", "PUT", "PATCH", "DELETE"), "/account/" + ACCOUNT + "/prompt/" + GUID, self.prompt)
        add("GET", "/number/" + GUID, self.number_by_guid)
        add("GET", "/guid", self.new_guid)
        add("GET", "/location", self.location)
        add("GET", "/hydraaccount", self.hydra_list)
        add(("GET", "PUT", "DELETE"), "/hydraaccount/(?P<number>[^/]+)", self.hydra)
        return router

    def handle(self, request):
        try:
            try:
                return self._handle(request)
            except ModelError as exc:
                raise error(STATUS[exc.kind], exc.message) from None
            except AuthFailed as exc:
                raise error(exc.status, "unauthorized" if exc.status == 401 else "access denied", exc.headers) from None
        except HttpError as exc:
            return exc.response()

    def _handle(self, request):
        path = request.path
        if not re.match(r"^%s(/|$)" % BASE, path, re.IGNORECASE):
            raise error(404, "invalid path")
        request.principal = self._authenticate(request)
        request.scope = request.principal[1]
        if request.method == "OPTIONS":
            return self.options_for(path)
        if request.method == "PUT" and self._query(request, "patch", "").lower() in TRUE_WORDS:
            request.method = "PATCH"  # seed: ?patch=true makes PUT exactly a PATCH
        response = self.router.dispatch(request)
        if response is None:
            allowed = [m for m in self.router.allowed(path) if m != "HEAD"]
            if allowed:
                raise error(405, "method not allowed", [("Allow", ", ".join(allowed + ["OPTIONS"]))])
            raise error(404, "invalid path")
        return response

    def _verify(self, username, password):
        found = self.backend.login(username, password)
        return found

    def _authenticate(self, request):
        return self.basic.authenticate(request)

    def authenticated_with_password(self, request):
        return True

    def cost_key(self, request):
        """"PUT route", "GET number", "GET account", ...: the sub-resource of an
        account path, else the top-level resource (latency profiles charge by it)."""
        parts = [p.lower() for p in request.path.split("/") if p]
        if len(parts) >= 4 and parts[1] == "account":
            resource = parts[3]
        else:
            resource = parts[1] if len(parts) > 1 else ""
        return "%s %s" % (request.method, resource)

    # -- request helpers ---------------------------------------------------------

    @staticmethod
    def _query(request, name, default=None):
        for key, value in request.query_pairs():
            if key.lower() == name:
                return value
        return default

    @staticmethod
    def body(request):
        """The request's JSON object ({} when empty); arrays refused (seed)."""
        raw = request.body or b""
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise error(400, "invalid JSON: %s" % exc) from None
        if not isinstance(data, dict):
            raise error(400, "request body must be a JSON object (arrays are not accepted)")
        return data

    def _account(self, request, acct):
        return self.backend.account(unquote(acct), request.scope)

    # -- rendering -------------------------------------------------------------

    def _account_href(self, guid):
        return "%s/account/%s" % (BASE, guid)

    def account_record(self, doc, lean=False):
        parent = self.backend.accounts.get(doc["parentguid"]) if doc.get("parentguid") else None
        if lean:
            record = {"guid": doc["guid"], "username": doc["username"], "description": doc.get("description", ""),
                      "enabled": doc.get("enabled", True), "parent": parent["username"] if parent else ""}
        else:
            record = {"guid": doc["guid"], "username": doc["username"]}
            record["password"] = doc.get("password", "")
            for field in ("description", "enabled"):
                record[field] = doc.get(field)
            record["parent"] = parent["username"] if parent else ""
            record["parentguid"] = parent["guid"] if parent else ""
            for field in ("pin_reference", "dnd", "private", "block_privacy", "callerid", "cfna_duration"):
                record[field] = doc.get(field)
            record["reg_status"] = "registered" if self.backend.registrations_of(doc) else "unregistered"
            for field in ("trunking", "concurrent_call_limit", "pickup_group"):
                record[field] = doc.get(field)
            for field, value in (doc.get("extra") or {}).items():
                record.setdefault(field, value)
        links = {"self": {"href": self._account_href(doc["guid"])}}
        if parent:
            links["parent"] = {"href": self._account_href(parent["guid"])}
        record["_links"] = links
        return record

    def _sub_record(self, collection, record, fields):
        out = {"guid": record["guid"]}
        out.update({field: record.get(field) for field in fields if field != "guid"})
        owner = self._account_href(record["account"])
        out["_links"] = {"self": {"href": "%s/%s/%s" % (owner, collection, record["guid"])}, "parent": {"href": owner}}
        return out

    def number_record(self, record):
        out = {"guid": record["guid"], "number": record["number"], "assigned": self.backend.number_owner(record)["username"]}
        for field in ("is-pilot", "cfa", "alert-info", "account-code"):
            out[field] = record.get(field)
        owner = self._account_href(record["account"])
        out["_links"] = {"self": {"href": "%s/number/%s" % (owner, record["guid"])}, "parent": {"href": owner}}
        return out

    def entry_record(self, kind, record):
        fields = {"route": docs.ROUTE_FIELDS, "callrule": docs.CALLRULE_FIELDS, "fork": docs.FORK_FIELDS}[kind]
        return self._sub_record(kind, record, fields)

    def prompt_record(self, record):
        return self._sub_record("prompt", record, docs.PROMPT_FIELDS)

    # -- handlers: index, guid, location, OPTIONS ------------------------------

    def index(self, request):
        names = ["account", "number", "guid", "location", "hydraaccount"]
        return array(200, [{"name": n, "_links": {"self": {"href": "%s/%s" % (BASE, n)}}} for n in names])

    def new_guid(self, request):
        return array(200, [{"guid": self.backend.accounts.next_id()}])

    def location(self, request):
        pattern = self._query(request, "filter", "%")
        return array(200, [dict(loc, _links={"self": {"href": "%s/location/%s" % (BASE, loc["guid"])}})
                           for loc in self.backend.list_locations(pattern)])

    def options_for(self, path):
        """OPTIONS needs no context: ``*`` (or any account/guid) stands for one."""
        parts = [p.lower() for p in path[len(BASE):].split("/") if p]
        template = []
        for index, part in enumerate(parts):
            if index == 1 and parts[0] in ("account", "hydraaccount", "number"):
                template.append("*")
            elif index == 3 and parts[0] == "account":
                continue  # an entry guid documents like its collection
            else:
                template.append(part)
        key = "/".join(template)
        if key in ("hydraaccount/*", "number/*"):
            key = key[:-2]
        info = docs.PATHS.get(key)
        if info is None:
            raise error(404, "invalid path")
        return array(200, [info], [("Allow", ", ".join(info["methods"]))])

    # -- accounts --------------------------------------------------------------

    def accounts(self, request):
        if request.method == "GET":
            pattern = self._query(request, "filter", "%")
            return array(200, [self.account_record(d, lean=True) for d in self.backend.list_accounts(request.scope, pattern)])
        return self._create_account(request, self.body(request), parent=None)

    def _create_account(self, request, body, parent, guid=None, username=None):
        doc, generated = self.backend.create_account(body, request.scope, parent=parent, guid=guid, username=username)
        record = self.account_record(doc)
        if generated:
            record["password"] = generated  # spec 5.1: returned once on creation (also on verbose GET here)
        return array(200, [record])

    def account(self, request, acct):
        name = unquote(acct)
        if request.method == "PUT":
            # PUT creates if required (seed): by name, or by guid with a username.
            body = self.body(request)
            if self.backend.find_account(name) is None:
                from voip_emulator.xc5.rules import is_guid  # pylint: disable=import-outside-toplevel

                if is_guid(name):
                    return self._create_account(request, body, None, guid=name)
                return self._create_account(request, body, None, username=name)
        doc = self._account(request, acct)
        if request.method == "GET":
            if self._query(request, "dump-config", "").lower() in TRUE_WORDS:
                return array(200, [self._dump(doc)])
            return array(200, [self.account_record(doc)])
        if request.method in ("PUT", "PATCH"):
            return array(200, [self.account_record(self.backend.update_account(doc, self.body(request), request.scope))])
        if doc["username"] in (POOL,) or (request.scope is not None and doc["guid"] == request.scope):
            raise error(403, "access denied")
        return array(200, [self.account_record(self.backend.delete_account(doc))])

    def _dump(self, doc):
        dump = self.backend.dump_config(doc)
        out = {"account": self.account_record(doc)}
        out["numbers"] = [self.number_record(n) for n in dump["numbers"]]
        for kind in ENTRY_KINDS:
            out[kind + "s"] = [self.entry_record(kind, e) for e in dump[kind + "s"]]
        out["prompts"] = [self.prompt_record(p) for p in dump["prompts"]]
        inherited = dump["inherited"]
        out["inherited"] = {
            "pickup_group": inherited["pickup_group"],
            "callrules": [dict(self.entry_record("callrule", r), inherited_from=r["inherited_from"]) for r in inherited["callrules"]],
            "menus": [dict(self.entry_record("route", r), inherited_from=r["inherited_from"]) for r in inherited["menus"]],
        }
        return out

    def children(self, request, acct):
        doc = self._account(request, acct)
        if request.method == "GET":
            horizontal = self._query(request, "horizontal", "false").lower() in TRUE_WORDS
            pattern = self._query(request, "filter", "%")
            from voip_emulator.xc5.rules import like  # pylint: disable=import-outside-toplevel

            found = [c for c in self.backend.children(doc, horizontal) if like(pattern, c["username"])]
            return array(200, [self.account_record(c, lean=True) for c in found])
        return self._create_account(request, self.body(request), parent=doc)

    # -- numbers ---------------------------------------------------------------

    def numbers(self, request, acct):
        doc = self._account(request, acct)
        if request.method == "GET":
            return array(200, [self.number_record(n) for n in self.backend.numbers_of(doc)])
        return array(200, [self.number_record(self.backend.add_number(doc, self.body(request)))])

    def number(self, request, acct, guid):
        doc = self._account(request, acct)
        method = request.method
        if method == "GET":
            return array(200, [self.number_record(self.backend.number(doc, guid))])
        if method == "PUT":
            return array(200, [self.number_record(self.backend.put_number(doc, guid, self.body(request)))])
        if method == "PATCH":
            return array(200, [self.number_record(self.backend.patch_number(doc, guid, self.body(request)))])
        return array(200, [self.number_record(self.backend.release_number(doc, guid))])

    def numberallocate(self, request, acct):
        self._account(request, acct)
        pattern = self._query(request, "filter", "%")
        return array(200, [self.number_record(n) for n in self.backend.allocatable(pattern)])

    def number_by_guid(self, request, guid):
        return array(200, [self.number_record(self.backend.number_by_guid(guid, request.scope))])

    def registrations(self, request, acct):
        doc = self._account(request, acct)
        out = []
        for reg in self.backend.registrations_of(doc):
            out.append(self._sub_record("reg", reg, docs.REG_FIELDS))
        return array(200, out)

    # -- routes, call rules, forks -------------------------------------------------

    def entries(self, request, acct, kind):
        kind = kind.lower()
        doc = self._account(request, acct)
        if request.method == "GET":
            return array(200, [self.entry_record(kind, e) for e in self.backend.entries_of(kind, doc)])
        return array(200, [self.entry_record(kind, self.backend.create_entry(kind, doc, self.body(request)))])

    def entry(self, request, acct, kind, guid):
        kind = kind.lower()
        doc = self._account(request, acct)
        method = request.method
        if method == "GET":
            record = self.backend.entry(kind, doc, guid)
        elif method == "PUT":
            record = self.backend.put_entry(kind, doc, guid, self.body(request))
        elif method == "PATCH":
            record = self.backend.patch_entry(kind, doc, guid, self.body(request))
        else:
            record = self.backend.delete_entry(kind, doc, guid)
        return array(200, [self.entry_record(kind, record)])

    # -- prompts -------------------------------------------------------------------

    def prompts(self, request, acct):
        doc = self._account(request, acct)
        if request.method == "GET":
            return array(200, [self.prompt_record(p) for p in self.backend.prompts_of(doc)])
        return array(200, [self.prompt_record(self.backend.create_prompt(doc, self.body(request)))])

    def prompt(self, request, acct, guid):
        doc = self._account(request, acct)
        method = request.method
        if method == "GET":
            record = self.backend.prompt(doc, guid)
        elif method == "PUT" and (request.header("content-type") or "").lower().startswith("multipart/"):
            audio, description = self._multipart(request)
            record = self.backend.upload_prompt(doc, guid, audio, description)
        elif method in ("PUT", "PATCH"):
            record = self.backend.update_prompt(doc, guid, self.body(request), create=method == "PUT")
        else:
            record = self.backend.delete_prompt(doc, guid)
        return array(200, [self.prompt_record(record)])

    @staticmethod
    def _multipart(request):
        """(audio bytes, description or None) of a multipart/form-data upload: the
        first part with a filename (or named ``file``) is the audio; a ``description``
        part is taken too (assumed)."""
        head = ("Content-Type: %s\r\nMIME-Version: 1.0\r\n\r\n" % request.header("content-type")).encode("latin-1")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
        if not message.is_multipart():
            raise error(400, "file: expected multipart/form-data with the WAV file")
        audio, description = None, None
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if audio is None and (part.get_filename() or name == "file"):
                audio = payload
            elif name == "description":
                description = payload.decode("utf-8", "replace")
        if audio is None:
            raise error(400, "file: the upload has no file part")
        return audio, description

    # -- HydraAccount ----------------------------------------------------------------

    def hydra_record(self, line):
        record = self.backend.hydra_view(line)
        record["_links"] = {"self": {"href": "%s/HydraAccount/%s" % (BASE, line["number"])}}
        return record

    def hydra_list(self, request):
        lines = [line for _n, line in self.backend.hydra.rows()]
        if request.scope is not None:
            lines = []
        return array(200, [self.hydra_record(line) for line in lines])

    def hydra(self, request, number):
        if request.method == "GET":
            line = self.backend.hydra_line(number)
            if request.scope is not None:
                raise error(403, "access denied")
            return array(200, [self.hydra_record(line)])
        if request.method == "PUT":
            return array(200, [self.hydra_record(self.backend.put_hydra(number, self.body(request), request.scope))])
        return array(200, [self.hydra_record(self.backend.delete_hydra(number, request.scope))])
