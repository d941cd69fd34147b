"""The deadline sweep, day by day: reminders at each threshold, each escalation rung, reassignment,
Art. 26 publication dates, and notices about other people's deadlines. The sweep takes the day as
an argument, which is how these tests travel in time."""

import datetime as dt

import pytest
from viewflow.workflow.status import STATUS

from audit.models import AuditEntry
from notifications.models import DeadlineAlert, Notification
from notifications.sweep import deadlines_sweep
from workflow.services import request_actions as actions
from workflow.services import requests as steps

pytestmark = pytest.mark.django_db
D = dt.date


def days(start: dt.date, end: dt.date):
    while start <= end:
        yield start
        start += dt.timedelta(days=1)


def alert_days(request_or_item_filter):
    return [
        (a.created_at.date(), a.kind, a.step, a.rung)
        for a in DeadlineAlert.objects.filter(**request_or_item_filter).order_by("id")
    ]


@pytest.fixture
def drafting_request(org, req):
    """Received 2026-09-30, due 2026-11-03, waiting for the relief section's drafter."""
    request = req.register(received=D(2026, 9, 30))
    req.to_drafting(request, today=D(2026, 10, 9))
    request.refresh_from_db()
    assert request.due_on == D(2026, 11, 3) and request.stage == "drafting"
    return request


def sweep_each_day(start, end):
    fired = {}
    for day in days(start, end):
        before = set(DeadlineAlert.objects.values_list("pk", flat=True))
        deadlines_sweep(today=day)
        new = DeadlineAlert.objects.exclude(pk__in=before).order_by("id")
        fired[day] = [(a.deadline, a.kind, a.step, a.rung, a.workdays) for a in new]
    return {day: alerts for day, alerts in fired.items() if alerts}


def test_reminders_fire_once_at_each_threshold_before_the_due_date(org, drafting_request):
    fired = sweep_each_day(D(2026, 10, 19), D(2026, 11, 3))
    # Working days before Tue 11-03: 10-27 is five, 10-29 three, 11-02 one, 11-03 the day itself.
    assert fired == {
        D(2026, 10, 27): [("request_reply", "reminder", 5, "holder", 5)],
        D(2026, 10, 29): [("request_reply", "reminder", 3, "holder", 3)],
        D(2026, 11, 2): [("request_reply", "reminder", 1, "holder", 1)],
        D(2026, 11, 3): [("request_reply", "reminder", 0, "holder", 0)],
    }
    drafter = org.users.drafter
    reminders = Notification.objects.filter(verb="reminder")
    # The draft_answer task waits in the relief section's queue: its one drafter is told.
    assert set(reminders.values_list("recipient", flat=True)) == {drafter.pk}
    assert reminders.count() == 4
    assert all(n.url == f"/requests/{drafting_request.pk}/" for n in reminders)
    # Sweeping the same day again tells no one twice.
    deadlines_sweep(today=D(2026, 11, 3))
    assert Notification.objects.filter(verb="reminder").count() == 4


def test_overdue_work_climbs_the_ladder_one_rung_per_two_working_days(org, drafting_request):
    u = org.users
    fired = sweep_each_day(D(2026, 11, 4), D(2026, 11, 16))
    assert fired == {
        D(2026, 11, 4): [("request_reply", "escalation", 0, "holder", 1)],
        D(2026, 11, 6): [("request_reply", "escalation", 1, "section_head", 3)],
        D(2026, 11, 10): [("request_reply", "escalation", 2, "unit_head", 5)],
        D(2026, 11, 12): [("request_reply", "escalation", 3, "district", 7)],
    }
    told = {
        a.rung: set(a.notifications.values_list("recipient__username", flat=True))
        for a in DeadlineAlert.objects.filter(request=drafting_request)
    }
    assert told == {
        "holder": {"drafter"},
        "section_head": {"section_head", "drafter"},
        "unit_head": {"unit_head", "drafter"},
        "district": {"district_approver", "supervisor", "drafter"},
    }
    # Each step is audited on the request and shown on its page.
    audited = AuditEntry.objects.filter(
        subject_id=str(drafting_request.pk), action="notifications.escalation"
    )
    assert list(audited.values_list("new_state", flat=True)) == [
        "holder",
        "section_head",
        "unit_head",
        "district",
    ]
    client_page = _page_as(org, u.supervisor, f"/requests/{drafting_request.pk}/")
    assert "Reminders and escalation" in client_page or "提醒与督办" in client_page
    assert client_page.count('class="overdue"') == 4


