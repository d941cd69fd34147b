from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.models import DisclosureRequest

from .models import FIRST_YEAR, AnnualReport, Appeal
from .services import REPORT_FIELDS


class ReportCreateForm(forms.Form):
    owner = forms.ChoiceField(label=_("Report of"))
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(o.key, o.name) for o in owners]


class ReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = list(REPORT_FIELDS)
        labels = {
            "overview": "一、总体情况",
            "problems": "五、存在的主要问题及改进情况",
            "other_matters": "六、其他需要报告的事项",
            "licensing_decisions": "行政许可（本年处理决定数量）",
            "punishment_decisions": "行政处罚（本年处理决定数量）",
            "coercion_decisions": "行政强制（本年处理决定数量）",
            "fee_amount": "行政事业性收费（本年收费金额，单位：万元）",
        }
        help_texts = {
            "licensing_decisions": _("From the licensing system: decisions made this year."),
            "punishment_decisions": _("From the enforcement system: decisions made this year."),
            "coercion_decisions": _("From the enforcement system: decisions made this year."),
            "fee_amount": _("In units of 10,000 yuan, up to four decimal places."),
        }
        widgets = {
            "overview": forms.Textarea(attrs={"rows": 8}),
            "problems": forms.Textarea(attrs={"rows": 6}),
            "other_matters": forms.Textarea(attrs={"rows": 6}),
            "licensing_decisions": forms.NumberInput(attrs={"min": 0}),
            "punishment_decisions": forms.NumberInput(attrs={"min": 0}),
            "coercion_decisions": forms.NumberInput(attrs={"min": 0}),
            "fee_amount": forms.NumberInput(attrs={"min": 0, "step": "0.0001"}),
        }


class AppealForm(forms.ModelForm):
    class Meta:
        model = Appeal
        fields = ["kind", "case_number", "filed_on", "concluded_on", "result", "request", "note"]
        widgets = {
            "filed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "concluded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "concluded_on": _("Leave empty while the case is not concluded."),
            "request": _("The disclosure request the case is about, if it was received here."),
        }

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None and not self.instance.pk:
            self.instance.unit = unit  # so a duplicate case number is caught beside the field
        self.fields["request"].queryset = (
            DisclosureRequest.objects.filter(receiving_unit=unit).order_by("-received_on", "-pk")
            if unit is not None
            else DisclosureRequest.objects.none()
        )
        # The tracking code and date only: preparers need not see who applied.
        self.fields["request"].label_from_instance = lambda r: (
            f"{r.tracking_code}（{r.received_on or r.submitted_on:%Y-%m-%d}）"
        )

    def clean(self):
        data = super().clean()
        concluded_on, result = data.get("concluded_on"), data.get("result")
        if concluded_on is None and result and result != Appeal.Result.PENDING:
            self.add_error("concluded_on", _("Enter the day the case was concluded."))
        if concluded_on is not None and result == Appeal.Result.PENDING:
            self.add_error("result", _("Choose the result of the concluded case."))
        return data
