"""Gap-free serials per unit and year: index numbers (索引号) and letters' document numbers (文号)."""

from django.db import models, transaction


def next_serial(*, sequence: type[models.Model], unit_id: int, year: int, purpose: str) -> int:
    """The next serial of `sequence` (a model with unit, year, last_serial, unique per unit and
    year). Runs inside the transaction that uses the number: one upsert creates the year's row or
    locks and bumps it (PostgreSQL and SQLite both hold the row lock until commit), so concurrent
    callers wait for each other and a rollback gives the serial back."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError(f"allocate {purpose} inside the transaction that uses them")
    table = connection.ops.quote_name(sequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, year, last_serial) VALUES (%s, %s, 1) "  # noqa: S608
            "ON CONFLICT (unit_id, year) "
            f"DO UPDATE SET last_serial = {table}.last_serial + 1 RETURNING last_serial",
            [unit_id, year],
        )
        return cursor.fetchone()[0]
