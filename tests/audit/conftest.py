import pytest
from django.db import connection, transaction

from audit.models import AuditEntry
from audit.services import audit_log
from tests.factories import UserFactory


@pytest.fixture
def make_entries(db):
    """n audit rows about one user, written the way the application writes them."""
    actor = UserFactory(username="auditor")

    def make(n: int = 1, **fields) -> list[AuditEntry]:
        return [
            audit_log(
                actor=actor,
                action=fields.get("action", "test.thing.changed"),
                subject=actor,
                old_state="a",
                new_state="b",
                comment=fields.get("comment", f"第{i}次修改"),
                data=fields.get("data", {"n": i, "说明": "测试", "list": [3, 1, 2]}),
            )
            for i in range(n)
        ]

    return make


@pytest.fixture
def as_dba():
    """Run raw SQL the way a database administrator with full rights could: on PostgreSQL the
    append-only trigger is switched off for the statement, as `session_replication_role =
    replica` (superuser only) does."""

    def run(sql: str, params=()) -> int:
        sql = sql.replace("{table}", AuditEntry._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            count = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        return count

    return run
