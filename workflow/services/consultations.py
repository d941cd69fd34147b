"""Consulting a third party (Art. 32) or another agency (Art. 34) about a request.

The request's clock pauses from the day the letter is sent until the consultation is closed
(Art. 33 ¶3). The consulted party has 15 working days from the day it *received* the letter; by
post that is later than the day it was sent, so the receipt date is recorded when known. Until
then the party's last day is bounded by the sending date plus CONSULTATION_DELIVERY_ALLOWANCE_DAYS
(delivery) plus the 15 days, so no consultation pauses a request without end.

When the last day passes without an answer the sweep closes the consultation on that day
(`consultation_lapse`): the pause ends on the last day, and what the silence means differs: for
another agency it counts as agreement to disclose (Art. 34), for a third party the agency decides
(Art. 32).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from review.permissions import can_handle_request

from ..exceptions import NotAllowed, WorkflowError
from ..models import Consultation, DisclosureRequest
from ..workdays import WorkCalendar
from .dates import date_refusal, request_date_floor
from .letters import letter_issue
from .request_clock import CONSULTATION_DAYS, iso, request_clock_update

CONSULTATION_LETTERS = {
    Consultation.Kind.THIRD_PARTY: "consultation",
    Consultation.Kind.AGENCY: "consultation_agency",
}


def open_request_locked(request_id: int, user, check=can_handle_request) -> DisclosureRequest:
    """The request, locked, if `user` may change it (`check`) and it is being handled."""
    request = DisclosureRequest.objects.select_for_update().get(pk=request_id)
    if not check(user, request):
        raise NotAllowed(_("You do not handle this request."))
    if request.status != DisclosureRequest.Status.IN_PROGRESS:
        raise WorkflowError(_("Only a request being handled can be changed this way."))
    return request


def consultation_due(consultation: Consultation, *, calendar: WorkCalendar) -> dt.date:
    """The consulted party's last day: 15 working days after it received the letter (Arts. 32,
    34), or, while that day is not recorded, after the sending date plus the delivery
    allowance."""
    if consultation.received_on is not None:
        return calendar.count_forward(consultation.received_on, CONSULTATION_DAYS).due
    days = CONSULTATION_DAYS + settings.CONSULTATION_DELIVERY_ALLOWANCE_DAYS
    return calendar.count_forward(consultation.sent_on, days).due


def silence_opinion(kind: str) -> Consultation.Opinion:
    """What no answer in time means: agreement from an agency (Art. 34), nothing from a third
    party, whose silence leaves the decision to the agency (Art. 32)."""
    if kind == Consultation.Kind.AGENCY:
        return Consultation.Opinion.DEEMED_AGREED
    return Consultation.Opinion.NO_REPLY


def _check_received(received_on, *, sent_on, floor, today) -> dict[str, str]:
    if received_on is None:
        return {}
    refusal = date_refusal(received_on, floor=floor, today=today)
    if not refusal and received_on < sent_on:
        refusal = _("The party cannot have received the letter before it was sent.")
    return {"received_on": refusal} if refusal else {}


@transaction.atomic
def consultation_open(
    *,
    request_id: int,
    user,
    kind: str,
    party: str,
    question: str,
    sent_on: dt.date | None = None,
    received_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Consultation:
    """Ask a third party (Art. 32) or another agency (Art. 34): the request's clock pauses from
    the sending date until the consultation is closed (Art. 33 ¶3). `received_on`, the day the
    party received the letter, may follow later (`consultation_receipt_record`)."""
    today = today or timezone.localdate()
    sent_on = sent_on or today
    request = open_request_locked(request_id, user)
    floor = request_date_floor(request.receiving_unit)
    errors = {}
    if not party.strip():
        errors["party"] = _("Name who is consulted.")
    if not question.strip():
        errors["question"] = _("Say what the consulted party is asked.")
    refusal = date_refusal(sent_on, floor=floor, today=today)
    if refusal:
        errors["sent_on"] = refusal
    elif request.clock_start and sent_on < request.clock_start:
        errors["sent_on"] = _("The clock of this request started later.")
    errors.update(_check_received(received_on, sent_on=sent_on, floor=floor, today=today))
    if errors:
        raise ValidationError(errors)
    consultation = Consultation(
        request=request,
        kind=kind,
        party=party,
        question=question,
        sent_on=sent_on,
        received_on=received_on,
        created_by=user,
    )
    consultation.due_on = consultation_due(consultation, calendar=WorkCalendar.load())
    consultation.save()
    # A third party is consulted under Art. 32 (the agency decides after its silence), another
    # agency under Art. 34 (its silence is agreement): each has its own letter.
    letter_issue(
        request=request,
        kind=CONSULTATION_LETTERS[kind],
        user=user,
        on=sent_on,
        reason=question,
        party=party,
    )
    request_clock_update(
        request=request,
        actor=user,
        event="paused",
        comment=party,
        data={
            "consultation": consultation.pk,
            "kind": kind,
            "sent_on": sent_on.isoformat(),
            "received_on": iso(received_on),
            "party_due_on": consultation.due_on.isoformat(),
        },
    )
    return consultation


def _locked_open_consultation(consultation_id: int, user) -> tuple[DisclosureRequest, Consultation]:
    request_id = Consultation.objects.values_list("request_id", flat=True).get(pk=consultation_id)
    request = open_request_locked(request_id, user)
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    if not consultation.is_open:
        raise WorkflowError(_("This consultation is already closed."))
    return request, consultation


@transaction.atomic
def consultation_receipt_record(
    *, consultation_id: int, user, received_on: dt.date, today: dt.date | None = None
) -> Consultation:
    """The day the party received the letter (its signature on the delivery receipt): the 15
    working days run from it."""
    today = today or timezone.localdate()
    request, consultation = _locked_open_consultation(consultation_id, user)
    errors = _check_received(
        received_on,
        sent_on=consultation.sent_on,
        floor=request_date_floor(request.receiving_unit),
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    old_received, old_due = consultation.received_on, consultation.due_on
    consultation.received_on = received_on
    consultation.due_on = consultation_due(consultation, calendar=WorkCalendar.load())
    consultation.save(update_fields=["received_on", "due_on"])
    audit_log(
        actor=user,
        action="request.consultation.received",
        subject=request,
        old_state=iso(old_due),
        new_state=iso(consultation.due_on),
        comment=consultation.party,
        data={
            "consultation": consultation.pk,
            "old_received_on": iso(old_received),
            "received_on": received_on.isoformat(),
            "old_due_on": iso(old_due),
            "new_due_on": iso(consultation.due_on),
        },
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
    """The opinion came back (or the 15 days ran out): the clock runs again after that day."""
    today = today or timezone.localdate()
    replied_on = replied_on or today
    request, consultation = _locked_open_consultation(consultation_id, user)
    opinion = Consultation.Opinion(opinion)
    if replied_on > today or replied_on < consultation.sent_on:
        raise ValidationError({"replied_on": _("The date must lie between the letter and today.")})
    if opinion in (Consultation.Opinion.NO_REPLY, Consultation.Opinion.DEEMED_AGREED):
        if replied_on <= consultation.due_on:
            raise ValidationError(
                {
                    "opinion": _("The consulted party has until %(date)s to reply.")
                    % {"date": consultation.due_on.isoformat()}
                }
            )
        # Silence means what the article of the consulted party says, whatever was picked.
        opinion = silence_opinion(consultation.kind)
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


def consultations_lapsing(*, today: dt.date) -> list[int]:
    """Open consultations of open requests whose last day is over (one indexed read)."""
    return list(
        Consultation.objects.filter(
            replied_on__isnull=True,
            due_on__lt=today,
            request__status__in=DisclosureRequest.OPEN_STATUSES,
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def consultation_lapse(*, consultation_id: int, today: dt.date) -> Consultation | None:
    """The consulted party's time ran out without an answer: close the consultation on its last
    day, so the pause ends there and the clock runs again after it. Done by the sweep (no
    actor), audited. None when there is nothing to do (answered meanwhile, or not yet over)."""
    request_id = Consultation.objects.values_list("request_id", flat=True).get(pk=consultation_id)
    # The request first, then the consultation: the order every other writer takes.
    request = DisclosureRequest.objects.select_for_update().get(pk=request_id)
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    if not consultation.is_open or consultation.due_on >= today or not request.is_open:
        return None
    consultation.opinion = silence_opinion(consultation.kind)
    consultation.replied_on = consultation.due_on
    consultation.save(update_fields=["opinion", "replied_on"])
    audit_log(
        actor=None,
        action="request.consultation.lapsed",
        subject=request,
        new_state=consultation.opinion,
        comment=consultation.party,
        data={
            "consultation": consultation.pk,
            "kind": consultation.kind,
            "received_on": iso(consultation.received_on),
            "last_day": consultation.due_on.isoformat(),
        },
    )
    request_clock_update(
        request=request,
        actor=None,
        event="resumed",
        comment=consultation.party,
        data={
            "consultation": consultation.pk,
            "opinion": consultation.opinion,
            "replied_on": consultation.replied_on.isoformat(),
            "lapsed": True,
        },
    )
    return consultation


def consultations_recompute(
    *, request: DisclosureRequest, actor, reason: str, calendar: WorkCalendar
) -> list[dict]:
    """After a calendar edit: the open consultations' last days, each change audited. Returns the
    changes."""
    changes = []
    for consultation in request.consultations.all():
        if not consultation.is_open:
            continue
        due = consultation_due(consultation, calendar=calendar)
        if due == consultation.due_on:
            continue
        change = {
            "consultation": consultation.pk,
            "old_due_on": iso(consultation.due_on),
            "new_due_on": iso(due),
        }
        Consultation.objects.filter(pk=consultation.pk).update(due_on=due)
        audit_log(
            actor=actor,
            action="request.consultation.due_changed",
            subject=request,
            old_state=change["old_due_on"],
            new_state=change["new_due_on"],
            comment=reason,
            data=change,
        )
        consultation.due_on = due
        changes.append(change)
    return changes
