from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .letter_kinds import kind_choices, letter_kind, part_labels, template_missing
from .letters import KNOWN_PLACEHOLDERS
from .models import (
    CalendarDay,
    CalendarYear,
    Category,
    District,
    Item,
    LegalGround,
    LetterTemplate,
    Position,
    Section,
    Unit,
)
from .services.calendar_changes import calendar_changed
from .services.items import item_set_repealed, repeal_problem
from .services.organisation import position_remove, position_save


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "code")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "full_name", "code", "kind", "district")
    list_filter = ("kind", "district")
    search_fields = ("name", "full_name", "code")
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["district", "name", "code", "kind", "founded_on"]}),
        (
            _("Letters (答复告知书)"),
            {
                "fields": ["full_name", "letter_prefix", "reconsideration_body", "court"],
                "description": _(
                    "Every letter to an applicant carries the agency's full name, a document "
                    "number (文号) with this prefix, and the remedies naming the reconsideration "
                    "body and the court. Units that answer requests cannot issue letters "
                    "without them."
                ),
            },
        ),
    ]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "unit")
    list_filter = ("unit",)
    search_fields = ("name", "unit__name")


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    """Positions drive object permissions: every save and delete rewrites the holder's grants."""

    list_display = ("user", "role", "unit", "section")
    list_filter = ("role", "unit")
    search_fields = ("user__username", "user__last_name", "user__first_name")
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        position_save(position=obj, by=request.user)

    def delete_model(self, request, obj):
        position_remove(position=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for position in queryset.select_related("user"):
            position_remove(position=position, by=request.user)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "report_kind")


@admin.register(LegalGround)
class LegalGroundAdmin(admin.ModelAdmin):
    list_display = ("code", "article", "title", "report_reason", "active")
    list_filter = ("active", "report_reason")


class ItemRepealForm(forms.ModelForm):
    def clean_repealed_on(self):
        repealed_on = self.cleaned_data.get("repealed_on")
        problem = repeal_problem(item=self.instance, repealed_on=repealed_on)
        if problem:
            raise forms.ValidationError(problem)
        return repealed_on


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """Items change only through the workflow; the admin shows them read-only."""

    list_display = (
        "title",
        "unit",
        "section",
        "status",
        "attribute",
        "scope",
        "index_number",
        "published_at",
    )
    list_filter = ("status", "attribute", "scope", "unit")
    search_fields = ("title", "index_number")
    fields = [f.name for f in Item._meta.fields if f.name not in ("id", "search_document")]
    form = ItemRepealForm

    def get_readonly_fields(self, request, obj=None):
        # Only the repeal date of a published item is edited here (table 二 of the annual
        # report); everything else changes through the workflow.
        editable = {"repealed_on"} if obj and obj.status == Item.Status.PUBLISHED else set()
        return [f.name for f in Item._meta.fields if f.name not in editable]

    def save_model(self, request, obj, form, change):
        if "repealed_on" in form.changed_data:
            item_set_repealed(item=obj, user=request.user, repealed_on=obj.repealed_on)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def status_display(self, obj):
        return obj.get_status_display()


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 3


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Saving a year recomputes every open deadline (and audits old and new due dates)."""

    list_display = ("year", "confirmed", "source", "updated_at")
    inlines = [CalendarDayInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = calendar_changed(actor=request.user, calendar_year=form.instance)
        self.message_user(
            request,
            _("Open deadlines recomputed: %(count)s request(s) changed.") % {"count": changed},
        )

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        obj.pk = pk  # keep the audit row pointing at the year that was deleted
        calendar_changed(actor=request.user, calendar_year=obj, deleted=True)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class LetterTemplateForm(forms.ModelForm):
    """A model text must keep every part its kind requires (workflow.letter_kinds): the form
    says which are missing, as the issuing service would."""

    kind = forms.ChoiceField(label=_("letter"), choices=kind_choices)

    class Meta:
        model = LetterTemplate
        fields = ["kind", "title", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = format_html(
            "{}<br>{}: {}",
            self.fields["body"].help_text,
            _("Placeholders"),
            " ".join("{" + name + "}" for name in KNOWN_PLACEHOLDERS),
        )

    def clean(self):
        data = super().clean()
        described = letter_kind(data.get("kind", ""))
        if described is None or "title" not in data or "body" not in data:
            return data
        missing = template_missing(described, title=data["title"], body=data["body"])
        if missing:
            raise forms.ValidationError(
                _("This model text lacks %(parts)s.") % {"parts": part_labels(missing)}
            )
        return data


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    form = LetterTemplateForm
    list_display = ("kind", "kind_label", "title", "missing_parts")
    search_fields = ("kind", "title", "body")
    readonly_fields = ("required_parts",)

    @admin.display(description=_("letter"))
    def kind_label(self, obj):
        described = letter_kind(obj.kind)
        return described.label if described else "—"

    @admin.display(description=_("missing parts"))
    def missing_parts(self, obj):
        described = letter_kind(obj.kind)
        if described is None:
            return _("not a known letter")
        return part_labels(template_missing(described, title=obj.title, body=obj.body)) or "—"

    @admin.display(description=_("required parts"))
    def required_parts(self, obj):
        described = letter_kind(obj.kind) if obj else None
        return part_labels(described.all_parts) if described else "—"
