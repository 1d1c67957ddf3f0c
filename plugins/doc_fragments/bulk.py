# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The option every module with ``items`` has (core.fields.FieldSet.argument_spec).
    DOCUMENTATION = r"""
options:
  items_file:
    description:
      - The entries of O(items) read from a file instead, a JSON or YAML list of dicts with the same
        keys, on the host that runs the module (the controller with a local connection, where the
        collection's modules run by default).
      - For tasks of thousands of entries. Ansible holds every variable value tagged with its origin
        and copies a task's arguments several times (measured with ansible-core 2.19, only loading
        4,000 subscribers as extra variables peaks at 480 MB of controller memory from YAML and
        230 MB from JSON); read from a file by the module the entries take a few KB each.
      - Every entry is validated with the rules of O(items) (types, defaults, choices) before any
        request; invalid entries fail the task naming them, and nothing is applied. The values of
        secret keys (passwords) are masked in the results as they are for O(items).
      - Mutually exclusive with O(items).
    type: path
  continue_on_error:
    description:
      - What a task with O(items) does when some entries are invalid (a malformed value that is
        checked with the platform's rules before any request).
      - "V(false) (the default) stops the whole task before any request, so nothing is half-written.
        The invalid entries are reported as failed with their errors, and the valid ones with
        C(changed=null) and the message C(not applied: item N (...) is invalid), N counting from 0
        as in C(results)."
      - V(true) applies the valid entries and reports the invalid ones as failed; the task still
        fails (add C(ignore_errors) to carry on with the play).
      - Errors that only the server finds (an unknown reference, a refused write) never stop the
        other entries.
    type: bool
    default: false
  item_results:
    description:
      - How much of each entry's result a task with O(items) returns in RV(results).
      - V(full) (the default) returns every entry's object (and its diff with C(--diff)), as a
        task without O(items) does.
      - V(compact) reduces the entries that neither changed nor failed to C(changed=false) and
        C(item) (plus a C(msg) or C(warnings) they have); changed and failed entries keep their
        whole result. For big tasks where only the changes matter (the C(voip.provisioning.c5_tenant)
        role uses it); a converged re-run of 1,000 entries then returns a few kilobytes instead
        of megabytes, which Ansible's controller copies, serialises and shows several times.
    type: str
    choices: [full, compact]
    default: full
"""
