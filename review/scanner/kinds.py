from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CLASSIFICATION_MARK = "classification_mark", _("Classification mark (密级标志)")
    WORK_SECRET = "work_secret", _("Work secret (工作秘密)")
    INTERNAL_MARKING = "internal_marking", _("Internal only (内部/不得外传)")
    ID_NUMBER = "id_number", _("Resident ID number")
    MOBILE = "mobile", _("Mobile number")
    BANK_CARD = "bank_card", _("Bank card number")
    EMAIL = "email", _("E-mail address")
    ADDRESS = "address", _("Home address")
    NEGATIVE_LIST = "negative_list", _("Negative list term (负面清单)")


@dataclass(frozen=True)
class NegativeTerm:
    term: str
    note: str = ""


@dataclass(frozen=True)
class Finding:
    kind: str  # a Kind value
    start: int  # offsets into the scanned text: text[start:end] == self.text
    end: int
    text: str
    confidence: float  # 0..1: how sure the scanner is that this is what `kind` says
    detail: str = ""  # e.g. the classification level, or why a negative-list term is listed

    def as_json(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}
