from .items import Attachment, Category, IndexSequence, Item, LegalGround
from .organisation import District, Position, Role, Section, Unit
from .process import ApprovalDecision, DisclosureProcess

__all__ = [
    "ApprovalDecision",
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
