from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from .items import Item


class DisclosureProcess(Process):
    """One run of a flow: the proactive flow for an item, or the request flow for a disclosure
    request (whose answer becomes an item once drafted, and is reviewed and approved by the same
    nodes and services). Return loops stay in the same run."""

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="processes"
    )
    request = models.ForeignKey(
        "workflow.DisclosureRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="processes",
    )
    # Routing inputs, written by the services just before the task completes.
    review_outcome = models.CharField(max_length=20, blank=True)
    approval_outcome = models.CharField(max_length=20, blank=True)
    step_outcome = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("disclosure process")
        verbose_name_plural = _("disclosure processes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False) | models.Q(request__isnull=False),
                name="process_has_item_or_request",
            )
        ]


class ApprovalDecision(models.Model):
    process = models.ForeignKey(
        DisclosureProcess, on_delete=models.PROTECT, related_name="approvals"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="approvals")
    level = models.CharField(_("level"), max_length=20, choices=Item.Scope.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved = models.BooleanField(_("approved"))
    comment = models.TextField(_("comment"), blank=True)
    # What the approver signed for: the content hash (body, interpretation, attachments,
    # redactions) at the moment of the decision. Publication checks it against the item.
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_level_display()} · {self.approved}"
