from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import AuditEntry


def audit_history_for(*, subject: models.Model) -> QuerySet[AuditEntry]:
    """History of one object; the caller has already checked the reader may see it."""
    return AuditEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=str(subject.pk),
    ).select_related("actor")
