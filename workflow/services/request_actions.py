"""What can happen to a request beside its flow: consultations that pause the clock (Arts. 32-34),
an extension approved once by the head of the disclosure office (Art. 33 ¶2), and making
much-requested information proactive (Art. 44)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from review.permissions import can_approve_extension, can_handle_request

from ..exceptions import NotAllowed, WorkflowError
from ..models import Consultation, DisclosureRequest, Extension, Item
from ..workdays import WorkCalendar
from .intake import same_information
from .request_clock import CONSULTATION_DAYS, MAX_EXTENSION_DAYS, request_clock_update
from .requests import letter_issue


def _open_request(request_id: int, user, check=can_handle_request) -> DisclosureRequest:
    request = DisclosureRequest.objects.select_for_update().get(pk=request_id)
    if not check(user, request):
        raise NotAllowed(_("You do not handle this request."))
    if request.status != DisclosureRequest.Status.IN_PROGRESS:
        raise WorkflowError(_("Only a request being handled can be changed this way."))
    return request


@transaction.atomic
def consultation_open(
    *,
    request_id: int,
    user,
    kind: str,
    party: str,
    question: str,
    sent_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Consultation:
    """Ask a third party (Art. 32) or another agency (Art. 34): the party has 15 working days,
    and the request's clock pauses until the consultation is closed (Art. 33 ¶3)."""
    today = today or timezone.localdate()
    sent_on = sent_on or today
    errors = {}
    if not party.strip():
        errors["party"] = _("Name who is consulted.")
    if not question.strip():
        errors["question"] = _("Say what the consulted party is asked.")
    if sent_on > today:
        errors["sent_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    request = _open_request(request_id, user)
    if request.clock_start and sent_on < request.clock_start:
        raise ValidationError({"sent_on": _("The clock of this request started later.")})
    consultation = Consultation.objects.create(
        request=request,
        kind=kind,
        party=party,
        question=question,
        sent_on=sent_on,
        due_on=WorkCalendar.load().count_forward(sent_on, CONSULTATION_DAYS).due,
        created_by=user,
    )
    letter_issue(request=request, kind="consultation", user=user, on=sent_on, reason=question)
    request_clock_update(
        request=request,
        actor=user,
        event="paused",
        comment=party,
        data={"consultation": consultation.pk, "kind": kind, "sent_on": sent_on.isoformat()},
    )
    return consultation


@transaction.atomic
def consultation_close(
    *,
    consultation_id: int,
    user,
    opinion: str,
    reply: str = "",
    replied_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Consultation:
    """The opinion came back (or the 15 days ran out): the clock runs again from that day."""
    today = today or timezone.localdate()
    replied_on = replied_on or today
    request_id = Consultation.objects.values_list("request_id", flat=True).get(pk=consultation_id)
    request = _open_request(request_id, user)
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    if not consultation.is_open:
        raise WorkflowError(_("This consultation is already closed."))
    opinion = Consultation.Opinion(opinion)
    if replied_on > today or replied_on < consultation.sent_on:
        raise ValidationError({"replied_on": _("The date must lie between the letter and today.")})
    if opinion == Consultation.Opinion.NO_REPLY and replied_on <= consultation.due_on:
        raise ValidationError(
            {
                "opinion": _("The consulted party has until %(date)s to reply.")
                % {"date": consultation.due_on.isoformat()}
            }
        )
    consultation.opinion = opinion
    consultation.reply = reply
    consultation.replied_on = replied_on
    consultation.save()
    request_clock_update(
        request=request,
        actor=user,
        event="resumed",
        comment=reply,
        data={
            "consultation": consultation.pk,
            "opinion": opinion.value,
            "replied_on": replied_on.isoformat(),
        },
    )
    return consultation


@transaction.atomic
def extension_request(*, request_id: int, user, days: int, reason: str) -> Extension:
    request = _open_request(request_id, user)
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
    """The head of the disclosure office consents (or not); on consent the due date moves and the
    applicant is sent the extension notice (Art. 33 ¶2)."""
    today = today or timezone.localdate()
    request_id = Extension.objects.values_list("request_id", flat=True).get(pk=extension_id)
    request = _open_request(request_id, user, check=can_approve_extension)
    extension = Extension.objects.select_for_update().get(pk=extension_id)
    if extension.status != Extension.Status.PENDING:
        raise WorkflowError(_("This extension has already been decided."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the extension is refused.")})
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
