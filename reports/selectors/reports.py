"""Reads of reports and appeals that depend on who asks: 404 for "missing" and "not yours" alike."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, IntegerField, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from workflow.models import District, Item, Unit

from ..format import REPORT_CATEGORY
from ..models import AnnualReport, Appeal
from ..permissions import ReportAccess, report_access_for


def reports_for(access: ReportAccess) -> QuerySet[AnnualReport]:
    if access.is_empty:
        return AnnualReport.objects.none()
    return AnnualReport.objects.filter(access.reports_q()).select_related(
        "district", "unit", "item"
    )


def report_get_for_user(*, user, pk: int, access: ReportAccess | None = None) -> AnnualReport:
    access = access or report_access_for(user)
    report = reports_for(access).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@dataclass(frozen=True)
class Owner:
    """A unit, or a district (its government's own report), whose report a user may prepare."""

    unit: Unit | None
    district: District

    @property
    def key(self) -> str:
        return f"unit-{self.unit.pk}" if self.unit else f"district-{self.district.pk}"

    @property
    def name(self) -> str:
        from ..format import DISTRICT_OWNER_FORMAT

        if self.unit:
            return self.unit.name
        return DISTRICT_OWNER_FORMAT.format(district=self.district.name)


def owners_for(access: ReportAccess) -> list[Owner]:
    """Whose reports the user prepares: the district governments first, then units by name."""
    owners = [
        Owner(None, district)
        for district in District.objects.filter(pk__in=access.districts).order_by("name")
    ]
    owners += [
        Owner(unit, unit.district)
        for unit in Unit.objects.filter(pk__in=access.prepare_units)
        .select_related("district")
        .order_by("district__name", "name")
    ]
    return owners


def owner_from_key(access: ReportAccess, key: str) -> Owner:
    for owner in owners_for(access):
        if owner.key == key:
            return owner
    raise Http404


def unit_for_appeals(*, access: ReportAccess, pk: int, prepare: bool = False) -> Unit:
    allowed = access.prepare_units if prepare else access.read_units
    if pk not in allowed:
        raise Http404
    return Unit.objects.select_related("district").get(pk=pk)


def appeal_units(access: ReportAccess) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=access.read_units).order_by("name")


def appeals_of(unit: Unit) -> QuerySet[Appeal]:
    return Appeal.objects.filter(unit=unit).select_related("request")


def appeal_get_for_user(*, access: ReportAccess, pk: int) -> Appeal:
    appeal = Appeal.objects.select_related("unit", "request").filter(pk=pk).first()
    if appeal is None or appeal.unit_id not in access.prepare_units:
        raise Http404
    return appeal


# --- public ------------------------------------------------------------------------------------


@dataclass
class PublishedYear:
    year: int
    items: list[Item]


def published_reports() -> list[PublishedYear]:
    """Published items of the annual-report category, newest year first. The year is the
    report's own; an item drafted by hand in the category falls back to its index year."""
    items = (
        Item.objects.filter(status=Item.Status.PUBLISHED, category__name=REPORT_CATEGORY)
        .select_related("unit", "unit__district")
        # Only catalogue fields: the original text never reaches a public page.
        .defer("title", "summary", "body", "interpretation", "search_document")
        .annotate(
            report_year=Coalesce(
                F("annual_report__year"), F("index_year"), output_field=IntegerField()
            )
        )
        .order_by("-report_year", "unit__district__name", "unit__name", "pk")
    )
    years: list[PublishedYear] = []
    for item in items:
        if not years or years[-1].year != item.report_year:
            years.append(PublishedYear(item.report_year, []))
        years[-1].items.append(item)
    return years


def default_year(today: dt.date) -> int:
    """Reports are made in January to March about the year before."""
    return today.year - 1
