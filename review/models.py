"""Confidentiality review records: who reviewed what, on which ground (Regulation Art. 17;
State Secrets implementing regulation Art. 42: review before publication, item by item)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import DisclosureProcess, Item, LegalGround, Unit


class ReviewDecision(models.Model):
    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass: may be disclosed")
        RETURN = "return", _("Return to the drafter")
        WITHHOLD = "withhold", _("Not disclosable")
        REFER = "refer", _("Refer to the secrecy bureau")

    process = models.ForeignKey(DisclosureProcess, on_delete=models.PROTECT, related_name="reviews")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    comment = models.TextField(_("comment"), blank=True)
    legal_ground = models.ForeignKey(
        LegalGround,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal ground"),
    )
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_outcome_display()}"


class Referral(models.Model):
    """A question put to the secrecy bureau (Art. 17 ¶3); its ruling goes back to the reviewer."""

    class Ruling(models.TextChoices):
        DISCLOSABLE = "disclosable", _("May be disclosed")
        NOT_DISCLOSABLE = "not_disclosable", _("Must not be disclosed")

    process = models.ForeignKey(
        DisclosureProcess, on_delete=models.PROTECT, related_name="referrals"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="referrals")
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred to")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("question"))
    created_at = models.DateTimeField(_("referred at"), auto_now_add=True)
    ruling = models.CharField(_("ruling"), max_length=20, choices=Ruling.choices, blank=True)
    ruling_comment = models.TextField(_("ruling comment"), blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ruled_at = models.DateTimeField(_("ruled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item} → {self.to_unit}"
