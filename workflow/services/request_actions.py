"""What can happen to a request beside its flow: consultations that pause the clock (Arts. 32-34,
services.consultations), an extension approved once by the head of the disclosure office before
the original due date (Art. 33 ¶2), and making much-requested information proactive (Art. 44)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from review.permissions import can_approve_extension

from ..exceptions import WorkflowError
from ..models import DisclosureRequest, Extension, Item
from .consultations import consultation_close as consultation_close
from .consultations import consultation_open as consultation_open
from .consultations import open_request_locked
from .intake import same_information
from .letters import letter_issue
from .request_clock import MAX_EXTENSION_DAYS, request_clock_update


def extension_too_late(request: DisclosureRequest, *, today: dt.date) -> str:
    """Why an extension can no longer be asked for or granted, or "".

    Art. 33 ¶2 extends a time limit that is still running: once the original due date has passed
    the answer is late, and an extension decided afterwards (and its notice to the applicant)
    would only hide that. So both the request and the consent must come by the original due date
    (the last day of the 20 working days, moved only by consultation pauses); the extension notice
    is issued with the consent, so it too is dated no later than that day. While a consultation
    pauses the clock the due date is not yet fixed, so an extension may still be asked for."""
    if request.extension_days:
        return ""  # already extended: the once-only rule answers
    if request.due_on is not None and today > request.due_on:
        return _(
            "The original due date %(date)s has passed: an extension had to be asked for and "
            "granted by then (Art. 33 ¶2). Answer the request now; the delay stays on record."
        ) % {"date": request.due_on.isoformat()}
    return ""


@transaction.atomic
def extension_request(
    *, request_id: int, user, days: int, reason: str, today: dt.date | None = None
) -> Extension:
    today = today or timezone.localdate()
    request = open_request_locked(request_id, user)
    late = extension_too_late(request, today=today)
    if late:
        raise WorkflowError(late)
    errors = {}
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = _("An extension is 1 to %(max)s working days (Art. 33).") % {
            "max": MAX_EXTENSION_DAYS
        }
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension.")
    if request.extensions.filter(status=Extension.Status.APPROVED).exists():
        errors["days"] = _("This request was already extended once; the law allows one extension.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            extension = Extension.objects.create(
                request=request, days=days, reason=reason, requested_by=user
            )
    except IntegrityError as exc:
        raise WorkflowError(_("An extension for this request is already waiting.")) from exc
    audit_log(
        actor=user,
        action="request.extension.requested",
        subject=request,
        new_state=Extension.Status.PENDING,
        comment=reason,
        data={"extension": extension.pk, "days": days},
    )
    return extension


@transaction.atomic
def extension_decide(
    *, extension_id: int, user, approve: bool, comment: str = "", today: dt.date | None = None
) -> Extension:
    """The head of the disclosure office consents (or not); on consent, by the original due date
    (`extension_too_late`), the due date moves and the applicant is sent the extension notice,
    dated that day (Art. 33 ¶2)."""
    today = today or timezone.localdate()
    request_id = Extension.objects.values_list("request_id", flat=True).get(pk=extension_id)
    request = open_request_locked(request_id, user, check=can_approve_extension)
    extension = Extension.objects.select_for_update().get(pk=extension_id)
    if extension.status != Extension.Status.PENDING:
        raise WorkflowError(_("This extension has already been decided."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the extension is refused.")})
    late = extension_too_late(request, today=today) if approve else ""
    if late:
        # Refusing stays possible, so a request left waiting does not hang in the head's list.
        raise WorkflowError(late)
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.decided_by = user
    extension.decided_at = timezone.now()
    extension.comment = comment
    try:
        with transaction.atomic():
            extension.save()
    except IntegrityError as exc:
        raise WorkflowError(
            _("This request was already extended once; the law allows one extension.")
        ) from exc
    audit_log(
        actor=user,
        action=f"request.extension.{extension.status}",
        subject=request,
        old_state=Extension.Status.PENDING,
        new_state=extension.status,
        comment=comment,
        data={"extension": extension.pk, "days": extension.days},
    )
    if approve:
        request.extension_days = extension.days
        request.save(update_fields=["extension_days", "updated_at"])
        request_clock_update(
            request=request,
            actor=user,
            event="extended",
            comment=extension.reason,
            data={"extension": extension.pk, "days": extension.days},
        )
        letter_issue(
            request=request,
            kind="extension",
            user=user,
            on=today,
            reason=extension.reason,
            extension_days=extension.days,
        )
    return extension


CONVERTIBLE_OUTCOMES = {"disclosed", "partly_disclosed", "already_public"}


def same_information_requests(*, request: DisclosureRequest, limit: int = 500):
    """Other applicants' requests to the same unit for the same information (Art. 44)."""
    candidates = (
        DisclosureRequest.objects.filter(receiving_unit=request.receiving_unit)
        .exclude(pk=request.pk)
        .exclude(id_number=request.id_number)
        .order_by("-created_at")[:limit]
    )
    return [other for other in candidates if same_information(request, other)]


def conversion_proposed(
    *, request: DisclosureRequest, others: list[DisclosureRequest] | None = None
) -> bool:
    """Propose making the answer proactive once enough applicants asked for it and it could be
    disclosed (Art. 44). Pass `others` when the caller already has same_information_requests."""
    if request.converted_item_id or request.outcome not in CONVERTIBLE_OUTCOMES:
        return False
    if request.answer_item_id is None:
        return False
    if others is None:
        others = same_information_requests(request=request)
    applicants = {request.id_number} | {other.id_number for other in others}
    return len(applicants) >= settings.REQUEST_CONVERSION_APPLICANTS


@transaction.atomic
def request_convert_to_proactive(*, request_id: int, user) -> Item:
    """One action: a proactive draft from the answer, submitted into the proactive flow, where it
    is reviewed and approved again for the public (the applicant's answer is not the public text
    by default)."""
    from .items import item_create, item_submit

    request = DisclosureRequest.objects.select_for_update().get(pk=request_id)
    if not conversion_proposed(request=request):
        raise WorkflowError(_("This request is not proposed for proactive disclosure."))
    answer = request.answer_item
    item = item_create(
        author=user,
        section=answer.section,
        title=request.description.splitlines()[0][:200],
        summary=_("Made proactive after several requests (Regulation Art. 44)")[:500],
        body=answer.body,
        category=answer.category,
        attribute=Item.Attribute.PROACTIVE,
        scope=answer.scope,
    )
    request.converted_item = item
    request.save(update_fields=["converted_item", "updated_at"])
    audit_log(
        actor=user,
        action="request.converted_to_proactive",
        subject=request,
        data={"item": item.pk},
    )
    item_submit(item=item, user=user)
    return item
