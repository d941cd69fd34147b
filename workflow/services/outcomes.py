"""Answers that need an earlier step (issue 21 point 9).

Four outcomes say that something happened before the answer, and the letter says so to the
applicant; each is refused until that step is on record:

- still unclear after correction (Art. 30): the one correction notice (补正告知书) was issued and
  the wait for the correction is over (the corrected request came back; a correction that never
  came closes the request as abandoned instead);
- excessive, not processed (Art. 35): the applicant was asked to state reasons, answered or let
  the date pass, and the office judged the reasons not reasonable (services.reasons);
- fee not paid (Art. 42, 国办函〔2020〕109号): a fee notice (收费通知) was issued (services.fees)
  and its last day to pay passed without payment;
- repeated request (Art. 36(6)): the earlier request of the same applicant to the same agency,
  already answered, is named (it is linked as `duplicate_of`; intake proposes the one it
  detects).

`answer_draft` (services.requests) refuses them with these messages; the answer form offers only
the outcomes whose step exists and says why the others are not offered.
"""

import datetime as dt

from django.utils.translation import gettext as _

from ..models import DisclosureRequest, FeeNotice, Outcome, ReasonsDecision
from .reasons import reasons_waiting

GATED_OUTCOMES = (Outcome.STILL_UNCLEAR, Outcome.EXCESSIVE, Outcome.FEE_UNPAID, Outcome.REPEATED)


def _still_unclear_refusal(request: DisclosureRequest) -> str:
    if not request.letters.filter(kind="correction").exists():
        return _(
            "“Still unclear” is not possible: no correction notice (补正告知书) was issued for "
            "this request. The applicant must first be told once what to correct (Art. 30)."
        )
    if request.status == DisclosureRequest.Status.CORRECTION:
        return _(
            "“Still unclear” is not possible yet: the applicant has until %(date)s to correct "
            "the request (Art. 30)."
        ) % {"date": request.correction_due_on.isoformat() if request.correction_due_on else ""}
    return ""


def _excessive_refusal(request: DisclosureRequest, *, today: dt.date) -> str:
    if request.reasons_requested_on is None:
        return _(
            "“Excessive” is not possible: the applicant was not asked to state reasons. Ask for "
            "them first on the request page (说明理由, Art. 35)."
        )
    if reasons_waiting(request, today=today):
        return _(
            "“Excessive” is not possible yet: the applicant has until %(date)s to state reasons "
            "(Art. 35)."
        ) % {"date": request.reasons_due_on.isoformat()}
    if not request.reasons_decision:
        return _(
            "“Excessive” is not possible yet: the applicant's reasons have not been judged. "
            "Record on the request page whether they are reasonable (Art. 35)."
        )
    if request.reasons_decision == ReasonsDecision.REASONABLE:
        return _(
            "“Excessive” is not possible: the applicant's reasons were found reasonable, so the "
            "request is answered (Art. 35)."
        )
    return ""


def _fee_unpaid_refusal(request: DisclosureRequest, *, today: dt.date) -> str:
    fee = FeeNotice.objects.filter(request_id=request.pk).first()
    if fee is None:
        return _(
            "“Fee not paid” is not possible: no fee notice (收费通知) was issued for this request. "
            "A fee notice must be issued first (Art. 42, 国办函〔2020〕109号)."
        )
    if fee.paid_on is not None:
        return _("“Fee not paid” is not possible: the fee was paid on %(date)s.") % {
            "date": fee.paid_on.isoformat()
        }
    if fee.lapsed_on is None and today <= fee.pay_by:
        return _(
            "“Fee not paid” is not possible yet: the applicant has until %(date)s to pay "
            "(国办函〔2020〕109号)."
        ) % {"date": fee.pay_by.isoformat()}
    return ""


def earlier_request_refusal(request: DisclosureRequest, earlier: DisclosureRequest | None) -> str:
    """Why `earlier` cannot be the answered request this one repeats (Art. 36(6)), or ""."""
    if earlier is None:
        return _(
            "“Repeated request” is not possible without the earlier request: name the request "
            "of this applicant that was already answered (Art. 36(6))."
        )
    if (
        earlier.pk == request.pk
        or earlier.receiving_unit_id != request.receiving_unit_id
        or earlier.id_number != request.id_number
    ):
        return _(
            "%(code)s is not an earlier request of the same applicant to this agency (Art. 36(6))."
        ) % {"code": earlier.tracking_code}
    if (
        earlier.status != DisclosureRequest.Status.CLOSED
        or earlier.outcome in ("", Outcome.ABANDONED)
        or earlier.answered_on is None
    ):
        return _(
            "The earlier request %(code)s has not been answered: a request is repeated only "
            "once the agency has answered the same applicant on the same information "
            "(Art. 36(6))."
        ) % {"code": earlier.tracking_code}
    return ""


def earlier_request_named(
    request: DisclosureRequest, tracking_code: str
) -> DisclosureRequest | None:
    """The request a tracking code names, if it is this applicant's to the same agency; None
    otherwise, so a code never tells whose request it is."""
    code = tracking_code.strip()
    if not code:
        return None
    return (
        DisclosureRequest.objects.filter(
            tracking_code=code,
            receiving_unit_id=request.receiving_unit_id,
            id_number=request.id_number,
        )
        .exclude(pk=request.pk)
        .first()
    )


def outcome_refusal(
    request: DisclosureRequest,
    outcome: str,
    *,
    today: dt.date,
    earlier: DisclosureRequest | None = None,
) -> str:
    """Why `outcome` cannot be the answer yet (the missing step, in words), or "". For a
    repeated request `earlier` is the request named as answered before (default: the one
    intake linked)."""
    if outcome == Outcome.STILL_UNCLEAR:
        return _still_unclear_refusal(request)
    if outcome == Outcome.EXCESSIVE:
        return _excessive_refusal(request, today=today)
    if outcome == Outcome.FEE_UNPAID:
        return _fee_unpaid_refusal(request, today=today)
    if outcome == Outcome.REPEATED:
        return earlier_request_refusal(request, earlier or request.duplicate_of)
    return ""


def outcome_refusals(request: DisclosureRequest, *, today: dt.date) -> dict[str, str]:
    """outcome -> why it is not possible, for the gated outcomes whose step is missing. A
    repeated request is left out: the answer form names the earlier request itself."""
    refusals = {
        outcome.value: outcome_refusal(request, outcome, today=today)
        for outcome in GATED_OUTCOMES
        if outcome != Outcome.REPEATED
    }
    return {outcome: refusal for outcome, refusal in refusals.items() if refusal}
