from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .channels import channels
from .models import Preference


class PreferencesForm(forms.Form):
    """One choice per outside channel; the in-app centre is always on. A channel that needs an
    address the account lacks (SMS: a mobile number) asks for it beside its choice."""

    def __init__(self, *args, current: dict[str, str], addresses: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for code, channel in channels().items():
            choices = [(m, label) for m, label in Preference.Mode.choices if m in channel.modes]
            self.fields[code] = forms.ChoiceField(
                label=channel.label or code,
                choices=choices,
                initial=current.get(code) if current.get(code) in channel.modes else None,
                widget=forms.RadioSelect,
                help_text=_("A daily digest collects the day's notifications in one message.")
                if "digest" in channel.modes
                else _(
                    "Sent in working hours only; what comes later waits for the next working morning."
                ),
            )
            if channel.address_label:
                self.fields[f"{code}_address"] = forms.CharField(
                    label=channel.address_label,
                    required=False,
                    max_length=30,
                    initial=addresses.get(code, ""),
                )

    def clean(self):
        data = super().clean()
        for code, channel in channels().items():
            name = f"{code}_address"
            if name not in self.fields or name in self.errors:
                continue
            value = (data.get(name) or "").strip()
            if value:
                try:
                    data[name] = channel.clean_address(value)
                except ValidationError as exc:
                    self.add_error(name, exc)
            elif data.get(code) not in (None, Preference.Mode.OFF):
                self.add_error(
                    name, _("Enter the number to be reached at, or switch this channel off.")
                )
        return data

    def modes(self) -> dict[str, str]:
        return {code: self.cleaned_data[code] for code in channels()}

    def addresses(self) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"{code}_address", "")
            for code in channels()
            if f"{code}_address" in self.fields
        }
