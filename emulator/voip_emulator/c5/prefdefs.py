"""Subscriber preference definitions: a realistic subset of the 246 of a real C5
(spec §4.11, §6).  The entries of the recorded sample
(``preferencedefs_sample.json``) are reproduced as recorded; the others follow the
same shape (their labels, descriptions and enum lists are plausible, not recorded).

Each entry: name, label, description, group, type (boolean|int|string|enum),
max_occur (1 single, 0 list), read_only, and for enums (label, value, default).
"""

# Reference preferences (exposed by name; the value must name an existing set).
REFERENCE_PREFS = {"ncos": "ncos_level", "adm_ncos": "ncos_level", "rewrite_rule_set": "rewrite_rule_set", "sound_set": "sound_set"}

# IP list preferences (validated as IPv4/IPv6 addresses or networks).
IP_LIST_PREFS = ("allowed_ips", "man_allowed_ips")

# Preferences of another level: sending them to /api/subscriberpreferences/ is a
# 422 "Invalid enum value" (verified live for prepaid_library, seed_lifecycle.json).
FOREIGN_ENUM_PREFS = ("prepaid_library",)

# Internal preferences: never shown, silently ignored when written (spec §4.10).
INTERNAL_PREFS = ("account_id", "ext_contract_id", "ext_subscriber_id", "ringtimeout", "cfu", "cfb", "cft", "cfna", "cfs", "cfr", "cfo")

