"""Disclosure requests through the RequestFlow: Art. 36 outcomes, correction (Art. 30),
consultation pauses (Arts. 32-34), extensions (Art. 33 ¶2), and the clock's audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import AuditEntry
from workflow.exceptions import NotAllowed, WorkflowError
from workflow.models import CalendarDay, CalendarYear, DisclosureRequest, LegalGround, Outcome
from workflow.models.requests import DRAFTABLE_OUTCOMES
from workflow.services import outcomes
from workflow.services import request_actions as actions
from workflow.services import requests as steps
from workflow.services.calendar_changes import calendar_changed
from workflow.services.intake import request_submit_online

pytestmark = pytest.mark.django_db
D = dt.date
SEPT_30 = D(2026, 9, 30)


def clock_events(request):
    return list(
        AuditEntry.objects.filter(
            subject_id=str(request.pk), action__startswith="request.clock."
        ).order_by("at", "id")
    )


def _ask_correction(org, req, text: str, *, due: dt.date, today: dt.date) -> None:
    """The completeness check finds the request unclear and asks for a correction (Art. 30)."""
    steps.request_check(
        task_id=req.task(org.users.officer, "check"),
        user=org.users.officer,
        complete=False,
        correction=text,
        correction_due_on=due,
        today=today,
    )


# The outcomes that need an earlier step (still unclear, excessive, fee not paid, repeated) run
# through with that step in tests/workflow/test_outcome_preconditions.py.
@pytest.mark.parametrize(
    "outcome", [o.value for o in DRAFTABLE_OUTCOMES if o not in outcomes.GATED_OUTCOMES]
)
def test_each_outcome_runs_through_review_approval_and_delivery(org, req, flow_steps, outcome):
    request = req.register()
    assert request.due_on == D(2026, 11, 3)
    req.to_drafting(request, today=D(2026, 10, 8))
    req.answer(outcome)
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    letter = req.deliver(D(2026, 10, 20))

    request.refresh_from_db()
    assert request.status == DisclosureRequest.Status.CLOSED
    assert request.outcome == outcome
    assert request.answered_on == D(2026, 10, 20)
    assert letter.kind == outcome
    assert "张三" in letter.body and request.tracking_code in letter.body
    assert request.answer_item.status == "delivered"
    assert request.answer_item.index_number is None  # an answer is not a catalogue entry


def test_answer_scope_decides_the_approval_level(org, req, flow_steps):
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    req.answer("disclosed", scope="district")
    flow_steps.review(None)
    flow_steps.approve("approve_district", org.users.district_approver)
    req.deliver(D(2026, 10, 20))
    request.refresh_from_db()
    assert request.status == "closed"


def test_review_return_sends_the_answer_back_to_its_drafter(org, req, flow_steps):
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    req.answer("disclosed")
    flow_steps.review(None, outcome="return", comment="附件含身份证号，请删减后部分公开")
    from workflow.selectors import inbox_for_user

    assert [t.flow_task.name for t in inbox_for_user(user=org.users.drafter)] == ["draft_answer"]
    steps.answer_draft(
        task_id=inbox_for_user(user=org.users.drafter).get().pk,
        user=org.users.drafter,
        outcome="partly_disclosed",
        answer="删减个人信息后提供。",
        legal_ground=LegalGround.objects.get(code="art15-third-party"),
    )
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    letter = req.deliver(D(2026, 10, 20))
    assert letter.kind == "partly_disclosed"


def test_each_decision_routes_the_request_itself_without_gateway_tasks(org, req, flow_steps):
    """A correction, a review returned, an approval: each task's decision picks the next task,
    with no Switch task between them (workflow.nodes.PositionTask.Route)."""
    request = req.register(received=D(2026, 9, 30))
    _ask_correction(
        org, req, "请说明所需信息的具体年份。", due=D(2026, 10, 23), today=D(2026, 10, 9)
    )
    steps.request_correction_received(
        task_id=req.task(org.users.officer, "await_correction"),
        user=org.users.officer,
        received_on=D(2026, 10, 16),
        note="2026年第三季度",
        today=D(2026, 10, 16),
    )
    req.to_drafting(request, today=D(2026, 10, 16))
    req.answer("disclosed")
    flow_steps.review(None, "return", comment="请补充检索范围。")
    from workflow.selectors import inbox_for_user

    steps.answer_draft(  # back with its drafter, who holds it
        task_id=inbox_for_user(user=org.users.drafter).get().pk,
        user=org.users.drafter,
        outcome="disclosed",
        answer="经补充检索，现将所申请信息提供如下。",
    )
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    req.deliver(D(2026, 10, 20))

    process = request.processes.get()
    nodes = [t.flow_task.name for t in process.task_set.order_by("created", "pk")]
    assert nodes == [
        "start",
        "check",
        "await_correction",
        "check",
        "assign",
        "draft_answer",
        "review",
        "draft_answer",
        "review",
        "approve_section",
        "deliver",
        "end",
    ]
    assert process.status == "DONE"


def test_answer_needs_its_ground_or_agency(req, org):
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    with pytest.raises(ValidationError) as exc:
        req.answer("not_disclosed", legal_ground=None)
    assert "legal_ground" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        req.answer("not_competent", competent_agency="")
    assert "competent_agency" in exc.value.error_dict


def test_correction_restarts_the_clock_from_the_corrected_request(org, req, flow_steps):
    request = req.register(received=D(2026, 9, 30))
    _ask_correction(
        org,
        req,
        "请说明所需信息的具体年份和发放对象范围。",
        due=D(2026, 10, 23),
        today=D(2026, 10, 9),
    )
    request.refresh_from_db()
    assert request.status == "correction" and request.due_on is None
    assert request.letters.get().kind == "correction"

    steps.request_correction_received(
        task_id=req.task(org.users.officer, "await_correction"),
        user=org.users.officer,
        received_on=D(2026, 10, 16),
        note="2026年第三季度，全区低保对象",
        today=D(2026, 10, 16),
    )
    request.refresh_from_db()
    # 20 working days after 2026-10-16 (Friday).
    assert request.clock_start == D(2026, 10, 16)
    assert request.due_on == D(2026, 11, 13)
    events = [(e.action, e.old_state, e.new_state) for e in clock_events(request)]
    assert events == [
        ("request.clock.started", "", "2026-11-03"),
        ("request.clock.stopped", "2026-11-03", ""),
        ("request.clock.restarted", "", "2026-11-13"),
    ]
    # Back at the check, a second correction notice is refused (Art. 30: once).
    with translation.override("en"), pytest.raises(ValidationError, match="once"):
        _ask_correction(org, req, "还不清楚", due=D(2026, 11, 30), today=D(2026, 10, 19))


def test_correction_notice_after_seven_working_days_is_refused(org, req):
    # 7 working days after 09-30: 10-08, 10-09, 10-10 (make-up Saturday), 10-12 .. 10-15.
    req.register(received=D(2026, 9, 30))
    with pytest.raises(ValidationError, match="2026-10-15"):
        _ask_correction(org, req, "请补正", due=D(2026, 10, 30), today=D(2026, 10, 16))


def test_no_correction_in_time_closes_the_request_as_abandoned(org, req):
    request = req.register(received=D(2026, 9, 30))
    _ask_correction(org, req, "请补正申请内容", due=D(2026, 10, 23), today=D(2026, 10, 9))
    task_id = req.task(org.users.officer, "await_correction")
    with pytest.raises(ValidationError, match="2026-10-23"):
        steps.request_abandon(task_id=task_id, user=org.users.officer, today=D(2026, 10, 23))
    steps.request_abandon(task_id=task_id, user=org.users.officer, today=D(2026, 10, 26))
    request.refresh_from_db()
    assert request.status == "abandoned" and request.outcome == Outcome.ABANDONED
    assert request.processes.get().status == "DONE"


def test_consultation_pauses_the_clock_and_the_party_has_15_working_days(org, req):
    request = req.register(received=D(2026, 9, 21))
    req.to_drafting(request, today=D(2026, 9, 22))
    request.refresh_from_db()
    assert request.due_on == D(2026, 10, 26)

    consultation = actions.consultation_open(
        request_id=request.pk,
        user=org.users.drafter,
        kind="third_party",
        party="某某养老服务有限公司",
        question="拟公开贵公司承接项目的合同金额，是否同意？",
        sent_on=D(2026, 9, 28),
        received_on=D(2026, 9, 28),  # handed over the same day
        today=D(2026, 9, 28),
    )
    # 15 working days after receipt on 09-28: 09-29, 09-30, then 10-08 .. 10-23 (10-10 a make-up
    # Saturday).
    assert consultation.due_on == D(2026, 10, 23)
    request.refresh_from_db()
    assert request.clock_paused and request.due_on is None

    actions.consultation_close(
        consultation_id=consultation.pk,
        user=org.users.drafter,
        opinion="agrees",
        reply="同意公开",
        replied_on=D(2026, 10, 12),
        today=D(2026, 10, 12),
    )
    request.refresh_from_db()
    assert not request.clock_paused
    assert request.due_on == D(2026, 11, 3)  # six paused working days later than 10-26
    actions_seen = [e.action for e in clock_events(request)]
    assert actions_seen[-2:] == ["request.clock.paused", "request.clock.resumed"]


def test_no_reply_can_only_be_recorded_after_the_15_days(org, req):
    request = req.register(received=D(2026, 9, 21))
    req.to_drafting(request, today=D(2026, 9, 22))
    consultation = actions.consultation_open(
        request_id=request.pk,
        user=org.users.officer,
        kind="agency",
        party="区财政局",
        question="是否同意公开？",
        sent_on=D(2026, 9, 28),
        today=D(2026, 9, 28),
    )
    with pytest.raises(ValidationError):
        actions.consultation_close(
            consultation_id=consultation.pk,
            user=org.users.officer,
            opinion="no_reply",
            replied_on=D(2026, 10, 20),
            today=D(2026, 10, 20),
        )


def test_extension_needs_the_office_head_is_capped_and_happens_once(org, req):
    u = org.users
    request = req.register(received=D(2026, 9, 30))
    req.to_drafting(request, today=D(2026, 10, 8))
    with pytest.raises(ValidationError):
        actions.extension_request(
            request_id=request.pk, user=u.drafter, days=21, reason="量大", today=D(2026, 10, 20)
        )
    extension = actions.extension_request(
        request_id=request.pk,
        user=u.drafter,
        days=20,
        reason="涉及多个科室，需调取档案",
        today=D(2026, 10, 20),
    )
    with pytest.raises(NotAllowed):
        actions.extension_decide(extension_id=extension.pk, user=u.officer, approve=True)
    actions.extension_decide(
        extension_id=extension.pk, user=u.disclosure_head, approve=True, today=D(2026, 10, 20)
    )
    request.refresh_from_db()
    assert request.extension_days == 20
    assert request.due_on == D(2026, 12, 1)
    assert request.letters.filter(kind="extension").count() == 1  # the applicant is told
    extended = clock_events(request)[-1]
    assert (extended.action, extended.old_state, extended.new_state) == (
        "request.clock.extended",
        "2026-11-03",
        "2026-12-01",
    )
    with translation.override("en"), pytest.raises(ValidationError, match="once"):
        actions.extension_request(
            request_id=request.pk, user=u.drafter, days=5, reason="再延", today=D(2026, 10, 21)
        )


def test_an_outsider_cannot_touch_the_request(org, req):
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    with pytest.raises(NotAllowed):
        actions.extension_request(
            request_id=request.pk, user=org.users.outsider_officer, days=5, reason="x"
        )
    from review.permissions import requests_visible_to

    assert not requests_visible_to(org.users.outsider).filter(pk=request.pk).exists()
    assert not requests_visible_to(org.users.outsider_officer).filter(pk=request.pk).exists()
    assert requests_visible_to(org.users.drafter).filter(pk=request.pk).exists()
    assert requests_visible_to(org.users.supervisor).filter(pk=request.pk).exists()


def test_entering_2027_recomputes_open_deadlines_and_audits_the_change(org, req):
    # 2026-12-10 + 20 working days: 12-11, 12-14..18, 12-21..25, 12-28..31 (15), 2027-01-01 is 元旦
    # (statutory, counted as a holiday before the notice), 01-04..08 (20).
    request = req.register(received=D(2026, 12, 10))
    assert request.due_on == D(2027, 1, 8) and request.calendar_unconfirmed
    year = CalendarYear.objects.create(year=2027, confirmed=True, source="国办发明电〔2026〕测试")
    # The notice adds nothing around 元旦 here: the date stays, the mark goes.
    CalendarDay.objects.create(calendar_year=year, date=D(2027, 1, 1), kind="holiday", name="元旦")
    assert calendar_changed(actor=org.users.supervisor, calendar_year=year) == 1
    request.refresh_from_db()
    assert request.due_on == D(2027, 1, 8)
    assert not request.calendar_unconfirmed
    change = clock_events(request)[-1]
    assert change.action == "request.clock.calendar_changed"
    assert change.data["old_due_on"] == change.data["new_due_on"] == "2027-01-08"
    assert change.data["calendar_unconfirmed"] is False


def test_online_request_waits_for_receipt_confirmation(org, req):
    request = request_submit_online(
        unit=org.civil,
        data={
            "applicant_kind": "legal_person",
            "organisation_type": "legal_services",
            "applicant_name": "某某律师事务所",
            "id_number": "91110000000000000X",
            "phone": "01088888888",
            "description": "2026年养老机构补贴发放名单",
        },
        today=D(2026, 10, 3),
    )
    assert request.status == "submitted" and request.received_on is None and request.due_on is None
    steps.request_check(
        task_id=req.task(org.users.officer, "check"),
        user=org.users.officer,
        complete=True,
        confirmed_on=D(2026, 10, 8),
        today=D(2026, 10, 8),
    )
    request.refresh_from_db()
    assert request.received_on == D(2026, 10, 8)  # Art. 31(三): the day both sides confirm
    assert request.due_on == D(2026, 11, 4)


def test_duplicates_and_excessive_requests_are_flagged(org, req, settings):
    settings.REQUEST_EXCESSIVE_PER_YEAR = 3
    first = req.register(received=D(2026, 9, 1))
    again = req.register(
        received=D(2026, 9, 2), description="2026年第三季度 城乡低保资金发放明细。"
    )
    other = req.register(received=D(2026, 9, 3), description="区养老院床位数量")
    assert again.duplicate_of == first
    assert other.duplicate_of is None
    assert other.excessive_flag and not first.excessive_flag


def test_information_asked_by_several_applicants_is_proposed_as_proactive(org, req, flow_steps):
    request = req.register()
    req.register(id_number="110101198001011234", applicant_name="李四")
    req.to_drafting(request, today=D(2026, 10, 8))
    req.answer("disclosed")
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    req.deliver(D(2026, 10, 20))
    request.refresh_from_db()
    assert actions.conversion_proposed(request=request)
    item = actions.request_convert_to_proactive(request_id=request.pk, user=org.users.drafter)
    assert item.attribute == "proactive" and item.status == "in_review"
    request.refresh_from_db()
    assert request.converted_item == item
    assert not actions.conversion_proposed(request=request)
    with pytest.raises(WorkflowError):
        actions.request_convert_to_proactive(request_id=request.pk, user=org.users.drafter)


def test_saving_a_year_in_the_admin_recomputes_open_deadlines(org, req, client):
    from django.contrib.auth import get_user_model

    request = req.register(received=D(2026, 12, 10))
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x-Pass-2026")
    client.force_login(admin)
    response = client.post(
        "/admin/workflow/calendaryear/add/",
        {
            "year": "2027",
            "confirmed": "on",
            "source": "国办发明电〔2026〕测试",
            "days-TOTAL_FORMS": "1",
            "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0",
            "days-MAX_NUM_FORMS": "1000",
            "days-0-date": "2027-01-01",
            "days-0-kind": "holiday",
            "days-0-name": "元旦",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request.refresh_from_db()
    assert request.due_on == D(2027, 1, 8) and not request.calendar_unconfirmed
    assert AuditEntry.objects.filter(action="workflow.calendar.saved").count() == 1
    assert clock_events(request)[-1].action == "request.clock.calendar_changed"


def test_a_deleted_model_text_refuses_delivery_cleanly(org, req, flow_steps):
    from workflow.models import LetterTemplate

    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    req.answer("disclosed")
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    LetterTemplate.objects.filter(kind="disclosed").delete()
    with pytest.raises(WorkflowError):
        req.deliver(D(2026, 10, 20))
    request.refresh_from_db()
    assert request.status == "in_progress" and not request.letters.exists()
