"""``GET /api/metaconfigdefs/``: the platform configuration clients read for
features (``numbermanagement.auto_sync_cli``, password rules, enabled features)
and a description of the API's collections.

The values are those of the recorded install, which ran ngcp-panel's development
``etc/ngcp_panel.conf``: ``auto_allow_cli`` 1, no ``auto_sync_cli``, no password
validation settings, no privileges section (all null), and its feature flags;
Config::General hands them out as strings.  A production node writes them from its
config.yml (assumption; not recorded)."""

from voip_emulator.core.app import Response
from voip_emulator.c5 import hal
from voip_emulator.c5.resources.base import Resource

CONFIG_FILE = "/etc/ngcp-panel/ngcp_panel.conf"
FEATURES = {
    "callflow": "1", "multidomain": "1", "faxserver": "1", "conference": "1", "debug": "1", "cloudpbx": "1",
    "callingcard": "1", "voucher": "1", "malicious_call": "1", "csc_show_rtcengine_features": "1",
}


class MetaConfigDefs(Resource):
    name = "metaconfigdefs"
    entity = "metaconfigdef"
    table = "admins"
    roles = ("admin", "reseller")
    collection_methods = ("GET",)
    item_methods = ()

    def lookup(self, ctx, item_id):
        return None

    def collection_response(self, ctx):
        config = {
            "file": CONFIG_FILE,
            "numbermanagement": {"auto_sync_cli": None, "auto_allow_cli": "1"},
            "security": {"password": {"web_validate": None, "sip_validate": None}},
            "privileges": None,
            "features": dict(FEATURES),
        }
        collections = {}
        names = sorted(self.app.resources)
        # The real loop runs to ``$i < $#$collections`` and so leaves out the last
        # collection of its sorted list (MetaConfigDefs.pm at the recorded commit).
        for name in names[:-1]:
            resource = self.app.resources[name]
            module = "NGCP::Panel::Controller::API::%s" % name.capitalize()
            collections[name] = {
                "module": module,
                "allowed_methods": {m: {"AllowedRole": list(resource.roles)} for m in list(resource.collection_methods) + ["OPTIONS", "HEAD"]},
                "query_params": sorted(resource.filters),
                "allowed_roles": list(resource.roles),
                "module_item": module + "Item" if resource.item_methods else "",
                "allowed_methods_item": {m: {"AllowedRole": list(resource.roles)} for m in resource.item_methods},
            }
        body = {
            "_links": {"curies": hal.CURIES, "profile": {"href": hal.PROFILE}, "self": {"href": "/api/metaconfigdefs/"}},
            "config": config,
            "meta": {"collections": collections},
        }
        return Response(200, [("Content-Type", hal.hal_content_type(ctx.request))], hal.encode(body))
