from .calendar import CalendarDay, CalendarYear
from .catalogue import CatalogueCount, CatalogueEntry
from .items import Attachment, Category, IndexSequence, Item, LegalGround
from .organisation import District, Position, Role, Section, Unit
from .process import ApprovalDecision, DisclosureProcess
from .requests import (
    ApplicantKind,
    Channel,
    Consultation,
    DisclosureRequest,
    Extension,
    FeeNotice,
    Letter,
    LetterSequence,
    LetterTemplate,
    OrganisationType,
    Outcome,
    ReasonsDecision,
    RequestAttachment,
)

__all__ = [
    "ApplicantKind",
    "Channel",
    "Consultation",
    "DisclosureRequest",
    "Extension",
    "FeeNotice",
    "Letter",
    "LetterSequence",
    "LetterTemplate",
    "OrganisationType",
    "Outcome",
    "ReasonsDecision",
    "RequestAttachment",
    "ApprovalDecision",
    "CalendarDay",
    "CalendarYear",
    "CatalogueCount",
    "CatalogueEntry",
    "Attachment",
    "Category",
    "DisclosureProcess",
    "District",
    "IndexSequence",
    "Item",
    "LegalGround",
    "Position",
    "Role",
    "Section",
    "Unit",
]
