"""The information processing fee (Art. 42; 《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号):
the fee from the scale (按件计收 over the applicant's requests of the natural month, 按量计收 over the
pages), the 收费通知 that pauses the clock until payment, payment that resumes it, the sweep's
lapse after the 20 working days (视为放弃申请) that makes the answer 逾期未缴费 possible, and the
annual report's fee figures from these records.

The request is received on Wed 2026-09-30: 20 working days, with 10-01..10-07 (国庆节) off and Sat
10-10 a make-up working day, make the due date Tue 2026-11-03. Counted by 10-12: Thu 10-08, Fri
10-09, Sat 10-10 (make-up), Mon 10-12 = 4 of the 20."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from notifications.messages import render
from notifications.models import ApplicantNotice, Notification
from notifications.sweep import deadlines_sweep
from reports.export import report_text
from reports.selectors.tables import tables_live
from reports.services import report_create
from workflow.exceptions import WorkflowError
from workflow.models import DisclosureRequest, FeeNotice
from workflow.services import fees

pytestmark = pytest.mark.django_db
D = dt.date
PER_REQUEST = FeeNotice.Method.PER_REQUEST
PER_PAGE = FeeNotice.Method.PER_PAGE
ID_NUMBER = "110101199003077777"  # the `req` fixture's applicant


def per_request(month_count, pieces=1):
    return fees.fee_compute(method=PER_REQUEST, month_count=month_count, pieces=pieces).amount


def per_page(pages):
    return fees.fee_compute(method=PER_PAGE, pages=pages).amount


# --- the scale (pure) ---------------------------------------------------------------------------


def test_per_request_the_nth_request_of_the_month_is_charged_at_its_band():
    # 第四条: 1-10 free; 11-30 at 100; from the 31st every 10 requests 100 more (31-40 at 200,
    # 41-50 at 300).
    assert per_request(9) == 0
    assert per_request(10) == 0
    assert per_request(11) == 100
    assert per_request(30) == 100
    assert per_request(31) == 200
    assert per_request(40) == 200
    assert per_request(41) == 300
    assert per_request(45) == 300
    assert per_request(51) == 400


def test_per_request_the_months_total_is_progressive():
    # All the month's requests together (pieces = the whole month):
    # 9 -> 0; 10 -> 0; 11 -> 1 x 100 = 100; 30 -> 20 x 100 = 2000;
    # 31 -> 2000 + 1 x 200 = 2200; 45 -> 2000 + 10 x 200 + 5 x 300 = 5500.
    assert per_request(9, pieces=9) == 0
    assert per_request(10, pieces=10) == 0
    assert per_request(11, pieces=11) == 100
    assert per_request(30, pieces=30) == 2000
    assert per_request(31, pieces=31) == 2200
    assert per_request(45, pieces=45) == 5500
    # A request split into 3 (一事一申请) after 29 others: its pieces are the 30th, 31st and
    # 32nd: 100 + 200 + 200 = 500.
    quote = fees.fee_compute(method=PER_REQUEST, month_count=32, pieces=3)
    assert quote.amount == 500
    assert [(b.first, b.last, b.rate) for b in quote.bands] == [(30, 30, 100), (31, 32, 200)]


def test_per_page_the_pages_of_a_request_are_charged_by_band():
    # 第五条: 1-30 free; 31-100 at 10; 101-200 at 20; from 201 at 40.
    assert per_page(30) == 0
    assert per_page(31) == 10  # 1 x 10
    assert per_page(100) == 700  # 70 x 10
    assert per_page(101) == 720  # 700 + 1 x 20
    assert per_page(200) == 2700  # 700 + 100 x 20
    assert per_page(201) == 2740  # 2700 + 1 x 40
    assert per_page(250) == 4700  # 700 + 2000 + 50 x 40


def test_the_scale_is_a_setting(settings):
    settings.INFORMATION_FEE_SCALE = {
        "per_request": {"bands": [[5, 0], [10, 50]], "then_every": 5, "then_increase": 50},
        "per_page": {"bands": [[10, 0]], "then_rate": 1},
    }
    assert per_request(5) == 0 and per_request(6) == 50 and per_request(11) == 100
    assert per_page(15) == 5


# --- the notice, the pause, payment -------------------------------------------------------------


def _earlier_requests(org, count, *, month=9, id_number=ID_NUMBER):
    """`count` earlier requests of an applicant received in 2026-`month` (rows, as the count
    reads them)."""
    DisclosureRequest.objects.bulk_create(
        DisclosureRequest(
            tracking_code=f"T{month:02d}{id_number[-4:]}{n:04d}",
            receiving_unit=org.civil,
            channel="in_person",
            submitted_on=D(2026, month, 1 + n % 28),
            received_on=D(2026, month, 1 + n % 28),
            applicant_kind="natural_person",
            applicant_name="张三",
            id_number=id_number,
            phone="13800000000",
            description=f"第{n}件",
            status=DisclosureRequest.Status.CLOSED,
        )
        for n in range(count)
    )


@pytest.fixture
def handled(org, req):
    """A request being handled (received 2026-09-30, due 2026-11-03), the applicant's 31st of
    September: 30 earlier ones; one in August and one of another applicant do not count."""
    _earlier_requests(org, 30)
    _earlier_requests(org, 1, month=8)
    _earlier_requests(org, 1, id_number="110101199001011234")
    request = req.register(email="zhangsan@example.com")
    req.to_drafting(request, today=D(2026, 10, 8))
    request.refresh_from_db()
    assert request.due_on == D(2026, 11, 3)
    return request


def _issue(org, request, *, today=None, **kw):
    return fees.fee_notice_issue(
        request_id=request.pk,
        user=org.users.officer,
        method=kw.pop("method", PER_REQUEST),
        today=today or D(2026, 10, 12),
        **kw,
    )


def test_the_fee_notice_counts_the_month_pauses_the_clock_and_tells_the_applicant(org, handled):
    fee = _issue(org, handled, received_on=D(2026, 10, 12))  # e-mailed on Mon 10-12

    # The 31st request of September: 31-40 at 200 yuan.
    assert fee.month_count == 31 and fee.amount == Decimal("200")
    # 20 working days from the day after receipt: 10-13..16 (4), 10-19..23 (9), 10-26..30 (14),
    # 11-02..06 (19), Mon 11-09 (20).
    assert fee.pay_by == D(2026, 11, 9)
    letter = fee.letter
    assert letter.kind == "fee_notice" and letter.title == "政府信息公开信息处理费收费通知"
    assert "人民币200元" in letter.body and "2026年11月9日" in letter.body
    assert "本申请为您2026年9月向本机关累计提出的第31件政府信息公开申请" in letter.body
    assert "第31—31件200元/件×1件=200元" in letter.body
    assert "第四十二条" in letter.body and "视为放弃申请" in letter.body
    assert "不计算在答复期限内" in letter.body

    handled.refresh_from_db()
    assert handled.clock_paused and handled.due_on is None
    paused = AuditEntry.objects.get(subject_id=str(handled.pk), action="request.clock.fee_paused")
    assert paused.old_state == "2026-11-03" and paused.new_state == ""
    issued = AuditEntry.objects.get(subject_id=str(handled.pk), action="request.fee.issued")
    assert issued.data["amount"] == "200" and issued.data["pay_by"] == "2026-11-09"
    # The applicant is told by e-mail too.
    notice = ApplicantNotice.objects.get(request=handled, event="fee")
    assert notice.key == f"fee:{fee.pk}" and "200元" in notice.body
    assert "2026年11月9日" in notice.body

    # Once per request, by one method (第三条).
    with pytest.raises(WorkflowError, match="已于2026-10-12发出收费通知"):
        _issue(org, handled, method=PER_PAGE, pages=80, today=D(2026, 10, 13))

    # Paid on Fri 10-16: the pause (10-12, 10-16] leaves out 10-13..16, 4 working days, so the
    # due date moves from Tue 11-03 by 4 working days: 11-04, 11-05, 11-06, Mon 11-09.
    fees.fee_payment_record(
        request_id=handled.pk,
        user=org.users.officer,
        paid_on=D(2026, 10, 16),
        reference="非税票据No.0012345",
        today=D(2026, 10, 19),
    )
    handled.refresh_from_db()
    assert not handled.clock_paused and handled.due_on == D(2026, 11, 9)
    resumed = AuditEntry.objects.get(subject_id=str(handled.pk), action="request.clock.resumed")
    assert resumed.old_state == "" and resumed.new_state == "2026-11-09"
    assert AuditEntry.objects.filter(subject_id=str(handled.pk), action="request.fee.paid").exists()
    with pytest.raises(WorkflowError, match="已于2026-10-16缴纳"):
        fees.fee_payment_record(
            request_id=handled.pk,
            user=org.users.officer,
            paid_on=D(2026, 10, 16),
            today=D(2026, 10, 19),
        )


def test_no_fee_within_the_free_requests_and_pages(org, req):
    request = req.register()  # the applicant's only request this month
    req.to_drafting(request, today=D(2026, 10, 8))
    with pytest.raises(WorkflowError) as refused:
        _issue(org, request)
    assert "本月第1件申请" in str(refused.value) and "10件以内" in str(refused.value)
    with pytest.raises(WorkflowError) as refused:
        _issue(org, request, method=PER_PAGE, pages=30)
    assert "30页以内" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        _issue(org, request, method=PER_PAGE)
    assert "页数" in str(refused.value.message_dict["pages"])
    # By pages: 45 pages, 15 x 10 = 150 yuan, whatever the month's count.
    fee = _issue(org, request, method=PER_PAGE, pages=45)
    assert fee.amount == 150 and "第31—45页10元/页×15页=150元" in fee.basis


def test_a_notice_after_the_due_date_and_a_payment_out_of_time_are_refused(org, handled):
    with pytest.raises(WorkflowError, match="答复期限2026-11-03已过"):
        _issue(org, handled, today=D(2026, 11, 4))
    fee = _issue(org, handled, received_on=D(2026, 10, 12))
    with pytest.raises(ValidationError) as refused:
        fees.fee_payment_record(
            request_id=handled.pk,
            user=org.users.officer,
            paid_on=D(2026, 10, 9),
            today=D(2026, 10, 12),
        )
    assert "发出收费通知之前" in str(refused.value.message_dict["paid_on"])
    with pytest.raises(WorkflowError) as refused:
        fees.fee_payment_record(
            request_id=handled.pk,
            user=org.users.officer,
            paid_on=D(2026, 11, 10),  # the day after the last day, 11-09
            today=D(2026, 11, 10),
        )
    assert "应于2026-11-09前缴纳" in str(refused.value) and "视为放弃申请" in str(refused.value)
    fee.refresh_from_db()
    assert fee.paid_on is None


# --- non-payment: the sweep's lapse, then the answer 逾期未缴费 ------------------------------------


def test_unpaid_the_sweep_lapses_the_notice_and_fee_unpaid_becomes_possible(
    org, req, flow_steps, handled
):
    # By post: 20 working days plus the 5-day delivery allowance after Mon 10-12: 11-09 is the
    # 20th (above), then 11-10, 11-11, 11-12, 11-13, Mon 11-16.
    fee = _issue(org, handled)
    assert fee.pay_by == D(2026, 11, 16)

    with pytest.raises(WorkflowError) as refused:
        req.answer("fee_unpaid", answer="您未在规定期限内缴费。", today=D(2026, 11, 16))
    assert "申请人可在2026-11-16前缴费" in str(refused.value)

    # The day after the last day the sweep records the lapse; the pause ends on 11-16. 4 working
    # days were counted by 10-12, 16 remain after 11-16: 11-17..20 (4), 11-23..27 (9),
    # 11-30..12-04 (14), Mon 12-07 (15), Tue 12-08 (16).
    result = deadlines_sweep(today=D(2026, 11, 17))
    assert result.fees_lapsed == 1
    fee.refresh_from_db()
    handled.refresh_from_db()
    assert fee.lapsed_on == D(2026, 11, 17) and fee.paid_on is None
    assert not handled.clock_paused and handled.due_on == D(2026, 12, 8)
    lapsed = AuditEntry.objects.get(subject_id=str(handled.pk), action="request.fee.lapsed")
    assert lapsed.actor is None and lapsed.new_state == "2026-11-16"
    resumed = AuditEntry.objects.get(subject_id=str(handled.pk), action="request.clock.resumed")
    assert resumed.new_state == "2026-12-08" and resumed.data["lapsed"] is True
    told = Notification.objects.get(verb="fee_lapsed", recipient=org.users.officer)
    assert told.params == {
        "subject": handled.tracking_code,
        "amount": "200",
        "pay_by": "2026-11-16",
    }
    rendered = render(told)
    assert rendered.title == f"逾期未缴费：{handled.tracking_code}"
    assert "信息处理费200元未在2026-11-16前缴纳，视为申请人放弃申请" in rendered.body
    # Once.
    assert deadlines_sweep(today=D(2026, 11, 18)).fees_lapsed == 0

    # Paying now is too late.
    with pytest.raises(WorkflowError, match="视为放弃申请"):
        fees.fee_payment_record(
            request_id=handled.pk,
            user=org.users.officer,
            paid_on=D(2026, 11, 16),
            today=D(2026, 11, 18),
        )

    req.answer("fee_unpaid", answer="您未在规定期限内缴纳信息处理费。", today=D(2026, 11, 18))
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    letter = req.deliver(D(2026, 11, 19))
    assert letter.kind == "fee_unpaid" and "第四十二条" in letter.body
    assert "视为放弃本次申请" in letter.body
    handled.refresh_from_db()
    assert handled.status == DisclosureRequest.Status.CLOSED and handled.outcome == "fee_unpaid"


def test_fee_unpaid_is_refused_once_paid(org, req, handled):
    _issue(org, handled, received_on=D(2026, 10, 12))
    fees.fee_payment_record(
        request_id=handled.pk,
        user=org.users.officer,
        paid_on=D(2026, 10, 14),
        today=D(2026, 10, 14),
    )
    with pytest.raises(WorkflowError, match="信息处理费已于2026-10-14缴纳"):
        req.answer("fee_unpaid", answer="未缴费。", today=D(2026, 11, 18))


# --- the request page ---------------------------------------------------------------------------


def test_the_request_page_issues_the_notice_and_records_payment(org, client, req):
    # The page's steps are dated today: a request received today, well within its time.
    today = timezone.localdate()
    request = req.register(received=today)
    req.to_drafting(request, today=today)
    client.force_login(org.users.officer)
    url = reverse("workflow:request_detail", args=[request.pk])
    page = client.get(url).content.decode()
    assert "信息处理费" in page and "发出收费通知" in page

    fee_url = reverse("workflow:request_fee", args=[request.pk])
    response = client.post(fee_url, {"step": "issue", "method": "per_page", "pieces": "1"})
    assert response.status_code == 200  # refused beside the field: no pages
    assert "请填写提供的页数" in response.content.decode()
    assert not FeeNotice.objects.filter(request=request).exists()

    response = client.post(
        fee_url, {"step": "issue", "method": "per_page", "pieces": "1", "pages": "45"}
    )
    assert response.status_code == 302
    fee = FeeNotice.objects.get(request=request)
    assert fee.amount == 150 and fee.payment.startswith("通过非税收入缴费渠道缴纳")
    page = client.get(url).content.decode()
    assert "等待缴费：答复期限暂停计算" in page and "登记缴费" in page

    response = client.post(fee_url, {"step": "pay", "paid_on": today.isoformat()})
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.paid_on == today


# --- the annual report --------------------------------------------------------------------------


def test_the_annual_report_takes_its_fee_figures_from_the_records(org, req, handled):
    report = report_create(user=org.users.drafter, unit=org.civil, year=2026, today=D(2026, 12, 31))
    assert tables_live(report).fee_sentence == "本年度未收取信息处理费。"

    _issue(org, handled, received_on=D(2026, 10, 12))  # 200 yuan
    other = req.register(received=D(2026, 10, 9), id_number="110101199001011234")
    req.to_drafting(other, today=D(2026, 10, 12))
    _issue(org, other, method=PER_PAGE, pages=120, today=D(2026, 10, 13))  # 700 + 400 = 1100
    fees.fee_payment_record(
        request_id=handled.pk,
        user=org.users.officer,
        paid_on=D(2026, 10, 20),
        today=D(2026, 10, 20),
    )

    tables = tables_live(report)
    # Two notices issued in 2026, one paid: 200 yuan (the unpaid 1,100 is not income).
    assert tables.fees == {"notices": 2, "paid": 1, "amount": Decimal("200.00")}
    sentence = (
        "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知2件，"
        "收取信息处理费200元（1件）。"
    )
    assert tables.fee_sentence == sentence
    text = report_text(report, tables)
    assert sentence in text.split("六、其他需要报告的事项")[1]
    # Frozen with the snapshot.
    assert type(tables).from_json(tables.to_json()).fee_sentence == sentence
