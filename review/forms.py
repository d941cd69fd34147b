from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.models import LegalGround, Unit

from .models import Countersign
from .scanner import Kind


def _grounds():
    return LegalGround.objects.filter(active=True)


class FindingRedactForm(forms.Form):
    ground = forms.ModelChoiceField(label=_("Legal ground"), queryset=LegalGround.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].queryset = _grounds()


class FindingsKindForm(FindingRedactForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)


class FindingDismissForm(forms.Form):
    # Required, and long enough for the finding's kind (review.services.redactions).
    note = forms.CharField(label=_("Why it is not sensitive"), max_length=500)


class PassageRedactForm(forms.Form):
    passage = forms.CharField(
        label=_("Passage to redact"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        help_text=_("Copy the passage exactly; it is redacted wherever it occurs in the item."),
    )
    ground = forms.ModelChoiceField(label=_("Legal ground"), queryset=LegalGround.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].queryset = _grounds()


class ManualCheckForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class AttachmentReplaceForm(forms.Form):
    file = forms.FileField(label=_("Redacted version"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why the redaction is taken back"), max_length=200)


class CountersignUnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit to countersign"), queryset=Unit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class CountersignDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Countersign.Status.CONFIRMED, _("Confirm")),
            (Countersign.Status.OBJECTED, _("Object and return to the drafter")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
