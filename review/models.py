"""Confidentiality review records: who reviewed what, on which ground (Regulation Art. 17;
State Secrets implementing regulation Art. 42: review before publication, item by item)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models import DisclosureProcess, Item, LegalGround, Unit

from .scanner.kinds import Kind


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
    # 疑密从紧: the level the reviewer raised the approval to with this decision (blank: not
    # raised), and why.
    raised_scope = models.CharField(
        _("approval level raised to"), max_length=20, choices=Item.Scope.choices, blank=True
    )
    raise_reason = models.TextField(_("why the approval level was raised"), blank=True)
    # What the reviewer passed: the content hash (body, interpretation, attachments and the
    # redactions then in force). Approval and publication are refused for any other content.
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_outcome_display()}"


def referral_ruling_days() -> int:
    return settings.REFERRAL_RULING_DAYS


def countersign_days() -> int:
    return settings.COUNTERSIGN_DAYS


class Referral(models.Model):
    """A question put to the secrecy bureau or the competent department (Art. 17 ¶3: 报有关主管部门
    或者保密行政管理部门确定); its ruling goes back to the reviewer, who decides with it.

    The ruling is due `time_limit` working days after `asked_on`; `due_on` is derived from them
    (review.deadlines) and kept for the indexed reads of the sweep and the work list."""

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
    asked_on = models.DateField(_("referred on"), default=timezone.localdate)
    time_limit = models.PositiveSmallIntegerField(
        _("time limit (working days)"), default=referral_ruling_days
    )
    due_on = models.DateField(_("ruling due"), null=True, blank=True)
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
        indexes = [
            models.Index(fields=["due_on"], condition=models.Q(ruling=""), name="referral_open_due")
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.to_unit}"


class NegativeListTerm(models.Model):
    """A term of the negative list (负面清单, seed 004) that must not appear in released
    information. Administrators keep one list per district and one per unit; the scanner reads
    both for an item of the unit."""

    term = models.CharField(_("term"), max_length=100)
    note = models.CharField(_("why it is listed"), max_length=200, blank=True)
    district = models.ForeignKey(
        "workflow.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("negative list term")
        verbose_name_plural = _("negative list terms")
        ordering = ["term"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(district__isnull=True, unit__isnull=False)
                | models.Q(district__isnull=False, unit__isnull=True),
                name="negative_term_district_or_unit",
            ),
            models.UniqueConstraint(
                fields=["district", "term"],
                condition=models.Q(district__isnull=False),
                name="negative_term_unique_per_district",
            ),
            models.UniqueConstraint(
                fields=["unit", "term"],
                condition=models.Q(unit__isnull=False),
                name="negative_term_unique_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.term


class Scan(models.Model):
    """One run of the scanner over an item's content (body, interpretation, attachments)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="scans")
    # The raw content scanned (without redactions): a later scan of the same content is reused.
    source_hash = models.CharField(max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Attachments whose text could not be read: [{"source": ..., "name": ..., "error": ...}].
    unreadable = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("scanned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.created_at:%Y-%m-%d %H:%M}"


class ScanFinding(models.Model):
    """A finding of the scanner. No review passes while one of the latest scan is open: the
    reviewer redacts it with a legal ground or dismisses it with a written reason. A
    classification mark can be neither: only the secrecy bureau's ruling settles it (RULED)."""

    class Resolution(models.TextChoices):
        OPEN = "open", _("Open")
        REDACTED = "redacted", _("Redacted")
        DISMISSED = "dismissed", _("Not sensitive")
        RULED = "ruled", _("Mark ruled invalid by the secrecy bureau")

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="findings")
    source = models.CharField(_("where"), max_length=40)  # body | interpretation | attachment:<pk>
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(_("text found"), max_length=500)
    confidence = models.FloatField(_("confidence"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=Resolution.choices, default=Resolution.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("scan finding")
        verbose_name_plural = _("scan findings")
        ordering = ["source", "start", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"


class Redaction(models.Model):
    """A passage withheld from the public version, with its legal ground (Arts. 14-16, 37).
    Rows are never deleted: a redaction taken back is marked withdrawn, so the log shows both."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="redactions")
    source = models.CharField(_("where"), max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(_("redacted text"))
    ground = models.ForeignKey(
        LegalGround, on_delete=models.PROTECT, related_name="+", verbose_name=_("legal ground")
    )
    finding = models.ForeignKey(
        ScanFinding, on_delete=models.SET_NULL, null=True, blank=True, related_name="redactions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("redacted at"), auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("why withdrawn"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")
        ordering = ["source", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="redaction_span"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.source}[{self.start}:{self.end}]"


class ManualCheck(models.Model):
    """已逐页人工审看: the reviewer's confirmation that an attachment whose text could not be read
    (a scan, a photo, a protected file) was checked by eye, page by page. It holds for the bytes
    checked only: a replaced file needs a new confirmation."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="manual_checks")
    attachment = models.ForeignKey(
        "workflow.Attachment", on_delete=models.CASCADE, related_name="manual_checks"
    )
    sha256 = models.CharField(max_length=64)
    note = models.TextField(_("note"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("manual page-by-page check")
        verbose_name_plural = _("manual page-by-page checks")
        ordering = ["confirmed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attachment", "sha256"], name="manual_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.attachment_id}"


class CountersignUnit(models.Model):
    """A unit named to confirm an item before approval (会签, seed 003)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="countersign_units")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("countersigning unit")
        verbose_name_plural = _("countersigning units")
        ordering = ["named_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="countersign_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.unit}"


class Countersign(models.Model):
    """One unit's confirmation of one version of the item. Confirmations of the named units run in
    parallel once the review has passed; all must confirm the content before approval. Due
    `time_limit` working days after `asked_on` (`due_on` derived, review.deadlines)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        OBJECTED = "objected", _("Objected")
        CANCELLED = "cancelled", _("No longer needed")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="countersigns")
    process = models.ForeignKey(
        DisclosureProcess, on_delete=models.PROTECT, related_name="countersigns"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    content_hash = models.CharField(_("content hash"), max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    due_on = models.DateField(_("confirm by"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    asked_on = models.DateField(_("asked on"), default=timezone.localdate)
    time_limit = models.PositiveSmallIntegerField(
        _("time limit (working days)"), default=countersign_days
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("countersignature")
        verbose_name_plural = _("countersignatures")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "unit"],
                condition=models.Q(status="pending"),
                name="countersign_one_pending_per_unit",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=models.Q(status="pending"), name="countersign_open_due"
            ),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.unit} · {self.get_status_display()}"
