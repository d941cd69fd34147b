"""Who prepares and who reads which annual report. Everything is derived from the object grants of
`review.permissions` (positions), never from model-wide permissions or superuser status.

- A unit's report: prepared by the unit's drafters (`draft_section_items` on one of its sections)
  and its disclosure office (`handle_unit_requests` on the unit); read also by its heads
  (`approve_unit_scope`).
- The district government's report: prepared and read by the district's supervisors
  (`supervise_district`) and the drafters of the district government office.

Anybody else is answered 404, as if the report did not exist.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from review.permissions import objects_with_perm, user_grants
from workflow.models import Section, Unit


@dataclass(frozen=True)
class ReportAccess:
    """The units and districts whose reports a user prepares or reads: the user's grants (read
    once per user object) and one query for the sections they draft in."""

    prepare_units: frozenset[int] = field(default_factory=frozenset)
    read_units: frozenset[int] = field(default_factory=frozenset)
    districts: frozenset[int] = field(default_factory=frozenset)
    # The sections (with their unit) the user drafts in: who may submit a report as an item.
    drafting_sections: tuple[tuple[int, int], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.read_units or self.districts)

    def can_prepare_unit(self, unit_id: int) -> bool:
        return unit_id in self.prepare_units

    def can_read_unit(self, unit_id: int) -> bool:
        return unit_id in self.read_units

    def can_prepare_district(self, district_id: int) -> bool:
        return district_id in self.districts

    def can_prepare(self, report) -> bool:
        if report.unit_id is None:
            return self.can_prepare_district(report.district_id)
        return self.can_prepare_unit(report.unit_id)

    def can_read(self, report) -> bool:
        if report.unit_id is None:
            return self.can_prepare_district(report.district_id)
        return self.can_read_unit(report.unit_id)

    def reports_q(self) -> Q:
        """The reports this user may read, as a filter on AnnualReport."""
        return Q(unit_id__in=self.read_units) | Q(unit__isnull=True, district_id__in=self.districts)


def _ints(values) -> set[int]:
    return {int(v) for v in values}


def report_access_for(user) -> ReportAccess:
    if not user.is_authenticated:
        return ReportAccess()
    user_grants(user)  # one query, cached on the user
    section_ids = _ints(objects_with_perm(user, "draft_section_items"))
    sections = (
        list(
            Section.objects.filter(pk__in=section_ids)
            .order_by("unit_id", "name", "pk")
            .values_list("pk", "unit_id", "unit__kind", "unit__district_id")
        )
        if section_ids
        else []
    )
    drafting_units = {unit_id for _pk, unit_id, _kind, _district in sections}
    office_districts = {
        district for _pk, _unit, kind, district in sections if kind == Unit.Kind.DISTRICT_OFFICE
    }
    prepare_units = drafting_units | _ints(objects_with_perm(user, "handle_unit_requests"))
    read_units = prepare_units | _ints(objects_with_perm(user, "approve_unit_scope"))
    return ReportAccess(
        prepare_units=frozenset(prepare_units),
        read_units=frozenset(read_units),
        districts=frozenset(
            _ints(objects_with_perm(user, "supervise_district")) | office_districts
        ),
        drafting_sections=tuple((pk, unit_id) for pk, unit_id, _kind, _district in sections),
    )


NAV_CODENAMES = (
    "workflow.draft_section_items",
    "workflow.handle_unit_requests",
    "workflow.approve_unit_scope",
    "workflow.supervise_district",
)


def has_report_access(user) -> bool:
    """Whether the annual reports page is anyone's business of this user's: read from the cached
    grants, no query of its own (for the navigation)."""
    return any(perm in NAV_CODENAMES for perm, _ct, _pk in user_grants(user))
