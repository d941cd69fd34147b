"""Telling the applicant about their request: 受理, 补正, 延期, 答复 and 收费.

The Regulation has the agency tell the applicant of a correction (Art. 30, 一次性告知), of an
extension (Art. 33 ¶2, 告知申请人) and of the answer (Arts. 36-37); the fee notice of
国办函〔2020〕109号 is a notice too. Those stay letters (workflow.letters), delivered as the
applicant chose. These messages come on top, by e-mail to the address the applicant gave (and by
SMS where the office switched it on and the applicant agreed): they say at once that something
happened and what to do, so that a correction deadline does not pass while a letter is in the
post.

How the steps reach here: the workflow does not import this app (it sits below it); its steps
write audit rows, and the rows whose action is in ACTION_EVENTS call `applicant_on_audit` inside
the step's transaction (audit.services.audit_listen). A step with no such row calls
`applicant_notify` itself (the fee notice: `applicant_fee_notify`). Either way the message is a
row made in the step's transaction and sent after commit through the outbox, never inside it; a
row is unique per request, event, occasion (`key`) and channel, so a step run twice, a task
redelivered or a message published twice tells the applicant once.

The texts are ApplicantTemplate rows (seeded in Chinese by migration 0004, edited in the admin,
every change audited), rendered when the message is made and frozen on it.
"""

import logging
import re
from collections.abc import Mapping
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone, translation

from audit.services import audit_log
from workflow.letters import cn_date
from workflow.models import DisclosureRequest

from .channels import channels
from .delivery import record_failure
from .dispatch import enqueue_many
from .models import ApplicantEvent, ApplicantNotice, ApplicantTemplate
from .services import NOTICE_TASK

log = logging.getLogger(__name__)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Audit actions of the request's steps that tell the applicant, and what. The steps developer's
# 签收 (a 受理回执) adds its action here as RECEIVED; each action is its own occasion (`key`), so
# the applicant hears of receipt and again of the signing-for, each once.
ACTION_EVENTS: dict[str, str] = {
    # The receipt date is fixed (Art. 31): at registration, or when the online request's receipt
    # is confirmed; and the corrected request's receipt, from which the time limit runs (Art. 30).
    "request.clock.started": ApplicantEvent.RECEIVED,
    "request.clock.restarted": ApplicantEvent.RECEIVED,
    # The one correction notice (Art. 30): the clock stops until the corrected request arrives.
    "request.clock.stopped": ApplicantEvent.CORRECTION,
    # The extension the head of the disclosure office consented to (Art. 33 ¶2).
    "request.clock.extended": ApplicantEvent.EXTENSION,
    # The answer letter was delivered (Arts. 36-39).
    "request.answer.delivered": ApplicantEvent.ANSWERED,
}
TEMPLATE_FIELDS = ("subject", "body", "sms")


def _cn_date(value) -> str:
    """A date, or an audit row's ISO date, as the letters write it (workflow.letters.cn_date)."""
    if isinstance(value, str) and value:
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return cn_date(value) if isinstance(value, date) else ""


def applicant_context(request) -> dict[str, str]:
    """The placeholders every message may use, from the request as it stands."""
    with translation.override("zh-hans"):
        outcome = str(request.get_outcome_display()) if request.outcome else ""
    return {
        "applicant": request.applicant_name,
        "tracking_code": request.tracking_code,
        "unit": request.receiving_unit.name,
        "submitted_on": _cn_date(request.submitted_on),
        "received_on": _cn_date(request.received_on),
        "due_on": _cn_date(request.due_on),
        "correction": "",
        "correction_due_on": _cn_date(request.correction_due_on),
        "extension_days": str(request.extension_days or ""),
        "reason": "",
        "answered_on": _cn_date(request.answered_on),
        "outcome": outcome,
        # The tracking code is the applicant's key: it goes in the text, not in the link.
        "status_url": settings.SITE_URL.rstrip("/") + reverse("public:status"),
    }


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"  # a mistyped placeholder stays visible instead of failing


def render_text(text: str, values: Mapping[str, str]) -> str:
    filled = _KeepUnknown(values)
    return _PLACEHOLDER.sub(lambda m: str(filled[m.group(1)]), text)


