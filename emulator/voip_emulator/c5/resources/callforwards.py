"""callforwards and the advanced call-forward model behind it (spec §4.8, §4.9):
cfdestinationsets, cftimesets, cfsourcesets, cfbnumbersets, cfmappings."""

import re

from voip_emulator.c5.errors import ApiError, invalid_value, scalar_text, validation_failed
from voip_emulator.c5.filters import EXACT, WILDCARD, Filter
from voip_emulator.c5.resources.base import Resource, int_or_none, text_or_none, to_bool
from voip_emulator.c5.resources.references import announcement
from voip_emulator.c5.resources.subscribers import number_text

CF_TYPES = ("cfu", "cfb", "cft", "cfna", "cfs", "cfr", "cfo")
TIME_KEYS = ("year", "month", "mday", "wday", "hour", "minute")
TIME_RANGES = {"year": (1990, 3000), "month": (1, 12), "mday": (1, 31), "wday": (1, 7), "hour": (0, 23), "minute": (0, 59)}
DEFAULT_TIMEOUT = 300
_TIME_VALUE_RE = re.compile(r"^(\d+)(?:-(\d+))?$")

# short name -> stored URI template ({n} = the subscriber's number or uuid)
SPECIAL_DESTINATIONS = {
    "fax2mail": "sip:fax={n}@fax2mail.local",
    "conference": "sip:conf={n}@conference.local",
    "callingcard": "sip:callingcard@app.local",
    "callthrough": "sip:callthrough@app.local",
    "autoattendant": "sip:auto-attendant@app.local",
    "officehours": "sip:office-hours@app.local",
    "customhours": "sip:custom-hours@app.local",
    "managersecretary": "sip:{n}@managersecretary.local",
}
_APP_SHORT = {"callingcard": "callingcard", "callthrough": "callthrough", "auto-attendant": "autoattendant",
              "office-hours": "officehours", "custom-hours": "customhours"}
_SPECIAL_DOMAINS = {"voicebox.local": "voicebox", "fax2mail.local": "fax2mail", "conference.local": "conference",
                    "managersecretary.local": "managersecretary"}


def subscriber_number(app, sub):
    number = app.state.tables["numbers"].get(sub.get("primary_number_id"))
    return number_text(number) if number else sub["uuid"]


def stored_destination(app, sub, destination, cf_type):
    """Normalise a written destination to the stored URI (spec §4.8 table)."""
    text = str(destination)
    if text == "voicebox":
        return "sip:%s%s@voicebox.local" % ("vmb" if cf_type == "cfb" else "vmu", subscriber_number(app, sub))
    if text in SPECIAL_DESTINATIONS:
        return SPECIAL_DESTINATIONS[text].format(n=subscriber_number(app, sub))
    bare = re.sub(r"^sips?:", "", text)
    user, _sep, domain = bare.partition("@")
    if not domain:
        own = app.state.get("domains", sub["domain_id"])
        domain = own["domain"] if own else ""
    return "sip:%s@%s" % (user, domain)


def short_destination(stored):
    """The callforwards view of a stored URI: (destination, simple_destination or None)."""
    bare = re.sub(r"^sips?:", "", stored)
    user, _sep, domain = bare.partition("@")
    if domain in _SPECIAL_DOMAINS:
        return _SPECIAL_DOMAINS[domain], None
    if domain == "app.local" and user in _APP_SHORT:
        return _APP_SHORT[user], None
    return stored, user


def simple_destination(app, sub, stored):
    short, user = short_destination(stored)
    if user is None:
        return short, None
    own = app.state.get("domains", sub["domain_id"])
    domain = stored.split("@", 1)[1] if "@" in stored else ""
    return stored, (user if own and domain == own["domain"] else "%s@%s" % (user, domain))


