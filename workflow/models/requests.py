"""Disclosure requests (依申请公开, Regulation Arts. 27-45) and their statutory clock."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .items import Item, LegalGround, UnitYearSequence
from .organisation import Section, Unit


class Channel(models.TextChoices):
    # Art. 31 fixes the receipt date per channel; see services.requests.receipt_date.
    IN_PERSON = "in_person", _("In person")
    REGISTERED_MAIL = "registered_mail", _("Registered mail (signed for)")
    ORDINARY_MAIL = "ordinary_mail", _("Ordinary mail")
    ONLINE = "online", _("Online")
    FAX = "fax", _("Fax")


class ApplicantKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("Natural person (自然人)")
    LEGAL_PERSON = "legal_person", _("Legal person or other organisation (法人或其他组织)")


class OrganisationType(models.TextChoices):
    # The sub-types of table 三 of the annual report (国办公开办函〔2021〕30号).
    COMMERCIAL = "commercial", _("Commercial enterprise (商业企业)")
    RESEARCH = "research", _("Research institution (科研机构)")
    PUBLIC_INTEREST = "public_interest", _("Public-interest organisation (社会公益组织)")
    LEGAL_SERVICES = "legal_services", _("Legal services organisation (法律服务机构)")
    OTHER = "other", _("Other (其他)")


class Outcome(models.TextChoices):
    """Answers to a request (Art. 36 (一)-(七), Arts. 30, 35, 37-39), grouped as the annual report
    counts them."""

    ALREADY_PUBLIC = (
        "already_public",
        _("Already disclosed proactively: where to find it (Art. 36(1))"),
    )
    DISCLOSED = "disclosed", _("Disclosed (Art. 36(2))")
    PARTLY_DISCLOSED = "partly_disclosed", _("Partly disclosed after redaction (Art. 37)")
    NOT_DISCLOSED = "not_disclosed", _("Not disclosed, with reason and ground (Art. 36(3))")
    NOT_HELD = "not_held", _("Information does not exist (Art. 36(4))")
    NOT_COMPETENT = "not_competent", _("Not this agency's: name the competent agency (Art. 36(5))")
    NEEDS_COMPILATION = "needs_compilation", _("Would need compiling or analysis (Art. 38)")
    STILL_UNCLEAR = "still_unclear", _("Still unclear after correction (Art. 30)")
    REPEATED = "repeated", _("Repeated request already answered (Art. 36(6))")
    PETITION = "petition", _("A petition or complaint, not a request (Art. 39 ¶1)")
    PUBLICATION = "publication", _("Asks for a public publication (Art. 39 ¶2)")
    EXCESSIVE = "excessive", _("Excessive without good reason: not processed (Art. 35)")
    SPECIAL_STATUTE = "special_statute", _("Governed by a special statute (Art. 36(7))")
    RECONFIRM = (
        "reconfirm",
        _("Asks to confirm or re-issue information already obtained: not processed"),
    )
    FEE_UNPAID = "fee_unpaid", _("Processing fee not paid in time: not processed further")
    OTHER = "other", _("Other handling")
    ABANDONED = "abandoned", _("Abandoned: no correction in time (Art. 30)")


OUTCOMES_NEEDING_GROUND = {Outcome.NOT_DISCLOSED, Outcome.PARTLY_DISCLOSED}
OUTCOMES_NEEDING_AGENCY = {Outcome.NOT_COMPETENT}
# Answers drafted by people; ABANDONED is recorded by the system when a correction never comes.
DRAFTABLE_OUTCOMES = [o for o in Outcome if o != Outcome.ABANDONED]


class ReasonsDecision(models.TextChoices):
    """The office's judgment of the reasons an applicant gave for an excessive request (Art. 35)."""

    REASONABLE = "reasonable", _("Reasonable: the request is answered")
    NOT_REASONABLE = "not_reasonable", _("Not reasonable: not processed (Art. 35)")


