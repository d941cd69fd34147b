"""Reads beyond one database server (issue 26): with DATABASE_REPLICA_URL set, anonymous visitors
of the public portal, the public API and the CMS feed read from a streaming replica, while staff
pages, the workflow and every write use the primary (config.db_router).

The first tests check the router's and the middleware's decisions and need no replica. The
others run on a real streaming replica of the test PostgreSQL (`.ci/run` makes one on port 5433):
rows are written to the primary, the test waits until the replica has replayed the primary's WAL,
and each request's SQL is captured per connection, so a public page is seen to be answered by the
server in recovery and a staff page or a write by the primary alone.
"""

import json
import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections, router, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config import db_router
from config.db_router import PublicReadsMiddleware, ReplicaRouter, public_reads, reading_public
from tests.applicants import captcha_code
from tests.conftest import _unavailable
from workflow.models import DisclosureRequest, Item

TITLE = "2026年城乡低保标准调整的通知"
REPLAY_TIMEOUT = 120  # seconds: milliseconds as a rule, longer behind a burst of writes


# --- The router's and the middleware's decisions (no replica needed) ---------------------------


@pytest.fixture
def with_replica(monkeypatch):
    """The decisions as they are when the settings name a replica (it is not queried here)."""
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "replica_reachable", lambda: True)


def test_a_public_read_goes_to_the_replica_and_everything_else_to_the_primary(with_replica):
    assert router.db_for_read(Item) == "default"  # unmarked: a task, a command, a staff page
    with public_reads():
        assert router.db_for_read(Item) == "replica"
        # Who is asking is always the primary's answer: a logout or a revoked token counts at once.
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(Token) == "default"
        # A write goes to the primary, and the rest of the request reads its own writes there.
        assert router.db_for_write(Item) == "default"
        assert router.db_for_read(Item) == "default"
    assert not reading_public()


def test_without_a_replica_everything_stays_on_the_primary(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: False)
    with public_reads():
        assert router.db_for_read(Item) == "default"


