"""Writes of the confidentiality review: decisions and referrals, scans, redactions and
countersignatures."""

from .countersigns import countersign_decide, countersign_unit_name, countersign_unit_remove
from .decisions import referral_rule, review_decide
from .redactions import finding_dismiss, finding_redact, passage_redact, redaction_withdraw
from .scanning import item_scan

__all__ = [
    "countersign_decide",
    "countersign_unit_name",
    "countersign_unit_remove",
    "finding_dismiss",
    "finding_redact",
    "item_scan",
    "passage_redact",
    "redaction_withdraw",
    "referral_rule",
    "review_decide",
]