class DisclosureRequest(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted online, receipt not yet confirmed")
        REGISTERED = "registered", _("Registered, completeness check")
        CORRECTION = "correction", _("Waiting for the applicant's correction")
        IN_PROGRESS = "in_progress", _("Being handled")
        CLOSED = "closed", _("Answered and closed")
        ABANDONED = "abandoned", _("Closed: treated as abandoned")

    OPEN_STATUSES = (Status.SUBMITTED, Status.REGISTERED, Status.CORRECTION, Status.IN_PROGRESS)

    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    receiving_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="requests", verbose_name=_("receiving unit")
    )
    handling_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_requests",
        verbose_name=_("handling unit"),
    )
    handling_section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("handling section"),
    )

    # Receipt (Art. 31)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    submitted_on = models.DateField(_("submitted on"))
    signed_on = models.DateField(_("signed for on"), null=True, blank=True)
    confirmed_on = models.DateField(
        _("receipt confirmed with the applicant on"), null=True, blank=True
    )
    # Ordinary mail, online and fax are received on the day both sides confirm (Art. 31(二),
    # (三)); the day the request reached the office is kept so that a late confirmation shows, and
    # the confirmation is reminded like any deadline (`confirmation_due_on`, derived in
    # services.request_clock.receipt_confirmation_due).
    arrived_on = models.DateField(
        _("arrived at the office on"),
        null=True,
        blank=True,
        help_text=_(
            "Ordinary mail, online, fax: the day the request reached the office. An ordinary "
            "letter is confirmed with the applicant on that same day (Art. 31(二))."
        ),
    )
    confirmation_due_on = models.DateField(
        _("receipt to be confirmed by"), null=True, blank=True, editable=False
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)

    # Applicant (Art. 29 (一))
    applicant_kind = models.CharField(_("applicant"), max_length=20, choices=ApplicantKind.choices)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=20, choices=OrganisationType.choices, blank=True
    )
    applicant_name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(
        _("ID or credit code"),
        max_length=40,
        help_text=_("Resident ID number, or the unified social credit code of an organisation."),
    )
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    # The applicant asked to be told by SMS too (notifications.applicant, APPLICANT_SMS): the
    # phone is given for contact (Art. 29 (一)); messages to it are sent only when asked for.
    sms_consent = models.BooleanField(_("told by SMS"), default=False)
    address = models.CharField(_("postal address"), max_length=200, blank=True)

    # What is asked (Art. 29 (二), (三))
    description = models.TextField(_("information requested"))
    document_number = models.CharField(_("document number (文号)"), max_length=100, blank=True)
    delivery_form = models.CharField(
        _("form of delivery"),
        max_length=20,
        choices=[
            ("paper", _("Paper")),
            ("electronic", _("Electronic")),
        ],
        default="electronic",
    )
    delivery_method = models.CharField(
        _("way of obtaining"),
        max_length=20,
        choices=[
            ("post", _("By post")),
            ("email", _("By e-mail")),
            ("collect", _("Collect in person")),
            ("fax", _("By fax")),
        ],
        default="email",
    )

    class Stage(models.TextChoices):
        CHECK = "check", _("Completeness check")
        CORRECTION = "correction", _("Correction")
        ASSIGNMENT = "assignment", _("Assignment")
        DRAFTING = "drafting", _("Drafting the answer")
        REVIEW = "review", _("Confidentiality review")
        APPROVAL = "approval", _("Approval")
        DELIVERY = "delivery", _("Delivery")
        CLOSED = "closed", _("Closed")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.CHECK)
    # The statutory clock (Art. 33): N working days after clock_start, plus an approved
    # extension, minus the working days paused for consultation. `due_on` is derived and stored
    # so sweeps and lists read it through an index; services.request_clock recomputes it.
    clock_start = models.DateField(_("clock starts after"), null=True, blank=True)
    time_limit = models.PositiveSmallIntegerField(_("time limit (working days)"), default=20)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    calendar_unconfirmed = models.BooleanField(_("calendar unconfirmed"), default=False)
    clock_paused = models.BooleanField(_("clock paused"), default=False)
    correction_notice_due_on = models.DateField(
        _("correction notice due on"), null=True, blank=True
    )
    correction_due_on = models.DateField(_("correction due on"), null=True, blank=True)

    # Duplicates and excessive requests (Arts. 35, 36(6))
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("same as earlier request"),
    )
    excessive_flag = models.BooleanField(_("possibly excessive (Art. 35)"), default=False)
    excessive_note = models.CharField(_("why flagged"), max_length=200, blank=True)
    # Art. 35: the applicant is asked to state reasons (a letter with a date), answers or lets the
    # date pass, and the office judges the reasons (services.reasons). Not reasonable: the answer
    # is 不予处理 (Outcome.EXCESSIVE); reasonable but not answerable in Art. 33's time: the office
    # may set a later due date (`deferred_due_on`) and tell the applicant.
    reasons_requested_on = models.DateField(_("reasons requested on"), null=True, blank=True)
    reasons_due_on = models.DateField(_("reasons due on"), null=True, blank=True)
    reasons_received_on = models.DateField(_("reasons received on"), null=True, blank=True)
    reasons_given = models.TextField(_("reasons given by the applicant"), blank=True)
    reasons_decision = models.CharField(
        _("reasons judged"), max_length=20, choices=ReasonsDecision.choices, blank=True
    )
    reasons_decided_on = models.DateField(_("reasons judged on"), null=True, blank=True)
    deferred_due_on = models.DateField(_("answer deferred to (Art. 35)"), null=True, blank=True)

    # The answer
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    answer_item = models.OneToOneField(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_request",
        verbose_name=_("answer"),
    )
    legal_ground = models.ForeignKey(
        LegalGround,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal ground"),
    )
    competent_agency = models.CharField(
        _("competent agency and contact"), max_length=200, blank=True
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    converted_item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="converted_from_requests",
        verbose_name=_("made proactive as"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["receiving_unit", "status"]),
            models.Index(fields=["handling_unit", "status"]),
            models.Index(fields=["id_number", "receiving_unit"]),
            # Reminder sweeps: the Art. 30 correction-notice date while the check is open, and
            # the applicant's correction date while waiting for it.
            models.Index(fields=["stage", "correction_notice_due_on"]),
            models.Index(fields=["status", "correction_due_on"]),
            # Reminder sweep: receipt confirmations still open (Art. 31).
            models.Index(fields=["status", "confirmation_due_on"]),
            # Reminder sweep: reasons asked for (Art. 35) and neither received nor judged.
            models.Index(
                fields=["reasons_due_on"],
                condition=models.Q(reasons_received_on__isnull=True, reasons_decision=""),
                name="request_reasons_awaited",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extension_days__lte=20),
                name="request_extension_at_most_20_days",
            ),
            models.CheckConstraint(
                condition=~models.Q(applicant_kind="legal_person")
                | ~models.Q(organisation_type=""),
                name="request_legal_person_has_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.applicant_name}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


def request_attachment_path(instance: "RequestAttachment", filename: str) -> str:
    return f"requests/{instance.request.receiving_unit_id}/{instance.request_id}/{filename}"


class RequestAttachment(models.Model):
    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=request_attachment_path)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request attachment")
        verbose_name_plural = _("request attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Consultation(models.Model):
    """A third party (Art. 32) or another agency (Art. 34) asked for its opinion; the request's
    clock pauses while any consultation is open (Art. 33 ¶3), and never longer than the party's
    time: the sweep ends a silent consultation on its last day."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", _("Third party (Art. 32)")
        AGENCY = "agency", _("Other agency (Art. 34)")

    class Opinion(models.TextChoices):
        AGREES = "agrees", _("Agrees to disclosure")
        OBJECTS = "objects", _("Objects to disclosure")
        # Silence means different things: a third party's leaves the decision to the agency
        # (Art. 32), another agency's counts as agreement (Art. 34).
        NO_REPLY = "no_reply", _("No reply in time: the agency decides (Art. 32)")
        DEEMED_AGREED = "deemed_agreed", _("No reply in time: deemed to agree (Art. 34)")

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField(_("consulted as"), max_length=20, choices=Kind.choices)
    party = models.CharField(_("consulted party"), max_length=200)
    question = models.TextField(_("what is asked"))
    sent_on = models.DateField(_("letter sent on"))
    # Arts. 32, 34: the 15 working days run from the day the party received the letter, which by
    # post is later than the day it was sent. Empty until known (services.consultations).
    received_on = models.DateField(_("letter received by the party on"), null=True, blank=True)
    due_on = models.DateField(_("opinion due on"))
    replied_on = models.DateField(_("closed on"), null=True, blank=True)
    opinion = models.CharField(_("opinion"), max_length=20, choices=Opinion.choices, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["sent_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(replied_on__isnull=True),
                name="consultation_open_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request.tracking_code} → {self.party}"

    @property
    def is_open(self) -> bool:
        return self.replied_on is None


class FeeNotice(models.Model):
    """The information processing fee of a request (Art. 42; 《政府信息公开信息处理费管理办法》,
    国办函〔2020〕109号): the 收费通知 issued, the last day to pay, and payment or its lapse.

    One per request: 第三条 lets the agency apply one of the two methods to a request, never both.
    The request's clock pauses from the notice until payment (services.fees); an unpaid notice
    lapses after `pay_by` and the request is treated as abandoned (视为放弃申请)."""

    class Method(models.TextChoices):
        PER_REQUEST = "per_request", _("Per request (按件计收)")
        PER_PAGE = "per_page", _("Per page (按量计收)")

    request = models.OneToOneField(
        DisclosureRequest, on_delete=models.CASCADE, related_name="fee_notice"
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    # 按件计收: this request's place in the applicant's requests to the agency that month (its last
    # piece, when the request was split into several, 第四条 "一事一申请").
    month_count = models.PositiveIntegerField(
        _("requests in the month, this one included"), null=True, blank=True
    )
    pieces = models.PositiveSmallIntegerField(_("counted as requests"), default=1)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    basis = models.TextField(_("basis of the amount"))
    payment = models.CharField(_("how to pay"), max_length=300)
    issued_on = models.DateField(_("notice issued on"))
    received_on = models.DateField(_("notice received by the applicant on"), null=True, blank=True)
    pay_by = models.DateField(_("to be paid by"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("receipt number"), max_length=100, blank=True)
    lapsed_on = models.DateField(_("lapsed on"), null=True, blank=True)
    letter = models.OneToOneField(
        "Letter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fee notice letter"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("fee notice")
        verbose_name_plural = _("fee notices")
        indexes = [
            # The sweep: unpaid notices whose last day is over.
            models.Index(
                fields=["pay_by"],
                condition=models.Q(paid_on__isnull=True, lapsed_on__isnull=True),
                name="fee_notice_open_pay_by",
            ),
            # The annual report: payments per year.
            models.Index(fields=["paid_on"], name="fee_notice_paid_on"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fee_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(paid_on__isnull=True) | models.Q(lapsed_on__isnull=True),
                name="fee_paid_or_lapsed_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.tracking_code} {self.amount}"

    @property
    def is_open(self) -> bool:
        """Issued, neither paid nor lapsed: the clock is paused."""
        return self.paid_on is None and self.lapsed_on is None

    @property
    def pause(self) -> tuple:
        """The days the clock does not count, as services.request_clock takes them: from the
        notice to payment; after a lapse, to the last day to pay; open while waiting."""
        if self.paid_on is not None:
            return (self.issued_on, self.paid_on)
        if self.lapsed_on is not None:
            return (self.issued_on, self.pay_by)
        return (self.issued_on, None)


class Extension(models.Model):
    """An extension of at most 20 working days, once, with the consent of the head of the
    disclosure office (Art. 33 ¶2)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gte=1, days__lte=20), name="extension_days_1_to_20"
            ),
            # Once: at most one approved, and one waiting, per request.
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="approved"),
                name="extension_approved_once",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="pending"),
                name="extension_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.tracking_code} +{self.days}"