def _settings(module: str, **environ) -> dict:
    """The database settings `module` makes from this environment, in a fresh interpreter."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({a: {k: d.get(k) for k in ('HOST', 'PORT', 'NAME', 'ENGINE', "
        "'CONN_MAX_AGE', 'DISABLE_SERVER_SIDE_CURSORS', 'TEST')} for a, d in settings.DATABASES.items()}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE=module, DJANGO_SECRET_KEY="k" * 50, **environ)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_the_settings_name_a_replica_only_with_database_replica_url():
    primary = "postgres://app@db.example:5432/disclosure"
    replica = "postgres://app@replica.example:5432/disclosure"

    assert list(_settings("config.settings.test", DATABASE_URL=primary)) == ["default"]
    # The embedded SQLite has no replica, even if a compose .env names one.
    assert list(_settings("config.settings.test", DATABASE_REPLICA_URL=replica)) == ["default"]

    tests = _settings("config.settings.test", DATABASE_URL=primary, DATABASE_REPLICA_URL=replica)
    assert tests["replica"]["HOST"] == "replica.example"
    # Never created by the test run: the alias reads the primary's test database by its name.
    assert tests["replica"]["TEST"]["MIRROR"] == "default"

    production = _settings(
        "config.settings.production",
        DATABASE_URL=primary,
        DATABASE_REPLICA_URL=replica,
        CONN_MAX_AGE="0",
        DATABASE_TRANSACTION_POOLING="True",
    )
    assert production["replica"]["HOST"] == "replica.example"
    # Behind PgBouncer both keep no connection and use no server-side cursor.
    for alias in ("default", "replica"):
        assert production[alias]["CONN_MAX_AGE"] == 0, alias
        assert production[alias]["DISABLE_SERVER_SIDE_CURSORS"] is True, alias


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(with_replica):
    with public_reads(), transaction.atomic():
        assert connections["default"].in_atomic_block
        assert router.db_for_read(Item) == "default"


def test_nothing_is_migrated_on_the_replica_and_objects_of_both_may_relate():
    assert router.allow_migrate("default", "workflow")
    assert not router.allow_migrate("replica", "workflow")
    on_primary, on_replica = Item(), Item()
    on_primary._state.db, on_replica._state.db = "default", "replica"
    assert ReplicaRouter().allow_relation(on_primary, on_replica)


def _marked(method: str, path: str, *, signed_in: bool = False) -> bool:
    """Whether the view of `path` runs marked public, as PublicReadsMiddleware decides."""
    request = getattr(RequestFactory(), method.lower())(path)
    request.resolver_match = resolve(path)
    request.user = SimpleNamespace(is_authenticated=True) if signed_in else AnonymousUser()
    if signed_in:
        request.COOKIES[django_settings.SESSION_COOKIE_NAME] = "a-session-key"
    seen = []

    def view(request):
        middleware.process_view(request, None, (), {})
        seen.append(reading_public())
        return HttpResponse()

    middleware = PublicReadsMiddleware(view)
    middleware(request)
    assert not reading_public()  # the mark ends with the response
    return seen[0]


PUBLIC_GETS = [
    "/open/",
    "/catalogue/",
    "/catalogue/7/",
    "/catalogue/7/attachments/3/",
    "/catalogue/feed/",
    "/guide/",
    "/guide/MZJ/",
    "/apply/",
    "/apply/status/",
    "/api/v1/catalogue/",
    "/api/v1/catalogue/7/",
    "/api/v1/categories/",
    "/api/v1/units/",
    "/api/v1/requests/status/ABCD2345/",
    "/api/v1/feed/",
]
PRIMARY_GETS = [
    "/",  # the work list
    "/items/7/",
    "/requests/",
    "/approvals/",
    "/supervision/",
    "/api/v1/items/",
    "/api/v1/items/7/",
    "/api/v1/requests/",
    "/api/v1/requests/7/",
    "/accounts/login/",
]


@pytest.mark.parametrize("path", PUBLIC_GETS)
def test_an_anonymous_get_of_a_public_page_is_marked(with_replica, path):
    assert _marked("GET", path)
    assert _marked("HEAD", path)


@pytest.mark.parametrize("path", PUBLIC_GETS)
def test_a_signed_in_user_reads_the_primary_even_on_public_pages(with_replica, path):
    # Staff who just published see their entry at once, whatever the replica's lag.
    assert not _marked("GET", path, signed_in=True)


@pytest.mark.parametrize("path", PRIMARY_GETS)
def test_staff_pages_are_not_marked(with_replica, path):
    assert not _marked("GET", path)


@pytest.mark.parametrize("path", ["/apply/", "/api/v1/requests/", "/catalogue/"])
def test_a_post_is_not_marked(with_replica, path):
    # The request form and the API's submission validate against the primary's rows.
    assert not _marked("POST", path)


def test_nothing_is_marked_without_a_replica(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: False)
    assert not _marked("GET", "/catalogue/")


# --- On a real streaming replica -----------------------------------------------------------------


def _one(alias: str, sql: str, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _replayed():
    """Wait until the replica has replayed everything the primary has written so far."""
    target = _one("default", "SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + REPLAY_TIMEOUT
    while True:
        try:
            if _one("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
                return
        except OperationalError:  # the test database itself may not be replayed yet
            connections["replica"].close()
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not replay up to {target} in {REPLAY_TIMEOUT}s")
        time.sleep(0.05)


@pytest.fixture
def replica():
    if "replica" not in connections.settings:
        _unavailable(
            "needs a streaming replica: DATABASE_REPLICA_URL=postgres://... (.ci/run makes one)"
        )
    _replayed()
    if not _one("replica", "SELECT pg_is_in_recovery()"):
        _unavailable("DATABASE_REPLICA_URL names a server that is not a streaming replica")
    # Two servers, one database: the replica alias reads the test database the primary made.
    assert not _one("default", "SELECT pg_is_in_recovery()")
    assert _one("replica", "SELECT current_database()") == _one(
        "default", "SELECT current_database()"
    )
    assert _one("replica", "SELECT system_identifier FROM pg_control_system()") == _one(
        "default", "SELECT system_identifier FROM pg_control_system()"
    )
    # A hot standby refuses every write: one sent there would fail the request.
    assert _one("replica", "SHOW transaction_read_only") == "on"


@contextmanager
def captured():
    """The SQL each server receives inside the block."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        yield SimpleNamespace(primary=primary, replica=replica)