def validate_announcement(index, entry, cf_type):
    """``announcement_id``: a PosInteger form field, then allowed only with the
    ``customhours`` destination and only naming a sound handle of the group
    ``custom_announcements``.  The messages differ between /api/callforwards/
    (``cf_type`` given: Role/API/CallForwards.pm, the destination between the
    guillemets U+00AB/U+00BB of ``$c->qs``) and
    /api/cfdestinationsets/ (Utils/CallForwards.pm check_destinations, which also
    accepts the stored ``sip:custom-hours@app.local``)."""
    value = entry.get("announcement_id")
    if value is None:
        return None
    number = int_or_none(value)
    if number is None or number < 0:
        raise validation_failed([("%d_announcement_id" % index, scalar_text(value), "Value must be an integer,Value must be a positive integer")])
    destination = scalar_text(entry["destination"])
    if cf_type:
        if destination != "customhours":
            raise ApiError(422, "Invalid parameter 'announcement_id' for the destination '\u00ab%s\u00bb' in '%s'" % (destination, cf_type))
        if announcement(number) is None:
            raise ApiError(422, "Unknown announcement_id in '%s'" % cf_type)
        return number
    if destination not in ("customhours", "sip:custom-hours@app.local"):
        raise ApiError(422, "Invalid parameter 'announcement_id' for the destination '%s'" % destination)
    if announcement(number) is None:
        raise ApiError(422, "Unknown announcement_id:%s" % number)
    return number


def validate_destinations(app, sub, destinations, cf_type):
    out = []
    if not isinstance(destinations, list):
        raise ApiError(422, "Invalid field 'destinations'. Must be an array.")
    for index, entry in enumerate(destinations):
        if not isinstance(entry, dict) or entry.get("destination") in (None, ""):
            raise validation_failed([("%d_destination" % index, "", "Destination field is required")])
        timeout = entry.get("timeout", DEFAULT_TIMEOUT)
        if timeout in (None, ""):
            timeout = DEFAULT_TIMEOUT
        number = int_or_none(timeout)
        if number is None or number < 0:
            raise validation_failed([("%d_timeout" % index, scalar_text(timeout), "Value must be an integer,Value must be a positive integer")])
        priority = entry.get("priority")
        if priority not in (None, "") and int_or_none(priority) is None:
            raise validation_failed([("%d_priority" % index, scalar_text(priority), "Value must be an integer")])
        announcement_id = validate_announcement(index, entry, cf_type)
        out.append({
            "destination": stored_destination(app, sub, entry["destination"], cf_type), "timeout": number,
            "priority": int_or_none(priority), "announcement_id": announcement_id,
        })
    return out


def plain_times(times):
    """callforwards stores time values as text without range checks (verified live)."""
    out = []
    for entry in times or []:
        if not isinstance(entry, dict):
            raise ApiError(422, "Invalid field 'times'. Must be an array of hashes.")
        out.append({key: text_or_none(entry.get(key)) for key in TIME_KEYS})
    return out


def strict_times(times):
    """cftimesets validates each value against its range (spec §4.8)."""
    out = plain_times(times)
    for entry in out:
        for key, value in entry.items():
            if value is None:
                continue
            match = _TIME_VALUE_RE.match(value)
            low, high = TIME_RANGES[key]
            if not match or any(not low <= int(part) <= high for part in match.groups() if part is not None):
                raise validation_failed([(key, value, "Invalid value, must be a number or range between %d and %d" % (low, high))])
    return out


def render_destinations(app, sub, destinations, short):
    out = []
    # Stored order = the order given: ngcp-panel reads voip_cf_destinations->all
    # without an ORDER BY (insertion order), so priorities [1, 2, 1] stay [1, 2, 1].
    for dest in destinations:
        if short:
            shown, simple = short_destination(dest["destination"])
            if simple is not None:
                shown, simple = simple_destination(app, sub, dest["destination"])
        else:
            shown = dest["destination"]
            simple = simple_destination(app, sub, dest["destination"])[1]
        item = {"announcement_id": dest.get("announcement_id"), "destination": shown, "priority": dest.get("priority"), "timeout": dest["timeout"]}
        if simple is not None:
            item["simple_destination"] = simple
        out.append(item)
    return out