def applicant_notify(
    *,
    request,
    event: str,
    key: str,
    context: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> list[ApplicantNotice]:
    """Tell the applicant of `request` about `event` on every channel that reaches them (e-mail
    when they gave one), once per `key`. Call it inside the step's transaction: the messages are
    sent after it commits. Returns the messages made now (none when already told)."""
    template = ApplicantTemplate.objects.filter(event=event).first()
    if template is None:
        log.warning("no message template for applicant event %s: nobody told", event)
        return []
    values = {**applicant_context(request), **{k: str(v) for k, v in (context or {}).items()}}
    now = now or timezone.now()
    made = []
    for code, target in channels().items():
        address = target.applicant_address(request)
        if not address:
            continue
        text = template.body if code == "email" else template.sms
        if not text.strip():
            continue  # this event has no text for this channel (an empty SMS text)
        held = target.held_until(now=now, staff=False)
        try:
            with transaction.atomic():  # a savepoint: the step's transaction goes on
                made.append(
                    ApplicantNotice.objects.create(
                        request=request,
                        event=event,
                        key=key[:120],
                        channel=code,
                        address=address,
                        subject=render_text(template.subject, values)[:200],
                        body=render_text(text, values),
                        status=(
                            ApplicantNotice.Status.SCHEDULED
                            if held
                            else ApplicantNotice.Status.PENDING
                        ),
                        not_before=held,
                    )
                )
        except IntegrityError:
            continue  # told already on this occasion
    enqueue_many(
        (NOTICE_TASK, [n.pk], {}) for n in made if n.status == ApplicantNotice.Status.PENDING
    )
    return made


def applicant_fee_notify(
    *, request, fee_key: str, amount: str, pay_by: date, payment: str = ""
) -> list[ApplicantNotice]:
    """For the fee step (国办函〔2020〕109号): tell the applicant of a fee notice. `fee_key` names
    the notice (its id), `amount` is the sum as written in the letter, `pay_by` the last day to
    pay, `payment` how to pay."""
    return applicant_notify(
        request=request,
        event=ApplicantEvent.FEE,
        key=f"fee:{fee_key}",
        context={"amount": amount, "pay_by": _cn_date(pay_by), "payment": payment},
    )


# The fee step's audit row (workflow.services.fees) carries what the message says.
FEE_ACTIONS = ("request.fee.issued",)


def applicant_on_fee_audit(*, action: str, subject, data: dict, comment: str) -> None:
    """audit.services calls this when a fee notice is issued, inside the step."""
    applicant_fee_notify(
        request=subject,
        fee_key=str(data["fee_notice"]),
        amount=data["amount"],
        pay_by=date.fromisoformat(data["pay_by"]),
        payment=data.get("payment", ""),
    )


def applicant_on_audit(*, action: str, subject, data: dict, comment: str) -> None:
    """audit.services calls this for the actions of ACTION_EVENTS, inside the step."""

    if isinstance(subject, DisclosureRequest):
        request = subject
    elif data.get("request"):
        request = DisclosureRequest.objects.select_related("receiving_unit").get(pk=data["request"])
    else:
        return
    context: dict[str, str] = {}
    if action == "request.clock.restarted":
        context["received_on"] = _cn_date(data.get("correction_received_on", ""))
    elif action == "request.clock.stopped":
        context["correction"] = comment
        context["correction_due_on"] = _cn_date(data.get("correction_due_on", ""))
    elif action == "request.clock.extended":
        context["reason"] = comment
        context["extension_days"] = str(data.get("days", ""))
    if data.get("new_due_on"):
        context["due_on"] = _cn_date(data["new_due_on"])
    applicant_notify(request=request, event=ACTION_EVENTS[action], key=action, context=context)


def notice_send(*, notice_id: int) -> str:
    """Send one pending message under its row lock and mark it sent in the same transaction:
    a repeated or redelivered task finds it sent and does nothing."""
    with transaction.atomic():
        notice = ApplicantNotice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != ApplicantNotice.Status.PENDING:
            return notice.status if notice else "missing"
        target = channels().get(notice.channel)
        if target is None:
            notice.status = ApplicantNotice.Status.FAILED
            notice.last_error = f"channel {notice.channel!r} is not configured"
        else:
            target.send_one(
                address=notice.address,
                subject=notice.subject,
                body=notice.body,
                ref=f"applicant-{notice.pk}",
                event=notice.event,
            )
            notice.status = ApplicantNotice.Status.SENT
            notice.sent_at = timezone.now()
        notice.attempts += 1
        notice.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return notice.status


def notice_record_failure(*, notice_id: int, error: str) -> bool:
    return record_failure(ApplicantNotice, notice_id, error)


@transaction.atomic
def applicant_template_save(*, template: ApplicantTemplate, user) -> ApplicantTemplate:
    """Save a message template edited in the admin, auditing the fields that changed, old and
    new (as the disclosure guides are: portal.services.guide_save)."""
    before = {}
    if template.pk:
        before = model_to_dict(
            ApplicantTemplate.objects.select_for_update().get(pk=template.pk), TEMPLATE_FIELDS
        )
    after = model_to_dict(template, TEMPLATE_FIELDS)
    changed = {
        name: {"old": before.get(name, ""), "new": after[name]}
        for name in TEMPLATE_FIELDS
        if before.get(name, "") != after[name]
    }
    template.updated_by = user
    template.save()
    audit_log(
        actor=user,
        action=(
            "notifications.applicant_template.updated"
            if before
            else "notifications.applicant_template.created"
        ),
        subject=template,
        data={"event": template.event, "changed": changed},
    )
    return template