def _sql(capture) -> list[str]:
    return [q["sql"] for q in capture.captured_queries]


# A public page's reads run in one read-only transaction that bounds them in time
# (portal.selectors.bounded_public_read): BEGIN, SET LOCAL statement_timeout, SELECTs, COMMIT.
_TRANSACTION_CONTROL = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SET LOCAL [a-z_]+ = [^;]+(; |$))+$")
_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|FOR UPDATE|FOR SHARE|FOR NO KEY UPDATE)\b")


def _only_reads(statements: list[str]) -> bool:
    def read(statement: str) -> bool:
        text = statement.strip()
        if _TRANSACTION_CONTROL.match(text):
            return True
        return text.upper().startswith(("SELECT", "WITH")) and not _WRITE.search(text.upper())

    return all(read(s) for s in statements)


@pytest.fixture
def published(org, make_item, flow_steps):
    """An entry published through review and approval (the services, on the primary)."""

    def publish(title=TITLE):
        item = make_item(title=title)
        flow_steps.submit(item)
        flow_steps.review(item, "pass")
        flow_steps.approve("approve_section", org.users.section_head)
        item.refresh_from_db()
        assert item.status == Item.Status.PUBLISHED
        return item

    return publish


@pytest.fixture
def writes(monkeypatch):
    """Where the router sends every write made during the test."""
    sent = []
    decide = ReplicaRouter.db_for_write

    def record(self, model, **hints):
        sent.append(decide(self, model, **hints))
        return sent[-1]

    monkeypatch.setattr(ReplicaRouter, "db_for_write", record)
    return sent


@pytest.mark.parametrize(
    ("page", "url"),
    [
        ("catalogue list", lambda item: reverse("portal:catalogue")),
        ("catalogue search", lambda item: reverse("portal:catalogue") + "?q=低保"),
        ("entry page", lambda item: reverse("portal:catalogue_detail", args=[item.pk])),
        ("Atom feed", lambda item: reverse("portal:feed")),
        ("portal home", lambda item: reverse("portal:home")),
        ("API catalogue", lambda item: reverse("api:catalogue")),
        ("API entry", lambda item: reverse("api:catalogue_detail", args=[item.pk])),
        ("API categories", lambda item: reverse("api:categories")),
        ("API units", lambda item: reverse("api:units")),
    ],
)
@pytest.mark.usefixtures("replica")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_public_pages_are_served_by_the_replica(published, writes, page, url):
    entry = published()
    _replayed()
    writes.clear()

    with captured() as sql:
        response = Client().get(url(entry))

    assert response.status_code == 200, page
    body = response.content.decode()
    if page == "catalogue search":  # the title with the query's word marked
        assert TITLE.replace("低保", "<mark>低保</mark>") in body, page
    elif page not in ("API categories", "API units"):
        assert TITLE in body, page
    else:
        assert "民政局" in body or "社会救助" in body, page
    assert _sql(sql.replica) and _only_reads(_sql(sql.replica)), page
    assert _sql(sql.primary) == [], page
    assert writes == []


@pytest.mark.usefixtures("replica")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_cms_feed_reads_the_replica_and_checks_its_token_on_the_primary(
    org, published, settings
):
    settings.API_FEED_SETTLE_SECONDS = 0
    entry = published()
    cms = APIClient()
    cms.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=org.users.drafter).key}")
    _replayed()

    with captured() as sql:
        response = cms.get(reverse("api:feed"))

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [entry.pk]
    assert _sql(sql.replica) and _only_reads(_sql(sql.replica))
    assert all("authtoken_token" in s for s in _sql(sql.primary)) and _sql(sql.primary)

    # A revoked token is refused at once, though the replica may still hold it for a moment.
    Token.objects.filter(user=org.users.drafter).delete()
    assert cms.get(reverse("api:feed")).status_code == 401


