"""NCOS sets: ``/api/v2/ncos/sets`` of the C5's second REST API.

ngcp-panel (the v1 API, ``/api/<collection>/``) has **no** NCOS set collection
at the recorded snapshot (f677173e): ``/api/ncossets/`` is a 404 "Path not
found" there.  The sets the ``ncos_set``, ``adm_ncos_set`` and ``adm_cf_ncos_set``
subscriber preferences name are created through the v2 API (sipwise
ngcp-rest-api, ``src/api/ncos-sets``, path ``/api/v2/ncos/sets``), which the
same C5 serves next to v1.  This module is the part of it those preferences
need: sets (create, list, read, delete) and their levels (add, list).

What is taken from ngcp-rest-api: the fields (``reseller_id``, ``name`` and
``description`` required, ``expose_to_customer``; a level is ``{"level_id"}``),
the representations (a set carries ``levels: {"type": "array", "link": ...}``,
a level ``{id, set_id, level_id, level}``), POST taking one object or an array
and answering 201 with ``{"data": [...], "total_count": n}`` and a Location
naming the set when one was created, GET lists as ``{"data", "total_count"}``
for ``Accept: application/json`` and as HAL (``_embedded."ngcp:ncos/sets"``)
otherwise, DELETE answering 204 and deleting the preferences that named the
set, a reseller seeing and writing only its own sets.  Not verified live (the
recorded install served no v2 API): the exact texts of validation errors (the
class-validator defaults are used) and of a duplicate name (the table has a
unique (reseller_id, name) key; answered 422 here).
"""

import json
import re

from voip_emulator.c5.errors import ApiError, path_not_found
from voip_emulator.c5.resources.base import Context, int_or_none, reject_readonly
from voip_emulator.core.app import Response

PREFIX = "/api/v2/ncos/sets"
SET_PREFERENCES = ("ncos_set", "adm_ncos_set", "adm_cf_ncos_set")


def _text_match(pattern, value):
    """v2 search: ``*`` is a wildcard, otherwise equality; case-insensitive (collation)."""
    if value is None:
        return False
    regex = "^" + ".*".join(re.escape(part) for part in str(pattern).split("*")) + "$"
    return re.match(regex, str(value), re.IGNORECASE) is not None


