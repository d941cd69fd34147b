"""The sealer chains committed audit rows after the fact, oldest id first."""

import hashlib
import hmac
import json
from datetime import UTC

import pytest
from django.conf import settings

from audit import chain
from audit.models import AuditEntry
from audit.selectors import audit_verify
from audit.services import audit_seal
from audit.tasks import seal_audit_chain

pytestmark = pytest.mark.django_db


def _chain():
    return list(
        AuditEntry.objects.order_by("chain_seq").values_list(
            "id", "chain_seq", "prev_hash", "row_hash"
        )
    )


def test_rows_are_written_unsealed_and_sealed_in_id_order(make_entries):
    rows = make_entries(4)
    assert all(r.chain_seq is None and r.row_hash == "" for r in rows)

    assert audit_seal() == 4

    sealed = _chain()
    assert [(pk, seq) for pk, seq, _, _ in sealed] == [(r.pk, i) for i, r in enumerate(rows, 1)]
    assert sealed[0][2] == chain.GENESIS
    for (_, _, _, before), (_, _, prev, _) in zip(sealed, sealed[1:], strict=False):
        assert prev == before
    assert all(len(h) == 64 for *_, h in sealed)


def test_sealing_again_changes_nothing_and_new_rows_continue_the_chain(make_entries):
    make_entries(3)
    audit_seal()
    first = _chain()

    assert audit_seal() == 0
    assert _chain() == first

    make_entries(2)
    assert audit_seal() == 2
    after = _chain()
    assert after[:3] == first
    assert [seq for _, seq, _, _ in after] == [1, 2, 3, 4, 5]
    assert after[3][2] == first[-1][3]
    assert audit_verify().ok


def test_a_backlog_is_sealed_in_batches_of_its_own_transactions(make_entries):
    make_entries(7)

    assert audit_seal(batch=3, max_batches=1) == 3
    assert AuditEntry.objects.filter(chain_seq__isnull=True).count() == 4
    assert audit_seal(batch=3) == 4

    assert [seq for _, seq, _, _ in _chain()] == list(range(1, 8))
    assert audit_verify(batch=2).ok


def test_the_hash_is_the_documented_hmac_of_the_row_as_stored(make_entries):
    """Pins the format of docs/audit.md, so that an auditor can recompute a row's hash."""
    (entry,) = make_entries(1, data={"z": 1, "a": ["二", 1.5], "中": None})
    audit_seal()
    entry = AuditEntry.objects.get(pk=entry.pk)

    fields = [
        "audit-chain-v1",
        entry.pk,
        entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        entry.actor_id,
        entry.action,
        entry.subject_type_id,
        entry.subject_id,
        entry.subject_repr,
        entry.old_state,
        entry.new_state,
        entry.comment,
        {"a": ["二", 1.5], "z": 1, "中": None},
        1,
        "0" * 64,
    ]
    message = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = hmac.new(settings.SECRET_KEY.encode(), b"audit-chain-key-v1", hashlib.sha256)
    expected = hmac.new(
        key.hexdigest().encode(), (message + "0" * 64).encode(), hashlib.sha256
    ).hexdigest()
    assert entry.row_hash == expected


def test_an_explicit_key_is_used_and_pinning_the_derived_one_survives_a_secret_key_rotation(
    make_entries, settings
):
    make_entries(2)
    audit_seal()
    old_secret = settings.SECRET_KEY

    settings.SECRET_KEY = "a-rotated-secret-key"
    assert audit_verify().broken.kind == "edited"  # the derived key changed with it

    settings.AUDIT_CHAIN_KEY = chain.derived_key(old_secret)
    assert audit_verify().ok


def test_the_celery_task_seals_and_beat_runs_it(make_entries, settings):
    make_entries(2)

    assert seal_audit_chain.delay().get() == 2
    assert AuditEntry.objects.filter(chain_seq__isnull=True).count() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["seal-audit-chain"]
    assert entry["task"] == seal_audit_chain.name == "audit.tasks.seal_audit_chain"
    assert entry["schedule"].total_seconds() == settings.AUDIT_SEAL_SECONDS
