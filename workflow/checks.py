"""System checks (`manage.py check`) for what the workflow needs from the machine."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register


@register()
def letter_pdf_font(app_configs=None, **kwargs):
    """Letters in PDF embed a TrueType Chinese font (workflow.letters.pdf_font); without one the
    download fails, so say it when the site starts rather than when an officer needs the file."""
    if any(Path(c.partition("#")[0]).is_file() for c in settings.LETTER_PDF_FONTS):
        return []
    return [
        CheckWarning(
            "No TrueType Chinese font for letters in PDF.",
            hint="Install Debian's fonts-arphic-uming, or set LETTER_PDF_FONTS to a .ttf/.ttc.",
            id="workflow.W001",
        )
    ]
