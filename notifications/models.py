"""Notifications, their deliveries per channel, the deadline alerts that cause most of them, and
the records that keep background work visible when it fails.

Exactly-once effect on at-least-once delivery rests on unique constraints here, never on a
check-then-insert: a `DeadlineAlert` exists once per deadline, due date and step; a `Notification`
once per recipient and key; a `Delivery` once per notification and channel, and it is sent only
by whoever holds its row lock while it is still pending.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Deadline(models.TextChoices):
    REQUEST_REPLY = "request_reply", _("Reply to a disclosure request (Art. 33)")
    CORRECTION_NOTICE = "correction_notice", _("Correction notice (Art. 30)")
    CORRECTION_REPLY = "correction_reply", _("Applicant's correction (Art. 30)")
    CONSULTATION_REPLY = "consultation_reply", _("Consulted party's opinion (Arts. 32, 34)")
    ITEM_PUBLICATION = "item_publication", _("Publication of proactive information (Art. 26)")
    REFERRAL_RULING = "referral_ruling", _("Ruling on a referral (Art. 17)")
    COUNTERSIGN = "countersign", _("Countersignature (会签)")
    RECEIPT_CONFIRMATION = (
        "receipt_confirmation",
        _("Confirming receipt with the applicant (Art. 31)"),
    )
    REASONS_REPLY = "reasons_reply", _("Applicant's reasons (Art. 35)")


class Rung(models.TextChoices):
    """The escalation ladder, bottom to top."""

    HOLDER = "holder", _("Whoever holds the work")
    SECTION_HEAD = "section_head", _("Section head")
    UNIT_HEAD = "unit_head", _("Unit head")
    DISTRICT = "district", _("District office and supervisors")


LADDER = [Rung.HOLDER, Rung.SECTION_HEAD, Rung.UNIT_HEAD, Rung.DISTRICT]


class DeadlineAlert(models.Model):
    """One reminder or escalation step, recorded before anyone is told about it.

    `step` is the reminder threshold in working days left (5, 3, 1, 0; -1 for "passed" notices
    about someone else's deadline) or the rung's place on the ladder (0-3). The due date is part
    of the key, so a moved deadline (extension, pause, calendar edit) is reminded afresh.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")

    class Action(models.TextChoices):
        NOTIFY = "notify", _("Notified")
        REASSIGN = "reassign", _("Reassigned")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    deadline = models.CharField(_("deadline"), max_length=30, choices=Deadline.choices)
    subject_key = models.CharField(max_length=64)
    request = models.ForeignKey(
        "workflow.DisclosureRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
    )
    item = models.ForeignKey(
        "workflow.Item", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    due_on = models.DateField(_("due on"))
    step = models.SmallIntegerField(_("step"))
    rung = models.CharField(_("escalated to"), max_length=20, choices=Rung.choices, blank=True)
    action = models.CharField(
        _("action"), max_length=20, choices=Action.choices, default=Action.NOTIFY
    )
    workdays = models.SmallIntegerField(
        _("working days"), help_text=_("Working days left (reminders) or overdue (escalations).")
    )
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    # Set when nobody held the rung and the next one up was told instead: the rung told.
    note = models.CharField(_("told instead"), max_length=20, choices=Rung.choices, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_key", "deadline", "due_on", "kind", "step"],
                name="deadline_alert_once_per_step",
            )
        ]
        indexes = [models.Index(fields=["subject_key", "deadline"])]

    def __str__(self) -> str:
        return f"{self.subject_key} {self.deadline} {self.kind} {self.step}"


class Notification(models.Model):
    """What a person is told, in the notification centre and through their channels.

    The text is rendered when read (notifications.messages), in the reader's language, from the
    verb and the stored parameters.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    verb = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    alert = models.ForeignKey(
        DeadlineAlert,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        from .messages import render

        return render(self).title


class Preference(models.Model):
    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("At once")
        DIGEST = "digest", _("Daily digest")
        OFF = "off", _("Off")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    channel = models.CharField(_("channel"), max_length=30)
    mode = models.CharField(_("when"), max_length=20, choices=Mode.choices)
    # Where the user is reached on a channel the account itself has no address for (SMS: the
    # mobile number the user gave under 通知设置).
    address = models.CharField(_("address"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="preference_once_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.channel} {self.mode}"


class Sending(models.Model):
    """What a send attempt leaves on its row (delivery.py counts attempts here, not in Celery)."""

    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        abstract = True


class Digest(Sending):
    """The daily digest of one user on one channel: built once per day, sent once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=30)
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "day"], name="digest_once_per_user_channel_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.channel} {self.day}"


