# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settings document of a SIP2SIP account (module sip2sip_settings).

One document, four parts with four different read/write paths (spec 7):

``forwarding``    read ``get_call_forwarding``, write ``set_call_forwarding`` with only
                  the differing conditions; compared after the server's rewriting
                  (:mod:`.targets`); verified by reading back after a write
``dnd``           read ``get_accept_rules`` (``temporary.groups == ["nobody"]``), write
                  ``set_dnd_on[&duration]`` / ``set_dnd_off``; a timed DND is an action:
                  it changes only an account whose DND is off.  The persistent rules
                  the write-back may lose are compared before/after (warning)
``privacy``       no getter: ``set_privacy_on`` is the read (fault 1030 = already on);
                  ``set_privacy_off`` cannot tell whether it changed anything, so it is
                  reported as a change with ``privacy_before: unknown`` -- never a false
                  "unchanged"; in check mode the state is unknown and reported so
``reject_rules``  read ``get_reject_rules``, written with the web form action
                  ``set reject`` (an HTML answer), verified with the getter

Everything is read and checked before the first write, so bad input or a missing
mobile number fails with nothing half-written.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import SettingsResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.dialect import fault_code
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.targets import (
    CONDITIONS, MOBILE, VOICEMAIL, check_target, comparable, stored_form,
)

#: NGNPro fault of set_privacy_on for an account already in group "anonymous"
#: (spec 5.16: assumed code). Any other failure fails the task.
ALREADY_PRIVATE = 1030
#: Assumed bounds of a timed DND (the platform documents none): one minute to one day.
DND_MINUTES_MIN = 1
DND_MINUTES_MAX = 1440

FORWARDING_OPTIONS = dict(
    (name, dict(type="str", aliases=[code])) for name, code in CONDITIONS
)

ACCOUNT_FIELDS = (
    Field("account", api=False, in_task=False, description="the SIP address of the account"),
    Field("password", api=False, in_task=False, no_log=True, description="its web or SIP password"),
)


def _normalise_reject(value):
    members = []
    for member in value:
        member = str(member).strip()
        if not member or any(c.isspace() for c in member):
            raise InputError("reject_rules: %r is not a SIP URI (e.g. sip:spam@example.com)" % (member,))
        if "@" not in member:
            raise InputError("reject_rules: %r needs a domain (user@domain); the platform stores it as given" % (member,))
        members.append(member if member.startswith("sip:") else "sip:" + member)
    return sorted(set(members))


SETTINGS_FIELDS = FieldSet(
    Field("forwarding", type="dict", options=FORWARDING_OPTIONS),
    Field("dnd", type="bool"),
    Field("dnd_minutes", type="int"),
    Field("privacy", type="bool"),
    Field("reject_rules", type="list", elements="str", normalise=_normalise_reject),
    *ACCOUNT_FIELDS
)


def dnd_state(rules):
    temporary = (rules or {}).get("temporary") or {}
    on = list(temporary.get("groups") or []) == ["nobody"]
    minutes = int(temporary.get("duration") or 0) if on else 0
    return {"dnd": on, "dnd_minutes_left": minutes or None}


