"""domains (spec §4.2): GET/POST/DELETE, no PUT/PATCH."""

import re

from voip_emulator.c5.errors import ApiError, validation_failed
from voip_emulator.c5.filters import EXACT, PATTERN, Filter
from voip_emulator.c5.resources.base import Resource, int_or_none

_DOMAIN_RE = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?)*\.?)$")


class Domains(Resource):
    name = "domains"
    entity = "domain"
    table = "domains"
    item_methods = ("GET", "DELETE")
    filters = {
        "domain": Filter(PATTERN, lambda r: r.get("domain")),
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
    }
    order_columns = ("id", "domain", "reseller_id")

    def visible(self, ctx, row):
        return ctx.is_admin or row.get("reseller_id") == ctx.reseller_id

    def render(self, ctx, row):
        body = {"domain": row["domain"], "id": row["id"]}
        if ctx.is_admin:
            # verified live: resellers do not see reseller_id
            body["reseller_id"] = row["reseller_id"]
        return body

    def relations(self, row):
        return [("domainpreferences", "/api/domainpreferences/%s" % row["id"]), ("journal", "/api/domains/%s/journal/" % row["id"])]

    def find_by_name(self, ctx, name):
        wanted = str(name).lower()
        for row in self.all_rows():
            if row["domain"].lower() == wanted and (ctx is None or self.visible(ctx, row)):
                return row
        return None

    def create(self, ctx, body):
        errors = []
        domain = body.get("domain")
        if domain in (None, ""):
            errors.append(("domain", "", "Domain field is required"))
        elif not _DOMAIN_RE.match(str(domain)):
            errors.append(("domain", domain, "Invalid domain name"))
        if ctx.is_admin:
            reseller_id = int_or_none(body.get("reseller_id"))
            if body.get("reseller_id") in (None, ""):
                errors.append(("reseller_id", "", "Reseller field is required"))
        else:
            reseller_id = ctx.reseller_id
        if errors:
            raise validation_failed(errors)
        if reseller_id is None or self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Invalid 'reseller_id', doesn't exist.")
        if self.find_by_name(None, domain) is not None:
            # verified live: case-insensitive check, message shows the name as sent
            raise ApiError(422, "Domain '%s' already exists." % domain)
        row = {"id": self.state.next_id("domains"), "domain": str(domain), "reseller_id": reseller_id}
        self.state.put("domains", row)
        return row

    def delete(self, ctx, row):
        # verified live: the domain's subscribers go with it
        subscribers = self.app.resources["subscribers"]
        for sub in [s for s in self.state.tables["subscribers"].values() if s["domain_id"] == row["id"] and s["status"] != "terminated"]:
            subscribers.terminate(sub)
        self.state.remove("domains", row["id"])
