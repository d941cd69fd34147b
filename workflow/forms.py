from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.models import Referral, ReviewDecision

from .models import Item, LegalGround, Section, Unit
from .services.items import EDITABLE_FIELDS


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ItemForm(forms.ModelForm):
    section = forms.ModelChoiceField(queryset=Section.objects.none(), label=_("Section"))

    class Meta:
        model = Item
        fields = ["section", *EDITABLE_FIELDS]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "withhold_reason": forms.Textarea(attrs={"rows": 3}),
            "interpretation": forms.Textarea(attrs={"rows": 8}),
            "attribute": forms.RadioSelect,
            "scope": forms.RadioSelect,
            "formed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = (
            sections if sections is not None else Section.objects.none()
        )
        if self.instance.pk:
            self.fields["section"].disabled = True
        self.fields["withhold_ground"].queryset = LegalGround.objects.filter(active=True)
        if not self.instance.pk:
            self.fields["formed_on"].initial = timezone.localdate()
        self.fields["scope"].help_text = _(
            "Own section, general: the section head approves. Unit, important: the unit head. "
            "District-wide: the district office."
        )
        # Saving a draft without it is fine; submission refuses it (services.items).
        self.fields["summary"].help_text = _(
            "Needed before submission unless the item is not disclosed: the catalogue lists the "
            "entry by its summary, and an entry disclosed on request by nothing else."
        )

    def clean(self):
        data = super().clean()
        if data.get("attribute") == Item.Attribute.WITHHELD:
            if not (data.get("withhold_reason") or "").strip():
                self.add_error("withhold_reason", _("Give the reason for not disclosing."))
            if not data.get("withhold_ground"):
                self.add_error("withhold_ground", _("Choose the legal ground for not disclosing."))
        return data

    def clean_interpretation(self):
        # Saving a draft without it is fine; submission refuses it (services.items).
        return (self.cleaned_data.get("interpretation") or "").strip()


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attachment"))


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.Outcome.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_ground = forms.ModelChoiceField(
        label=_("Legal ground (when not disclosable)"),
        queryset=LegalGround.objects.filter(active=True),
        required=False,
    )
    refer_to = forms.ModelChoiceField(
        label=_("Refer to (when referring)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The secrecy bureau"),
        help_text=_("Art. 17: the secrecy bureau or the competent department decides."),
    )

    raise_scope_to = forms.ChoiceField(
        label=_("Raise the approval level (疑密从紧)"),
        required=False,
        help_text=_(
            "When in doubt, send the item to a higher level than the drafter chose; never lower."
        ),
    )
    raise_reason = forms.CharField(
        label=_("Why a higher level"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, district=None, exclude_unit=None, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if district is not None:
            self.fields["refer_to"].queryset = Unit.objects.filter(district=district).exclude(
                pk=getattr(exclude_unit, "pk", None)
            )
        levels = Item.Scope.values
        current = item.approval_scope if item is not None else Item.Scope.SECTION
        self.fields["raise_scope_to"].choices = [
            ("", _("Keep: %(level)s") % {"level": Item.Scope(current).label}),
            *((value, Item.Scope(value).label) for value in levels[levels.index(current) + 1 :]),
        ]


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(
        label=_("Ruling"), choices=Referral.Ruling.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Basis of the ruling"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "On an item carrying a classification mark, “may be disclosed” rules that the mark is "
            "wrong (e.g. the text was declassified): state the basis, such as the "
            "declassification notice and its number."
        ),
    )


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve for publication")), ("return", _("Return to the drafter"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
