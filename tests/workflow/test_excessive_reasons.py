"""Art. 35: the applicant of an excessive request is asked to state reasons (a letter with a date),
the answer is recorded or the date passes, and the office judges: not reasonable -> 不予处理 with
the letter citing Art. 35; reasonable but not answerable in time -> a later due date, told to the
applicant. Waiting for the reasons does not pause the clock (the Regulation gives no pause).

The request is received on Wed 2026-09-30: 20 working days, with 10-01..10-07 (国庆节) off and Sat
10-10 a make-up working day, make the due date Tue 2026-11-03."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from notifications.messages import render
from notifications.models import Deadline, DeadlineAlert, Notification
from notifications.sweep import deadlines_sweep
from workflow.exceptions import WorkflowError
from workflow.models import DisclosureRequest, ReasonsDecision
from workflow.services import reasons

pytestmark = pytest.mark.django_db
D = dt.date
REASON = "您自2026年1月以来向本机关提出政府信息公开申请共计86件，其中本月31件。"


@pytest.fixture
def handled(org, req):
    """A request being handled, at its drafting step (received 2026-09-30, due 2026-11-03)."""
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    request.refresh_from_db()
    assert request.due_on == D(2026, 11, 3)
    return request


def _ask(org, request, *, today, due_on=None):
    return reasons.reasons_request(
        request_id=request.pk, user=org.users.officer, reason=REASON, due_on=due_on, today=today
    )


def _draft_excessive(req, today):
    req.answer("excessive", answer="您未能说明申请理由的合理性。", today=today)


def test_the_request_for_reasons_is_a_letter_with_a_date_and_the_clock_runs_on(org, handled):
    letter = _ask(org, handled, today=D(2026, 10, 12))

    handled.refresh_from_db()
    # Default: REQUEST_REASONS_WORKDAYS (15) working days after the letter of Mon 10-12, counted
    # from 10-13: 10-13..16 (4), 10-19..23 (9), 10-26..30 (14), Mon 11-02 (15).
    assert handled.reasons_requested_on == D(2026, 10, 12)
    assert handled.reasons_due_on == D(2026, 11, 2)
    assert letter.kind == "reasons_request" and letter.number == "测民公开〔2026〕1号"
    assert letter.title == "申请人说明理由通知书"
    assert "第三十五条" in letter.body and "请您于2026年11月2日前" in letter.body
    assert REASON in letter.body
    # No pause: Art. 35 takes no time out of Art. 33's 20 working days.
    assert handled.due_on == D(2026, 11, 3) and not handled.clock_paused
    entry = AuditEntry.objects.get(subject_id=str(handled.pk), action="request.reasons.requested")
    assert entry.new_state == "2026-11-02" and entry.actor == org.users.officer
    assert entry.data["letter"] == letter.pk

    # Once per request.
    with pytest.raises(WorkflowError, match="已于2026-10-12要求申请人说明理由"):
        _ask(org, handled, today=D(2026, 10, 13))


def test_the_handler_may_give_another_date_but_not_a_past_one(org, handled):
    with pytest.raises(ValidationError) as refused:
        _ask(org, handled, today=D(2026, 10, 12), due_on=D(2026, 10, 12))
    assert "说明理由的期限须晚于今天" in str(refused.value.message_dict["due_on"])
    _ask(org, handled, today=D(2026, 10, 12), due_on=D(2026, 10, 19))
    handled.refresh_from_db()
    assert handled.reasons_due_on == D(2026, 10, 19)


def test_reasons_not_reasonable_lead_to_the_answer_not_processed(org, req, flow_steps, handled):
    # Before anything: "excessive" is refused, naming the missing step.
    with pytest.raises(WorkflowError) as refused:
        _draft_excessive(req, D(2026, 10, 9))
    assert "尚未要求申请人说明理由" in str(refused.value)

    _ask(org, handled, today=D(2026, 10, 12))  # reasons due Mon 11-02
    with pytest.raises(WorkflowError) as refused:
        _draft_excessive(req, D(2026, 10, 19))  # the applicant's time still runs
    assert "申请人可在2026-11-02前说明理由" in str(refused.value)

    reasons.reasons_record(
        request_id=handled.pk,
        user=org.users.officer,
        received_on=D(2026, 10, 20),
        reasons="本人从事学术研究，需要全部数据。",
        today=D(2026, 10, 20),
    )
    with pytest.raises(WorkflowError) as refused:
        _draft_excessive(req, D(2026, 10, 20))
    assert "尚未审查申请人的理由" in str(refused.value)

    reasons.reasons_decide(
        request_id=handled.pk,
        user=org.users.officer,
        reasonable=False,
        comment="所述研究用途与申请数量、频次不相称。",
        today=D(2026, 10, 21),
    )
    handled.refresh_from_db()
    assert handled.reasons_decision == ReasonsDecision.NOT_REASONABLE
    assert handled.reasons_given == "本人从事学术研究，需要全部数据。"
    assert handled.due_on == D(2026, 11, 3)  # unchanged throughout

    _draft_excessive(req, D(2026, 10, 21))
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    letter = req.deliver(D(2026, 10, 23))
    assert letter.kind == "excessive"
    assert "第三十五条" in letter.body and "不予处理" in letter.body
    handled.refresh_from_db()
    assert handled.status == DisclosureRequest.Status.CLOSED and handled.outcome == "excessive"
    # The history names every step.
    actions = list(
        AuditEntry.objects.filter(
            subject_id=str(handled.pk), action__startswith="request.reasons."
        ).values_list("action", flat=True)
    )
    assert actions == [
        "request.reasons.requested",
        "request.reasons.received",
        "request.reasons.judged",
    ]


def test_reasons_are_judged_only_once_answered_or_lapsed(org, handled):
    _ask(org, handled, today=D(2026, 10, 12), due_on=D(2026, 10, 19))
    with pytest.raises(WorkflowError) as refused:
        reasons.reasons_decide(
            request_id=handled.pk,
            user=org.users.officer,
            reasonable=False,
            comment="逾期未说明",
            today=D(2026, 10, 19),  # the applicant's last day
        )
    assert "申请人可在2026-10-19前说明理由" in str(refused.value)
    # The day after, with no reasons: the date has lapsed and the office judges.
    reasons.reasons_decide(
        request_id=handled.pk,
        user=org.users.officer,
        reasonable=False,
        comment="申请人逾期未说明理由。",
        today=D(2026, 10, 20),
    )
    handled.refresh_from_db()
    assert handled.reasons_received_on is None
    assert handled.reasons_decision == ReasonsDecision.NOT_REASONABLE
    with pytest.raises(WorkflowError, match="申请人的理由已经审查"):
        reasons.reasons_record(
            request_id=handled.pk,
            user=org.users.officer,
            received_on=D(2026, 10, 20),
            reasons="迟到的理由",
            today=D(2026, 10, 20),
        )


def test_reasons_cannot_be_recorded_before_they_were_asked_for(org, handled):
    with pytest.raises(WorkflowError, match="未要求申请人就本申请说明理由"):
        reasons.reasons_record(
            request_id=handled.pk,
            user=org.users.officer,
            received_on=D(2026, 10, 12),
            reasons="理由",
            today=D(2026, 10, 12),
        )
    _ask(org, handled, today=D(2026, 10, 12))
    with pytest.raises(ValidationError) as refused:
        reasons.reasons_record(
            request_id=handled.pk,
            user=org.users.officer,
            received_on=D(2026, 10, 9),
            reasons="理由",
            today=D(2026, 10, 13),
        )
    assert "理由不可能在要求说明之前收到" in str(refused.value.message_dict["received_on"])


def test_reasonable_reasons_may_set_a_later_due_date_told_to_the_applicant(
    org, req, flow_steps, handled
):
    _ask(org, handled, today=D(2026, 10, 12), due_on=D(2026, 10, 19))
    reasons.reasons_record(
        request_id=handled.pk,
        user=org.users.officer,
        received_on=D(2026, 10, 16),
        reasons="为编写区志需要历年资料。",
        today=D(2026, 10, 16),
    )

    def decide(**kw):
        return reasons.reasons_decide(
            request_id=handled.pk,
            user=org.users.officer,
            reasonable=True,
            comment="理由合理，但所涉档案需逐卷调阅。",
            **kw,
        )

    # The later date comes after the current due date (Tue 11-03) ...
    with pytest.raises(ValidationError) as refused:
        decide(deferred_due_on=D(2026, 11, 3), today=D(2026, 10, 20))
    assert "晚于当前的答复期限2026-11-03" in str(refused.value.message_dict["deferred_due_on"])
    # ... and is set while that date has not passed (Wed 11-04 is too late).
    with pytest.raises(ValidationError) as refused:
        decide(deferred_due_on=D(2026, 12, 15), today=D(2026, 11, 4))
    assert "答复期限2026-11-03已过" in str(refused.value.message_dict["deferred_due_on"])
    # Not reasonable and deferred at once makes no sense.
    with pytest.raises(ValidationError):
        reasons.reasons_decide(
            request_id=handled.pk,
            user=org.users.officer,
            reasonable=False,
            comment="不合理",
            deferred_due_on=D(2026, 12, 15),
            today=D(2026, 10, 20),
        )

    decide(deferred_due_on=D(2026, 12, 15), today=D(2026, 10, 20))
    handled.refresh_from_db()
    assert handled.reasons_decision == ReasonsDecision.REASONABLE
    assert handled.deferred_due_on == D(2026, 12, 15)
    assert handled.due_on == D(2026, 12, 15)
    deferred = AuditEntry.objects.get(subject_id=str(handled.pk), action="request.clock.deferred")
    assert (deferred.old_state, deferred.new_state) == ("2026-11-03", "2026-12-15")
    letter = handled.letters.get(kind="reasons_deferral")
    assert letter.title == "延迟答复告知书"
    assert "第三十五条" in letter.body and "2026年12月15日前作出答复" in letter.body
    assert "理由合理，但所涉档案需逐卷调阅。" in letter.body

    # Reasons found reasonable: the request is answered, not refused as excessive.
    with pytest.raises(WorkflowError) as refused:
        _draft_excessive(req, D(2026, 10, 21))
    assert "申请人的理由已被认定为合理" in str(refused.value)
    req.answer("disclosed")
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    req.deliver(D(2026, 12, 10))
    handled.refresh_from_db()
    assert handled.status == DisclosureRequest.Status.CLOSED


def test_the_deferred_date_is_explained_on_the_request_page(org, client, handled):
    _ask(org, handled, today=D(2026, 10, 12), due_on=D(2026, 10, 19))
    reasons.reasons_decide(
        request_id=handled.pk,
        user=org.users.officer,
        reasonable=True,
        comment="理由合理，所涉档案需逐卷调阅。",
        deferred_due_on=D(2026, 12, 15),
        today=D(2026, 10, 20),
    )
    client.force_login(org.users.officer)
    page = client.get(reverse("workflow:request_detail", args=[handled.pk])).content.decode()
    assert "起算日后第20个工作日为2026-11-03。" in page
    assert "本机关确定2026-12-15为合理的延迟答复期限" in page
    assert "答复延迟至 2026-12-15" in page
    assert "要求申请人说明理由（第三十五条）" in page  # the section, and the history's row


def test_the_request_page_asks_records_and_judges_the_reasons(org, client, handled, settings):
    client.force_login(org.users.officer)
    url = reverse("workflow:request_reasons", args=[handled.pk])
    page = reverse("workflow:request_detail", args=[handled.pk])
    assert "要求申请人说明理由" in client.get(page).content.decode()

    # A form refused for its fields comes back with the error beside it.
    response = client.post(url, {"step": "request", "reason": ""})
    assert response.status_code == 200
    assert 'class="field has-error"' in response.content.decode()

    response = client.post(url, {"step": "request", "reason": REASON, "due_on": "2099-01-01"})
    assert response.status_code == 302
    handled.refresh_from_db()
    assert handled.reasons_due_on == D(2099, 1, 1)
    assert handled.letters.filter(kind="reasons_request").exists()

    response = client.post(
        url,
        {"step": "answer", "received_on": handled.reasons_requested_on.isoformat(), "reasons": "x"},
    )
    assert response.status_code == 302
    body = client.get(page).content.decode()
    assert "记录对理由的审查结论" in body  # the judgment is the next step
    assert "已要求申请人说明理由" in body  # the history

    response = client.post(
        url, {"step": "decide", "decision": "not_reasonable", "comment": "与申请数量不相称"}
    )
    assert response.status_code == 302
    handled.refresh_from_db()
    assert handled.reasons_decision == ReasonsDecision.NOT_REASONABLE


def test_the_answer_form_offers_only_outcomes_whose_step_exists(org, req, client, handled):
    client.force_login(org.users.drafter)
    task = req.task(org.users.drafter, "draft_answer")
    page = client.get(reverse("workflow:task_detail", args=[task])).content.decode()
    form = page.split('name="outcome"')[1].split("</select>")[0]
    assert 'value="disclosed"' in form and 'value="repeated"' in form
    for gated in ("still_unclear", "excessive", "fee_unpaid"):
        assert f'value="{gated}"' not in form
    assert "未发出补正告知书" in page and "尚未要求申请人说明理由" in page
    assert "未发出收费通知" in page
    # A hidden choice posted all the same is refused.
    response = client.post(
        reverse("workflow:task_detail", args=[task]),
        {"outcome": "excessive", "answer": "不予处理", "scope": "section"},
    )
    assert response.status_code == 200
    handled.refresh_from_db()
    assert handled.outcome == ""


def _reasons_alerts(start, end):
    fired = {}
    day = start
    while day <= end:
        deadlines_sweep(today=day)
        alerts = DeadlineAlert.objects.filter(deadline=Deadline.REASONS_REPLY)
        fired[day] = sorted((a.kind, a.step, a.rung, a.workdays) for a in alerts)
        day += dt.timedelta(days=1)
    return fired


def test_a_reasons_date_that_passes_is_reported_to_the_handler_once(org, handled):
    _ask(org, handled, today=D(2026, 10, 12))  # the applicant's date: Mon 11-02

    fired = _reasons_alerts(D(2026, 11, 2), D(2026, 11, 5))

    # Nothing on the date itself; on Tue 11-03, one working day after it, the handler is told to
    # record or judge the reasons; no second alert on the days after.
    assert fired[D(2026, 11, 2)] == []
    assert fired[D(2026, 11, 3)] == [("reminder", -1, "holder", 1)]
    assert fired[D(2026, 11, 5)] == fired[D(2026, 11, 3)]
    told = Notification.objects.filter(alert__deadline=Deadline.REASONS_REPLY)
    # The holder of the request's open task (drafting the answer) is told.
    assert {n.recipient.username for n in told} == {"drafter"}
    text = render(told[0])
    assert "申请人说明理由（第三十五条）" in text.body and "答复期限并未因此中止" in text.body


def test_reasons_recorded_before_the_date_raise_no_alert(org, handled):
    _ask(org, handled, today=D(2026, 10, 12))
    reasons.reasons_record(
        request_id=handled.pk,
        user=org.users.officer,
        received_on=D(2026, 10, 20),
        reasons="用于学术研究，需要逐年对比数据。",
        today=D(2026, 10, 20),
    )

    assert _reasons_alerts(D(2026, 11, 2), D(2026, 11, 4))[D(2026, 11, 4)] == []
