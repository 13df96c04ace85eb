from publicity.models.blacklist import BlackListEntry, BlackListStatus
from publicity.models.content import NewsItem, PolicyDocument
from publicity.models.corrections import CorrectionKind, CorrectionNotice
from publicity.models.licences import LicenceCategory, LicenceDecision, LicenceStatus
from publicity.models.periods import PublicityPeriodRule, Severity
from publicity.models.publications import Publication, PublicationKind
from publicity.models.repairs import ExternalRepair
from publicity.models.requests import Objection, Outcome, RepairApplication, RequestStatus

__all__ = [
    "BlackListEntry",
    "BlackListStatus",
    "CorrectionKind",
    "CorrectionNotice",
    "LicenceCategory",
    "LicenceDecision",
    "LicenceStatus",
    "NewsItem",
    "Objection",
    "Outcome",
    "PolicyDocument",
    "Publication",
    "PublicationKind",
    "PublicityPeriodRule",
    "Severity",
    "ExternalRepair",
    "RepairApplication",
    "RequestStatus",
]