def _page_as(org, user, url):
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_sweep_after_an_outage_records_every_rung_reached_once(org, drafting_request):
    deadlines_sweep(today=D(2026, 11, 12))
    alerts = DeadlineAlert.objects.filter(request=drafting_request)
    assert [(a.kind, a.rung) for a in alerts] == [
        ("escalation", "holder"),
        ("escalation", "section_head"),
        ("escalation", "unit_head"),
        ("escalation", "district"),
    ]
    deadlines_sweep(today=D(2026, 11, 12))
    deadlines_sweep(today=D(2026, 11, 13))
    assert alerts.count() == 4


def test_a_moved_deadline_is_reminded_afresh(org, req, drafting_request):
    deadlines_sweep(today=D(2026, 10, 29))
    assert DeadlineAlert.objects.filter(due_on=D(2026, 11, 3), step=3).exists()
    extension = actions.extension_request(
        request_id=drafting_request.pk,
        user=org.users.drafter,
        days=10,
        reason="需要调取档案",
        today=D(2026, 10, 29),
    )
    actions.extension_decide(
        extension_id=extension.pk,
        user=org.users.disclosure_head,
        approve=True,
        today=D(2026, 10, 29),
    )
    drafting_request.refresh_from_db()
    assert drafting_request.due_on == D(2026, 11, 17)
    deadlines_sweep(today=D(2026, 11, 10))
    assert DeadlineAlert.objects.filter(due_on=D(2026, 11, 17), step=5, kind="reminder").exists()
    assert not DeadlineAlert.objects.filter(due_on=D(2026, 11, 3), kind="escalation").exists()


def test_reassignment_takes_the_overdue_task_from_its_holder(
    org, drafting_request, settings, flow_steps
):
    settings.ESCALATION_REASSIGN_RUNGS = ["section_head"]
    from workflow.services.tasks import task_claim

    task = flow_steps.open_task(org.users.drafter, "draft_answer")
    task_claim(task_id=task.pk, user=org.users.drafter)
    deadlines_sweep(today=D(2026, 11, 4))
    task.refresh_from_db()
    assert task.owner_id == org.users.drafter.pk  # the holder's rung only reminds
    deadlines_sweep(today=D(2026, 11, 6))
    task.refresh_from_db()
    # The section head may not draft, so the task goes back to the queue of those who may.
    assert task.status == STATUS.NEW and task.owner_id is None
    alert = DeadlineAlert.objects.get(request=drafting_request, rung="section_head")
    assert alert.action == "reassign"
    assert AuditEntry.objects.filter(
        action="workflow.task.reassigned", subject_id=str(task.pk)
    ).exists()


