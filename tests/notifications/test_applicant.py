"""The applicant is told by e-mail, when they gave an address, at 受理, 补正 (Art. 30), 延期
(Art. 33 ¶2) and 答复, and of a fee notice (国办函〔2020〕109号), from texts administrators edit
(audited), through the notifications app's outbox and channels: after the step commits, once.

Dates below are counted by hand: received 2026-09-30 (in person), the 20 working days end
2026-11-03 (国庆 1-7 October off, 10 October a make-up working day)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from notifications import applicant as applicant_notices
from notifications.models import ApplicantEvent, ApplicantNotice, ApplicantTemplate
from notifications.tasks import deliver_applicant_notice
from workflow.models import Outcome
from workflow.services import request_actions as actions
from workflow.services import requests as steps

pytestmark = pytest.mark.django_db
D = dt.date
EMAIL = "zhangsan@example.com"


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Run a step as a request does: commit, then the outbox publishes and the (eager) worker
    sends. Returns the e-mails sent by the step."""

    def run(step, *args, **kwargs):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = step(*args, **kwargs)
        return result, mail.outbox[before:]

    return run


def only(messages):
    assert len(messages) == 1, [m.subject for m in messages]
    assert messages[0].to == [EMAIL]
    return messages[0]


def test_every_event_has_a_seeded_chinese_text():
    texts = {t.event: t for t in ApplicantTemplate.objects.all()}
    assert set(texts) == set(ApplicantEvent.values)
    assert "第三十条" in texts["correction"].body
    assert "第三十三条第二款" in texts["extension"].body
    assert "国办函〔2020〕109号" in texts["fee"].body
    assert all(t.sms for t in texts.values())


def test_received_at_registration_with_the_due_date(req, told):
    request, sent = told(req.register, email=EMAIL)
    message = only(sent)
    assert request.tracking_code in message.subject and "已受理" in message.subject
    assert "张三" in message.body
    assert "2026年9月30日" in message.body and "2026年11月3日" in message.body
    assert "/apply/status/" in message.body
    assert request.tracking_code not in message.body.split("/apply/status/", 1)[1]
    notice = ApplicantNotice.objects.get()
    assert (notice.event, notice.key, notice.channel, notice.status) == (
        "received",
        "request.clock.started",
        "email",
        "sent",
    )
    assert notice.body == message.body  # what was sent stays on record


def test_an_online_request_is_received_when_its_receipt_is_confirmed(org, req, told):
    from tests.applicants import ID_NUMBER
    from workflow.services.intake import request_submit_online

    request, sent = told(
        request_submit_online,
        unit=org.civil,
        data={
            "applicant_kind": "natural_person",
            "applicant_name": "李四",
            "id_number": ID_NUMBER,
            "phone": "13912345678",
            "email": EMAIL,
            "description": "2026年养老机构补贴发放名单",
        },
        today=D(2026, 10, 3),
    )
    assert sent == []  # submitted, not yet received (Art. 31(三))
    _, sent = told(
        steps.request_check,
        task_id=req.task(org.users.officer, "check"),
        user=org.users.officer,
        complete=True,
        confirmed_on=D(2026, 10, 8),
        today=D(2026, 10, 8),
    )
    message = only(sent)
    assert "2026年10月8日" in message.body and "2026年11月4日" in message.body


def test_correction_then_the_corrected_request(org, req, told):
    request = req.register(email=EMAIL)
    _, sent = told(
        steps.request_check,
        task_id=req.task(org.users.officer, "check"),
        user=org.users.officer,
        complete=False,
        correction="请说明所需信息的具体年份和发放对象范围。",
        correction_due_on=D(2026, 10, 23),
        today=D(2026, 10, 9),
    )
    message = only(sent)
    assert "请补正" in message.subject
    assert "请说明所需信息的具体年份和发放对象范围。" in message.body
    assert "2026年10月23日" in message.body and "视为放弃申请" in message.body

    _, sent = told(
        steps.request_correction_received,
        task_id=req.task(org.users.officer, "await_correction"),
        user=org.users.officer,
        received_on=D(2026, 10, 16),
        note="2026年第三季度，全区低保对象",
        today=D(2026, 10, 16),
    )
    # Art. 30: the time limit runs from the corrected request: 20 working days after 10-16.
    message = only(sent)
    assert "2026年10月16日" in message.body and "2026年11月13日" in message.body
    events = list(
        ApplicantNotice.objects.filter(request=request).order_by("pk").values_list("event", "key")
    )
    assert events == [
        ("received", "request.clock.started"),
        ("correction", "request.clock.stopped"),
        ("received", "request.clock.restarted"),
    ]