class AccountSettings(SettingsResource):
    """Forwarding, DND, privacy and reject rules of one account."""

    name = "settings"
    fields = SETTINGS_FIELDS
    key = ("account",)

    def identity(self, item):
        return str(item.get("account"))

    # -- input, checked before any request ---------------------------------------------
    def desired(self, item):
        desired = SettingsResource.desired(self, item)
        forwarding = desired.get("forwarding")
        if forwarding is not None:
            forwarding = dict((name, value) for name, value in forwarding.items() if value is not None)
            if not forwarding:
                raise InputError("forwarding: name at least one condition (%s)" % ", ".join(n for n, _c in CONDITIONS))
            desired["forwarding"] = forwarding
        minutes = desired.get("dnd_minutes")
        if minutes is not None:
            if desired.get("dnd") is not True:
                raise InputError("dnd_minutes: a timed do-not-disturb needs dnd=true (dnd_minutes=%s given with dnd=%s)"
                                 % (minutes, desired.get("dnd")))
            if not DND_MINUTES_MIN <= minutes <= DND_MINUTES_MAX:
                raise InputError("dnd_minutes: %s is out of range; give %d to %d minutes, or leave it out for DND until "
                                 "dnd=false" % (minutes, DND_MINUTES_MIN, DND_MINUTES_MAX))
        if not any(name in desired for name in ("forwarding", "dnd", "privacy", "reject_rules")):
            raise InputError("nothing to manage: set forwarding, dnd, privacy or reject_rules")
        return desired

    def defaults(self, item):
        raise InputError("sip2sip_settings has no state=absent: set the values wanted (forwarding targets '' remove them)")

    # -- the plan -----------------------------------------------------------------------
    def converge(self, item):
        desired = self.desired(item)
        api = self.api.api(item)
        if "forwarding" in desired:
            for name, value in desired["forwarding"].items():
                if value != "":
                    check_target("forwarding.%s" % name, value, api.domain)
        before, after, writes = {}, {}, []

        if "forwarding" in desired:
            self._plan_forwarding(api, desired["forwarding"], before, after, writes)
        if "dnd" in desired:
            self._plan_dnd(api, desired, before, after, writes)
        if "reject_rules" in desired:
            self._plan_reject(api, desired["reject_rules"], before, after, writes)

        changed = bool(writes)
        extra = {"account": api.account}
        if not self.run.check_mode:
            for write in writes:
                write()
        if "privacy" in desired:
            changed = self._privacy(api, desired["privacy"], before, after, extra) or changed
        return self.result(changed, after, before, after, **extra)

    def result_object(self, raw):
        return raw

    # forwarding ------------------------------------------------------------------------
    def _plan_forwarding(self, api, wanted, before, after, writes):
        current_raw = api.get("get_call_forwarding")
        if not isinstance(current_raw, dict):
            raise VoipError("SIP2SIP get_call_forwarding for %s answered %r instead of an object" % (api.account, current_raw))
        current = dict((name, current_raw.get(code) or None) for name, code in CONDITIONS)
        mobile = None
        if MOBILE in wanted.values():
            mobile = (api.get("get_identity") or {}).get("mobile_number") or None
            if not mobile:
                names = [name for name, value in wanted.items() if value == MOBILE]
                raise InputError("forwarding.%s: <mobile-number> needs a mobile number on %s, and it has none (the "
                                 "platform would store the broken target sip:<mobile-number>@%s); give the number instead"
                                 % (names[0], api.account, api.domain))
        target = dict((name, comparable(value, api.domain, mobile)) for name, value in wanted.items())
        differing = [name for name, _code in CONDITIONS if name in target and current[name] != target[name]]
        before["forwarding"] = current
        after["forwarding"] = dict(current, **dict((name, target[name]) for name in differing))
        if not differing:
            return
        send = dict((code, stored_form(wanted[name], api.domain, mobile) if wanted[name] != "" else "")
                    for name, code in CONDITIONS if name in differing)

        def write():
            api.set("set_call_forwarding", **send)
            read_back = api.get("get_call_forwarding") or {}
            for name, code in CONDITIONS:
                if name in differing and (read_back.get(code) or None) != target[name]:
                    hint = ""
                    if wanted[name] == VOICEMAIL:
                        hint = " (deployments with absolute voicemail URIs read <voice-mailbox> back empty)"
                    raise VoipError("SIP2SIP set_call_forwarding for %s: %s (%s) reads back %r, expected %r%s"
                                    % (api.account, name, code, read_back.get(code), target[name], hint))
            after["forwarding"] = dict((n, read_back.get(c) or None) for n, c in CONDITIONS)

        writes.append(write)

    # DND -------------------------------------------------------------------------------
    def _plan_dnd(self, api, desired, before, after, writes):
        rules = api.get("get_accept_rules") or {}
        state = dnd_state(rules)
        before.update(state)
        wanted, minutes = desired["dnd"], desired.get("dnd_minutes")
        if not wanted:
            needed = state["dnd"]
            after.update(dnd=False, dnd_minutes_left=None)
        elif minutes:
            # A timed DND is an action: it starts only when DND is off (a running
            # DND, timed or not, is left alone rather than restarted every run).
            needed = not state["dnd"]
            after.update(dnd=True, dnd_minutes_left=minutes if needed else state["dnd_minutes_left"])
        else:
            # DND until switched off: a running timed DND becomes permanent.
            needed = not state["dnd"] or state["dnd_minutes_left"] is not None
            after.update(dnd=True, dnd_minutes_left=None)
        if not needed:
            return

        def write():
            if not wanted:
                api.set("set_dnd_off")
            elif minutes:
                api.set("set_dnd_on", duration=str(minutes))
            else:
                api.set("set_dnd_on")
            read_back = api.get("get_accept_rules") or {}
            after.update(dnd_state(read_back))
            if after["dnd"] != wanted:
                raise VoipError("SIP2SIP set_dnd_%s for %s: DND reads back %s"
                                % ("on" if wanted else "off", api.account, "on" if after["dnd"] else "off"))
            if (read_back.get("persistent") or {}) != (rules.get("persistent") or {}):
                # The page writes every accept rule back keyed by days (spec 5.13).
                self.run.warn("%s: the DND write changed the persistent accept rules from %s to %s (the platform "
                              "writes them back in a lossy shape); check them in the web settings"
                              % (api.account, rules.get("persistent"), read_back.get("persistent")))

        writes.append(write)

    # reject rules (web form action) ---------------------------------------------------
    def _plan_reject(self, api, wanted, before, after, writes):
        current = api.get("get_reject_rules") or []
        before["reject_rules"] = sorted(current)
        after["reject_rules"] = list(wanted)
        if sorted(current) == list(wanted):
            return

        def write():
            api.submit_form("set reject", {"rejectMembers[]": list(wanted)})
            read_back = sorted(api.get("get_reject_rules") or [])
            if read_back != list(wanted):
                raise VoipError("SIP2SIP 'set reject' for %s: the reject list reads back %s, expected %s"
                                % (api.account, read_back, list(wanted)))

        writes.append(write)

    # privacy: no getter ------------------------------------------------------------------
    def _privacy(self, api, wanted, before, after, extra):
        after["privacy"] = wanted
        if self.run.check_mode:
            before["privacy"] = "unknown"
            extra["privacy_before"] = "unknown"
            self.run.warn("%s: privacy cannot be read (the platform has no getter): in check mode it is reported as a "
                          "change" % api.account)
            return True
        if wanted:
            try:
                api.set("set_privacy_on")
            except ApiError as exc:
                if fault_code(exc.server_message) != ALREADY_PRIVATE:
                    raise
                before["privacy"] = True
                extra["privacy_before"] = True
                return False
            before["privacy"] = False
            extra["privacy_before"] = False
            return True
        api.set("set_privacy_off")
        # The platform answers the same whether the account was private or not.
        before["privacy"] = "unknown"
        extra["privacy_before"] = "unknown"
        return True
