"""Writes for annual reports: create, edit, submit for review (as an item of the disclosure flow),
and record reconsideration and litigation cases. Every change writes one audit row."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from workflow.exceptions import NotAllowed, WorkflowError
from workflow.models import Attachment, Category, DisclosureRequest, District, Item, Section, Unit
from workflow.services.items import (
    attachment_add,
    can_draft_in,
    item_create,
    item_submit,
    item_update,
)

from . import format as fmt
from .export import DOCX_MIME, docx_bytes, export_filename, report_text
from .models import FIRST_YEAR, AnnualReport, Appeal
from .permissions import report_access_for
from .selectors.tables import tables_live

TEXT_FIELDS = ("overview", "problems", "other_matters")
FIGURE_FIELDS = ("licensing_decisions", "punishment_decisions", "coercion_decisions", "fee_amount")
REPORT_FIELDS = TEXT_FIELDS + FIGURE_FIELDS
APPEAL_FIELDS = ("request", "kind", "case_number", "filed_on", "concluded_on", "result", "note")


def _state(value) -> str:
    return "" if value is None else str(value)


def _check_year(year: int, today: dt.date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            {
                "year": _("Choose a year between %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": today.year}
            }
        )


@transaction.atomic
def report_create(
    *,
    user,
    year: int,
    unit: Unit | None = None,
    district: District | None = None,
    today: dt.date | None = None,
) -> AnnualReport:
    """A unit's report (give `unit`), or the district government's own (give `district`)."""
    today = today or timezone.localdate()
    if (unit is None) == (district is None):
        raise ValueError("give either a unit or a district")
    access = report_access_for(user)
    if unit is not None:
        allowed = access.can_prepare_unit(unit.pk)
        district = unit.district
    else:
        allowed = access.can_prepare_district(district.pk)
    if not allowed:
        raise NotAllowed(_("You do not prepare this annual report."))
    _check_year(year, today)
    existing = AnnualReport.objects.filter(year=year, unit=unit)
    if unit is None:
        existing = existing.filter(district=district)
    if existing.exists():
        raise ValidationError({"year": _("The report for this year already exists.")})
    report = AnnualReport(district=district, unit=unit, year=year, created_by=user, updated_by=user)
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # created at the same moment by a colleague
        raise ValidationError({"year": _("The report for this year already exists.")}) from exc
    audit_log(
        actor=user,
        action="reports.report.created",
        subject=report,
        new_state=report.stage,
        data={"year": year, "unit": unit.pk if unit else None, "district": district.pk},
    )
    return report


def _locked(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("district", "unit", "item")
        .get(pk=report.pk)
    )


def _ensure_editable(report: AnnualReport) -> None:
    if not report.is_editable:
        raise WorkflowError(
            _(
                "The report is in review, approval or published and cannot be edited now. "
                "It can be edited again if the reviewer returns it."
            )
        )


@transaction.atomic
def report_update(*, report: AnnualReport, user, **fields) -> AnnualReport:
    """Edit the texts and the hand-entered figures of a report being prepared or returned."""
    report = _locked(report)
    if not report_access_for(user).can_prepare(report):
        raise NotAllowed(_("You do not prepare this annual report."))
    _ensure_editable(report)
    changed = {}
    for name, value in fields.items():
        if name not in REPORT_FIELDS:
            raise ValueError(f"{name} is not editable")
        if name == "fee_amount":
            value = Decimal(value)
        old = getattr(report, name)
        if old != value:
            changed[name] = [_state(old), _state(value)]
            setattr(report, name, value)
    errors = {
        name: _("Enter a number of zero or more.")
        for name in FIGURE_FIELDS
        if getattr(report, name) is None or getattr(report, name) < 0
    }
    if errors:
        raise ValidationError(errors)
    report.updated_by = user
    report.full_clean(validate_constraints=False)
    report.save()
    if changed:
        audit_log(
            actor=user,
            action="reports.report.edited",
            subject=report,
            old_state=report.stage,
            new_state=report.stage,
            data={"changed": changed},
        )
    return report


def _submission_unit(report: AnnualReport) -> Unit:
    """The unit the report is published by: its own, or the district government office."""
    if report.unit_id is not None:
        return report.unit
    office = (
        Unit.objects.filter(district_id=report.district_id, kind=Unit.Kind.DISTRICT_OFFICE)
        .order_by("pk")
        .first()
    )
    if office is None:
        raise WorkflowError(
            _("The district has no district government office to publish its report.")
        )
    return office


def _drafting_section(user, unit: Unit) -> Section:
    for section in Section.objects.filter(unit=unit).order_by("name", "pk"):
        if can_draft_in(user, section):
            return section
    raise NotAllowed(
        _(
            "Only a drafter of %(unit)s can submit the report: it is published as an item of "
            "the unit. Ask one of the unit's drafters to submit it."
        )
        % {"unit": unit.name}
    )


def _check_figures(tables) -> None:
    failing = [c.label for c in tables.check if not c.ok]
    if failing:
        raise WorkflowError(
            _(
                "The figures of table 三 do not add up in the columns %(columns)s: new requests "
                "plus those carried over must equal the requests handled plus those carried "
                "forward. Resolve the requests listed under the check, then submit again."
            )
            % {"columns": "、".join(failing)}
        )


def _docx_upload(report: AnnualReport, tables) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        export_filename(report, "docx"), docx_bytes(report, tables), content_type=DOCX_MIME
    )


def _replace_report_attachments(item: Item, user, upload, old_name: str) -> None:
    """Swap the generated Word file of a returned item for the new one. The old file goes once
    the transaction commits; a redaction on it is withdrawn when the item is resubmitted
    (redactions_reanchor), so the reviewer sees that in the log."""
    old = list(item.attachments.filter(name=old_name))
    attachment_add(item=item, user=user, upload=upload)
    for attachment in old:
        file = attachment.file
        Attachment.objects.filter(pk=attachment.pk).delete()
        transaction.on_commit(lambda file=file: file.delete(save=False))
        audit_log(
            actor=user,
            action="reports.report.attachment_replaced",
            subject=item,
            data={"name": attachment.name, "attachment": attachment.pk},
        )


@transaction.atomic
def report_submit(*, report: AnnualReport, user, today: dt.date | None = None) -> AnnualReport:
    """Submit the report for review as a proactive item of its unit (the district office for the
    district's report): the unit head approves a unit's report, the district office the
    district's. The tables are frozen; a returned report is regenerated and resubmitted, which
    completes the drafter's revision task."""
    today = today or timezone.localdate()
    report = _locked(report)
    if not report_access_for(user).can_prepare(report):
        raise NotAllowed(_("You do not prepare this annual report."))
    _ensure_editable(report)
    tables = tables_live(report)
    _check_figures(tables)
    unit = _submission_unit(report)
    title = str(report)
    summary = fmt.SUMMARY_FORMAT.format(owner=report.owner_name, year=report.year)
    body = report_text(report, tables)
    upload = _docx_upload(report, tables)
    old_stage = report.stage
    if report.item_id is None:
        section = _drafting_section(user, unit)
        category, _created = Category.objects.get_or_create(name=fmt.REPORT_CATEGORY)
        item = item_create(
            author=user,
            section=section,
            title=title,
            summary=summary,
            body=body,
            category=category,
            attribute=Item.Attribute.PROACTIVE,
            scope=Item.Scope.DISTRICT if report.unit_id is None else Item.Scope.UNIT,
            formed_on=today,
        )
        attachment_add(item=item, user=user, upload=upload)
        report.item = item
    else:
        item = report.item
        if item.author_id != user.pk:
            raise NotAllowed(
                _(
                    "Only %(name)s, who submitted the report, can resubmit it: the revision "
                    "task is theirs."
                )
                % {"name": item.author.get_full_name() or item.author.get_username()}
            )
        old_name = f"{item.title}.docx"  # the generated file's name (export_filename)
        item = item_update(
            item=item, user=user, title=title, summary=summary, body=body, formed_on=today
        )
        _replace_report_attachments(item, user, upload, old_name)
    item_submit(item=item, user=user)
    report.snapshot = tables.to_json()
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.updated_by = user
    report.save()
    report.item.refresh_from_db()
    audit_log(
        actor=user,
        action="reports.report.submitted",
        subject=report,
        old_state=old_stage,
        new_state=report.stage,
        data={"item": item.pk},
    )
    return report


# --- appeals -----------------------------------------------------------------------------------


def _check_appeal(appeal: Appeal) -> None:
    errors = {}
    if appeal.concluded_on is None and appeal.result != Appeal.Result.PENDING:
        errors["concluded_on"] = _("Enter the day the case was concluded.")
    if appeal.concluded_on is not None and appeal.result == Appeal.Result.PENDING:
        errors["result"] = _("Choose the result of the concluded case.")
    if appeal.concluded_on and appeal.filed_on and appeal.concluded_on < appeal.filed_on:
        errors["concluded_on"] = _("A case cannot be concluded before it was filed.")
    if appeal.request_id and appeal.request.receiving_unit_id != appeal.unit_id:
        errors["request"] = _("Choose a request received by this unit.")
    if errors:
        raise ValidationError(errors)


def _ensure_appeals_of(user, unit: Unit) -> None:
    if not report_access_for(user).can_prepare_unit(unit.pk):
        raise NotAllowed(_("You do not record cases for this unit."))


def _appeal_data(appeal: Appeal) -> dict:
    return {
        "kind": appeal.kind,
        "case_number": appeal.case_number,
        "filed_on": _state(appeal.filed_on),
        "concluded_on": _state(appeal.concluded_on),
        "result": appeal.result,
        "request": appeal.request_id,
    }


@transaction.atomic
def appeal_record(
    *,
    user,
    unit: Unit,
    kind: str,
    case_number: str,
    filed_on: dt.date,
    concluded_on: dt.date | None = None,
    result: str = Appeal.Result.PENDING,
    request: DisclosureRequest | None = None,
    note: str = "",
) -> Appeal:
    _ensure_appeals_of(user, unit)
    appeal = Appeal(
        unit=unit,
        kind=kind,
        case_number=case_number.strip(),
        filed_on=filed_on,
        concluded_on=concluded_on,
        result=result,
        request=request,
        note=note,
        created_by=user,
    )
    _check_appeal(appeal)
    appeal.full_clean()
    appeal.save()
    audit_log(
        actor=user,
        action="reports.appeal.recorded",
        subject=appeal,
        new_state=appeal.result,
        data=_appeal_data(appeal),
    )
    return appeal


@transaction.atomic
def appeal_update(*, appeal: Appeal, user, **fields) -> Appeal:
    """Correct a case or record its conclusion."""
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related("unit").get(pk=appeal.pk)
    _ensure_appeals_of(user, appeal.unit)
    old = _appeal_data(appeal)
    old_result = appeal.result
    for name, value in fields.items():
        if name not in APPEAL_FIELDS:
            raise ValueError(f"{name} is not editable")
        setattr(appeal, name, value.strip() if name == "case_number" else value)
    _check_appeal(appeal)
    appeal.full_clean()
    appeal.save()
    new = _appeal_data(appeal)
    changed = {k: [old[k], new[k]] for k in new if old[k] != new[k]}
    if changed:
        audit_log(
            actor=user,
            action="reports.appeal.edited",
            subject=appeal,
            old_state=old_result,
            new_state=appeal.result,
            data={"changed": changed},
        )
    return appeal


@transaction.atomic
def appeal_save_by_admin(*, appeal: Appeal, user, created: bool) -> Appeal:
    """The admin site's save: administrators hold no position, so no position check; audited."""
    if created:
        appeal.created_by = user
    _check_appeal(appeal)
    appeal.save()
    audit_log(
        actor=user,
        action="reports.appeal.recorded" if created else "reports.appeal.edited",
        subject=appeal,
        new_state=appeal.result,
        data={**_appeal_data(appeal), "via": "admin"},
    )
    return appeal
