"""Items of information (政府信息) and what publication needs: categories, grounds, index numbers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisation import Section, Unit


class Category(models.Model):
    class ReportKind(models.TextChoices):
        # Table 二 of the annual report (国办公开办函〔2021〕30号) counts these by Art. 20 (一).
        NONE = "", _("Not counted separately")
        REGULATION = "regulation", _("Regulations (规章)")
        NORMATIVE = "normative", _("Administrative normative documents (行政规范性文件)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    report_kind = models.CharField(
        _("annual report row"),
        max_length=20,
        choices=ReportKind.choices,
        blank=True,
        default="",
        help_text=_("Where the annual report's table 二 counts items of this category."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class LegalGround(models.Model):
    """A legal ground for not disclosing (Regulation Arts. 14-16 and others); admin-maintained."""

    class ReportReason(models.TextChoices):
        # The eight rows of 不予公开 in table 三 of the annual report (国办公开办函〔2021〕30号).
        STATE_SECRET = "state_secret", _("State secret (属于国家秘密)")
        PROHIBITED = "prohibited", _("Prohibited by other laws (其他法律行政法规禁止公开)")
        SECURITY = "security", _("Endangers security or stability (危及“三安全一稳定”)")
        THIRD_PARTY = "third_party", _("Protects third parties' rights (保护第三方合法权益)")
        INTERNAL = "internal", _("Internal affairs (属于三类内部事务信息)")
        PROCESS = "process", _("Process information (属于四类过程性信息)")
        ENFORCEMENT_FILE = "enforcement_file", _("Enforcement case file (属于行政执法案卷)")
        INQUIRY = "inquiry", _("Administrative inquiry matter (属于行政查询事项)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    article = models.CharField(_("article"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    report_reason = models.CharField(
        _("annual report row"),
        max_length=20,
        choices=ReportReason.choices,
        blank=True,
        help_text=_(
            "Which 不予公开 row of the annual report's table 三 counts answers on this ground."
        ),
    )

    class Meta:
        verbose_name = _("legal ground")
        verbose_name_plural = _("legal grounds")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.article} {self.title}"


class Item(models.Model):
    class Attribute(models.TextChoices):
        PROACTIVE = "proactive", _("Proactive disclosure (主动公开)")
        ON_REQUEST = "on_request", _("Disclosure on request (依申请公开)")
        WITHHELD = "withheld", _("Not disclosed (不予公开)")

    class Scope(models.TextChoices):
        # seed 000 §三(一): who signs off depends on how far the information reaches.
        SECTION = "section", _("Own section, general")
        UNIT = "unit", _("Unit, important")
        DISTRICT = "district", _("District-wide")

        @classmethod
        def higher(cls, a: str, b: str) -> str:
            """The higher of two approval levels (section < unit < district)."""
            order = cls.values
            return a if order.index(a) >= order.index(b) else b

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Under confidentiality review")
        REFERRED = "referred", _("Referred for a ruling")
        COUNTERSIGNING = "countersigning", _("Awaiting countersignatures")
        RETURNED = "returned", _("Returned for revision")
        IN_APPROVAL = "in_approval", _("Awaiting approval")
        PUBLISHED = "published", _("Published")
        WITHHELD = "withheld", _("Not disclosed")
        DELIVERED = "delivered", _("Answer delivered to the applicant")

    # No single-column indexes where a composite one in Meta starts with the column: every
    # workflow step writes this row, and each index is one more entry to write (bench/lifecycle).
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("unit"),
        db_index=False,  # (unit, status)
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("section"),
        db_index=False,  # (section, status)
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authored_items",
        verbose_name=_("drafter"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("body"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    attribute = models.CharField(
        _("disclosure attribute"),
        max_length=20,
        choices=Attribute.choices,
        default=Attribute.PROACTIVE,
    )
    scope = models.CharField(
        _("scope"), max_length=20, choices=Scope.choices, default=Scope.SECTION
    )
    # 疑密从紧: the reviewer may send the item to a higher approval level than the drafter chose
    # (never a lower one). The drafter's `scope` stays as drafted; `approval_scope` is the higher.
    raised_scope = models.CharField(
        _("approval level raised by the reviewer"),
        max_length=20,
        choices=Scope.choices,
        blank=True,
        default="",
        editable=False,
    )
    withhold_reason = models.TextField(_("reason for not disclosing"), blank=True)
    withhold_ground = models.ForeignKey(
        LegalGround,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal ground for not disclosing"),
    )
    # Indexed by (status, published_at) and (status, publication_due_on).
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Unique among the numbered (published) items: item_index_number_unique.
    index_number = models.CharField(_("index number"), max_length=64, null=True, blank=True)
    index_year = models.PositiveIntegerField(null=True, blank=True, editable=False)
    index_serial = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Art. 26: proactive information is published within 20 working days of the day it was formed
    # or changed. The drafter states that day; `publication_due_on` is derived from it (services
    # .items) and read by the reminder sweep through an index.
    formed_on = models.DateField(
        _("date formed or changed"),
        null=True,
        blank=True,
        help_text=_(
            "The day the information was formed or last changed (生成日期). Proactive items are "
            "published within 20 working days of it (Art. 26)."
        ),
    )
    publication_due_on = models.DateField(_("publish by"), null=True, blank=True, editable=False)
    # 谁起草、谁解读 (seeds 002, 004): a policy document is reviewed, approved and published
    # together with its interpretation, so the interpretation lives on the item and is part of
    # the content that the review and approval sign for.
    is_policy_document = models.BooleanField(
        _("policy document"),
        default=False,
        help_text=_(
            "Policy documents are published together with their interpretation (政策解读)."
        ),
    )
    interpretation = models.TextField(_("policy interpretation"), blank=True)
    # The public version, frozen at publication from the approved content and its redactions.
    # The catalogue shows only these; the original text is never served publicly.
    public_body = models.TextField(_("public version of the body"), blank=True, editable=False)
    public_interpretation = models.TextField(
        _("public version of the interpretation"), blank=True, editable=False
    )
    # The catalogue's 名称 and 内容概述 as the public reads them: a string redacted anywhere in the
    # item is redacted in its title and summary too.
    public_title = models.CharField(
        _("public version of the title"), max_length=400, blank=True, editable=False
    )
    public_summary = models.TextField(
        _("public version of the summary"), blank=True, editable=False
    )
    published_hash = models.CharField(
        _("published content hash"), max_length=64, blank=True, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Words of the public version only (title, summary, public body and interpretation), cut by
    # jieba, for the catalogue search (workflow.search). Never built from the original text.
    search_document = models.TextField(blank=True, editable=False)
    # A regulation or normative document stops being in force (table 二 of the annual report).
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["section", "status"]),
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["status", "publication_due_on"]),
        ]
        constraints = [
            # Partial: a draft's writes skip it. (A unique field would also get a second,
            # LIKE-only index on PostgreSQL that no query uses.)
            models.UniqueConstraint(
                fields=["index_number"],
                condition=models.Q(index_number__isnull=False),
                name="item_index_number_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "index_year", "index_serial"],
                condition=models.Q(index_serial__isnull=False),
                name="item_index_serial_unique_per_unit_year",
            ),
            models.CheckConstraint(
                condition=~models.Q(attribute="withheld")
                | (models.Q(withhold_ground__isnull=False) & ~models.Q(withhold_reason="")),
                name="item_withheld_needs_reason_and_ground",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(index_number__isnull=False),
                name="item_published_has_index_number",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def approval_scope(self) -> str:
        """The level that approves the item: the drafter's scope, or higher if the reviewer
        raised it."""
        return self.Scope.higher(self.scope, self.raised_scope or self.scope)


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.item.unit_id}/{instance.item_id}/{filename}"


def public_attachment_path(instance: "Attachment", filename: str) -> str:
    return f"public/{instance.item.unit_id}/{instance.item_id}/{filename}"


class Attachment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    # Set at publication: the hash of the bytes the approval covered. The catalogue lists only
    # attachments carrying it and serves a file only while its bytes still match.
    published_sha256 = models.CharField(
        _("published SHA-256"), max_length=64, blank=True, editable=False
    )
    # The extracted text the scanner read and redactions point into, valid for `text_sha256`.
    text = models.TextField(blank=True, editable=False)
    text_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # For the same file: its text waits for text recognition (OCR) on the worker, or cannot be
    # read, and why (review/extraction.py).
    text_pending = models.BooleanField(default=False, editable=False)
    text_error = models.TextField(blank=True, editable=False)
    # Set at publication when the attachment carries redactions: a rendering of its redacted
    # text. Without redactions the public version is the file itself.
    public_file = models.FileField(
        _("public version"), upload_to=public_attachment_path, blank=True
    )
    # The reviewer may replace an attachment with a redacted version (the file the public gets);
    # the drafter's original is kept here for the record and never served publicly.
    original_file = models.FileField(
        _("original file (replaced by a redacted version)"),
        upload_to=attachment_path,
        blank=True,
        editable=False,
    )
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    replaced_at = models.DateTimeField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class UnitYearSequence(models.Model):
    """The last serial used per unit and year; its row is locked by the transaction that takes
    the next one (workflow.services.sequences.next_serial), so serials stay gap-free."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # unique (unit, year)
    )
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last_serial}"


class IndexSequence(UnitYearSequence):
    """Index numbers' (索引号) last serial per unit and year."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="index_sequence_unique_unit_year")
        ]
