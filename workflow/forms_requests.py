"""Staff forms for disclosure requests. They parse input; the services decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import (
    Consultation,
    DisclosureRequest,
    FeeNotice,
    Item,
    LegalGround,
    Outcome,
    ReasonsDecision,
    Section,
    Unit,
)
from .models.requests import DRAFTABLE_OUTCOMES
from .services.intake import REQUEST_FIELDS
from .validators import EMAIL_WRONG, applicant_errors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterForm(forms.ModelForm):
    receiving_unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Received by"))

    class Meta:
        model = DisclosureRequest
        fields = ["receiving_unit", *REQUEST_FIELDS]
        widgets = {
            "submitted_on": DATE,
            "arrived_on": DATE,
            "signed_on": DATE,
            "confirmed_on": DATE,
            "description": forms.Textarea(attrs={"rows": 5}),
            "applicant_kind": forms.RadioSelect,
            "channel": forms.RadioSelect,
        }
        error_messages = {"email": {"invalid": EMAIL_WRONG}}
        help_texts = {
            "submitted_on": _(
                "In person: the day handed in. By post: the postmark date. Online or fax: the "
                "day it was sent."
            ),
            "signed_on": _("Registered mail: the day the office signed for it (Art. 31(二))."),
            "confirmed_on": _(
                "Ordinary mail, online, fax: the day receipt was confirmed with the applicant "
                "(Art. 31). Leave empty if not yet confirmed."
            ),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_unit"].queryset = units if units is not None else Unit.objects.none()
        if settings.APPLICANT_SMS:
            self.fields["sms_consent"].label = _("The applicant agrees to be told by SMS")
        else:
            del self.fields["sms_consent"]  # nothing is sent to applicants by SMS

    def clean(self):
        data = super().clean()
        # The public form's rules (workflow.validators), each refusal beside its field.
        for name, error in applicant_errors(data).items():
            self.add_error(name, error)
        return data

    def _post_clean(self):
        # The service validates and builds the request; the model's own clean would duplicate it.
        pass


class CheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("complete", _("Complete: start handling")),
            ("correction", _("Unclear: send the one correction notice (Art. 30)")),
        ],
        widget=forms.RadioSelect,
    )
    confirmed_on = forms.DateField(
        label=_("Receipt confirmed with the applicant on"),
        required=False,
        widget=DATE,
        help_text=_("Only for requests whose receipt is not yet confirmed (Art. 31(三))."),
    )
    correction = forms.CharField(
        label=_("What must be corrected"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    correction_due_on = forms.DateField(label=_("Correct by"), required=False, widget=DATE)


class CorrectionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("received", _("The corrected request arrived: restart the clock")),
            ("abandon", _("No correction by the deadline: close as abandoned")),
        ],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(label=_("Correction received on"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("What the applicant corrected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "received" and not data.get("received_on"):
            self.add_error("received_on", _("Enter the day the correction was received."))
        return data


class AssignForm(forms.Form):
    section = forms.ModelChoiceField(queryset=Section.objects.none(), label=_("Handling section"))

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = (
            sections if sections is not None else Section.objects.none()
        )
        self.fields["section"].label_from_instance = lambda s: f"{s.unit.name} / {s.name}"


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(o.value, o.label) for o in DRAFTABLE_OUTCOMES]
    )
    answer = forms.CharField(
        label=_("Answer to the applicant"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The information provided, or the reason; it goes into the answer letter."),
    )
    scope = forms.ChoiceField(
        label=_("Scope (decides who approves)"),
        choices=Item.Scope.choices,
        initial=Item.Scope.SECTION,
        widget=forms.RadioSelect,
    )
    legal_ground = forms.ModelChoiceField(
        queryset=LegalGround.objects.filter(active=True),
        required=False,
        label=_("Legal ground (not or partly disclosed)"),
    )
    competent_agency = forms.CharField(
        label=_("Competent agency and contact (not this agency's)"), required=False, max_length=200
    )
    earlier_request = forms.CharField(
        label=_("Earlier request already answered (repeated request)"),
        required=False,
        max_length=20,
        help_text=_(
            "Repeated request (Art. 36(6)): the tracking code of this applicant's earlier request "
            "to this agency that was answered."
        ),
    )

    def __init__(self, *args, unavailable: dict[str, str] | None = None, **kwargs):
        """`unavailable`: outcome -> why its earlier step is missing (services.outcomes). Those
        outcomes are not offered; the page lists them with the reason."""
        super().__init__(*args, **kwargs)
        unavailable = unavailable or {}
        self.fields["outcome"].choices = [
            (o.value, o.label) for o in DRAFTABLE_OUTCOMES if o.value not in unavailable
        ]
        self.unavailable = [(Outcome(value).label, reason) for value, reason in unavailable.items()]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.REPEATED and not data.get("earlier_request", "").strip():
            self.add_error(
                "earlier_request",
                _("Name the earlier request that was answered (its tracking code)."),
            )
        return data


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE)


class ConsultationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who is consulted"), choices=Consultation.Kind.choices)
    party = forms.CharField(label=_("Consulted party"), max_length=200)
    question = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 3}))
    sent_on = forms.DateField(label=_("Letter sent on"), widget=DATE)
    received_on = forms.DateField(
        label=_("Letter received by the party on"),
        required=False,
        widget=DATE,
        help_text=_(
            "The party has 15 working days from the day it received the letter (Arts. 32, 34). "
            "Handed over or sent electronically: the same day. By post: the day on the delivery "
            "receipt; leave empty until it is back and record it below."
        ),
    )


class ConsultationReceiptForm(forms.Form):
    """The day the consulted party received the letter, once known (Arts. 32, 34)."""

    step = forms.CharField(widget=forms.HiddenInput, initial="receipt")
    received_on = forms.DateField(label=_("Letter received by the party on"), widget=DATE)


class ConsultationCloseForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Consultation.Opinion.choices)
    reply = forms.CharField(
        label=_("Reply"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    replied_on = forms.DateField(label=_("Closed on"), widget=DATE)


class DisclosureNoticeForm(forms.Form):
    """Art. 32: the agency decides to disclose over a third party's objection and tells it."""

    content = forms.CharField(
        label=_("Information to be disclosed"), widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Why withholding it would seriously affect the public interest"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    on = forms.DateField(
        label=_("Notice dated"),
        widget=DATE,
        help_text=_("The information is disclosed after 15 working days from this date."),
    )


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=20)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Consent")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonsRequestForm(forms.Form):
    """Art. 35: ask the applicant to state the reasons for an excessive request."""

    step = forms.CharField(widget=forms.HiddenInput, initial="request")
    reason = forms.CharField(
        label=_("Why the request appears excessive"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Goes into the letter: how many requests, how often (Art. 35)."),
    )
    due_on = forms.DateField(label=_("Reasons to be stated by"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].help_text = _(
            "Empty: %(days)s working days after the letter's date."
        ) % {"days": settings.REQUEST_REASONS_WORKDAYS}


class ReasonsAnswerForm(forms.Form):
    """The reasons the applicant gave, and the day they arrived."""

    step = forms.CharField(widget=forms.HiddenInput, initial="answer")
    received_on = forms.DateField(label=_("Reasons received on"), widget=DATE)
    reasons = forms.CharField(
        label=_("Reasons given by the applicant"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonsDecisionForm(forms.Form):
    """The office's judgment of the reasons (Art. 35)."""

    step = forms.CharField(widget=forms.HiddenInput, initial="decide")
    decision = forms.ChoiceField(
        label=_("The reasons are"), choices=ReasonsDecision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))
    deferred_due_on = forms.DateField(
        label=_("Answer by a later date (Art. 35)"),
        required=False,
        widget=DATE,
        help_text=_(
            "Only when the reasons are reasonable but the request cannot be answered by the "
            "current due date: set before that date passes; the applicant is sent a notice of "
            "the later date."
        ),
    )


class FeeNoticeForm(forms.Form):
    """Art. 42, 国办函〔2020〕109号: the 收费通知, its method and what the amount is counted from."""

    step = forms.CharField(widget=forms.HiddenInput, initial="issue")
    method = forms.ChoiceField(
        label=_("Method"),
        choices=FeeNotice.Method.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Per request: the applicant's requests to this agency in the month of this one's "
            "receipt (free up to 10). Per page: the pages provided for this request (free up to "
            "30). One method per request, never both."
        ),
    )
    pieces = forms.IntegerField(
        label=_("Counted as requests"),
        min_value=1,
        initial=1,
        help_text=_(
            "Per request: more than 1 when the request asks for several matters (一事一申请)."
        ),
    )
    pages = forms.IntegerField(label=_("Pages"), min_value=1, required=False)
    payment = forms.CharField(
        label=_("How to pay"),
        required=False,
        max_length=300,
        help_text=_("Empty: the office's payment channel (setting INFORMATION_FEE_PAYMENT)."),
    )
    received_on = forms.DateField(
        label=_("Notice received by the applicant on"),
        required=False,
        widget=DATE,
        help_text=_(
            "Only when handed over or e-mailed today. Empty for a notice in the post: the 20 "
            "working days are then counted with time for delivery."
        ),
    )


class FeePaymentForm(forms.Form):
    """The applicant paid the fee."""

    step = forms.CharField(widget=forms.HiddenInput, initial="pay")
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    reference = forms.CharField(label=_("Receipt number"), required=False, max_length=100)
