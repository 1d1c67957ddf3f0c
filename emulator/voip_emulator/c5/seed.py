"""The state of a freshly loaded NGCP database (spec §6 checklist), with the
ids the transcripts show for it."""

from voip_emulator.c5.resources.base import now_sql
from voip_emulator.c5.state import hash_password

EMPTY_CONTACT = {
    "firstname": None, "lastname": None, "company": None, "street": None, "postcode": None, "city": None, "country": None,
    "phonenumber": None, "mobilenumber": None, "faxnumber": None, "iban": None, "bic": None, "bankname": None,
    "vatnum": None, "comregnum": None, "timezone": None, "gpp0": None, "gpp1": None, "gpp2": None, "gpp3": None,
    "gpp4": None, "gpp5": None, "gpp6": None, "gpp7": None, "gpp8": None, "gpp9": None,
}

ADMIN_DEFAULTS = {
    "auth_mode": "local", "billing_data": True, "call_data": True, "can_reset_password": True, "email": None,
    "enable_2fa": False, "is_active": True, "is_ccare": False, "is_master": True, "is_superuser": True,
    "is_system": False, "lawful_intercept": False, "read_only": False, "show_passwords": True,
    "ssl_client_m_serial": None,
}


def billing_profile_defaults():
    return {
        "prepaid": False, "prepaid_library": "libswrate", "advice_of_charge": False, "ignore_domain": False,
        "interval_charge": 0, "interval_free_time": 0, "interval_free_cash": 0, "fraud_interval_limit": None,
        "fraud_interval_lock": None, "fraud_interval_notify": None, "fraud_daily_limit": None, "fraud_daily_lock": None,
        "fraud_daily_notify": None, "fraud_use_reseller_rates": False, "currency": None, "status": "active",
        "peaktime_weekdays": [], "peaktime_special": [],
    }


def seed(state):
    now = now_sql(state.clock)
    admin = dict(ADMIN_DEFAULTS, id=1, login="administrator", reseller_id=1, password_hash=hash_password("administrator"))
    state.put("admins", admin)
    # Contacts 1 and 2 exist on a fresh database (the first API contact is 3):
    # system contacts, used by reseller 1's contract and the platform itself.
    state.put("contacts", dict(EMPTY_CONTACT, id=1, reseller_id=None, email="default-customer@default.invalid", status="active"))
    state.put("contacts", dict(EMPTY_CONTACT, id=2, reseller_id=None, email="default-system@default.invalid", status="active"))
    state.put("billing_profiles", dict(billing_profile_defaults(), id=1, reseller_id=1, handle="default", name="Default Billing Profile"))
    state.put("contracts", {
        "id": 1, "kind": "reseller", "type": "reseller", "contact_id": 1, "status": "active", "external_id": None,
        "billing_mappings": [{"profile_id": 1, "network_id": None, "start": None, "stop": None, "effective_start_time": "1970-01-01 00:00:00"}],
        "create_timestamp": now, "modify_timestamp": now, "activate_timestamp": None, "terminate_timestamp": None,
        "max_subscribers": None, "vat_rate": 0, "add_vat": False, "profile_package_id": None, "invoice_template_id": None,
        "subscriber_email_template_id": None, "passreset_email_template_id": None, "invoice_email_template_id": None,
    })
    # Reseller 1 owns no e-mail templates on a database loaded from the schema dumps.
    state.put("resellers", {"id": 1, "contract_id": 1, "name": "default", "status": "active"})