@pytest.mark.usefixtures("replica")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_staff_pages_and_the_workflow_use_the_primary_only(org, make_item, published, writes):
    with captured() as sql:
        entry = published()  # drafting, review, approval and publication, by the services
        draft = make_item(title="2026年第四季度临时救助资金发放公告")
    assert _sql(sql.replica) == [] and _sql(sql.primary)

    staff = Client()
    staff.force_login(org.users.drafter)
    pages = [
        reverse("workflow:inbox"),
        reverse("workflow:item_detail", args=[draft.pk]),
        reverse("workflow:item_list"),
        # The portal, seen by someone signed in: what they have just published is there.
        reverse("portal:catalogue"),
        reverse("portal:catalogue_detail", args=[entry.pk]),
    ]
    for url in pages:
        with captured() as sql:
            response = staff.get(url)
        assert response.status_code == 200, url
        assert _sql(sql.replica) == [] and _sql(sql.primary), url

    with captured() as sql:
        response = staff.post(reverse("workflow:item_submit", args=[draft.pk]))
    assert response.status_code == 302
    assert _sql(sql.replica) == []
    draft.refresh_from_db()
    assert draft.status == Item.Status.IN_REVIEW
    assert writes and set(writes) == {"default"}


@pytest.mark.usefixtures("replica")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_public_submissions_write_the_primary_and_reach_the_replica_by_replay(org, writes):
    visitor = Client()
    form = {
        "unit": org.civil.pk,
        "applicant_kind": "natural_person",
        "applicant_name": "王小明",
        "id_number": "110101199003071233",
        "phone": "13912345678",
        "description": "2026年第三季度城乡低保资金发放明细",
        "organisation_type": "",
        "contact_person": "",
        "email": "wang@example.com",
        "address": "测试区幸福路1号",
        "document_number": "",
        "delivery_form": "electronic",
        "delivery_method": "email",
    }
    form["captcha"] = captcha_code(visitor)  # the picture's code, kept in the session
    _replayed()
    with captured() as sql:
        response = visitor.post(reverse("public:apply"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _sql(sql.replica) == []  # the unit it names is validated on the primary, too
    on_form = DisclosureRequest.objects.get()

    api = APIClient()
    payload = {k: form[k] for k in ("unit", "applicant_name", "id_number", "phone", "email")}
    payload["description"] = "2026年第四季度城乡低保资金发放明细"
    with captured() as sql:
        response = api.post(reverse("api:requests"), payload, format="json")
    assert response.status_code == 201, response.content
    assert _sql(sql.replica) == []
    by_api = DisclosureRequest.objects.get(tracking_code=response.json()["tracking_code"])
    assert writes and set(writes) == {"default"}

    # Written on the primary, the requests reach the replica by replay and nothing else.
    _replayed()
    replicated = DisclosureRequest.objects.using("replica").filter(pk__in=[on_form.pk, by_api.pk])
    assert sorted(replicated.values_list("tracking_code", flat=True)) == sorted(
        [on_form.tracking_code, by_api.tracking_code]
    )

    # The status lookups are public reads: the replica answers them. The visitor who applied
    # has a session (it carries the code to the confirmation page), read on the primary.
    with captured() as sql:
        page = visitor.get(reverse("public:status"), {"code": on_form.tracking_code})
    assert page.status_code == 200 and page.context["found"] is not None
    assert _sql(sql.replica) and _only_reads(_sql(sql.replica))
    assert all("django_session" in s for s in _sql(sql.primary))
    with captured() as sql:
        status = api.get(reverse("api:request_status", args=[by_api.tracking_code]))
    assert status.status_code == 200 and status.json()["tracking_code"] == by_api.tracking_code
    assert _sql(sql.replica) and _sql(sql.primary) == []


@pytest.mark.usefixtures("replica")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_an_unreachable_replica_leaves_the_public_pages_to_the_primary(
    published, monkeypatch, caplog
):
    entry = published()
    tries = []

    def refused():
        tries.append(1)
        raise OperationalError("connection refused")

    connections["replica"].close()
    monkeypatch.setattr(connections["replica"], "ensure_connection", refused)
    monkeypatch.setattr(db_router, "_replica_down_until", 0.0)

    for _ in range(2):
        with CaptureQueriesContext(connections["default"]) as primary:
            response = Client().get(reverse("portal:catalogue_detail", args=[entry.pk]))
        assert response.status_code == 200 and TITLE in response.content.decode()
        assert _sql(primary)
    # Tried once, then left alone for RETRY_SECONDS: a down replica costs no wait per request.
    assert len(tries) == 1
    assert "Read replica unreachable" in caplog.text
