"""Audit rows are never changed or removed: the application refuses, and on PostgreSQL so does a
trigger, whoever sends the SQL. The one exception is the sealer's write of the chain fields."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from audit.models import AuditEntry, AuditLogIsAppendOnly
from audit.selectors import audit_verify
from audit.services import audit_seal

pytestmark = pytest.mark.django_db


def _unchanged(entry: AuditEntry) -> bool:
    stored = AuditEntry.objects.values().get(pk=entry.pk)
    return stored["comment"] == entry.comment and stored["action"] == entry.action


def test_the_application_cannot_update_an_audit_row(make_entries):
    (entry,) = make_entries(1)
    entry.comment = "改写"

    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save(update_fields=["comment"])
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(comment="改写")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.bulk_update([entry], ["comment"])
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"comment": "改写"})
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.comment != "改写"


def test_a_new_object_with_an_existing_id_does_not_overwrite_the_row(make_entries):
    (entry,) = make_entries(1)
    forged = AuditEntry.objects.get(pk=entry.pk)
    forged._state.adding = True
    forged.comment = "伪造"

    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.bulk_create(
            [forged], update_conflicts=True, unique_fields=["id"], update_fields=["comment"]
        )
    assert _unchanged(entry)


def test_the_application_cannot_delete_an_audit_row(make_entries):
    (entry,) = make_entries(1)

    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_the_actor_of_an_audit_row_is_refused(make_entries):
    (entry,) = make_entries(1)

    with pytest.raises(ProtectedError), transaction.atomic():
        entry.actor.delete()
    assert _unchanged(entry)


def _raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", AuditEntry._meta.db_table), params)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE {table} SET comment = 'x' WHERE id = %s",
        "UPDATE {table} SET at = at + interval '1 second' WHERE id = %s",
        "UPDATE {table} SET actor_id = NULL WHERE id = %s",
        """UPDATE {table} SET data = '{"n": 5}'::jsonb WHERE id = %s""",
        "DELETE FROM {table} WHERE id = %s",
    ],
)
def test_the_trigger_refuses_update_and_delete_of_any_row(make_entries, sql):
    unsealed, sealed = make_entries(2)
    audit_seal(max_batches=1, batch=1)

    for entry in (unsealed, sealed):
        with pytest.raises(DatabaseError, match="append-only"):
            _raw(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk__in=[unsealed.pk, sealed.pk]).count() == 2


@pytest.mark.postgres
def test_the_trigger_allows_only_the_first_sealing_write_with_content_unchanged(make_entries):
    first, second = make_entries(2)
    audit_seal(batch=1, max_batches=1)
    seal = "UPDATE {table} SET chain_seq = %s, prev_hash = %s, row_hash = %s"

    # Resealing a sealed row (rewriting the chain) is refused...
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(seal + " WHERE id = %s", [1, "0" * 64, "a" * 64, first.pk])
    # ...and so is sealing while changing content, or leaving the hash empty.
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(seal + ", comment = 'x' WHERE id = %s", [2, "0" * 64, "b" * 64, second.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(seal + " WHERE id = %s", [2, "0" * 64, "", second.pk])

    assert audit_seal() == 1
    assert audit_verify().ok and audit_verify().checked == 2


@pytest.mark.postgres
def test_the_trigger_is_installed_by_the_migration(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [AuditEntry._meta.db_table],
        )
        assert cursor.fetchall() == [("O",)]
