"""Celery tasks of the review. Each takes ids, calls a service, and is safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from .services.ocr import attachment_recognise


# The service stops OCR at OCR_TIMEOUT_SECONDS itself (a child process it kills); Celery's limits
# are the backstop for everything around it. acks_late: a worker that dies mid-way leaves the
# message to be redelivered, and the second run does what the first did not finish.
@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=settings.OCR_TIMEOUT_SECONDS + 60,
    time_limit=settings.OCR_TIMEOUT_SECONDS + 90,
)
def attachment_ocr(attachment_id: int, sha256: str) -> str:
    return attachment_recognise(attachment_id=attachment_id, sha256=sha256)
