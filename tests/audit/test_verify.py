"""audit_verify recomputes the chain and names the first row that breaks it; the management
command prints the head to record and exits non-zero on tampering."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEntry
from audit.selectors import ChainBreak, audit_verify
from audit.services import audit_seal

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(make_entries):
    rows = make_entries(6)
    audit_seal()
    return [AuditEntry.objects.get(pk=r.pk) for r in rows]


def test_an_intact_chain_verifies_and_reports_its_head(sealed, make_entries):
    make_entries(2)  # not sealed yet: counted, not failed

    report = audit_verify(batch=4)

    assert report.ok
    assert (report.checked, report.unsealed) == (6, 2)
    assert (report.head_seq, report.head_hash) == (6, sealed[-1].row_hash)


def test_an_empty_log_verifies(db):
    report = audit_verify()
    assert report.ok and report.checked == 0 and report.head_seq == 0


@pytest.mark.parametrize(
    ("edit", "value"),
    [
        ("SET comment = %s", "改过的意见"),
        ("SET new_state = %s", "published"),
        ("SET data = %s", '{"n": 99}'),
        ("SET subject_id = %s", "999999"),
    ],
)
def test_a_row_edited_in_the_database_is_named(sealed, as_dba, edit, value):
    victim = sealed[3]
    assert as_dba("UPDATE {table} " + edit + " WHERE id = %s", [value, victim.pk]) == 1

    report = audit_verify(batch=2)

    assert report.broken == ChainBreak(ChainBreak.EDITED, victim.pk, 4)
    assert report.checked == 3


def test_a_timestamp_moved_by_a_microsecond_is_caught(sealed, as_dba):
    victim = sealed[0]
    moved = victim.at.replace(microsecond=(victim.at.microsecond + 1) % 1_000_000)
    as_dba("UPDATE {table} SET at = %s WHERE id = %s", [moved, victim.pk])

    assert audit_verify().broken == ChainBreak(ChainBreak.EDITED, victim.pk, 1)


def test_a_row_deleted_in_the_middle_is_caught_as_a_gap(sealed, as_dba):
    as_dba("DELETE FROM {table} WHERE id = %s", [sealed[2].pk])

    report = audit_verify(batch=2)

    assert report.broken == ChainBreak(ChainBreak.MISSING, sealed[3].pk, 4)
    assert report.checked == 2


def test_a_forged_link_is_caught(sealed, as_dba):
    as_dba("UPDATE {table} SET prev_hash = %s WHERE id = %s", ["f" * 64, sealed[1].pk])

    assert audit_verify().broken == ChainBreak(ChainBreak.LINK, sealed[1].pk, 2)


def test_resealing_an_edited_row_without_the_key_is_caught(sealed, as_dba, settings):
    """An attacker who copies the sealer's code but not the key: the chain re-hashed under any
    other key fails at its first row."""
    as_dba("UPDATE {table} SET comment = 'x', chain_seq = NULL, row_hash = '', prev_hash = ''")
    settings.AUDIT_CHAIN_KEY = "guessed"
    audit_seal()
    settings.AUDIT_CHAIN_KEY = ""

    assert audit_verify().broken == ChainBreak(ChainBreak.EDITED, sealed[0].pk, 1)


def test_removing_the_newest_rows_is_caught_only_against_a_recorded_head(sealed, as_dba):
    head = (6, sealed[-1].row_hash)
    as_dba("DELETE FROM {table} WHERE id = %s", [sealed[-1].pk])

    assert audit_verify().ok  # no gap: only a record kept outside the database shows the loss
    assert audit_verify(expect_head=head).broken == ChainBreak(ChainBreak.HEAD_MISSING, None, 6)
    assert audit_verify(expect_head=(5, sealed[4].row_hash)).ok
    assert audit_verify(expect_head=(5, "0" * 64)).broken.kind == ChainBreak.HEAD_DIFFERS


def test_the_command_prints_the_head_of_an_intact_chain(make_entries):
    make_entries(3)
    out = StringIO()

    call_command("audit_verify", "--seal", stdout=out)

    head = AuditEntry.objects.get(chain_seq=3).row_hash
    assert f"3:{head}" in out.getvalue()
    call_command("audit_verify", f"--expect-head=3:{head}", stdout=StringIO())


def test_the_command_names_the_edited_row_and_fails(sealed, as_dba):
    as_dba("UPDATE {table} SET comment = '' WHERE id = %s", [sealed[4].pk])

    with pytest.raises(CommandError) as failed:
        call_command("audit_verify", stdout=StringIO())

    assert failed.value.returncode == 2
    assert str(sealed[4].pk) in str(failed.value) and "5" in str(failed.value)


def test_the_command_refuses_a_malformed_head(db):
    with pytest.raises(CommandError):
        call_command("audit_verify", "--expect-head=12", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_non_zero_on_tampering(make_entries, as_dba):
    """As an operator or a cron job runs it: a separate process and its exit code."""
    rows = make_entries(3)
    audit_seal()
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        url = f"sqlite:///{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
    }

    def verify():
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "audit_verify"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert verify().returncode == 0
    as_dba("UPDATE {table} SET subject_repr = 'someone else' WHERE id = %s", [rows[1].pk])
    tampered = verify()
    assert tampered.returncode == 2
    assert str(rows[1].pk) in tampered.stderr
