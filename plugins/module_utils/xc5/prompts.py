# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prompts of an account (``/api-sys/account/{acct}/prompt``, spec 5.7).

A prompt is found by its description (or guid) among the account's prompts. It
is created empty under a client-chosen guid (``PUT …/prompt/{guid}`` with the
description: the answer carries the ``group_access`` code users dial to record
it by phone), then the WAV file, when given, is uploaded as multipart form data.

The API returns neither the audio nor a checksum, only ``prompt_length``
(seconds, from the WAV header). So the audio counts as unchanged when the local
file's length, computed the same way from its header, equals ``prompt_length``
(to the millisecond); ``force_upload`` sends it regardless.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import find_unique
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.xc5 import values
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.api import new_guid

PROMPT_FIELDS = FieldSet(
    Field("account", api=False),
    Field("description", read=values.text),
    Field("guid", api=False),
    Field("file", type="path", api=False),
    Field("force_upload", type="bool", default=False, api=False),
    Field("state", choices=["present", "absent"], default="present", api=False),
)


class Prompt(ObjectResource):
    name = "prompt"
    key = ("account", "description")
    fields = PROMPT_FIELDS

    def desired(self, item):
        if not item.get("account"):
            raise InputError("account is required: the account the prompt belongs to")
        if not item.get("description") and not item.get("guid"):
            raise InputError("description (or guid) is required: it identifies the prompt, e.g. MyMessageGreeting")
        if item.get("guid") and not values.is_guid(item["guid"]):
            raise InputError("guid: '%s' is not a guid like 4319C6B9-EAEF-4583-97B3-1CC13514EED4" % item["guid"])
        desired = ObjectResource.desired(self, item)
        self.audio = None
        if item.get("file") and item.get("state", "present") == "present":
            length, self.audio = values.wav_duration(item["file"])
            desired["prompt_length"] = length
        account = self.api.account_ref(item["account"])
        if account is None:
            raise Unresolved("account: no account '%s' on the server; create it first (xc5_account)" % item["account"])
        self.account_guid = account["guid"]
        return desired

    def prefetch(self, items):
        if len(items) > 1:
            self.api.prime_accounts()

    def find(self, item, desired):
        prompts = self.api.listing(self.account_guid, "prompt")
        if item.get("guid"):
            return next((p for p in prompts if str(p.get("guid")).upper() == item["guid"].upper()), None)
        return find_unique(prompts, lambda p: values.text(p.get("description")) == desired["description"],
                           ambiguous=lambda found: "description: %d prompts of account '%s' are described '%s'; "
                           "name the one to manage by guid (%s)" % (len(found), item["account"], desired["description"],
                                                                    ", ".join(p["guid"] for p in found)))

    def find_fresh(self, item, desired):
        self.api.forget_listing(self.account_guid, "prompt")
        return self.find(item, desired)

    def view(self, raw):
        return {"description": values.text(raw.get("description")), "prompt_length": raw.get("prompt_length"),
                "group_access": raw.get("group_access"), "guid": raw.get("guid")}

    def changes(self, item, current, desired):
        found = [name for name in ("description",) if name in desired and desired[name] != current.get(name)]
        if "prompt_length" in desired:
            length = current.get("prompt_length") or 0
            if item.get("force_upload") or abs(float(length) - desired["prompt_length"]) >= 0.001:
                found.append("prompt_length")
        return found

    def upload(self, guid, item):
        files = {"file": (os.path.basename(item["file"]), self.audio, "audio/wav")}
        return self.api.record("PUT", self.api.path("account", self.account_guid, "prompt", guid), files=files)

    def create(self, item, desired):
        guid = (item.get("guid") or new_guid()).upper()
        record = self.api.record("PUT", self.api.path("account", self.account_guid, "prompt", guid),
                                 json_body={"description": desired.get("description", "")})
        if self.audio is not None:
            record = self.upload(guid, item)
        self.api.forget_listing(self.account_guid, "prompt")
        return record

    def update(self, item, raw, desired, changes):
        record = raw
        if "description" in changes:
            record = self.api.record("PATCH", self.api.path("account", self.account_guid, "prompt", raw["guid"]),
                                     json_body={"description": desired["description"]})
        if "prompt_length" in changes:
            record = self.upload(raw["guid"], item)
        self.api.forget_listing(self.account_guid, "prompt")
        return record

    def delete(self, item, raw):
        self.api.record("DELETE", self.api.path("account", self.account_guid, "prompt", raw["guid"]))
        self.api.forget_listing(self.account_guid, "prompt")
