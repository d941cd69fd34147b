"""Forms of the public pages: the online disclosure request (Regulation Art. 29) and the status
lookup by tracking code. No login; the services do the authoritative checks.

The applicant's ID number, mobile number and e-mail are checked by workflow.validators, shared
with the staff's registration form and (through PublicRequestForm) the API. The web form adds a
CAPTCHA drawn on this server (security.captcha); the API has its own throttle instead.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from security.captcha import captcha_refusal

from .models import ApplicantKind, DisclosureRequest, OrganisationType, Unit
from .uploads import check_upload
from .validators import EMAIL_WRONG, applicant_errors


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
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        help_text=_("A mainland mobile number (11 digits), so that the office can reach you."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        error_messages={"invalid": EMAIL_WRONG},
        help_text=_(
            "Optional. If you give one, you are told by e-mail when the request is received, "
            "when a correction is asked for, when the time limit is extended and when it is "
            "answered."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    sms_consent = forms.BooleanField(
        label=_("Also tell me by SMS at the mobile number above"),
        required=False,
        help_text=_("Only about this request. You can ask the office to stop at any time."),
    )
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
        if not settings.APPLICANT_SMS:
            # Nothing is sent by SMS to applicants: asking for consent would promise it.
            del self.fields["sms_consent"]

    def clean(self):
        data = super().clean()
        # One rule set for every way in (workflow.validators); each refusal beside its field.
        for name, error in applicant_errors(data).items():
            self.add_error(name, error)
        return data

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


class CaptchaWidget(forms.TextInput):
    """The picture, the answer box and a link to another picture. The link works without
    script (it opens a new picture); static/js/captcha.js swaps the picture in place."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "size": 6,
                **(attrs or {}),
            }
        )

    def render(self, name, value, attrs=None, renderer=None):
        image = reverse("public:captcha")
        box = super().render(name, "", attrs, renderer)  # an answer is never shown again
        return format_html(
            '<span class="captcha"><img src="{}" id="captcha-image" width="168" height="56" '
            'alt="{}"> {} <a href="{}" class="captcha-refresh" target="_blank" '
            'rel="noopener">{}</a></span>',
            image,
            _("Verification code picture"),
            box,
            image,
            _("Can't read it? Another picture"),
        )


class ApplyForm(PublicRequestForm):
    """The web form: the request's fields plus the CAPTCHA, checked against the code this
    visitor's session holds (security.captcha). REQUEST_FORM_CAPTCHA off leaves the field out."""

    captcha = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=CaptchaWidget,
        help_text=_(
            "Type the characters in the picture (capital or small letters alike). Can't read "
            "them? Choose “Another picture”. If you cannot use the picture, you can also make "
            "your request by letter, by fax or in person (Regulation Art. 29): the addresses "
            "are in the disclosure guide."
        ),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if not settings.REQUEST_FORM_CAPTCHA:
            del self.fields["captcha"]

    def clean_captcha(self):
        refusal = captcha_refusal(self.request, self.cleaned_data.get("captcha", ""))
        if refusal:
            raise ValidationError(refusal, code="captcha")
        return ""

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("captcha", None)
        return data


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The code shown when you submitted your request, e.g. YSQ2026-ABCD-EFGH."),
    )