DEFINITIONS = [
    {
        'name': 'block_in_clir',
        'label': 'Block anonymous inbound calls',
        'description': 'Incoming anonymous calls (with calling line identification restriction) are blocked if set to true.',
        'group': 'Call Blockings',
        'type': 'boolean',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'block_in_list',
        'label': 'Block List for inbound calls',
        'description': ('Contains wildcarded SIP usernames (the localpart of the whole SIP URI, eg., "user" of SIP URI '
                        '"user@example.com") that are (not) allowed to call the subscriber. "*", "?" and "[x-y]" with "x" and "y" '
                        'representing numbers from 0 to 9 may be used as wildcards like in shell patterns.'),
        'group': 'Call Blockings',
        'type': 'string',
        'max_occur': 0,
        'read_only': False,
    },
    {
        'name': 'block_in_mode',
        'label': 'Block Mode for inbound calls',
        'description': ('Specifies the operational mode of the incoming block list. If unset or set to a false value, it is a blacklist'
                        ' (accept all calls except from numbers listed in the block list), with a true value it is a whitelist (reject '
                        'all calls except from numbers listed in the block list).'),
        'group': 'Call Blockings',
        'type': 'boolean',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'block_out_list',
        'label': 'Block List for outbound calls',
        'description': ('Contains wildcarded SIP usernames (the localpart of the whole SIP URI, eg., "user" of SIP URI '
                        '"user@example.com") that are (not) allowed to be called by the subscriber. "*", "?" and "[x-y]" with "x" and '
                        '"y" representing numbers from 0 to 9 may be used as wildcards like in shell patterns.'),
        'group': 'Call Blockings',
        'type': 'string',
        'max_occur': 0,
        'read_only': False,
    },
    {
        'name': 'block_out_mode',
        'label': 'Block Mode for outbound calls',
        'description': ('Specifies the operational mode of the outgoing block list. If unset or set to a false value, it is a blacklist'
                        ' (allow all calls except to numbers listed in the block list), with a true value it is a whitelist (deny all '
                        'calls except to numbers listed in the block list).'),
        'group': 'Call Blockings',
        'type': 'boolean',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'clir',
        'label': 'Hide own number for outbound calls',
        'description': '"Calling line identification restriction" - if set to true, the CLI is not displayed on outgoing calls.',
        'group': 'Number Manipulations',
        'type': 'boolean',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'cli',
        'label': 'Network-Provided CLI',
        'description': ('SIP username (the localpart of the whole SIP URI, eg., "user" of SIP URI "user@example.com"). "network-'
                        'provided calling line identification" - specifies the SIP username that is used for outgoing calls in the SIP '
                        '"From" and "P-Asserted-Identity" headers (as user- and network-provided calling numbers). The content of the '
                        '"From" header may be overridden by the "user_cli" preference and client (if allowed by the "allowed_clis" '
                        'preference) SIP signalling. Automatically set to the primary E.164 number specified in the subscriber details.'),
        'group': 'Number Manipulations',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'allowed_clis',
        'label': 'Allowed CLIs for outbound calls',
        'description': ('A list of shell patterns specifying which CLIs are allowed to be set by the subscriber. "*", "?" and "[x-y]" '
                        'with "x" and "y" representing numbers from 0 to 9 may be used as wildcards as usual in shell patterns.'),
        'group': 'Access Restrictions',
        'type': 'string',
        'max_occur': 0,
        'read_only': False,
    },
    {
        'name': 'lock',
        'label': 'Lock Level',
        'description': ('For a list of possible values, see the "lock" field in the API doc for /api/subscribers. A lock value of '
                        '"none" will not be returned to the caller. Read-only setting.'),
        'group': 'Access Restrictions',
        'type': 'enum',
        'max_occur': 1,
        'read_only': True,
        "enum": [
            ('none', None, True),
            ('foreign', '1', False),
            ('outgoing', '2', False),
            ('incoming and outgoing', '3', False),
            ('global', '4', False),
            ('ported', '5', False),
        ],
    },
    {
        'name': 'ncos',
        'label': 'NCOS Level',
        'description': 'Specifies the NCOS level that applies to the user.',
        'group': 'Call Blockings',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'language',
        'label': 'Language for voicemail and app server',
        'description': 'Voice prompts language for voicemail, conference and application server.',
        'group': 'Internals',
        'type': 'enum',
        'max_occur': 1,
        'read_only': False,
        "enum": [
            ('use domain default', None, True),
            ('German', 'de', False),
            ('English', 'en', False),
            ('Spanish', 'es', False),
            ('Italian', 'it', False),
            ('Romanian', 'ro', False),
            ('French', 'fr', False),
            ('Arabic', 'ar', False),
            ('Hebrew', 'he', False),
            ('Dutch', 'nl', False),
            ('Brazilian Portuguese', 'pt_br', False),
            ('Portuguese', 'pt', False),
        ],
    },
    {
        'name': 'concurrent_max',
        'label': 'Maximum number of concurrent calls',
        'description': ('Maximum number of overall (incoming and outgoing) concurrent on-net and off-net calls for a subscriber or '
                        'peer, excluding calls from subscriber to the application server and intra-PBX calls.'),
        'group': 'Access Restrictions',
        'type': 'int',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'display_name',
        'label': 'Network-Provided Display Name',
        'description': 'The network-provided display name used for XMPP contacts and optionally SIP outbound header manipulation.',
        'group': 'Number Manipulations',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'cc',
        'label': 'Country Code',
        'description': ('The country code that will be used for routing of dialed numbers without a country code. Defaults to the '
                        'country code of the E.164 number if the subscriber has one.'),
        'group': 'Number Manipulations',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'ac',
        'label': 'Area Code',
        'description': ('The area code that will be used for routing of dialed numbers without an area code. Defaults to the area code '
                        'of the E.164 number if the subscriber has one.'),
        'group': 'Number Manipulations',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'music_on_hold',
        'label': 'Music on Hold',
        'description': ('"Music on Hold" - if set to true and a music on hold file is provided, a calling party gets that file played '
                        'when put on hold'),
        'group': 'NAT and Media Flow Control',
        'type': 'boolean',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'rewrite_rule_set',
        'label': 'Rewrite Rule Set',
        'description': 'Specifies the list of caller and callee rewrite rules which should be applied for incoming and outgoing calls.',
        'group': 'Number Manipulations',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'sound_set',
        'label': 'System Sound Set',
        'description': 'Sound Set used for system prompts like error announcements etc.',
        'group': 'NAT and Media Flow Control',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'e164_to_ruri',
        'label': 'Use Number instead of Contact first for outbound calls',
        'description': ('Send the E164 number instead of SIP AOR as request username when sending INVITE to the subscriber. If a 404 is'
                        ' received the SIP AOR is sent as request URI as fallback.'),
        'group': 'Number Manipulations',
        'type': 'boolean',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'allowed_ips',
        'label': 'Allowed source IPs',
        'description': 'Allow access from the given list of IP addresses and/or IP nets.',
        'group': 'Access Restrictions',
        'type': 'string',
        'max_occur': 0,
        'read_only': False,
    },
    {
        'name': 'peer_auth_user',
        'label': 'Peer Authentication User',
        'description': 'A username used for authentication against the peer host.',
        'group': 'Remote Authentication',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'peer_auth_pass',
        'label': 'Peer Authentication Password',
        'description': 'A password used for authentication against the peer host.',
        'group': 'Remote Authentication',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'voicemail_echo_number',
        'label': 'Number to be played in voicebox',
        'description': 'If set, will be played as Number of the voicebox owner. Otherwise the number of the preference "cli" is used.',
        'group': 'Number Manipulations',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'call_log_level',
        'label': 'Call log level',
        'description': 'Log level of the call processing for this subscriber.',
        'group': 'Internals',
        'type': 'enum',
        'max_occur': 1,
        'read_only': False,
        "enum": [
            ('notice', 'notice', True),
            ('info', 'info', False),
            ('debug', 'debug', False),
        ],
    },
    {
        'name': 'emergency_location_format',
        'label': 'Emergency location format',
        'description': 'Format of the emergency location object sent to the emergency network.',
        'group': 'Internals',
        'type': 'enum',
        'max_occur': 1,
        'read_only': False,
        "enum": [
            ('cirpack', 'cirpack', True),
            ('ngn', 'ngn', False),
        ],
    },
    {
        'name': 'peer_auth_realm',
        'label': 'Peer Authentication Realm',
        'description': 'A realm (hostname) used to identify and for authentication against a peer host.',
        'group': 'Remote Authentication',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'peer_auth_register',
        'label': 'Enable Peer Authentication Registration',
        'description': 'Specifies whether registration at the peer host is desired.',
        'group': 'Remote Authentication',
        'type': 'boolean',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'user_cli',
        'label': 'User-Provided CLI',
        'description': 'SIP username used for outgoing calls in the SIP "From" header if not overridden by the client.',
        'group': 'Number Manipulations',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'emergency_cli',
        'label': 'Emergency CLI',
        'description': 'CLI used for emergency calls.',
        'group': 'Number Manipulations',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'dnd',
        'label': 'Do not Disturb',
        'description': 'Reject all incoming calls if set to true.',
        'group': 'Call Blockings',
        'type': 'boolean',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'adm_block_in_list',
        'label': 'Administrative Block List for inbound calls',
        'description': 'Same as block_in_list but may only be set by administrators.',
        'group': 'Call Blockings',
        'type': 'string',
        'max_occur': 0,
        'read_only': False,
    },
    {
        'name': 'adm_block_out_list',
        'label': 'Administrative Block List for outbound calls',
        'description': 'Same as block_out_list but may only be set by administrators.',
        'group': 'Call Blockings',
        'type': 'string',
        'max_occur': 0,
        'read_only': False,
    },
    {
        'name': 'adm_ncos',
        'label': 'Administrative NCOS Level',
        'description': 'Same as ncos but may only be set by administrators.',
        'group': 'Call Blockings',
        'type': 'string',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'concurrent_max_out',
        'label': 'Maximum number of concurrent outgoing calls',
        'description': 'Maximum number of outgoing concurrent on-net and off-net calls for a subscriber or peer.',
        'group': 'Access Restrictions',
        'type': 'int',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'max_call_duration',
        'label': 'Maximum call duration',
        'description': 'Maximum duration of a call in seconds.',
        'group': 'Access Restrictions',
        'type': 'int',
        'max_occur': 1,
        'read_only': False,
    },
    {
        'name': 'man_allowed_ips',
        'label': 'Manually allowed source IPs',
        'description': 'Allow access from the given list of IP addresses and/or IP nets.',
        'group': 'Access Restrictions',
        'type': 'string',
        'max_occur': 0,
        'read_only': False,
    },
    {
        'name': 'record_call',
        'label': 'Record calls',
        'description': 'Record the calls of this subscriber.',
        'group': 'Internals',
        'type': 'boolean',
        'max_occur': 1,
        'read_only': False,
    },
]

BY_NAME = {d["name"]: d for d in DEFINITIONS}


def render_definition(definition):
    """The /api/subscriberpreferencedefs/ representation of one definition."""
    out = {
        "data_type": definition["type"], "description": definition["description"], "dev_pref": 0, "devprof_pref": 0,
        "dynamic": 0, "fielddev_pref": 0, "label": definition["label"], "max_occur": definition["max_occur"],
        "preference_group": definition["group"], "read_only": definition["read_only"],
    }
    if "enum" in definition:
        out["enum_values"] = [
            {"default_val": default, "dev_pref": 0, "devprof_pref": 0, "fielddev_pref": 0, "label": label, "value": value}
            for label, value, default in definition["enum"]
        ]
    return out


def enum_default(definition):
    for _label, value, default in definition.get("enum", ()):
        if default:
            return value
    return None
