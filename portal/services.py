"""Writes of the portal: the disclosure guides. Every change is audited."""

from django.db import transaction
from django.forms.models import model_to_dict

from audit.services import audit_log
from security.html import clean_rich_text

from .models import Guide

GUIDE_FIELDS = (
    "office_name",
    "address",
    "office_hours",
    "phone",
    "fax",
    "email",
    "website",
    "postcode",
    "introduction",
    "how_to_obtain",
)
# Pasted from a unit's website, so they may carry markup: stored only after nh3 has cleaned them.
RICH_TEXT_FIELDS = ("introduction", "how_to_obtain")


@transaction.atomic
def guide_save(*, guide: Guide, user) -> Guide:
    """Save a guide edited in the admin, recording the fields that changed, old and new."""
    before = {}
    if guide.pk:
        before = model_to_dict(Guide.objects.select_for_update().get(pk=guide.pk), GUIDE_FIELDS)
    for name in RICH_TEXT_FIELDS:
        setattr(guide, name, clean_rich_text(getattr(guide, name)))
    after = model_to_dict(guide, GUIDE_FIELDS)
    changed = {
        f: {"old": before.get(f, ""), "new": after[f]}
        for f in GUIDE_FIELDS
        if before.get(f, "") != after[f]
    }
    guide.updated_by = user
    guide.save()
    audit_log(
        actor=user,
        action="portal.guide.updated" if before else "portal.guide.created",
        subject=guide,
        data={"changed": changed},
    )
    return guide
