"""Answers that need an earlier step are refused, in Chinese, naming the missing step, until that
step is on record: still unclear without a 补正 notice (Art. 30), fee not paid without a fee notice
(Art. 42), repeated without the earlier answered request (Art. 36(6)). Excessive without a request
for reasons (Art. 35) is in test_excessive_reasons.py.

Requests are received on Wed 2026-09-30 unless said otherwise (due Tue 2026-11-03: 10-01..10-07 off,
Sat 10-10 a make-up working day)."""

import datetime as dt

import pytest

from review.permissions import forget_cached_grants
from workflow.exceptions import WorkflowError
from workflow.models import DisclosureProcess, DisclosureRequest, Outcome
from workflow.selectors import queue_for_user
from workflow.services import fees
from workflow.services import requests as steps
from workflow.services.outcomes import outcome_refusal

pytestmark = pytest.mark.django_db
D = dt.date


def _task(user, name, request) -> int:
    """The open task `name` of this request (several requests are open at once here)."""
    forget_cached_grants(user)
    for task in queue_for_user(user=user):
        if task.flow_task.name != name:
            continue
        if DisclosureProcess.objects.get(pk=task.process_id).request_id == request.pk:
            return task.pk
    raise AssertionError(f"no {name} task for {request.tracking_code}")


def _to_drafting(org, request, today):
    u = org.users
    steps.request_check(
        task_id=_task(u.officer, "check", request), user=u.officer, complete=True, today=today
    )
    steps.request_assign(
        task_id=_task(u.officer, "assign", request), user=u.officer, section=org.relief
    )


def _draft(org, request, outcome, today, **kw):
    return steps.answer_draft(
        task_id=_task(org.users.drafter, "draft_answer", request),
        user=org.users.drafter,
        outcome=outcome,
        answer=kw.pop("answer", "经审查，答复如下。"),
        today=today,
        **kw,
    )


def _through_to_delivery(org, flow_steps, req, on):
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    return req.deliver(on)


# --- still unclear (Art. 30) ------------------------------------------------------------------


def test_still_unclear_is_refused_without_a_correction_notice(org, req):
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    with pytest.raises(WorkflowError) as refused:
        _draft(org, request, "still_unclear", D(2026, 10, 9))
    assert "不能答复“补正后仍不明确”：本申请未发出补正告知书" in str(refused.value)
    request.refresh_from_db()
    assert request.outcome == "" and request.answer_item_id is None  # nothing written


def test_still_unclear_is_answered_once_the_correction_came_back_unclear(org, req, flow_steps):
    request = req.register()
    # 补正 notice on Fri 10-09, within the 7 working days (10-08, 10-09, ... 10-15); due 10-23.
    steps.request_check(
        task_id=req.task(org.users.officer, "check"),
        user=org.users.officer,
        complete=False,
        correction="请说明所需信息的年份。",
        correction_due_on=D(2026, 10, 23),
        today=D(2026, 10, 9),
    )
    request.refresh_from_db()
    # While the applicant's time runs the answer cannot say "still unclear" either.
    assert "申请人可在2026-10-23前补正申请" in outcome_refusal(
        request, Outcome.STILL_UNCLEAR, today=D(2026, 10, 12)
    )
    steps.request_correction_received(
        task_id=req.task(org.users.officer, "await_correction"),
        user=org.users.officer,
        received_on=D(2026, 10, 16),
        note="近几年的",
        today=D(2026, 10, 16),
    )
    req.to_drafting(request, today=D(2026, 10, 16))
    _draft(org, request, "still_unclear", D(2026, 10, 19))
    letter = _through_to_delivery(org, flow_steps, req, D(2026, 10, 20))
    assert letter.kind == "still_unclear" and "第三十条" in letter.body


# --- fee not paid (Art. 42) -------------------------------------------------------------------