class Delivery(Sending):
    """A notification on one outside channel (e-mail, SMS, ...)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SCHEDULED = "scheduled", _("Held until working hours")
        FOR_DIGEST = "for_digest", _("Waiting for the daily digest")
        SENT = "sent", _("Sent")
        IN_DIGEST = "in_digest", _("Sent in a digest")
        SKIPPED = "skipped", _("Skipped: no address on this channel")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=30)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    digest = models.ForeignKey(
        Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    # A message made outside the channel's hours (staff SMS, STAFF_SMS_QUIET_HOURS) is held
    # (SCHEDULED) until this moment; the beat's send_scheduled hands it to a worker then.
    not_before = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["status", "channel"]),
            models.Index(
                fields=["not_before"],
                condition=models.Q(status="scheduled"),
                name="delivery_scheduled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


class ApplicantEvent(models.TextChoices):
    """What an applicant is told about their request, and when (notifications.applicant)."""

    RECEIVED = "received", _("Request received (受理)")
    CORRECTION = "correction", _("Correction asked for (补正, Art. 30)")
    EXTENSION = "extension", _("Time limit extended (延期, Art. 33 ¶2)")
    ANSWERED = "answered", _("Request answered (答复)")
    FEE = "fee", _("Fee notice (收费)")


class ApplicantTemplate(models.Model):
    """The texts sent to applicants, one per event, edited by administrators in the admin (every
    change audited, like the disclosure guides). Placeholders in braces, as in letter templates;
    an unknown one stays visible rather than failing."""

    event = models.CharField(_("event"), max_length=20, choices=ApplicantEvent.choices, unique=True)
    subject = models.CharField(_("e-mail subject"), max_length=200)
    body = models.TextField(
        _("e-mail text"),
        help_text=_(
            "Placeholders: {applicant} {tracking_code} {unit} {submitted_on} {received_on} "
            "{due_on} {correction} {correction_due_on} {extension_days} {reason} {answered_on} "
            "{outcome} {status_url}; fee notices also {amount} {pay_by} {payment}"
        ),
    )
    sms = models.CharField(
        _("SMS text"),
        max_length=300,
        blank=True,
        help_text=_("Short: one or two SMS (70 characters each). Empty: no SMS for this event."),
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
        verbose_name = _("message to applicants")
        verbose_name_plural = _("messages to applicants")
        ordering = ["event"]

    def __str__(self) -> str:
        return str(self.get_event_display())


class ApplicantNotice(Sending):
    """One message to an applicant on one channel, its text frozen when it was made (what the
    applicant was told stays on record, like a letter). Unique per request, event, occasion and
    channel: a step run twice, or a message published twice, tells the applicant once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SCHEDULED = "scheduled", _("Held until the channel's hours")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    request = models.ForeignKey(
        "workflow.DisclosureRequest",
        on_delete=models.CASCADE,
        related_name="applicant_notices",
        verbose_name=_("request"),
    )
    event = models.CharField(_("event"), max_length=20, choices=ApplicantEvent.choices)
    # What occasion of the event: the audit action that caused it, or the caller's own key (a
    # fee notice's id), so that 受理 at receipt and again at 签收 are two messages, each once.
    key = models.CharField(max_length=120)
    channel = models.CharField(_("channel"), max_length=30)
    address = models.CharField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    not_before = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to an applicant")
        verbose_name_plural = _("messages sent to applicants")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "event", "key", "channel"], name="applicant_notice_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["not_before"],
                condition=models.Q(status="scheduled"),
                name="applicant_notice_scheduled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.event} {self.channel} {self.status}"


class OutboxMessage(models.Model):
    """A task that could not be handed to the broker (Redis away). The outbox flush sends it when
    the broker is back; the task itself is idempotent, so a message sent twice does no harm."""

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("why it was not sent"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(sent_at__isnull=True), name="outbox_unsent"
            ),
            # Sent rows are kept OUTBOX_KEEP_SECONDS for operators, then pruned by the flush.
            models.Index(
                fields=["sent_at"], condition=models.Q(sent_at__isnull=False), name="outbox_sent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class TaskFailure(models.Model):
    """A background task that gave up (retries exhausted or an unexpected error)."""

    task_name = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    args = models.TextField(_("arguments"), blank=True)
    error = models.TextField(_("error"))
    traceback = models.TextField(_("traceback"), blank=True)
    created_at = models.DateTimeField(_("failed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("failed background task")
        verbose_name_plural = _("failed background tasks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name} {self.created_at:%Y-%m-%d %H:%M}"