class CfStore:
    """Mappings and sets of one app, with the per-subscriber mapping index."""

    def __init__(self, app):
        self.app = app
        self.state = app.state

    def mappings(self, sub_id, cf_type=None):
        maps = self.state.tables["cf_mappings"]
        index = self.state.cfmaps_by_sub
        rows = [maps[i] for i in index.get(sub_id, []) if i in maps]
        return [r for r in rows if cf_type is None or r["type"] == cf_type]

    def put_mapping(self, row):
        ids = self.state.cfmaps_by_sub.setdefault(row["subscriber_id"], [])
        if row["id"] not in ids:
            ids.append(row["id"])
        self.state.put("cf_mappings", row)

    def remove_mapping(self, row):
        ids = self.state.cfmaps_by_sub.get(row["subscriber_id"], [])
        if row["id"] in ids:
            ids.remove(row["id"])
        self.state.remove("cf_mappings", row["id"])

    def usage_count(self, set_table, set_row):
        column = SET_COLUMNS[set_table]
        return sum(1 for m in self.mappings(set_row["subscriber_id"]) if m.get(column) == set_row["id"])

    def new_set(self, table, sub, name, **values):
        row = dict(values, id=self.state.next_id(table), subscriber_id=sub["id"], name=name)
        self.state.put(table, row)
        return row

    def drop_set_if_unused(self, table, set_id, quickset_name):
        row = self.state.get(table, set_id) if set_id else None
        if row is not None and row["name"] == quickset_name and self.usage_count(table, row) == 0:
            self.state.remove(table, set_id)

    def clear_type(self, sub, cf_type):
        for mapping in self.mappings(sub["id"], cf_type):
            self.remove_mapping(mapping)
            for table, column in SET_COLUMNS.items():
                self.drop_set_if_unused(table, mapping.get(column), "quickset_" + cf_type)

    def clear_all(self, sub):
        for cf_type in CF_TYPES:
            self.clear_type(sub, cf_type)
        self.set_ringtimeout(sub, None)

    def set_ringtimeout(self, sub, value):
        current = self.state.get("subscribers", sub["id"])
        if current.get("ringtimeout") != value:
            self.state.put("subscribers", dict(current, ringtimeout=value))


SET_COLUMNS = {
    "cf_destination_sets": "destination_set_id", "cf_time_sets": "time_set_id",
    "cf_source_sets": "source_set_id", "cf_bnumber_sets": "bnumber_set_id",
}