def test_fee_unpaid_is_refused_until_a_fee_notice_was_issued_and_not_paid(org, req, flow_steps):
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    with pytest.raises(WorkflowError) as refused:
        _draft(org, request, "fee_unpaid", D(2026, 10, 9))
    assert "本申请未发出收费通知。须先发出收费通知" in str(refused.value)

    # The fee step (services.fees; tests/workflow/test_fees.py): 45 pages, 15 x 10 = 150 yuan,
    # handed over on Fri 10-09, to be paid within 20 working days: 10-10 (make-up Saturday),
    # 10-12..16 (6), 10-19..23 (11), 10-26..30 (16), 11-02..05 (20): by Thu 11-05.
    fee = fees.fee_notice_issue(
        request_id=request.pk,
        user=org.users.officer,
        method="per_page",
        pages=45,
        received_on=D(2026, 10, 9),
        today=D(2026, 10, 9),
    )
    assert fee.pay_by == D(2026, 11, 5)
    with pytest.raises(WorkflowError) as refused:
        _draft(org, request, "fee_unpaid", D(2026, 11, 5))
    assert "申请人可在2026-11-05前缴费" in str(refused.value)
    _draft(org, request, "fee_unpaid", D(2026, 11, 6))
    letter = _through_to_delivery(org, flow_steps, req, D(2026, 11, 9))
    assert letter.kind == "fee_unpaid" and "第四十二条" in letter.body


# --- repeated (Art. 36(6)) --------------------------------------------------------------------


def test_repeated_is_refused_without_an_earlier_request(org, req):
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    assert request.duplicate_of_id is None
    with pytest.raises(WorkflowError) as refused:
        _draft(org, request, "repeated", D(2026, 10, 9))
    assert "不能答复“重复申请”：未指明已答复的在先申请" in str(refused.value)


def test_repeated_needs_the_same_applicants_earlier_request_answered(org, req, flow_steps):
    earlier = req.register(received=D(2026, 9, 30))
    again = req.register(received=D(2026, 10, 12))
    assert again.duplicate_of == earlier  # detected at intake: same applicant, same information
    stranger = req.register(received=D(2026, 10, 12), id_number="110101199003074477")
    _to_drafting(org, again, D(2026, 10, 12))

    # The earlier request is not answered yet.
    with pytest.raises(WorkflowError) as refused:
        _draft(org, again, "repeated", D(2026, 10, 13))
    assert f"在先申请{earlier.tracking_code}尚未答复" in str(refused.value)
    # Another applicant's request is no earlier request of this one, whatever its state.
    with pytest.raises(WorkflowError) as refused:
        _draft(org, again, "repeated", D(2026, 10, 13), earlier_request=stranger.tracking_code)
    assert f"没有申请编号为{stranger.tracking_code}的申请" in str(refused.value)

    # The earlier request is answered (delivered Tue 10-20) ...
    _to_drafting(org, earlier, D(2026, 10, 8))
    _draft(org, earlier, "disclosed", D(2026, 10, 13))
    _through_to_delivery(org, flow_steps, req, D(2026, 10, 20))
    earlier.refresh_from_db()
    assert earlier.status == DisclosureRequest.Status.CLOSED

    # ... and named: the repeated request is answered so, linked to it.
    _draft(org, again, "repeated", D(2026, 10, 21), earlier_request=earlier.tracking_code)
    again.refresh_from_db()
    assert again.outcome == "repeated" and again.duplicate_of == earlier
    letter = _through_to_delivery(org, flow_steps, req, D(2026, 10, 22))
    assert letter.kind == "repeated" and "第三十六条第（六）项" in letter.body
    # The letter names the request it repeats: received Wed 09-30, answered Tue 10-20.
    assert (
        f"您此前提出的政府信息公开申请（申请编号{earlier.tracking_code}，本机关于2026年9月30日收到，"
        "已于2026年10月20日作出答复）与本次申请内容相同" in letter.body
    )