class LetterTemplate(models.Model):
    """Model texts (答复示范文本) per outcome and per notice; administrators edit them. What each
    kind must carry is declared in workflow.letter_kinds and checked on saving and on issuing."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction notice (补正告知书)")
        EXTENSION = "extension", _("Extension notice (延期答复告知书)")
        CONSULTATION = "consultation", _("Consultation letter (征求意见函)")

    kind = models.CharField(_("letter"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "One paragraph per line; a line starting with full-width spaces is indented. The "
            "placeholders this kind may use and the parts it must carry are listed below."
        ),
    )

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title


class LetterSequence(UnitYearSequence):
    """Letters' document numbers' (文号) last serial per unit and year."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"], name="letter_sequence_unique_unit_year"
            )
        ]


class Letter(models.Model):
    """A letter as sent: the rendered text is frozen, so what the applicant got stays on record,
    with the document number (文号) the issuing unit gave it."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("letter"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # Letters issued before document numbers existed have none of these.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    number = models.CharField(_("document number (文号)"), max_length=60, blank=True)
    number_year = models.PositiveIntegerField(null=True, blank=True)
    number_serial = models.PositiveIntegerField(null=True, blank=True)
    issued_on = models.DateField(_("dated"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["created_at", "id"]
        constraints = [
            # The sequence row makes numbers gap-free; this makes a duplicate impossible.
            models.UniqueConstraint(
                fields=["unit", "number_year", "number_serial"],
                condition=models.Q(number_serial__isnull=False),
                name="letter_number_unique_per_unit_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()