class NcosSets:
    """The v2 NCOS sets, stored in the ``ncos_sets`` and ``ncos_set_levels`` tables."""

    table = "ncos_sets"

    def __init__(self, app):
        self.app = app
        self.state = app.state

    # routes ----------------------------------------------------------------------
    def add_routes(self, router):
        router.add("*", r"/api/v2/ncos/sets/?", self._collection)
        router.add("*", r"/api/v2/ncos/sets/(?P<set_id>[^/]+)/?", self._item)
        router.add("*", r"/api/v2/ncos/sets/(?P<set_id>[^/]+)/levels/?", self._levels)

    def _context(self, request):
        return Context(self.app, request, self.app.auth.authenticate(request))

    @staticmethod
    def _body(request):
        try:
            return json.loads(request.body.decode("utf-8") if request.body else "")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, "Unexpected token in JSON") from exc

    def _list_response(self, request, rows, name):
        items = [self.render(row) if name == "ncos/sets" else self.render_level(row) for row in rows]
        accept = [part.strip() for part in (request.header("accept") or "").split(",")]
        if accept == ["application/json"]:
            return Response.json(200, {"data": items, "total_count": len(items)})
        body = {"_links": {"self": {"href": request.path}, "collection": {"href": request.path.rstrip("/")}},
                "total_count": len(items)}
        if items:
            body["_embedded"] = {"ngcp:" + name: items}
        return Response.json(200, body, content_type="application/hal+json")

    # sets ------------------------------------------------------------------------
    def visible(self, ctx, row):
        return ctx.is_admin or row["reseller_id"] == ctx.reseller_id

    def render(self, row):
        return {"id": row["id"], "reseller_id": row["reseller_id"], "name": row["name"], "description": row["description"],
                "expose_to_customer": bool(row["expose_to_customer"]),
                "levels": {"type": "array", "link": "%s/%d/levels" % (PREFIX, row["id"])}}

    def lookup_any(self, set_id):
        return self.state.get(self.table, set_id)

    def find_for_preference(self, reseller_id, name):
        """The set of ``reseller_id`` named ``name`` (the v1 preference lookup:
        ``ncos_sets->find({name, reseller_id})``, case-insensitive by collation)."""
        for row in self.state.tables[self.table].values():
            if row["reseller_id"] == reseller_id and str(row["name"]).lower() == str(name).lower():
                return row
        return None

    def _require(self, ctx, set_id):
        number = int_or_none(set_id)
        row = self.state.get(self.table, number) if number is not None else None
        if row is None or not self.visible(ctx, row):
            raise ApiError(404, "Not Found")
        return row

    def _new_set(self, ctx, body):
        if not isinstance(body, dict):
            raise ApiError(422, "Unprocessable Entity")
        missing = [key for key in ("name", "description") if body.get(key) in (None, "")]
        if missing:
            raise ApiError(422, ", ".join("%s should not be empty" % key for key in missing))
        reseller_id = int_or_none(body.get("reseller_id")) or ctx.reseller_id
        if not ctx.is_admin and reseller_id != ctx.reseller_id:
            # checkPermissions: another reseller's id is a 404 for a reseller
            raise ApiError(404, "Not Found")
        if self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Unprocessable Entity")
        if self.find_for_preference(reseller_id, body["name"]) is not None:
            raise ApiError(422, "Unprocessable Entity")
        return {"reseller_id": reseller_id, "name": str(body["name"]), "description": str(body["description"]),
                "expose_to_customer": bool(body.get("expose_to_customer"))}

    def _collection(self, request):
        ctx = self._context(request)
        if request.method == "GET":
            params = request.query_pairs()
            rows = [r for r in self.state.tables[self.table].values() if self.visible(ctx, r)]
            for key, value in params:
                if key == "name":
                    rows = [r for r in rows if _text_match(value, r["name"])]
                elif key == "reseller_id":
                    rows = [r for r in rows if str(r["reseller_id"]) == value]
            return self._list_response(request, rows, "ncos/sets")
        if request.method != "POST":
            raise path_not_found()
        reject_readonly(ctx)
        body = self._body(request)
        bodies = body if isinstance(body, list) else [body]
        new_rows = [self._new_set(ctx, item) for item in bodies]
        created = []
        for row in new_rows:
            row["id"] = self.state.next_id(self.table)
            self.state.put(self.table, row)
            created.append(row)
        headers = [("Location", PREFIX + ("/%d" % created[0]["id"] if len(created) == 1 else ""))]
        return Response.json(201, {"data": [self.render(r) for r in created], "total_count": len(created)}, headers=headers)

    def _item(self, request, set_id):
        ctx = self._context(request)
        row = self._require(ctx, set_id)
        if request.method == "GET":
            return Response.json(200, self.render(row))
        if request.method != "DELETE":
            raise path_not_found()
        reject_readonly(ctx)
        self.delete(row)
        return Response(204, [], b"")

    def delete(self, row):
        # deleteNCOSSetPreferences: the preferences naming the set go with it
        from voip_emulator.c5.resources.references import drop_preference_references  # pylint: disable=import-outside-toplevel
        drop_preference_references(self.app, SET_PREFERENCES, row["id"])
        for level in [lv for lv in self.state.tables["ncos_set_levels"].values() if lv["set_id"] == row["id"]]:
            self.state.remove("ncos_set_levels", level["id"])
        self.state.remove(self.table, row["id"])

    # levels ------------------------------------------------------------------------
    def render_level(self, row):
        level = self.state.get("ncos_levels", row["level_id"]) or {}
        return {"id": row["id"], "set_id": row["set_id"], "level_id": row["level_id"], "level": level.get("level")}

    def _levels(self, request, set_id):
        ctx = self._context(request)
        ncos_set = self._require(ctx, set_id)
        if request.method == "GET":
            rows = [lv for lv in self.state.tables["ncos_set_levels"].values() if lv["set_id"] == ncos_set["id"]]
            return self._list_response(request, rows, "ncos/sets/levels")
        if request.method != "POST":
            raise path_not_found()
        reject_readonly(ctx)
        body = self._body(request)
        bodies = body if isinstance(body, list) else [body]
        new_rows = []
        for item in bodies:
            level_id = int_or_none(item.get("level_id")) if isinstance(item, dict) else None
            if level_id is None:
                raise ApiError(422, "level_id should not be empty, level_id must be a number conforming to the specified constraints")
            level = self.state.get("ncos_levels", level_id)
            # The level must exist (foreign key) and, as the panel offers only the
            # set's reseller's levels, belong to that reseller (assumed).
            if level is None or level["reseller_id"] != ncos_set["reseller_id"]:
                raise ApiError(422, "Unprocessable Entity")
            new_rows.append({"set_id": ncos_set["id"], "level_id": level_id})
        for row in new_rows:
            row["id"] = self.state.next_id("ncos_set_levels")
            self.state.put("ncos_set_levels", row)
        headers = [("Location", "%s/%d/levels" % (PREFIX, ncos_set["id"]) + ("/%d" % new_rows[0]["id"] if len(new_rows) == 1 else ""))]
        return Response.json(201, {"data": [self.render_level(r) for r in new_rows], "total_count": len(new_rows)}, headers=headers)
