# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sipwise C5 (NGCP REST API v1), one platform package on the core.

* ``dialect.py``: HAL bodies, paging, ``Location`` ids, auth strategies, the
  connection options, the verbs (:class:`C5Api`);
* ``task.py``: a resource module's argument spec and its run over a C5 client;
* ``values.py``, ``numbers.py``: value normalisations (spec §5.2), E.164 numbers;
* ``references.py``: references by natural key (reseller, domain, billing
  profile, customer, contact), cached per run;
* one file per resource: ``domains.py``, ``contacts.py``, ``customers.py``,
  ``subscribers.py`` (and the one subscriber look-up), ``callforwards.py``,
  ``preferences.py``.
"""
