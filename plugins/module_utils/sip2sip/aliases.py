# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SIP aliases of an account (module sip2sip_alias): add-only, with a capped read.

``get_aliases`` shows at most 20 aliases (sorted by name): the 21st exists but is
not shown, so a full page is no proof that an alias is absent (spec 5.2, trap 8).
``add_alias`` is the only write (no delete in the JSON API); it refuses an alias
that exists, on this account or another, with a backend fault whose code is not
public.  Hence:

* an alias on the page: present, nothing sent;
* not on a page of fewer than 20: absent; added; a refusal fails the task (the
  alias belongs to someone else, or the name is refused);
* not on a full page: unknown; the add is tried; a refusal means it exists beyond
  the page or elsewhere -- reported in ``unverified`` with a warning, not as a change.

With ``exclusive`` the alias set is made exactly the list, with the web form
action ``set aliases`` (spec 5.20: it adds the missing aliases and deletes the
others, answers an HTML page) and verified with the getter.  On a page of fewer
than 20 equal to the list nothing is sent; on a full page aliases beyond it may
exist, so the form is sent and the run reported as a change (with a warning).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import Resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.settings import ACCOUNT_FIELDS

#: Aliases ``get_aliases`` shows at most (a server-side page).
ALIAS_PAGE = 20
#: A SIP user part as NGNPro keeps aliases: the platform lower-cases and trims the
#: name (spec 5.3); other characters are assumed refused by the backend.
ALIAS_RE = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")


def alias_names(value, domain, field="aliases"):
    """The wanted aliases as ``name@domain`` (lower case), in order, without repeats."""
    result = []
    for raw in value or []:
        name = str(raw).strip().lower()
        user, at, alias_domain = name.partition("@")
        if at and alias_domain != domain:
            raise InputError("%s: %s: aliases are created in the account's own domain (%s); write %s or %s@%s"
                             % (field, raw, domain, user, user, domain))
        if not ALIAS_RE.match(user):
            raise InputError("%s: %r is not a valid alias name (letters, digits and . _ + -, starting with a letter or "
                             "digit)" % (field, raw))
        address = "%s@%s" % (user, domain)
        if address not in result:
            result.append(address)
    return result


class AccountAliases(Resource):
    name = "aliases"
    kind = "add_only"
    fields = FieldSet(Field("aliases", type="list", elements="str"), Field("exclusive", type="bool", api=False, default=False),
                      *ACCOUNT_FIELDS)
    key = ("account",)

    def identity(self, item):
        return str(item.get("account"))

    def converge(self, item):
        if item.get("exclusive"):
            return self.converge_exclusive(item)
        if not item.get("aliases"):
            raise InputError("aliases: give at least one alias name")
        api = self.api.api(item)
        wanted = alias_names(item.get("aliases"), api.domain)
        page = api.get("get_aliases")
        if not isinstance(page, list):
            raise VoipError("SIP2SIP get_aliases for %s answered %r instead of a list" % (api.account, page))
        page = [str(alias).lower() for alias in page]
        full = len(page) >= ALIAS_PAGE
        missing = [alias for alias in wanted if alias not in page]
        added, unverified = [], []
        extra = {"account": api.account, "page_full": full, "added": added, "unverified": unverified}
        if full:
            self.run.warn("%s: get_aliases shows only %d aliases and the page is full, so aliases not on it (%s) cannot "
                          "be proven absent" % (api.account, ALIAS_PAGE, ", ".join(missing) or "none"))
        if not missing:
            return self.result(False, page, {"aliases": page}, {"aliases": page}, **extra)
        if self.run.check_mode:
            added.extend(missing)
            after = sorted(set(page) | set(missing), key=lambda a: a.partition("@")[0])
            return self.result(True, after[:ALIAS_PAGE], {"aliases": page}, {"aliases": after}, **extra)
        for alias in missing:
            try:
                api.set("add_alias", username=alias.partition("@")[0])
            except ApiError as exc:
                if exc.status is None or exc.status >= 500 or not full:
                    if added:
                        raise VoipError("%s (after adding %s)" % (exc, ", ".join(added)))
                    raise
                unverified.append({"alias": alias, "message": exc.server_message})
                self.run.warn("%s: %s is not on the full page of %d aliases and the platform refused to add it (%s): "
                              "it exists beyond the page or on another account"
                              % (api.account, alias, ALIAS_PAGE, exc.server_message))
                continue
            added.append(alias)
        after = api.get("get_aliases") if added else page
        after = [str(alias).lower() for alias in after or []]
        total = len(set(page) | set(added))
        if total > ALIAS_PAGE and added:
            self.run.warn("%s: the account now has more than %d aliases; the platform shows only the first %d "
                          "(sorted), so later runs cannot verify the others" % (api.account, ALIAS_PAGE, ALIAS_PAGE))
        wanted_after = sorted(set(page) | set(added), key=lambda a: a.partition("@")[0])
        return self.result(bool(added), after, {"aliases": page}, {"aliases": wanted_after}, **extra)

    def converge_exclusive(self, item):
        api = self.api.api(item)
        wanted = sorted(alias_names(item.get("aliases") or [], api.domain), key=lambda a: a.partition("@")[0])
        page = self._page(api)
        full = len(page) >= ALIAS_PAGE
        expected = wanted[:ALIAS_PAGE]
        extra = {"account": api.account, "page_full": full, "added": [a for a in wanted if a not in page],
                 "removed": [a for a in page if a not in wanted], "unverified": []}
        if not full and page == wanted:
            return self.result(False, page, {"aliases": page}, {"aliases": page}, **extra)
        if full:
            self.run.warn("%s: get_aliases shows only %d aliases and the page is full, so aliases beyond it cannot be "
                          "compared: the set is written and reported as a change" % (api.account, ALIAS_PAGE))
        if self.run.check_mode:
            return self.result(True, expected, {"aliases": page}, {"aliases": wanted}, **extra)
        api.submit_form("set aliases", {"aliases[]": [alias.partition("@")[0] for alias in wanted]})
        after = self._page(api)
        if after != expected:
            missing = [alias for alias in expected if alias not in after]
            raise VoipError("SIP2SIP 'set aliases' for %s: the aliases read back %s, expected %s%s"
                            % (api.account, after, expected,
                               " (%s: owned by another account?)" % ", ".join(missing) if missing else ""))
        return self.result(True, after, {"aliases": page}, {"aliases": wanted}, **extra)

    @staticmethod
    def _page(api):
        page = api.get("get_aliases")
        if not isinstance(page, list):
            raise VoipError("SIP2SIP get_aliases for %s answered %r instead of a list" % (api.account, page))
        return sorted((str(alias).lower() for alias in page), key=lambda a: a.partition("@")[0])
