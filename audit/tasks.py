"""Celery tasks of the audit log."""

from celery import shared_task
from django.conf import settings

from .services import audit_seal


# No retries of its own: beat runs it again in AUDIT_SEAL_SECONDS, and a run that died sealed
# either a whole batch or nothing (one transaction each). Two runs at once are safe: the second
# waits for the sealers' lock and continues after the first one's last row.
@shared_task(acks_late=True, ignore_result=True)
def seal_audit_chain() -> int:
    return audit_seal(batch=settings.AUDIT_SEAL_BATCH)
