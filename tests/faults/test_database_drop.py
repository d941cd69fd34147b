"""The database connection drops in the middle of a request (PostgreSQL ends the backend, as after
a network cut, a failover or a restart). Each action is tried once per drop point: at its first
write, at later writes down to the task's completion record (the transaction's last statement),
and for the review also before its transaction begins. Every time the user gets the error page,
nothing at all is left half-written, and the next request works on a fresh connection. Then the
same action, repeated, happens exactly once.

Transactional tests on a real PostgreSQL: the drop is a real `pg_terminate_backend` from a second
connection, and what must not be half-written is what the server kept after it.
"""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from viewflow.workflow.status import STATUS

from audit.models import AuditEntry
from portal.selectors import catalogue_entries
from review.models import ReviewDecision
from workflow.models import ApprovalDecision, DisclosureRequest, IndexSequence, Item

from .support import (
    backend_pid,
    changed,
    connection_dropped,
    fingerprint,
    inserting,
    selecting,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")
# What an error page must never show a user: the exception, the driver, the SQL.
INTERNALS = ("Traceback", "OperationalError", "psycopg", "terminating connection", "INSERT INTO")
TASK_DONE = "workflow.task.completed"


@pytest.fixture
def browser(like_a_wsgi_server):
    # The error page, not the exception: what the user's browser gets.
    return Client(raise_request_exception=False)


def assert_error_page(response) -> None:
    assert response.status_code == 500
    page = response.content.decode()
    assert not [word for word in INTERNALS if word in page], page[:500]
    assert CJK.search(page), f"the error page is not in Chinese: {page[:200]!r}"


def post_through_drops(browser, url: str, data: dict, points: dict, *rows, retry_page: str):
    """POST once per drop point, losing the connection there each time; after each attempt the
    database is exactly as before and a fresh request works on a new connection."""
    before = fingerprint(*rows)
    for name, at in points.items():
        pid = backend_pid()
        with connection_dropped(at) as dropped:
            response = browser.post(url, data)
        assert dropped, f"{name}: the request never reached that statement"
        assert_error_page(response)
        assert changed(before, fingerprint(*rows)) == {}, name
        assert backend_pid() != pid  # Django let the dead connection go and opened another
        assert browser.get(retry_page).status_code == 200, name


def audit_count(action: str, **data) -> int:
    rows = AuditEntry.objects.filter(action=action)
    return sum(1 for row in rows if all(row.data.get(k) == v for k, v in data.items()))


def tasks_of(item) -> list[tuple[str, str]]:
    process = item.processes.get()
    return sorted((t.flow_task.name, t.status) for t in process.task_set.all())


def test_a_review_decision_survives_a_dropped_connection(org, make_item, flow_steps, browser):
    item = make_item()
    flow_steps.submit(item)
    task = flow_steps.open_task(org.users.reviewer, "review")
    browser.force_login(org.users.reviewer)
    url = reverse("workflow:task_detail", args=[task.pk])

    post_through_drops(
        browser,
        url,
        {"outcome": "pass", "comment": "可以公开"},
        {
            "before the transaction": selecting("viewflow_task"),
            "at the decision": inserting("review_reviewdecision"),
            "at the last statement": inserting("audit_auditentry", TASK_DONE),
        },
        item,
        task,
        retry_page=url,
    )

    response = browser.post(url, {"outcome": "pass", "comment": "可以公开"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.IN_APPROVAL
    assert ReviewDecision.objects.filter(item=item).count() == 1
    assert audit_count(TASK_DONE, node="review") == 1
    assert tasks_of(item).count(("review", STATUS.DONE)) == 1
    assert [name for name, status in tasks_of(item) if status == STATUS.NEW] == ["approve_section"]


def test_an_approval_that_publishes_survives_a_dropped_connection(
    org, make_item, flow_steps, browser
):
    item = make_item()
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    task = flow_steps.open_task(org.users.section_head, "approve_section")
    browser.force_login(org.users.section_head)
    url = reverse("workflow:task_detail", args=[task.pk])

    post_through_drops(
        browser,
        url,
        {"decision": "approve", "comment": ""},
        {
            "at the index number": inserting("workflow_indexsequence"),
            "at the publication record": inserting("audit_auditentry", "workflow.item.published"),
            "at the last statement": inserting("audit_auditentry", TASK_DONE),
        },
        item,
        task,
        retry_page=url,
    )
    # Nothing reached the catalogue, no serial was used up.
    assert not catalogue_entries().filter(pk=item.pk).exists()
    assert not IndexSequence.objects.exists()

    response = browser.post(url, {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    assert (item.index_serial, IndexSequence.objects.get().last_serial) == (1, 1)
    assert ApprovalDecision.objects.filter(item=item).count() == 1
    assert audit_count("workflow.item.published") == 1
    assert audit_count(TASK_DONE, node="approve_section") == 1
    assert [e.pk for e in catalogue_entries()] == [item.pk]
    names = [name for name, _status in tasks_of(item)]
    assert names.count("publish") == 1 and names.count("end") == 1
    assert item.processes.get().status == "DONE"


@pytest.fixture
def application(org, settings):
    """The public request form, filled in. Posted again after each drop: without the CAPTCHA,
    whose code is good for one post (tests/security/test_request_form.py)."""
    settings.REQUEST_FORM_CAPTCHA = False
    return {
        "unit": org.civil.pk,
        "applicant_kind": "natural_person",
        "organisation_type": "",
        "applicant_name": "王小明",
        "id_number": "110101199003071233",
        "contact_person": "",
        "phone": "13912345678",
        "email": "wang@example.com",
        "address": "测试区幸福路1号",
        "description": "2026年第三季度城乡低保资金发放明细",
        "document_number": "",
        "delivery_form": "electronic",
        "delivery_method": "email",
    }


def test_a_public_request_survives_a_dropped_connection(application, browser):
    apply = reverse("public:apply")

    post_through_drops(
        browser,
        apply,
        application,
        {
            "at the request": inserting("workflow_disclosurerequest"),
            "at the register entry": inserting("audit_auditentry", "request.registered"),
            "at the task notice": inserting("notifications_outboxmessage"),
        },
        retry_page=apply,
    )

    response = browser.post(apply, application)
    assert response.status_code == 302 and response.url == reverse("public:applied")
    request = DisclosureRequest.objects.get()
    assert request.tracking_code in browser.get(response.url).content.decode()
    assert request.processes.count() == 1
    assert audit_count("request.registered") == 1


def test_a_dropped_connection_leaves_no_applicants_file_behind(application, browser, settings):
    pdf = SimpleUploadedFile("申请.pdf", b"%PDF-1.4\n%test\n", "application/pdf")
    with connection_dropped(inserting("workflow_requestattachment")) as dropped:
        response = browser.post(reverse("public:apply"), {**application, "attachment": pdf})
    assert dropped
    assert_error_page(response)
    assert not DisclosureRequest.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not [p for p in media.rglob("*") if p.is_file()]  # personal data nobody can find
