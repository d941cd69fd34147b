"""Annual reports on disclosure work (政府信息公开工作年度报告, Regulation Arts. 49-50) and the
administrative reconsideration and litigation cases their table 四 counts."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import DisclosureRequest, District, Item, Unit

FIRST_YEAR = 2008  # the first Regulation took effect on 1 May 2008


class AnnualReport(models.Model):
    """A unit's report, or with no unit the district government's own. The tables are counted
    from the data while the report is prepared and frozen in `snapshot` when it is submitted;
    review, approval and publication are those of the item it is submitted as."""

    class Stage(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SUBMITTED = "submitted", _("In review and approval")
        RETURNED = "returned", _("Returned for revision")
        PUBLISHED = "published", _("Published")
        WITHHELD = "withheld", _("Not published")

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("district"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_reports",
        verbose_name=_("unit"),
        help_text=_("Empty for the district government's own report."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)]
    )
    overview = models.TextField(_("overview"), blank=True)
    problems = models.TextField(_("main problems and improvements"), blank=True)
    other_matters = models.TextField(_("other matters to report"), blank=True)
    # Table 二, Art. 20 (五), (六), (八): figures kept in other systems, entered by hand.
    licensing_decisions = models.PositiveIntegerField(
        _("administrative licensing decisions"), default=0
    )
    punishment_decisions = models.PositiveIntegerField(
        _("administrative penalty decisions"), default=0
    )
    coercion_decisions = models.PositiveIntegerField(
        _("administrative coercion decisions"), default=0
    )
    fee_amount = models.DecimalField(
        _("administrative fees collected (10,000 yuan)"),
        max_digits=14,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    item = models.OneToOneField(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_report",
        verbose_name=_("submitted as"),
    )
    # The tables as submitted (selectors.tables_to_json); empty until the first submission.
    snapshot = models.JSONField(_("tables as submitted"), default=dict, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "district_id", "unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=models.Q(unit__isnull=False),
                name="annual_report_unique_unit_year",
                violation_error_message=_("The report for this year already exists."),
            ),
            models.UniqueConstraint(
                fields=["district", "year"],
                condition=models.Q(unit__isnull=True),
                name="annual_report_unique_district_year",
                violation_error_message=_("The report for this year already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(fee_amount__gte=0),
                name="annual_report_fee_not_negative",
                violation_error_message=_("Enter a number of zero or more."),
            ),
        ]

    def __str__(self) -> str:
        from .format import TITLE_FORMAT

        return TITLE_FORMAT.format(owner=self.owner_name, year=self.year)

    @property
    def is_district_report(self) -> bool:
        return self.unit_id is None

    @property
    def owner_name(self) -> str:
        from .format import DISTRICT_OWNER_FORMAT, UNIT_OWNER_FORMAT

        if self.unit_id is None:
            return DISTRICT_OWNER_FORMAT.format(district=self.district.name)
        return UNIT_OWNER_FORMAT.format(district=self.district.name, unit=self.unit.name)

    @property
    def stage(self) -> str:
        """Derived from the item, so it never lags behind the flow."""
        if self.item_id is None:
            return self.Stage.DRAFT
        status = self.item.status
        if status == Item.Status.RETURNED:
            return self.Stage.RETURNED
        if status == Item.Status.PUBLISHED:
            return self.Stage.PUBLISHED
        if status == Item.Status.WITHHELD:
            return self.Stage.WITHHELD
        return self.Stage.SUBMITTED

    def get_stage_display(self) -> str:
        return str(self.Stage(self.stage).label)

    @property
    def is_editable(self) -> bool:
        return self.stage in (self.Stage.DRAFT, self.Stage.RETURNED)


class Appeal(models.Model):
    """An administrative reconsideration (行政复议) or lawsuit (行政诉讼) over disclosure work."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
        LITIGATION_DIRECT = "litigation_direct", _("Lawsuit without prior reconsideration")
        LITIGATION_AFTER_RECONSIDERATION = (
            "litigation_after_reconsideration",
            _("Lawsuit after reconsideration"),
        )

    class Result(models.TextChoices):
        UPHELD = "upheld", _("Upheld")
        CORRECTED = "corrected", _("Corrected")
        OTHER = "other", _("Other result")
        PENDING = "pending", _("Not yet concluded")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("unit")
    )
    request = models.ForeignKey(
        DisclosureRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("disclosure request"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    case_number = models.CharField(_("case number"), max_length=100)
    filed_on = models.DateField(_("filed on"))
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=20, choices=Result.choices, default=Result.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reconsideration or lawsuit")
        verbose_name_plural = _("reconsiderations and lawsuits")
        ordering = ["-filed_on", "-pk"]
        indexes = [models.Index(fields=["unit", "filed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "case_number"],
                name="appeal_case_number_unique",
                violation_error_message=_("This case number is already recorded for the unit."),
            ),
            # A concluded case has a result; an open one has none yet.
            models.CheckConstraint(
                condition=(models.Q(concluded_on__isnull=True) & models.Q(result="pending"))
                | (models.Q(concluded_on__isnull=False) & ~models.Q(result="pending")),
                name="appeal_result_iff_concluded",
                violation_error_message=_(
                    "A concluded case has a result; a case not yet concluded has none."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(concluded_on__isnull=True)
                | models.Q(concluded_on__gte=models.F("filed_on")),
                name="appeal_concluded_after_filed",
                violation_error_message=_("A case cannot be concluded before it was filed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} · {self.get_kind_display()}"
