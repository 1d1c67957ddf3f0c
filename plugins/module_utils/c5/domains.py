# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""C5 SIP domains (``/api/domains/``): created and deleted, never changed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.c5.references import C5References
from ansible_collections.voip.provisioning.plugins.module_utils.c5.values import check_domain, differs_unless_hidden
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet

STATE = Field("state", choices=["present", "absent"], default="present", api=False)


def reseller_field(**extra):
    """``reseller`` (by id or name) -> ``reseller_id``; reseller logins do not see it."""
    return Field("reseller_id", option="reseller", omit_none=True, compare=differs_unless_hidden,
                 resolve=lambda resource, value, item: resource.refs.reseller_id(value), **extra)


class Domain(ObjectResource):
    name = "domain"
    key = ("domain",)
    fields = FieldSet(
        Field("domain", key=True, compare="casefold", normalise=check_domain),
        reseller_field(),
        STATE,
    )

    @property
    def refs(self):
        return C5References(self.api, self.run)

    def validate(self, item):
        """Request-free: a domain is given, and it can be a SIP host."""
        if not item.get("domain"):
            raise InputError("domain is required (or give items)")
        self.fields.desired(item)

    def desired(self, item):
        self.validate(item)
        return ObjectResource.desired(self, item)

    def find(self, item, desired):
        return self.refs.domain(desired["domain"])

    def find_fresh(self, item, desired):
        self.refs.forget_domain(desired["domain"])
        return self.find(item, desired)

    def create(self, item, desired):
        new_id = self.api.create("domains", self.fields.to_api(desired))
        self.refs.forget_domain(desired["domain"])
        return self.api.get("domains", new_id) or dict(desired, id=new_id)

    def update(self, item, raw, desired, changes):
        raise VoipError("domain '%s' exists under reseller %s; a C5 domain cannot be moved to reseller %s "
                        "(delete it and create it again, which deletes its subscribers)"
                        % (raw.get("domain"), raw.get("reseller_id"), desired.get("reseller_id")))

    def delete(self, item, raw):
        self.api.delete("domains", raw["id"])
