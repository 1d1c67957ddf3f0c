# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SIP2SIP (AG Projects CDRTool ``settings.phtml``) on the plugin core.

``dialect``   how the platform answers (errors in HTTP 200 bodies, debug text before
              JSON, HTML fragments followed by ``null``)
``api``       connection options, one Digest-authenticated client per account
``targets``   the platform's rewriting of forwarding targets, applied to wanted values
``settings``  the settings document of sip2sip_settings
``aliases``   sip2sip_alias; ``info`` sip2sip_info; ``journal`` sip2sip_journal
"""
