"""Sealers on PostgreSQL: two at once make one chain, and neither waits for (nor makes wait) the
transactions that are writing audit rows."""

import threading

import pytest
from django.db import connection, transaction

from audit.models import AuditEntry
from audit.selectors import audit_verify
from audit.services import audit_log, audit_seal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_thread(target, *args):
    """Run target on its own connection; returns (thread, result list, error list)."""
    result, errors = [], []

    def run():
        try:
            result.append(target(*args))
        except Exception as exc:  # re-raised by the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result, errors


def test_two_sealers_at_once_make_one_chain(make_entries):
    make_entries(60)
    start = threading.Barrier(2)

    def seal():
        start.wait(timeout=10)
        return audit_seal(batch=7)

    runs = [_in_thread(seal) for _ in range(2)]
    for thread, _, _ in runs:
        thread.join(timeout=60)
    assert not [e for _, _, errors in runs for e in errors]

    assert sum(r for _, result, _ in runs for r in result) == 60
    seqs = list(AuditEntry.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
    assert seqs == list(range(1, 61))
    assert audit_verify().ok


def test_a_row_committed_late_is_sealed_later_without_blocking_anyone(make_entries):
    (first,) = make_entries(1)
    written, release = threading.Event(), threading.Event()

    def slow_writer():
        # A workflow step that wrote its audit row and has not committed yet.
        with transaction.atomic():
            row = audit_log(actor=None, action="test.slow", subject=first.actor)
            written.set()
            release.wait(timeout=30)
        return row.pk

    writer, late_id, errors = _in_thread(slow_writer)
    assert written.wait(timeout=10)
    (later,) = make_entries(1)  # a higher id, committed first

    # Neither waits for the open transaction: the sealer skips the uncommitted row.
    assert audit_seal() == 2
    release.set()
    writer.join(timeout=30)
    assert not errors
    assert audit_seal() == 1

    order = list(AuditEntry.objects.order_by("chain_seq").values_list("id", flat=True))
    assert order == [first.pk, later.pk, late_id[0]]
    assert late_id[0] < later.pk
    assert audit_verify().ok
