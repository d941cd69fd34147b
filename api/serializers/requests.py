"""Submitting a disclosure request (Regulation Art. 29) through the API.

The fields are built from the public web form (workflow.forms_public.PublicRequestForm), and the
form itself then checks the values, so the API accepts exactly what the form accepts and answers
with the same messages. The serializer adds what JSON needs on top: strict types (a number where
text is expected is refused, not turned into text).
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from api.pagination import DB_INT_MAX
from workflow.forms_public import PublicRequestForm


class StrictCharField(serializers.CharField):
    """Text only: DRF would turn 12 into "12". The length limit holds for the text as sent, as
    the schema's maxLength says: DRF would measure it after trimming the whitespace around it,
    and take 31 characters that begin with a space for a field of 30."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false only: DRF would also take "yes", "on", 1 and "1"."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON number only: DRF would also take "12", 12.0 and true."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


def _api_field(name: str, field: forms.Field) -> serializers.Field:
    common = {"help_text": field.help_text or None, "label": field.label}
    if isinstance(field, forms.BooleanField):
        # A box left unticked on the form: absent from the JSON means false.
        return StrictBooleanField(required=False, default=False, **common)
    # A field with an initial value (the radio buttons of the form) may be left out of the JSON.
    if field.initial not in (None, ""):
        common.update(required=False, default=field.initial)
    else:
        common["required"] = field.required
    if isinstance(field, forms.ModelChoiceField):
        return StrictIntegerField(min_value=1, max_value=DB_INT_MAX, **common)
    if isinstance(field, forms.ChoiceField):
        choices = [(value, label) for value, label in field.choices]
        allow_blank = any(value == "" for value, _label in choices)
        choices = [(value, label) for value, label in choices if value != ""]
        return serializers.ChoiceField(choices=choices, allow_blank=allow_blank, **common)
    if isinstance(field, forms.EmailField):
        # Text here; the form checks the address (workflow.validators), so that a wrong e-mail
        # is reported together with the other fields' refusals, in the form's words.
        return StrictCharField(
            max_length=field.max_length, allow_blank=not field.required, **common
        )
    if isinstance(field, forms.CharField):
        return StrictCharField(
            max_length=field.max_length, allow_blank=not field.required, **common
        )
    raise TypeError(f"no API field for {name}: {type(field).__name__}")


# The attachment is not taken through the API: JSON carries no files.
FORM_FIELDS = {
    name: field
    for name, field in PublicRequestForm.base_fields.items()
    if not isinstance(field, forms.FileField)
}


class RequestSubmitSerializer(serializers.Serializer):
    def get_fields(self):
        return {name: _api_field(name, field) for name, field in FORM_FIELDS.items()}

    def validate(self, attrs):
        form = PublicRequestForm(data=dict(attrs))
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): [
                        str(message) for message in messages
                    ]
                    for field, messages in form.errors.items()
                }
            )
        return {"unit": form.cleaned_data["unit"], "data": form.service_data()}


class RequestSubmittedSerializer(serializers.Serializer):
    tracking_code = serializers.CharField(
        help_text=_("Keep it: the only way to follow the request.")
    )
    status_url = serializers.URLField(help_text=_("Where the request's progress can be read."))
    submitted_on = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField()
