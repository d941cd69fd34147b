"""Writes of the confidentiality review: decisions and referrals, scans, redactions, attachments
and countersignatures."""

from .attachments import attachment_confirm_checked, attachment_replace
from .countersigns import countersign_decide, countersign_unit_name, countersign_unit_remove
from .decisions import referral_rule, review_decide
from .redactions import (
    finding_dismiss,
    finding_redact,
    findings_redact_kind,
    passage_redact,
    redaction_withdraw,
)
from .scanning import item_scan

__all__ = [
    "attachment_confirm_checked",
    "attachment_replace",
    "countersign_decide",
    "countersign_unit_name",
    "countersign_unit_remove",
    "finding_dismiss",
    "finding_redact",
    "findings_redact_kind",
    "item_scan",
    "passage_redact",
    "redaction_withdraw",
    "referral_rule",
    "review_decide",
]
