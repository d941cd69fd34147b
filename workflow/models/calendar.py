"""The administrators' part of the working-day calendar: each year's holidays and make-up working
days (调休) as published in the State Council's notice, extending or overriding `chinesecalendar`.
The statutory holidays of 《全国年节及纪念日放假办法》 need not be entered (workflow.statutory_holidays
knows them); a day entered here overrides them too."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    year = models.PositiveIntegerField(_("year"), unique=True)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_(
            "Tick once the State Council's notice for the year is entered: its days off beyond "
            "the statutory holidays (调休, 补假) and its make-up working days. The statutory "
            "holidays themselves are always counted; until the year is confirmed its deadlines "
            "are marked 'calendar unconfirmed'."
        ),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The notice the days come from, e.g. 国办发明电〔2026〕7号."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (no work)")
        WORKDAY = "workday", _("Make-up working day (调休上班)")

    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("year")
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("type of day"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=50, help_text=_("e.g. 春节, 国庆节"))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        if self.date and self.calendar_year_id and self.date.year != self.calendar_year.year:
            raise ValidationError({"date": _("The date is not in this calendar year.")})