def test_extension_and_answer(org, req, flow_steps, told):
    u = org.users
    request, _ = told(req.register, email=EMAIL)
    req.to_drafting(request, today=D(2026, 10, 8))
    extension = actions.extension_request(
        request_id=request.pk,
        user=u.drafter,
        days=20,
        reason="涉及多个科室，需调取档案",
        today=D(2026, 10, 20),
    )
    _, sent = told(
        actions.extension_decide,
        extension_id=extension.pk,
        user=u.disclosure_head,
        approve=True,
        today=D(2026, 10, 20),
    )
    message = only(sent)
    assert "延长" in message.subject
    assert "涉及多个科室，需调取档案" in message.body
    # 20 more working days after 2026-11-03.
    assert "20个工作日" in message.body and "2026年12月1日" in message.body

    req.answer("disclosed")
    flow_steps.review(None)
    flow_steps.approve("approve_section", u.section_head)
    _, sent = told(req.deliver, D(2026, 10, 22))
    message = only(sent)
    assert "已答复" in message.subject
    with translation.override("zh-hans"):
        outcome = str(Outcome.DISCLOSED.label)
    assert "2026年10月22日" in message.body and outcome in message.body
    assert ApplicantNotice.objects.filter(request=request, status="sent").count() == 3


def test_nobody_is_written_to_without_an_address(org, req, flow_steps, told):
    request, sent = told(req.register, email="")
    req.to_drafting(request, today=D(2026, 10, 8))
    req.answer("disclosed")
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    _, delivered = told(req.deliver, D(2026, 10, 22))
    assert sent == delivered == []
    assert not ApplicantNotice.objects.exists()


def test_nothing_leaves_before_the_step_commits_nor_when_it_fails(
    req, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        req.register(email=EMAIL)
    assert mail.outbox == [] and callbacks  # waiting for the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1

    class Failed(Exception):
        pass

    def step_that_fails():
        with transaction.atomic():
            req.register(email="other@example.com", description="另一份申请")
            raise Failed

    with pytest.raises(Failed):
        step_that_fails()
    assert ApplicantNotice.objects.count() == 1 and len(mail.outbox) == 1


def test_told_once_whatever_runs_twice(req, told):
    request, sent = told(req.register, email=EMAIL)
    assert len(sent) == 1
    # The same occasion again (a step retried): no second message.
    again, _ = told(
        applicant_notices.applicant_notify,
        request=request,
        event=ApplicantEvent.RECEIVED,
        key="request.clock.started",
    )
    assert again == []
    # The task redelivered: the message is sent already.
    notice = ApplicantNotice.objects.get()
    assert deliver_applicant_notice.apply(args=[notice.pk]).get() == "sent"
    assert len(mail.outbox) == 1


def test_the_fee_step_tells_the_applicant(req, told):
    request = req.register(email=EMAIL)
    made, sent = told(
        applicant_notices.applicant_fee_notify,
        request=request,
        fee_key="17",
        amount="100",
        pay_by=D(2026, 11, 5),
        payment="银行转账至示范区财政局非税收入账户",
    )
    message = only(sent)
    assert made[0].key == "fee:17"
    assert "100元" in message.body and "2026年11月5日" in message.body
    assert "银行转账" in message.body and "视为放弃申请" in message.body


def test_administrators_edit_the_texts_and_every_change_is_audited(req, told, client):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x-Pass-2026")
    client.force_login(admin)
    template = ApplicantTemplate.objects.get(event="received")
    old_subject = template.subject
    url = reverse("admin:notifications_applicanttemplate_change", args=[template.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "subject": "【民政局】申请已收到：{tracking_code}",
            "body": "{applicant}您好：您的申请已于{received_on}收到，{due_on}前答复。",
            "sms": template.sms,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = AuditEntry.objects.get(action="notifications.applicant_template.updated")
    assert entry.actor == admin
    assert entry.data["changed"]["subject"] == {
        "old": old_subject,
        "new": "【民政局】申请已收到：{tracking_code}",
    }
    assert set(entry.data["changed"]) == {"subject", "body"}
    template.refresh_from_db()
    assert template.updated_by == admin

    request, sent = told(req.register, email=EMAIL)
    message = only(sent)
    assert message.subject.endswith(f"【民政局】申请已收到：{request.tracking_code}")
    assert message.body == "张三您好：您的申请已于2026年9月30日收到，2026年11月3日前答复。"
    # Seeded, one per event: neither added nor removed in the admin.
    add = reverse("admin:notifications_applicanttemplate_add")
    assert client.get(add).status_code == 403
