"""Two sweeps that have both decided the same steps race to record them: the unique constraint
lets one win each step, and nobody is told twice (PostgreSQL, real concurrent transactions)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from notifications import sweep
from notifications.models import DeadlineAlert, Notification

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_sweeps_deciding_the_same_steps_record_each_once(org, req, monkeypatch):
    request = req.register(received=dt.date(2026, 9, 30))
    req.to_drafting(request, today=dt.date(2026, 10, 9))
    both_decided = threading.Barrier(2, timeout=30)
    original = sweep.steps_due

    def decided_then_wait(**kwargs):
        steps = original(**kwargs)
        both_decided.wait()  # neither records before both have read the same state
        return steps

    monkeypatch.setattr(sweep, "steps_due", decided_then_wait)
    results, errors = [], []

    def run():
        try:
            results.append(sweep.deadlines_sweep(today=dt.date(2026, 11, 12)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(r.steps for r in results) == [0, 4] or sum(r.steps for r in results) == 4
    assert sum(r.skipped_duplicates for r in results) + sum(r.steps for r in results) == 8
    assert DeadlineAlert.objects.filter(request=request).count() == 4
    per_person = Notification.objects.filter(verb="escalation").values_list(
        "recipient__username", "alert__rung"
    )
    assert len(per_person) == len(set(per_person)) == 1 + 2 + 2 + 3
