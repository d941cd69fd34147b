"""The district, its units (单位) and sections (科室), and who holds which position where.

Object permissions are derived from positions (see review/permissions.py); never grant them by hand.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        permissions = [
            ("approve_district_scope", _("Can approve district-wide items")),
            ("view_district_scope_items", _("Can view district-wide items")),
            ("rule_referrals", _("Can rule on confidentiality referrals")),
            ("supervise_district", _("Can supervise every unit of the district")),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        BUREAU = "bureau", _("Bureau or department")
        DISTRICT_OFFICE = "district_office", _("District government office")
        SECRECY_BUREAU = "secrecy_bureau", _("Secrecy bureau")
        SUBDISTRICT = "subdistrict", _("Sub-district or town")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="units", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("organisation code"),
        max_length=30,
        unique=True,
        help_text=_("Used as the first part of index numbers (索引号)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUREAU)
    # A request cannot reach a unit, nor can it form information, before the unit exists: dates
    # before this day are refused as mistyped (workflow.services.dates).
    founded_on = models.DateField(
        _("established on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the unit was established. Requests received and information formed before "
            "it are refused as mistyped dates; leave empty if not known."
        ),
    )
    # What every letter to an applicant or a consulted party carries (workflow.letter_kinds): the
    # agency signs with its full name, numbers its letters with its own prefix (文号, GB/T
    # 9704-2012 7.2.5: 机关代字〔年份〕序号), and names where its decisions are challenged.
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        blank=True,
        help_text=_(
            "The agency's name as it signs letters, e.g. 示范区民政局. Required for units that "
            "answer disclosure requests."
        ),
    )
    letter_prefix = models.CharField(
        _("document number prefix (发文机关代字)"),
        max_length=30,
        blank=True,
        help_text=_(
            "The first part of the document numbers (文号) of the unit's letters, e.g. 示民公开 "
            "for 示民公开〔2026〕12号. The whole format is the LETTER_NUMBER_FORMAT setting."
        ),
    )
    # 行政复议法 (2023 revision, in force 2024-01-01) Art. 24: the people's government at the same
    # level decides on reconsideration of its departments' acts (vertically led bodies excepted).
    reconsideration_body = models.CharField(
        _("administrative reconsideration body"),
        max_length=200,
        blank=True,
        help_text=_(
            "Named in the remedies of every decision letter: where the applicant may apply for "
            "administrative reconsideration within 60 days, e.g. 示范区人民政府."
        ),
    )
    # 行政诉讼法 Arts. 14, 18: the basic people's court where the agency is, unless the province
    # has assigned administrative cases to another court (集中管辖).
    court = models.CharField(
        _("court for administrative litigation"),
        max_length=200,
        blank=True,
        help_text=_(
            "Named in the remedies of every decision letter: the court where the applicant may "
            "sue within 6 months, e.g. 示范区人民法院."
        ),
    )

    # Units that receive and answer disclosure requests; their letters need the fields above.
    ANSWERING_KINDS = (Kind.BUREAU, Kind.DISTRICT_OFFICE, Kind.SUBDISTRICT)
    LETTER_FIELDS = ("full_name", "letter_prefix", "reconsideration_body", "court")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["district_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="unit_name_unique_in_district"
            )
        ]
        permissions = [
            ("review_unit_items", _("Can review the unit's items for confidentiality")),
            ("approve_unit_scope", _("Can approve the unit's important items")),
            ("view_unit_items", _("Can view every item of the unit")),
            ("handle_unit_requests", _("Can register and handle the unit's disclosure requests")),
            (
                "approve_request_extensions",
                _("Can approve extensions of the unit's disclosure requests"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind not in self.ANSWERING_KINDS:
            return
        errors = {
            name: _("Units that answer disclosure requests need this for their letters.")
            for name in self.LETTER_FIELDS
            if not getattr(self, name).strip()
        }
        if errors:
            raise ValidationError(errors)


class Section(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="sections", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["unit_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="section_name_unique_in_unit")
        ]
        permissions = [
            ("draft_section_items", _("Can draft items for the section")),
            ("approve_section_scope", _("Can approve the section's general items")),
            ("view_section_items", _("Can view the section's items")),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} / {self.name}"


class Role(models.TextChoices):
    DRAFTER = "drafter", _("Drafter (信息员)")
    REVIEWER = "reviewer", _("Confidentiality reviewer (保密审查员)")
    SECTION_HEAD = "section_head", _("Section head (科长)")
    UNIT_HEAD = "unit_head", _("Unit head (主要负责人)")
    DISTRICT_APPROVER = "district_approver", _("District office approver")
    SUPERVISOR = "supervisor", _("Supervisor (督查)")
    REQUEST_OFFICER = "request_officer", _("Request officer (依申请公开经办人)")
    DISCLOSURE_OFFICE_HEAD = (
        "disclosure_office_head",
        _("Head of the disclosure office (政府信息公开工作机构负责人)"),
    )


ROLES_NEEDING_SECTION = {Role.DRAFTER, Role.SECTION_HEAD}


class Position(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="positions", verbose_name=_("unit")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="positions",
        null=True,
        blank=True,
        verbose_name=_("section"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "section", "role"],
                condition=models.Q(section__isnull=False),
                name="position_unique_in_section",
            ),
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=models.Q(section__isnull=True),
                name="position_unique_in_unit",
            ),
        ]

    def __str__(self) -> str:
        where = self.section if self.section_id else self.unit
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        errors = {}
        if self.role in ROLES_NEEDING_SECTION and not self.section_id:
            errors["section"] = _("This role is held in a section: choose the section.")
        if self.section_id and self.unit_id and self.section.unit_id != self.unit_id:
            errors["section"] = _("The section must belong to the chosen unit.")
        if (
            self.role == Role.DISTRICT_APPROVER
            and self.unit_id
            and self.unit.kind != Unit.Kind.DISTRICT_OFFICE
        ):
            errors["unit"] = _("District office approvers sit in the district government office.")
        if errors:
            raise ValidationError(errors)
