# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``xc5_info``: read any ``/api-sys/`` path (with its ``filter`` and other
query parameters) or its ``OPTIONS`` documentation. Secrets (account passwords,
mailbox PINs) are masked unless asked for."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import MASK
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.api import BASE, segment
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.connection import run_with_api

SECRET_KEYS = ("password", "ums_pin")


def api_path(path):
    text = (path or "").strip()
    if text.lower().startswith(BASE):
        text = text[len(BASE):]
    parts = [p for p in text.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise InputError("path: '%s' may not contain . or .. segments" % path)
    return "/".join([BASE] + [segment(p) for p in parts]) + ("/" if not parts else "")


def masked(record):
    if not isinstance(record, dict):
        return record
    return dict((k, MASK if k in SECRET_KEYS and v not in (None, "") else v) for k, v in record.items())


def run_info(options, run):
    path = api_path(options.get("path"))
    params = dict(options.get("query") or {})
    if options.get("filter") is not None:
        params["filter"] = options["filter"]

    def work(api):
        result = {"changed": False, "path": path}
        if options.get("documentation"):
            docs = api.records("OPTIONS", path)
            result["documentation"] = docs[0] if docs else {}
            return result
        try:
            records = api.records("GET", path, params=params or None)
        except ApiError as exc:
            if exc.status == 404:
                raise InputError("path: %s answered 404 (%s); check the path (e.g. account/<name>/route) and the names "
                                 "in it" % (path, exc.server_message))
            raise
        if not options.get("show_secrets"):
            records = [masked(r) for r in records]
        result["records"] = records
        return result

    return run_with_api(options, run, work)