class CallForwards(Resource):
    """The simplified per-subscriber view; item id = billing subscriber id."""

    name = "callforwards"
    entity = "callforward"
    table = "subscribers"
    collection_methods = ("GET",)
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    patch_ops = ("replace", "copy")
    generic_handler = True

    def __init__(self, app):
        super().__init__(app)
        self.cf = CfStore(app)

    def visible(self, ctx, row):
        return self.app.resources["subscribers"].visible(ctx, row)

    def relations(self, row):
        return [("callforwards", "/api/callforwards/%s" % row["id"]), ("subscribers", "/api/subscribers/%s" % row["id"]),
                ("journal", "/api/callforwards/%s/journal/" % row["id"])]

    @staticmethod
    def _set_object(row, prov_id, with_mode):
        if row is None:
            return None
        obj = {"id": row["id"], "name": row["name"], "own": 1, "subscriber_id": prov_id}
        if with_mode:
            obj["is_regex"] = 1 if row.get("is_regex") else 0
            obj["mode"] = row.get("mode", "whitelist")
        return obj

    def render(self, ctx, row):
        body = {}
        state = self.state
        for cf_type in CF_TYPES:
            mappings = self.cf.mappings(row["id"], cf_type)
            if not mappings:
                body[cf_type] = {}
                continue
            mapping = mappings[0]
            dset = state.get("cf_destination_sets", mapping.get("destination_set_id"))
            tset = state.get("cf_time_sets", mapping.get("time_set_id"))
            sset = state.get("cf_source_sets", mapping.get("source_set_id"))
            bset = state.get("cf_bnumber_sets", mapping.get("bnumber_set_id"))
            entry = {
                "destination_set": self._set_object(dset, row["prov_id"], False),
                "destinations": render_destinations(self.app, row, dset["destinations"] if dset else [], short=True),
                "time_set": self._set_object(tset, row["prov_id"], False),
                "times": [dict(t) for t in tset["times"]] if tset else [],
                "source_set": self._set_object(sset, row["prov_id"], True),
                "sources": [dict(s) for s in sset["sources"]] if sset else [],
                "sources_mode": sset.get("mode", "whitelist") if sset else "whitelist",
                "sources_is_regex": bool(sset.get("is_regex")) if sset else False,
                "bnumber_set": self._set_object(bset, row["prov_id"], True),
                "bnumbers": [dict(b) for b in bset["bnumbers"]] if bset else [],
                "bnumbers_mode": bset.get("mode", "whitelist") if bset else "whitelist",
                "bnumbers_is_regex": bool(bset.get("is_regex")) if bset else False,
            }
            if cf_type == "cft":
                entry["ringtimeout"] = row.get("ringtimeout")
            body[cf_type] = entry
        return body

    def update(self, ctx, row, body, patch):
        """Full replacement: a missing/empty type removes that forward (verified live)."""
        plan = {}
        for cf_type in CF_TYPES:
            spec = body.get(cf_type)
            if not isinstance(spec, dict) or not spec.get("destinations"):
                plan[cf_type] = None
                continue
            if len(self.cf.mappings(row["id"], cf_type)) > 1:
                raise ApiError(422, "Not a simple cf. Multiple %s-s configured." % cf_type)
            sources = spec.get("sources") or []
            bnumbers = spec.get("bnumbers") or []
            plan[cf_type] = {
                "destinations": validate_destinations(self.app, row, spec["destinations"], cf_type),
                "times": plain_times(spec.get("times")),
                "sources": [{"source": text_or_none(s.get("source") if isinstance(s, dict) else s)} for s in sources],
                "sources_mode": spec.get("sources_mode") or "whitelist",
                "sources_is_regex": to_bool(spec.get("sources_is_regex", False)),
                "bnumbers": [{"bnumber": text_or_none(b.get("bnumber") if isinstance(b, dict) else b)} for b in bnumbers],
                "bnumbers_mode": spec.get("bnumbers_mode") or "whitelist",
                "bnumbers_is_regex": to_bool(spec.get("bnumbers_is_regex", False)),
                "ringtimeout": int_or_none(spec.get("ringtimeout")),
            }
        for cf_type in CF_TYPES:
            if plan[cf_type] is None:
                self.cf.clear_type(row, cf_type)
            else:
                self._apply_type(row, cf_type, plan[cf_type])
        cft = plan["cft"]
        self.cf.set_ringtimeout(row, cft["ringtimeout"] if cft and cft["ringtimeout"] and cft["ringtimeout"] > 0 else None)
        return self.state.get("subscribers", row["id"])

    def _apply_type(self, sub, cf_type, spec):
        quickset = "quickset_" + cf_type
        existing = self.cf.mappings(sub["id"], cf_type)
        if existing:
            mapping = dict(existing[0])
            dset = self.state.get("cf_destination_sets", mapping["destination_set_id"])
            self.state.put("cf_destination_sets", dict(dset, destinations=spec["destinations"]))
        else:
            dset = self.cf.new_set("cf_destination_sets", sub, quickset, destinations=spec["destinations"])
            mapping = {"id": self.state.next_id("cf_mappings"), "subscriber_id": sub["id"], "type": cf_type,
                       "destination_set_id": dset["id"], "time_set_id": None, "source_set_id": None, "bnumber_set_id": None,
                       "enabled": True, "use_redirection": False}
        for table, column, content in (
            ("cf_time_sets", "time_set_id", {"times": spec["times"]} if spec["times"] else None),
            ("cf_source_sets", "source_set_id",
             {"sources": spec["sources"], "mode": spec["sources_mode"], "is_regex": spec["sources_is_regex"]} if spec["sources"] else None),
            ("cf_bnumber_sets", "bnumber_set_id",
             {"bnumbers": spec["bnumbers"], "mode": spec["bnumbers_mode"], "is_regex": spec["bnumbers_is_regex"]} if spec["bnumbers"] else None),
        ):
            current = self.state.get(table, mapping.get(column)) if mapping.get(column) else None
            if content is None:
                mapping[column] = None
                if current is not None and current["name"] == quickset:
                    self.state.remove(table, current["id"])
            elif current is not None and current["name"] == quickset:
                self.state.put(table, dict(current, **content))
            else:
                mapping[column] = self.cf.new_set(table, sub, quickset, **content)["id"]
        self.cf.put_mapping(mapping)

    def delete(self, ctx, row):
        # verified live: DELETE clears every forward
        self.cf.clear_all(row)

    def clear_all(self, row):
        self.cf.clear_all(row)


