"""Celery tasks. Reminder and escalation sweeps arrive with the notifications issue; viewflow's
timers are fired here already so flows may use flow.Timer from the start."""

from celery import shared_task
from viewflow.workflow.timers import fire_due_timers as viewflow_fire_due_timers


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def fire_due_timers() -> int:
    return viewflow_fire_due_timers()
