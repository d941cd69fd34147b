"""Issue 21, the clock (2, 4): an extension is decided by the original due date (Art. 33 ¶2), and
receipt dates follow Art. 31: the arrival of an ordinary letter, an online or a faxed request is
recorded, its confirmation is due (and in the work list, and reminded), and a late confirmation is
shown. Dates are counted by hand in the comments."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import DeadlineAlert, Notification
from notifications.sweep import deadlines_sweep
from workflow.exceptions import WorkflowError
from workflow.models import DisclosureRequest, Extension
from workflow.services import request_actions as actions
from workflow.services import requests as steps
from workflow.services.intake import request_register, request_submit_online

pytestmark = pytest.mark.django_db
D = dt.date


def _at(day: dt.date):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC), tick=False
    )


@pytest.fixture
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def drafting(org, req):
    """Received Wed 2026-09-30: 10-08, 10-09, the make-up Saturday 10-10, 10-12 .. 11-03 are its 20
    working days (National Day 10-01 .. 10-07 skipped), so it is due Tue 2026-11-03."""
    request = req.register(received=D(2026, 9, 30))
    req.to_drafting(request, today=D(2026, 10, 9))
    request.refresh_from_db()
    assert request.due_on == D(2026, 11, 3)
    return request


# --- 2. extensions by the original due date -----------------------------------------------------


def test_an_extension_asked_for_after_the_due_date_is_refused(org, drafting):
    with pytest.raises(WorkflowError, match="2026-11-03"):
        actions.extension_request(
            request_id=drafting.pk,
            user=org.users.drafter,
            days=10,
            reason="需要调取档案",
            today=D(2026, 11, 4),
        )
    assert not Extension.objects.exists()
    # On the due date itself the time limit still runs: asking is allowed.
    actions.extension_request(
        request_id=drafting.pk,
        user=org.users.drafter,
        days=10,
        reason="需要调取档案",
        today=D(2026, 11, 3),
    )


def test_consent_after_the_due_date_is_refused_but_a_refusal_can_still_be_recorded(org, drafting):
    extension = actions.extension_request(
        request_id=drafting.pk,
        user=org.users.drafter,
        days=10,
        reason="涉及多个科室",
        today=D(2026, 11, 2),
    )
    with pytest.raises(WorkflowError, match="2026-11-03"):
        actions.extension_decide(
            extension_id=extension.pk,
            user=org.users.disclosure_head,
            approve=True,
            today=D(2026, 11, 4),
        )
    drafting.refresh_from_db()
    assert drafting.extension_days == 0 and drafting.due_on == D(2026, 11, 3)
    assert not drafting.letters.filter(kind="extension").exists()  # no notice after the date
    actions.extension_decide(
        extension_id=extension.pk,
        user=org.users.disclosure_head,
        approve=False,
        comment="已超过原答复期限",
        today=D(2026, 11, 4),
    )
    extension.refresh_from_db()
    assert extension.status == Extension.Status.REFUSED


def test_consent_by_the_due_date_issues_the_notice_dated_before_it(org, drafting):
    extension = actions.extension_request(
        request_id=drafting.pk,
        user=org.users.drafter,
        days=5,
        reason="涉及多个科室",
        today=D(2026, 11, 2),
    )
    actions.extension_decide(
        extension_id=extension.pk,
        user=org.users.disclosure_head,
        approve=True,
        today=D(2026, 11, 3),
    )
    drafting.refresh_from_db()
    # 11-03 + 5 working days: 11-04 .. 11-06, 11-09, 11-10.
    assert drafting.due_on == D(2026, 11, 10)
    letter = drafting.letters.get(kind="extension")
    assert "2026年11月3日" in letter.body  # the letter's date: the original due date at the latest
    assert "2026年11月10日" in letter.body  # the new due date


def test_the_request_page_says_an_extension_is_too_late(org, client, drafting, english):
    client.force_login(org.users.drafter)
    url = reverse("workflow:request_detail", args=[drafting.pk])
    with _at(D(2026, 11, 3)):
        html = client.get(url).content.decode()
    assert reverse("workflow:extension_request", args=[drafting.pk]) in html
    assert 'data-warning="extension-late"' not in html
    with _at(D(2026, 11, 4)):
        html = client.get(url).content.decode()
        # The form is gone and the page says why, where the form was.
        assert reverse("workflow:extension_request", args=[drafting.pk]) not in html
        notice = re.search(r'data-warning="extension-late">([^<]+)<', html).group(1)
        assert "2026-11-03" in notice and "Art. 33" in notice
        # A post made anyway is refused by the service and nothing is stored.
        response = client.post(
            reverse("workflow:extension_request", args=[drafting.pk]),
            {"days": 5, "reason": "需要调取档案"},
            follow=True,
        )
    assert "2026-11-03" in response.content.decode()
    assert not Extension.objects.exists()


# --- 4. receipt dates (Art. 31) -----------------------------------------------------------------


ARRIVED = D(2026, 10, 12)


def _ordinary_letter(org, *, arrived_on=ARRIVED, confirmed_on=None, today=None):
    """Posted Sat 2026-10-10, arrived Mon 2026-10-12, registered that day."""
    data = {
        "channel": "ordinary_mail",
        "submitted_on": D(2026, 10, 10),
        "arrived_on": arrived_on,
        "confirmed_on": confirmed_on,
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_number": "110101199003077777",
        "phone": "13800000000",
        "description": "2026年第三季度城乡低保资金发放明细",
    }
    return request_register(
        user=org.users.officer, unit=org.civil, data=data, today=today or D(2026, 10, 12)
    )


def test_an_ordinary_letter_needs_its_arrival_date_and_is_due_for_confirmation_that_day(org):
    with pytest.raises(ValidationError) as refused:
        _ordinary_letter(org, arrived_on=None)
    assert "arrived_on" in refused.value.message_dict
    request = _ordinary_letter(org)
    assert (request.status, request.arrived_on, request.confirmation_due_on) == (
        DisclosureRequest.Status.SUBMITTED,
        D(2026, 10, 12),
        D(2026, 10, 12),  # Art. 31(二): the same day
    )
    assert request.received_on is None and request.due_on is None


def test_a_late_confirmation_is_shown_on_the_request_page_and_in_the_work_list(
    org, req, client, english
):
    request = _ordinary_letter(org)
    # Confirmed with the applicant two days after the letter arrived.
    steps.request_check(
        task_id=req.task(org.users.officer, "check"),
        user=org.users.officer,
        complete=True,
        confirmed_on=D(2026, 10, 14),
        today=D(2026, 10, 14),
    )
    request.refresh_from_db()
    assert request.received_on == D(2026, 10, 14)  # the law's receipt date is the confirmation
    client.force_login(org.users.officer)
    html = client.get(reverse("workflow:request_detail", args=[request.pk])).content.decode()
    warning = re.search(r'data-warning="receipt-late">([^<]+)<', html).group(1)
    assert "2026-10-12" in warning and "2026-10-14" in warning and "31" in warning
    worklist = client.get(reverse("workflow:inbox")).content.decode()
    assert "flag-receipt-late" in worklist and "Receipt confirmed late" in worklist
    # Confirmed on the day of arrival: no warning.
    on_time = _ordinary_letter(org, confirmed_on=D(2026, 10, 12))
    html = client.get(reverse("workflow:request_detail", args=[on_time.pk])).content.decode()
    assert 'data-warning="receipt-late"' not in html


def test_unconfirmed_requests_are_in_the_work_list_with_their_confirmation_date(
    org, req, client, english
):
    online = request_submit_online(
        unit=org.civil,
        data={
            "applicant_kind": "natural_person",
            "applicant_name": "王五",
            "id_number": "110101199003071234",
            "phone": "13900000000",
            "description": "2026年养老服务补贴发放名单",
        },
        today=D(2026, 10, 16),
    )
    # Arrived Fri 10-16; RECEIPT_CONFIRMATION_WORKDAYS = 1: confirm by Mon 10-19.
    assert (online.arrived_on, online.confirmation_due_on) == (D(2026, 10, 16), D(2026, 10, 19))
    letter = _ordinary_letter(org)
    client.force_login(org.users.officer)
    with _at(D(2026, 10, 16)):
        html = client.get(reverse("workflow:inbox")).content.decode()
    rows = re.findall(r'<tr class="urgency-(\w+)[^"]*" data-task="(\d+)">(.*?)</tr>', html, re.S)
    by_code = {
        code: (level, row)
        for level, _pk, row in rows
        for code in (online.tracking_code, letter.tracking_code)
        if code in row
    }
    # The letter was due on 10-12 and is late; the online request has one working day left.
    assert by_code[letter.tracking_code][0] == "overdue"
    assert by_code[online.tracking_code][0] == "urgent"
    assert "2026-10-19" in by_code[online.tracking_code][1]
    assert all("Receipt not confirmed" in row for _level, row in by_code.values())


def test_unconfirmed_requests_are_reminded_and_escalated_like_any_deadline(org, req):
    request = request_submit_online(
        unit=org.civil,
        data={
            "applicant_kind": "natural_person",
            "applicant_name": "王五",
            "id_number": "110101199003071234",
            "phone": "13900000000",
            "description": "2026年养老服务补贴发放名单",
        },
        today=D(2026, 10, 16),
    )
    for day in (D(2026, 10, 16), D(2026, 10, 19), D(2026, 10, 20)):
        deadlines_sweep(today=day)
    alerts = [
        (a.kind, a.step, a.workdays)
        for a in DeadlineAlert.objects.filter(
            request=request, deadline="receipt_confirmation"
        ).order_by("id")
    ]
    # Fri 10-16: one working day left (10-19); Mon 10-19: due today; Tue 10-20: one day overdue,
    # the holder's rung of the ladder.
    assert alerts == [("reminder", 1, 1), ("reminder", 0, 0), ("escalation", 0, 1)]
    told = set(
        Notification.objects.filter(alert__request=request).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"officer", "disclosure_head"}  # who may take the check task