class CfSetResource(Resource):
    """Common code of the four named set resources (billing subscriber id inside)."""

    collection_methods = ("GET", "POST")
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    patch_ops = ("replace", "add", "remove", "copy")
    generic_handler = True
    duplicate_message = "a set with this name already exists"
    filters = {
        "subscriber_id": Filter(EXACT, lambda r: r.get("subscriber_id")),
        "name": Filter(WILDCARD, lambda r: r.get("name")),
    }
    order_columns = ("id", "name", "subscriber_id")

    def __init__(self, app):
        super().__init__(app)
        self.cf = CfStore(app)

    def visible(self, ctx, row):
        sub = self.state.get("subscribers", row["subscriber_id"])
        return sub is not None and self.app.resources["subscribers"].visible(ctx, sub)

    def subscriber(self, row):
        return self.state.get("subscribers", row["subscriber_id"])

    def content(self, sub, body):
        raise NotImplementedError

    def _write(self, ctx, body, current):
        errors = []
        if body.get("subscriber_id") in (None, ""):
            errors.append(("subscriber_id", "", "Subscriber field is required"))
        if body.get("name") in (None, ""):
            errors.append(("name", "", "Name field is required"))
        if errors:
            raise validation_failed(errors)
        sub = self.app.resources["subscribers"].lookup(ctx, int_or_none(body["subscriber_id"]) or 0)
        if sub is None:
            raise ApiError(422, "Invalid 'subscriber_id'.")
        name = str(body["name"])
        for other in self.all_rows():
            if other["subscriber_id"] == sub["id"] and other["name"] == name and (current is None or other["id"] != current["id"]):
                raise ApiError(422, self.duplicate_message)
        return dict(self.content(sub, body), subscriber_id=sub["id"], name=name)

    def create(self, ctx, body):
        values = self._write(ctx, body, None)
        row = dict(values, id=self.state.next_id(self.table))
        self.state.put(self.table, row)
        return row

    def update(self, ctx, row, body, patch):
        new = dict(row, **self._write(ctx, body, row))
        self.state.put(self.table, new)
        return new

    def delete(self, ctx, row):
        column = SET_COLUMNS[self.table]
        for mapping in self.cf.mappings(row["subscriber_id"]):
            if mapping.get(column) == row["id"]:
                if column == "destination_set_id":
                    self.cf.remove_mapping(mapping)
                else:
                    self.cf.put_mapping(dict(mapping, **{column: None}))
        self.state.remove(self.table, row["id"])


class CfDestinationSets(CfSetResource):
    name = "cfdestinationsets"
    entity = "cfdestinationset"
    table = "cf_destination_sets"
    patch_ops = ("replace", "copy")
    duplicate_message = "a destination set with this name already exists"

    def content(self, sub, body):
        return {"destinations": validate_destinations(self.app, sub, body.get("destinations") or [], None)}

    def render(self, ctx, row):
        sub = self.subscriber(row)
        return {"destinations": render_destinations(self.app, sub, row["destinations"], short=False), "id": row["id"],
                "name": row["name"], "subscriber_id": row["subscriber_id"], "usage_count": self.cf.usage_count(self.table, row)}

    def relations(self, row):
        return [("cfdestinationsets", "/api/cfdestinationsets/%s" % row["id"]), ("subscribers", "/api/subscribers/%s" % row["subscriber_id"]),
                ("journal", "/api/cfdestinationsets/%s/journal/" % row["id"])]


class CfTimeSets(CfSetResource):
    name = "cftimesets"
    entity = "cftimeset"
    table = "cf_time_sets"
    duplicate_message = "a time set with this name already exists"

    def content(self, sub, body):
        return {"times": strict_times(body.get("times"))}

    def render(self, ctx, row):
        return {"id": row["id"], "name": row["name"], "subscriber_id": row["subscriber_id"], "times": [dict(t) for t in row["times"]],
                "usage_count": self.cf.usage_count(self.table, row)}

    def relations(self, row):
        return [("cftimesets", "/api/cftimesets/%s" % row["id"]), ("subscribers", "/api/subscribers/%s" % row["subscriber_id"]),
                ("journal", "/api/cftimesets/%s/journal/" % row["id"])]


class CfSourceSets(CfSetResource):
    name = "cfsourcesets"
    entity = "cfsourceset"
    table = "cf_source_sets"
    entry_key = "source"
    list_key = "sources"
    duplicate_message = "a source set with this name already exists"

    def content(self, sub, body):
        mode = body.get("mode") or "whitelist"
        if mode not in ("whitelist", "blacklist"):
            raise invalid_value("mode", mode)
        entries = body.get(self.list_key) or []
        if not isinstance(entries, list):
            raise ApiError(422, "Invalid field '%s'. Must be an array." % self.list_key)
        return {self.list_key: [{self.entry_key: text_or_none(e.get(self.entry_key) if isinstance(e, dict) else e)} for e in entries],
                "mode": mode, "is_regex": to_bool(body.get("is_regex", False))}

    def render(self, ctx, row):
        return {"id": row["id"], "is_regex": bool(row.get("is_regex")), "mode": row.get("mode", "whitelist"), "name": row["name"],
                self.list_key: [dict(e) for e in row[self.list_key]], "subscriber_id": row["subscriber_id"],
                "usage_count": self.cf.usage_count(self.table, row)}

    def relations(self, row):
        return [("subscribers", "/api/subscribers/%s" % row["subscriber_id"])]


