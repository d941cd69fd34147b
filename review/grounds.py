"""The legal ground each kind of finding usually calls for (Regulation Arts. 14-16).

Proposed, never imposed: the reviewer sees the proposal selected in the form beside the finding
and may choose another. A kind without a usual ground (a negative-list term can be anything)
proposes none, so nothing is preselected that the reviewer did not choose.
"""

from collections.abc import Iterable

from workflow.models import LegalGround

from .scanner import Kind

# By the grounds' codes (workflow/migrations/0002_legal_grounds.py); an administrator who
# deactivates one simply loses the proposal.
USUAL_GROUND_CODES: dict[str, str] = {
    # Art. 14: information determined to be a state secret.
    Kind.CLASSIFICATION_MARK: "art14-state-secret",
    # Art. 16 ¶1: internal affairs; 工作秘密 and 内部 markings say the text is internal.
    Kind.WORK_SECRET: "art16-internal",
    Kind.INTERNAL_MARKING: "art16-internal",
    # Art. 15: personal privacy of a third party.
    Kind.ID_NUMBER: "art15-third-party",
    Kind.MOBILE: "art15-third-party",
    Kind.BANK_CARD: "art15-third-party",
    Kind.EMAIL: "art15-third-party",
    Kind.ADDRESS: "art15-third-party",
}


def usual_ground_ids(grounds: Iterable[LegalGround]) -> dict[str, int]:
    """{finding kind: id of its usual ground} among `grounds` (the active ones, read once)."""
    by_code = {ground.code: ground.pk for ground in grounds}
    return {kind: by_code[code] for kind, code in USUAL_GROUND_CODES.items() if code in by_code}
