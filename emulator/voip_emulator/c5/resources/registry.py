"""The resources the emulator serves, by collection name."""

from voip_emulator.c5.resources.billing import BillingProfiles
from voip_emulator.c5.resources.callforwards import CallForwards, CfBNumberSets, CfDestinationSets, CfMappings, CfSourceSets, CfTimeSets
from voip_emulator.c5.resources.contacts import CustomerContacts, SystemContacts
from voip_emulator.c5.resources.customers import Customers
from voip_emulator.c5.resources.domains import Domains
from voip_emulator.c5.resources.metaconfig import MetaConfigDefs
from voip_emulator.c5.resources.preferences import SubscriberPreferenceDefs, SubscriberPreferences
from voip_emulator.c5.resources.references import (NcosLevels, RewriteRuleSets, SoundHandles, SoundSets, SubscriberProfiles,
                                                   SubscriberProfileSets)
from voip_emulator.c5.resources.refsets import BillingNetworks, EmergencyMappingContainers, HeaderRuleSets, TimeSets
from voip_emulator.c5.resources.resellers import AdminCerts, Admins, Contracts, Resellers
from voip_emulator.c5.resources.subscribers import Numbers, Subscribers

RESOURCE_CLASSES = (
    Resellers, SystemContacts, Contracts, Admins, AdminCerts, Domains, BillingProfiles, CustomerContacts, Customers,
    Subscribers, Numbers, CallForwards, CfDestinationSets, CfTimeSets, CfSourceSets, CfBNumberSets, CfMappings,
    SubscriberPreferences, SubscriberPreferenceDefs, MetaConfigDefs, SoundHandles, SoundSets, NcosLevels, RewriteRuleSets,
    SubscriberProfileSets, SubscriberProfiles, HeaderRuleSets, TimeSets, BillingNetworks,
    EmergencyMappingContainers,
)


def build_resources(app):
    return {cls.name: cls(app) for cls in RESOURCE_CLASSES}
