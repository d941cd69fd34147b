"""Forms of the public pages: the online disclosure request (Regulation Art. 29) and the status
lookup by tracking code. No login; the services do the authoritative checks."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ApplicantKind, DisclosureRequest, OrganisationType, Unit
from .uploads import check_upload


def _model_choices(name: str) -> list[tuple[str, str]]:
    return list(DisclosureRequest._meta.get_field(name).choices)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class PublicRequestForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Addressed to"),
        queryset=Unit.objects.none(),
        empty_label="—",
        help_text=_("The agency that holds the information you ask for."),
    )
    applicant_kind = forms.ChoiceField(
        label=_("Applicant"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.NATURAL_PERSON,
        widget=forms.RadioSelect,
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", "—"), *OrganisationType.choices],
        required=False,
        help_text=_("Only for a legal person or other organisation."),
    )
    applicant_name = forms.CharField(label=_("Name of the person or organisation"), max_length=100)
    id_number = forms.CharField(
        label=_("ID number or credit code"),
        max_length=40,
        help_text=_("Resident ID number, or the unified social credit code of an organisation."),
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    address = forms.CharField(label=_("Postal address"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Information requested"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Describe the information so that it can be identified: its title, subject, "
            "period or issuing body."
        ),
    )
    document_number = forms.CharField(
        label=_("Document number (文号)"), max_length=100, required=False
    )
    delivery_form = forms.ChoiceField(
        label=_("Form of delivery"),
        choices=_model_choices("delivery_form"),
        initial="electronic",
        widget=forms.RadioSelect,
    )
    delivery_method = forms.ChoiceField(
        label=_("Way of obtaining"),
        choices=_model_choices("delivery_method"),
        initial="email",
        widget=forms.RadioSelect,
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Optional: one PDF, JPEG, PNG or Word (.docx) file."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The secrecy bureau reviews other units' items; it does not take requests.
        self.fields["unit"].queryset = Unit.objects.exclude(kind=Unit.Kind.SECRECY_BUREAU).order_by(
            "name", "pk"
        )

    def clean_attachment(self):
        # Checked here too, so a bad file is reported together with the other fields' errors;
        # the service checks again before anything is stored.
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                check_upload(upload)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["attachment"]) from exc
        return upload

    def service_data(self) -> dict:
        """The cleaned fields the intake service takes as `data`."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("unit", "attachment")
        }


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The code shown when you submitted your request, e.g. YSQ2026-ABCD-EFGH."),
    )
