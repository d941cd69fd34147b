"""The request pages: registration with errors beside fields, task pages for each step, the
clock's explanation and history on the request page, letters as Word and PDF, and 404 for
outsiders."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from workflow.models import DisclosureRequest

pytestmark = pytest.mark.django_db

FORM = {
    "channel": "in_person",
    "submitted_on": "2026-09-30",
    "applicant_kind": "natural_person",
    "applicant_name": "张三",
    "id_number": "110101199003077774",
    "phone": "13800000000",
    "description": "2026年第三季度城乡低保资金发放明细",
    "delivery_form": "electronic",
    "delivery_method": "email",
}


@pytest.fixture
def registered(org, client):
    client.force_login(org.users.officer)
    response = client.post(
        reverse("workflow:request_create"), {**FORM, "receiving_unit": org.civil.pk}
    )
    assert response.status_code == 302
    return DisclosureRequest.objects.get()


def test_registration_errors_appear_beside_the_fields_and_nothing_is_stored(org, client):
    client.force_login(org.users.officer)
    url = reverse("workflow:request_create")
    response = client.post(url, {**FORM, "receiving_unit": org.civil.pk, "applicant_name": ""})
    assert response.status_code == 200
    assert 'class="field has-error"' in response.content.decode()
    # The service's own rules land beside their field too: registered mail needs its signed date.
    response = client.post(
        url, {**FORM, "receiving_unit": org.civil.pk, "channel": "registered_mail"}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["signed_on"]
    assert 'class="field has-error"' in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_only_the_disclosure_office_registers(org, client):
    client.force_login(org.users.drafter)
    assert client.get(reverse("workflow:request_create")).status_code == 404


def test_request_page_explains_the_due_date(org, client, registered):
    page = client.get(reverse("workflow:request_detail", args=[registered.pk])).content.decode()
    assert "2026-11-03" in page
    assert "2026-10-01 – 2026-10-07" in page and "国庆节" in page
    assert "request.clock.started" in page


def test_steps_through_the_task_pages(org, client, registered, flow_steps):
    u = org.users
    check = flow_steps.open_task(u.officer, "check")
    url = reverse("workflow:task_detail", args=[check.pk])
    assert client.post(url, {"decision": "complete"}).status_code == 302
    assign = flow_steps.open_task(u.officer, "assign")
    client.post(reverse("workflow:task_detail", args=[assign.pk]), {"section": org.relief.pk})

    client.force_login(u.drafter)
    draft = flow_steps.open_task(u.drafter, "draft_answer")
    url = reverse("workflow:task_detail", args=[draft.pk])
    # A refusal without its legal ground: the error is shown beside the field, nothing moves.
    response = client.post(
        url, {"outcome": "not_disclosed", "answer": "不予公开", "scope": "section"}
    )
    assert response.status_code == 200 and 'class="field has-error"' in response.content.decode()
    response = client.post(
        url, {"outcome": "disclosed", "answer": "现提供如下信息。", "scope": "section"}
    )
    assert response.status_code == 302

    flow_steps.review(None)
    flow_steps.approve("approve_section", u.section_head)
    client.force_login(u.officer)
    deliver = flow_steps.open_task(u.officer, "deliver")
    response = client.post(
        reverse("workflow:task_detail", args=[deliver.pk]),
        {"delivered_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.status == "closed"
    letter = registered.letters.get()
    docx = client.get(reverse("workflow:letter_download", args=[registered.pk, letter.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get(reverse("workflow:letter_download", args=[registered.pk, letter.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        client.get(
            reverse("workflow:letter_download", args=[registered.pk, letter.pk, "exe"])
        ).status_code
        == 404
    )


def test_outsiders_get_404_everywhere(org, client, registered, flow_steps):
    task = flow_steps.open_task(org.users.officer, "check")
    for user in (org.users.outsider, org.users.outsider_officer, org.users.outsider_head):
        client.force_login(user)
        assert (
            client.get(reverse("workflow:request_detail", args=[registered.pk])).status_code == 404
        )
        assert client.get(reverse("workflow:task_detail", args=[task.pk])).status_code == 404
        assert (
            registered.tracking_code
            not in client.get(reverse("workflow:request_list")).content.decode()
        )
    client.force_login(org.users.supervisor)
    assert client.get(reverse("workflow:request_detail", args=[registered.pk])).status_code == 200


@time_machine.travel(dt.datetime(2026, 12, 10, 10, tzinfo=dt.UTC))
def test_supervisors_are_warned_about_unconfirmed_calendar_years(org, client):
    client.force_login(org.users.officer)
    client.post(
        reverse("workflow:request_create"),
        {**FORM, "receiving_unit": org.civil.pk, "submitted_on": "2026-12-10"},
    )
    request = DisclosureRequest.objects.get()
    assert request.calendar_unconfirmed
    client.force_login(org.users.supervisor)
    page = client.get(reverse("workflow:request_list")).content.decode()
    assert 'role="alert"' in page
    detail = client.get(reverse("workflow:request_detail", args=[request.pk])).content.decode()
    assert "2027" in detail and 'role="alert"' in detail
