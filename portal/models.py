"""The disclosure guide (政府信息公开指南) of each unit, Regulation Art. 12 ¶2: how information is
classified and arranged, how to obtain it, and the disclosure office's name, address, hours,
phone, fax and internet contact. Administrators keep it current (Art. 12 ¶1: 及时更新)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Unit


class Guide(models.Model):
    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="guide", verbose_name=_("unit")
    )
    office_name = models.CharField(_("disclosure office"), max_length=100)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    # Free text the unit adds to the standard sections (its own classification notes, fees, ...).
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_(
            "Shown before the standard sections: what the unit does and publishes. Plain text, or "
            "HTML with paragraphs, lists, tables and links; anything else is removed on saving."
        ),
    )
    how_to_obtain = models.TextField(
        _("further notes on obtaining information"),
        blank=True,
        help_text=_(
            "Added to the standard description of proactive disclosure and requests. Plain text, "
            "or HTML with paragraphs, lists, tables and links; anything else is removed on saving."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("disclosure guide")
        verbose_name_plural = _("disclosure guides")
        ordering = ["unit__name"]

    def __str__(self) -> str:
        return str(self.unit)
