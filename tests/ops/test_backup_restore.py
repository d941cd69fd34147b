"""Backup and restore as docs/backup-restore.md tells an operator to do it: `pg_dump -Fc` of a
populated PostgreSQL database and a tar of MEDIA_ROOT; the originals then go away; `pg_restore`
into a new empty database and the archive into a new directory; and the application, run with
production settings on the copy, has no pending migration, passes its checks, holds the same rows
and files, serves the catalogue and the attachments, lets a demo user log in, and carries the
workflow forward without an id or index number colliding with a restored one.

Everything runs in subprocesses against scratch databases of their own, the way `manage.py` runs
on a server, so what is proved is the documented commands, not the test runner's database.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.conftest import _unavailable
from tests.ops import backup_scenario as scenario

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BASE_DIR = Path(settings.BASE_DIR)
TOOLS = ("pg_dump", "pg_restore", "tar")
# Any value works as long as both sides share it: sessions are signed with it and the audit chain's
# key derives from it, which is why the document says to keep `.env` (apart from the dump).
SECRET_KEY = "backup-restore-test-" + "k" * 40


def _major(version: str) -> int:
    return int(re.search(r"(\d+)", version).group(1))


@dataclass
class Scratch:
    """Two databases of the test's own, named after DATABASE_URL's (`.../h4` gives `h4_backup_src`
    and `h4_backup_restored`): never that database itself nor the test runner's `test_...`."""

    server_url: str
    names: tuple[str, str]

    def url(self, name: str) -> str:
        return urlsplit(self.server_url)._replace(scheme="postgresql", path=f"/{name}").geturl()

    def _execute(self, statement: str, *names: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            for name in names:
                conn.execute(sql.SQL(statement).format(sql.Identifier(name)))

    def create(self, name: str) -> None:
        # template0, as `createdb -T template0` in the document: nothing a site added to
        # template1 can clash with the restored objects.
        self._execute("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'", name)

    def drop(self, *names: str) -> None:
        # FORCE: a subprocess that died mid-query must not keep the database from going.
        self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)", *(names or self.names))


@pytest.fixture
def scratch():
    import psycopg

    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        _unavailable(f"needs {', '.join(missing)} on PATH (apt-get install postgresql-client)")
    server_url = os.environ["DATABASE_URL"]
    base = urlsplit(server_url).path.lstrip("/") or "disclosure"
    db = Scratch(server_url, (f"{base}_backup_src", f"{base}_backup_restored"))
    try:
        with psycopg.connect(db.url("postgres"), autocommit=True) as conn:
            server = conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error as exc:
        _unavailable(f"cannot reach the PostgreSQL server's `postgres` database: {exc}")
    client = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout
    # pg_dump refuses a newer server, so an old client must fail loudly here, not mid-test.
    if _major(client) < _major(server):
        _unavailable(f"pg_dump {client.strip()} is older than the server ({server})")
    db.drop()  # what an interrupted run left behind
    yield db
    db.drop()


def _run(args: list, *, env: dict | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, (
        f"`{' '.join(str(a) for a in args)[:200]}` exited {result.returncode}\n"
        f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
    )
    return result.stdout


def _app_env(database_url: str, media: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "TEST_"))}
    # The scratch databases have no replica: CI's would make the portal read another database.
    env.pop("DATABASE_REPLICA_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.ops.production_settings",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        # The outbox publishes into an in-process broker: no Redis needed, no stray messages left
        # in a shared queue. After a real restore the queue is empty too (the document says why
        # nothing is lost).
        CELERY_BROKER_URL="memory://",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict, *args: str) -> str:
    return _run([sys.executable, "manage.py", *args], env=env)


def _scenario(env: dict, *args: str) -> dict:
    out = _run([sys.executable, "-m", "tests.ops.backup_scenario", *args], env=env)
    line = next(x for x in reversed(out.splitlines()) if x.startswith(scenario.RESULT))
    return json.loads(line.removeprefix(scenario.RESULT))


def test_a_dump_and_a_media_archive_restore_into_a_working_application(scratch, tmp_path):
    src_name, restored_name = scratch.names
    src_media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    backup = tmp_path / "backup"
    backup.mkdir()
    dump, archive = backup / "disclosure.dump", backup / "media.tar.gz"

    # Given an installation populated through the real workflow
    scratch.create(src_name)
    src = _app_env(scratch.url(src_name), src_media)
    before = _scenario(src, "populate")
    entry = before["entry"]
    stored_in = {name.split("/", 1)[0] for name in before["files"]}
    assert stored_in == {"attachments", "public", "requests"}

    # When it is backed up as documented: the database first, then the files (files are written
    # before their row commits and never deleted, so this order leaves no row without its file)
    _run(["pg_dump", "--format=custom", "--file", dump, "--dbname", scratch.url(src_name)])
    _run(["tar", "-czf", archive, "-C", src_media, "."])
    # ... the original is lost ...
    scratch.drop(src_name)
    shutil.rmtree(src_media)
    # ... and restored into a new empty database and a new directory
    scratch.create(restored_name)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--clean",
            "--if-exists",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            scratch.url(restored_name),
            dump,
        ]
    )
    restored_media.mkdir()
    _run(["tar", "-xzf", archive, "-C", restored_media])

    # Then the application on the copy: no pending migration, checks pass
    restored = _app_env(scratch.url(restored_name), restored_media)
    _manage(restored, "migrate", "--check")
    _manage(restored, "check")
    after = _scenario(restored, "verify", json.dumps(entry), before["audit_head"] or "")

    # ... every table holds the same rows, every stored file the same bytes
    assert after["rows"] == before["rows"]
    assert after["max_ids"] == before["max_ids"]
    assert after["files"] == before["files"]

    # ... the public and a drafter find what they left
    use = after["use"]
    assert use["catalogue"] == [200, entry["titles"]]
    assert use["search"] == ["示范区养老机构运营补贴办法"]
    assert use["detail"] == [200, True]
    assert use["public_plain"] == [200, scenario._sha(scenario.PLAIN_BYTES)]
    assert use["public_redacted"] == [200, before["files"][entry["public_file"]]]
    assert use["login"][0] == 302 and use["session"] is True and use["inbox"] == 200
    assert use["staff_original"] == [200, scenario._sha(scenario.REDACTED_BYTES)]
    assert use["wrong_password_refused"] is True

    # ... and the workflow goes on: new rows take new ids (the sequences came back with the
    # data) and the new entry the next free index number
    forward = after["forward"]
    for label, pk in forward["new_ids"].items():
        assert pk > before["max_ids"][label], label
    assert forward["index_number"] not in entry["index_numbers"]
    assert forward["index_numbers"] == sorted([*entry["index_numbers"], forward["index_number"]])

    # ... and the audit chain reaches the head recorded before the dump and goes on past it with
    # the new rows (when the installation has the chain: audit_verify, docs/audit.md)
    if before["audit_head"]:
        recorded, now = (int(h.split(":")[0]) for h in (before["audit_head"], after["audit_head"]))
        assert now > recorded
