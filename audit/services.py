"""The one helper through which every state change is recorded."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import AuditEntry


def audit_log(
    *,
    actor: Any,
    action: str,
    subject: models.Model,
    old_state: str = "",
    new_state: str = "",
    comment: str = "",
    data: dict | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=str(subject.pk),
        subject_repr=str(subject)[:255],
        old_state=old_state or "",
        new_state=new_state or "",
        comment=comment or "",
        data=data or {},
    )
