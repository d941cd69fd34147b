"""Receiving disclosure requests: by staff for paper, mail and fax, or by the public online form.

Receipt dates follow Regulation Art. 31: an ordinary letter, an online or a faxed request is
received on the day its receipt is confirmed with the applicant, so the day it arrived is recorded
too and the confirmation is due (and reminded) from it. Dates that make no sense are refused
(services.dates). Duplicates (Art. 36(6)) and clearly excessive requests (Art. 35) are detected at
intake and shown to the officer, who decides.
"""

import datetime as dt
import difflib
import re
import secrets
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log

from ..models import Channel, DisclosureRequest, RequestAttachment, Unit
from ..uploads import check_upload
from ..workdays import WorkCalendar
from .dates import dates_refusals, request_date_floor
from .request_clock import (
    CONFIRMED_CHANNELS,
    receipt_confirmation_due,
    request_clock_update,
    request_receive,
)

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
SIMILAR = 0.85

REQUEST_FIELDS = (
    "channel",
    "submitted_on",
    "arrived_on",
    "signed_on",
    "confirmed_on",
    "applicant_kind",
    "organisation_type",
    "applicant_name",
    "id_number",
    "contact_person",
    "phone",
    "email",
    "sms_consent",
    "address",
    "description",
    "document_number",
    "delivery_form",
    "delivery_method",
)


def receipt_date(
    *,
    channel: str,
    submitted_on: dt.date | None,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
) -> dt.date | None:
    """Art. 31: in person, the day submitted; registered mail, the day signed for; ordinary mail,
    online and fax, the day both sides confirm (None until then)."""
    if channel == Channel.IN_PERSON:
        return submitted_on
    if channel == Channel.REGISTERED_MAIL:
        return signed_on
    return confirmed_on


def tracking_code_new(*, today: dt.date) -> str:
    random_part = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"YSQ{today:%Y}-{random_part[:4]}-{random_part[4:]}"


def _normalised(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text).lower()


def same_information(a: DisclosureRequest, b: DisclosureRequest) -> bool:
    """Two requests ask for the same information: the same document number, or descriptions that
    read the same once spacing and punctuation are ignored."""
    if a.document_number and a.document_number.strip() == b.document_number.strip():
        return True
    left, right = _normalised(a.description), _normalised(b.description)
    if not left or not right:
        return False
    return left == right or difflib.SequenceMatcher(None, left, right).ratio() >= SIMILAR


DATE_FIELDS = ("submitted_on", "arrived_on", "signed_on", "confirmed_on")


def _validate_dates(data: dict, *, unit: Unit, today: dt.date) -> dict[str, str]:
    """Art. 31's dates, each in its place: none in the future or before the floor
    (services.dates), none before the one it follows (submitted -> arrived -> confirmed; submitted
    -> signed for)."""
    channel = data.get("channel")
    if channel not in CONFIRMED_CHANNELS:
        data["arrived_on"] = None  # in person or signed for: the receipt date says it all
    elif channel != Channel.ORDINARY_MAIL and not data.get("arrived_on"):
        data["arrived_on"] = data.get("submitted_on")  # online, fax: arrives when sent
    errors = dates_refusals(
        {name: data.get(name) for name in DATE_FIELDS},
        floor=request_date_floor(unit),
        today=today,
    )
    if channel == Channel.REGISTERED_MAIL and not data.get("signed_on"):
        errors["signed_on"] = _("Registered mail is received on the day it is signed for.")
    if channel == Channel.ORDINARY_MAIL and not data.get("arrived_on"):
        errors["arrived_on"] = _(
            "Enter the day the letter arrived: it is confirmed with the applicant that day "
            "(Art. 31(二))."
        )
    submitted, arrived = data.get("submitted_on"), data.get("arrived_on")
    order = (
        ("arrived_on", submitted, _("The date cannot be before the request was submitted.")),
        ("signed_on", submitted, _("The date cannot be before the request was submitted.")),
        ("confirmed_on", arrived or submitted, _("Receipt cannot be confirmed before it arrived.")),
    )
    for name, earliest, message in order:
        value = data.get(name)
        if name not in errors and value and earliest and value < earliest:
            errors[name] = message
    return errors


def _validate(data: dict, *, unit: Unit, today: dt.date, staff: bool) -> dict:
    errors: dict[str, str] = {}
    for name in ("applicant_name", "id_number", "phone", "description"):
        if not str(data.get(name) or "").strip():
            errors[name] = _("This field is required.")
    for name in ("applicant_name", "contact_person", "address", "description", "document_number"):
        if MARKUP.search(str(data.get(name) or "")):
            errors[name] = _("Please write plain text: markup such as <tags> is not accepted.")
    if data.get("applicant_kind") == "legal_person" and not data.get("organisation_type"):
        errors["organisation_type"] = _("Choose the type of organisation.")
    if data.get("applicant_kind") == "natural_person":
        data["organisation_type"] = ""
    if not staff:
        # The public form takes no date: the request arrives today and waits for confirmation.
        data.update(
            channel=Channel.ONLINE,
            submitted_on=today,
            arrived_on=today,
            signed_on=None,
            confirmed_on=None,
        )
    if not data.get("submitted_on"):
        errors["submitted_on"] = _("This field is required.")
    errors.update(_validate_dates(data, unit=unit, today=today))
    if errors:
        raise ValidationError(errors)
    return data


