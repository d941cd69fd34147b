"""On PostgreSQL a trigger refuses UPDATE and DELETE of audit rows, whoever sends them, except the
sealer's one write of the chain fields to a row not sealed yet (docs/audit.md). TRUNCATE fires no
row trigger: the head hash recorded outside the database is what detects that."""

from django.db import migrations

CONTENT = (
    "id", "at", "actor_id", "action", "subject_type_id", "subject_id", "subject_repr",
    "old_state", "new_state", "comment", "data",
)
FUNCTION = "audit_auditentry_append_only"
TRIGGER = "audit_auditentry_append_only"
TABLE = "audit_auditentry"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.chain_seq IS NULL
        AND COALESCE(OLD.row_hash, '') = ''
        AND NEW.chain_seq IS NOT NULL
        AND COALESCE(NEW.row_hash, '') <> ''
        AND COALESCE(NEW.prev_hash, '') <> ''
        AND ({", ".join(f"OLD.{c}" for c in CONTENT)})
            IS NOT DISTINCT FROM ({", ".join(f"NEW.{c}" for c in CONTENT)})
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % of row % refused', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""
DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE};
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # No params: the RAISE format has bare % signs.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [("audit", "0002_chain_fields")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