class CfBNumberSets(CfSourceSets):
    name = "cfbnumbersets"
    entity = "cfbnumberset"
    table = "cf_bnumber_sets"
    entry_key = "bnumber"
    list_key = "bnumbers"
    duplicate_message = "a bnumber set with this name already exists"


class CfMappings(Resource):
    """id = billing subscriber id; collection GET, item GET/PUT/PATCH, no DELETE."""

    name = "cfmappings"
    entity = "cfmapping"
    table = "subscribers"
    collection_methods = ("GET",)
    item_methods = ("GET", "PATCH", "PUT")
    patch_ops = ("replace", "add", "remove", "copy")

    def __init__(self, app):
        super().__init__(app)
        self.cf = CfStore(app)

    def visible(self, ctx, row):
        return self.app.resources["subscribers"].visible(ctx, row)

    def relations(self, row):
        return [("subscribers", "/api/subscribers/%s" % row["id"]), ("journal", "/api/cfmappings/%s/journal/" % row["id"])]

    def render(self, ctx, row):
        body = {"id": row["id"], "cft_ringtimeout": row.get("ringtimeout")}
        for cf_type in CF_TYPES:
            entries = []
            for mapping in self.cf.mappings(row["id"], cf_type):
                entry = {"cfm_id": mapping["id"], "enabled": bool(mapping.get("enabled", True)), "use_redirection": bool(mapping.get("use_redirection"))}
                for table, column, key in (("cf_destination_sets", "destination_set_id", "destinationset"), ("cf_time_sets", "time_set_id", "timeset"),
                                           ("cf_source_sets", "source_set_id", "sourceset"), ("cf_bnumber_sets", "bnumber_set_id", "bnumberset")):
                    target = self.state.get(table, mapping.get(column)) if mapping.get(column) else None
                    entry[key] = target["name"] if target else None
                    entry[key + "_id"] = target["id"] if target else None
                entries.append(entry)
            body[cf_type] = entries
        return body

    def _resolve(self, sub, table, entry, key):
        """A set referenced by ``<key>_id`` or by name; it must be the subscriber's own."""
        if entry.get(key + "_id") not in (None, ""):
            target = self.state.get(table, int_or_none(entry[key + "_id"]) or 0)
        elif entry.get(key) not in (None, ""):
            target = next((r for r in self.state.tables[table].values() if r["subscriber_id"] == sub["id"] and r["name"] == entry[key]), None)
        else:
            return None
        if target is None or target["subscriber_id"] != sub["id"]:
            raise ApiError(422, "Invalid '%s'." % key)
        return target["id"]

    def update(self, ctx, row, body, patch):
        plan = {}
        for cf_type in CF_TYPES:
            entries = body.get(cf_type)
            if not isinstance(entries, list):
                raise ApiError(422, "Invalid field '%s'. Must be an array." % cf_type)
            plan[cf_type] = []
            for entry in entries:
                if not isinstance(entry, dict):
                    raise ApiError(422, "Invalid field '%s'. Must be an array of hashes." % cf_type)
                dset = self._resolve(row, "cf_destination_sets", entry, "destinationset")
                if dset is None:
                    raise ApiError(422, "Missing 'destinationset' in '%s'." % cf_type)
                plan[cf_type].append({
                    "destination_set_id": dset, "time_set_id": self._resolve(row, "cf_time_sets", entry, "timeset"),
                    "source_set_id": self._resolve(row, "cf_source_sets", entry, "sourceset"),
                    "bnumber_set_id": self._resolve(row, "cf_bnumber_sets", entry, "bnumberset"),
                    "enabled": to_bool(entry.get("enabled", True)), "use_redirection": to_bool(entry.get("use_redirection", False)),
                })
        for mapping in self.cf.mappings(row["id"]):
            self.cf.remove_mapping(mapping)
        for cf_type in CF_TYPES:
            for values in plan[cf_type]:
                self.cf.put_mapping(dict(values, id=self.state.next_id("cf_mappings"), subscriber_id=row["id"], type=cf_type))
        ringtimeout = int_or_none(body.get("cft_ringtimeout"))
        self.cf.set_ringtimeout(row, ringtimeout if ringtimeout and ringtimeout > 0 and plan["cft"] else None)
        return self.state.get("subscribers", row["id"])