def _detect_duplicates_and_excess(request: DisclosureRequest, *, today: dt.date) -> None:
    earlier = DisclosureRequest.objects.filter(
        id_number=request.id_number, receiving_unit=request.receiving_unit
    ).exclude(pk=request.pk)
    for other in earlier.order_by("created_at")[:200]:
        if same_information(request, other):
            request.duplicate_of = other
            break
    year_ago = today - dt.timedelta(days=365)
    recent = earlier.filter(submitted_on__gte=year_ago).count() + 1
    limit = settings.REQUEST_EXCESSIVE_PER_YEAR
    if recent >= limit:
        request.excessive_flag = True
        request.excessive_note = _(
            "%(count)s requests from this applicant to this unit in the last 12 months "
            "(threshold %(limit)s)."
        ) % {"count": recent, "limit": limit}


@contextmanager
def _atomic_keeping_no_orphan_files():
    """A transaction whose stored files go when it fails, at commit included (a dropped
    connection): Django has no on-rollback hook, and a file without its row is a leak of an
    applicant's papers that nothing would ever clean up."""
    stored: list = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise


def _create(
    *, unit: Unit, data: dict, files: list[UploadedFile], user, today: dt.date, stored: list
) -> DisclosureRequest:
    """Without a receipt date (ordinary mail, online, fax not yet confirmed) the request waits
    as SUBMITTED; the completeness check records the confirmation."""
    for upload in files:
        check_upload(upload)
    values = {name: data.get(name) for name in REQUEST_FIELDS if name in data}
    for name, value in list(values.items()):
        if value is None and name not in DATE_FIELDS:
            values[name] = ""
    values["sms_consent"] = bool(values.get("sms_consent"))
    received = receipt_date(
        channel=values["channel"],
        submitted_on=values.get("submitted_on"),
        signed_on=values.get("signed_on"),
        confirmed_on=values.get("confirmed_on"),
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request = DisclosureRequest.objects.create(
                    tracking_code=tracking_code_new(today=today),
                    receiving_unit=unit,
                    status=DisclosureRequest.Status.REGISTERED
                    if received
                    else DisclosureRequest.Status.SUBMITTED,
                    created_by=user,
                    **values,
                )
            break
        except IntegrityError:  # a tracking code collision: draw again
            continue
    else:  # pragma: no cover - 32^8 codes a year
        raise RuntimeError("could not allocate a tracking code")
    calendar = WorkCalendar.load()
    request.confirmation_due_on = receipt_confirmation_due(request, calendar=calendar)
    if received:
        request_receive(request, received=received, calendar=calendar)
    _detect_duplicates_and_excess(request, today=today)
    request.save()
    audit_log(
        actor=user,
        action="request.registered",
        subject=request,
        new_state=request.status,
        data={
            "channel": request.channel,
            "received_on": request.received_on.isoformat() if request.received_on else "",
            "arrived_on": request.arrived_on.isoformat() if request.arrived_on else "",
            "confirmation_due_on": (
                request.confirmation_due_on.isoformat() if request.confirmation_due_on else ""
            ),
            "duplicate_of": request.duplicate_of_id,
            "excessive": request.excessive_flag,
        },
    )
    if received:
        request_clock_update(request=request, actor=user, event="started", calendar=calendar)
    from ..flows import RequestFlow

    RequestFlow.start.run(request=request)
    # Files last: every database write that could fail has happened before them; a failure after
    # (an attachment row, the commit itself) removes them again (_atomic_keeping_no_orphan_files).
    for upload in files:
        attachment = RequestAttachment(
            request=request,
            name=upload.name[:255],
            size=upload.size,
            content_type=getattr(upload, "detected_type", "") or "",
        )
        attachment.file.save(upload.name, upload, save=False)
        stored.append(attachment.file)
        attachment.save()
    return request


def request_register(
    *, user, unit: Unit, data: dict, files: list[UploadedFile] = (), today: dt.date | None = None
) -> DisclosureRequest:
    """Staff register a request received in person, by mail, by fax or online (Art. 29)."""
    from review.permissions import user_has_object_perm

    if not user_has_object_perm(user, "workflow.handle_unit_requests", unit):
        raise ValidationError(_("You do not register requests for this unit."))
    today = today or timezone.localdate()
    with _atomic_keeping_no_orphan_files() as stored:
        data = _validate(dict(data), unit=unit, today=today, staff=True)
        return _create(
            unit=unit, data=data, files=list(files), user=user, today=today, stored=stored
        )


def request_submit_online(
    *, unit: Unit, data: dict, files: list[UploadedFile] = (), today: dt.date | None = None
) -> DisclosureRequest:
    """The public form: the request waits for the office to confirm receipt with the applicant,
    which fixes the receipt date (Art. 31(三))."""
    today = today or timezone.localdate()
    with _atomic_keeping_no_orphan_files() as stored:
        data = _validate(dict(data), unit=unit, today=today, staff=False)
        return _create(
            unit=unit, data=data, files=list(files), user=None, today=today, stored=stored
        )
