from django import forms
from django.utils.translation import gettext_lazy as _

from .channels import channels
from .models import Preference


class PreferencesForm(forms.Form):
    """One choice per outside channel; the in-app centre is always on."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for code, channel in channels().items():
            self.fields[code] = forms.ChoiceField(
                label=channel.label or code,
                choices=Preference.Mode.choices,
                initial=current.get(code),
                widget=forms.RadioSelect,
                help_text=_("A daily digest collects the day's notifications in one message."),
            )
