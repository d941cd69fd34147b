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

    def __init__(self, *args, district=None, exclude_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if district is not None:
            self.fields["refer_to"].queryset = Unit.objects.filter(district=district).exclude(
                pk=getattr(exclude_unit, "pk", None)
            )


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(
        label=_("Ruling"), choices=Referral.Ruling.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Basis of the ruling"), required=False, widget=forms.Textarea(attrs={"rows": 3})
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