def test_proactive_items_are_held_to_art_26(org, make_item):
    item = make_item(formed_on=D(2026, 10, 12))
    # 20 working days after Mon 10-12 is Mon 11-09.
    assert item.publication_due_on == D(2026, 11, 9)
    withheld = make_item(
        attribute="on_request", title="依申请公开的答复", formed_on=D(2026, 10, 12)
    )
    fired = sweep_each_day(D(2026, 11, 2), D(2026, 11, 13))
    assert fired == {
        D(2026, 11, 2): [("item_publication", "reminder", 5, "holder", 5)],
        D(2026, 11, 4): [("item_publication", "reminder", 3, "holder", 3)],
        D(2026, 11, 6): [("item_publication", "reminder", 1, "holder", 1)],
        D(2026, 11, 9): [("item_publication", "reminder", 0, "holder", 0)],
        D(2026, 11, 10): [("item_publication", "escalation", 0, "holder", 1)],
        D(2026, 11, 12): [("item_publication", "escalation", 1, "section_head", 3)],
    }
    # A draft nobody submitted is held by its drafter.
    assert set(
        Notification.objects.filter(alert__item=item, alert__rung="holder").values_list(
            "recipient__username", flat=True
        )
    ) == {"drafter"}
    assert not DeadlineAlert.objects.filter(item=withheld).exists()
    page = _page_as(org, org.users.drafter, f"/items/{item.pk}/")
    assert "2026-11-09" in page and page.count('class="overdue"') == 2


def test_submitted_items_remind_the_reviewers_who_hold_them(org, make_item, flow_steps):
    item = make_item(formed_on=D(2026, 10, 12))
    flow_steps.submit(item)
    deadlines_sweep(today=D(2026, 11, 2))
    told = set(
        Notification.objects.filter(verb="reminder").values_list("recipient__username", flat=True)
    )
    assert told == {"reviewer"}


def test_the_correction_notice_window_is_reminded_while_the_check_is_open(org, req):
    req.register(received=D(2026, 9, 30))  # Art. 30 notice due 2026-10-15
    fired = sweep_each_day(D(2026, 10, 8), D(2026, 10, 15))
    assert fired[D(2026, 10, 9)] == [("correction_notice", "reminder", 5, "holder", 5)]
    assert [a[2] for day in sorted(fired) for a in fired[day]] == [5, 3, 1, 0]
    told = set(
        Notification.objects.values_list("recipient__username", flat=True).filter(verb="reminder")
    )
    assert told == {"officer", "disclosure_head"}


def test_a_consulted_partys_lapsed_time_ends_the_pause_instead_of_a_passed_notice(org, req):
    request = req.register(received=D(2026, 9, 21))
    req.to_drafting(request, today=D(2026, 9, 22))
    consultation = actions.consultation_open(
        request_id=request.pk,
        user=org.users.drafter,
        kind="third_party",
        party="某某养老服务有限公司",
        question="是否同意公开合同金额？",
        sent_on=D(2026, 9, 28),
        received_on=D(2026, 9, 28),
        today=D(2026, 9, 28),
    )
    assert consultation.due_on == D(2026, 10, 23)
    fired = sweep_each_day(D(2026, 10, 20), D(2026, 10, 28))
    # No "passed" step any more: the sweep of Sat 10-24 closed the consultation on Fri 10-23 and
    # the request's own clock runs again (its reminders follow from its new due date).
    assert not any(
        alert[0] == "consultation_reply" for alerts in fired.values() for alert in alerts
    )
    consultation.refresh_from_db()
    assert consultation.replied_on == D(2026, 10, 23) and consultation.opinion == "no_reply"
    notice = Notification.objects.get(verb="consultation_lapsed")
    assert notice.recipient == org.users.drafter


def test_the_applicants_late_correction_is_reported_to_the_office(org, req):
    request = req.register(received=D(2026, 9, 30))
    steps.request_check(
        task_id=req.task(org.users.officer, "check"),
        user=org.users.officer,
        complete=False,
        correction="请补正申请内容",
        correction_due_on=D(2026, 10, 23),
        today=D(2026, 10, 9),
    )
    request.refresh_from_db()
    fired = sweep_each_day(D(2026, 10, 22), D(2026, 10, 27))
    assert fired == {D(2026, 10, 26): [("correction_reply", "reminder", -1, "holder", 1)]}
    # The await_correction task is in the disclosure office's queue.
    assert set(
        Notification.objects.filter(verb="passed").values_list("recipient__username", flat=True)
    ) == {
        "officer",
        "disclosure_head",
    }
