"""Letters on the pages: the delivery task shows the answer letter as it will be issued, the print
views (before and after issuing), the request's history with every step and people's names, and
the third party told of disclosure over its objection (Art. 32)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from workflow.exceptions import WorkflowError
from workflow.models import Consultation, LetterTemplate, Unit
from workflow.services import requests as steps
from workflow.services.consultations import consultation_close, consultation_open
from workflow.services.third_party import third_party_disclosure_notify

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def approved(org, req, flow_steps):
    """A request whose "disclosed" answer passed review and approval: waiting for delivery."""
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    req.answer("disclosed", answer="经检索，现将2026年第三季度低保资金发放明细提供如下。")
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    request.refresh_from_db()
    return request


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_the_delivery_task_shows_the_letter_as_it_will_be_issued(org, req, client, approved):
    task = req.task(org.users.officer, "deliver")
    status, html = _page(client, org.users.officer, reverse("workflow:task_detail", args=[task]))
    assert status == 200
    assert 'id="letter-preview"' in html and "css/letter.css" in html
    assert "政府信息公开申请答复告知书" in html
    assert "测民公开〔2026〕　　号" in html  # numbered only when issued
    assert "经检索，现将2026年第三季度低保资金发放明细提供如下。" in html
    assert "（印章）" in html and "测试区民政局" in html
    assert "测试区人民政府申请行政复议" in html
    assert reverse("workflow:answer_letter_print", args=[approved.pk]) in html
    assert not approved.letters.exists()  # showing it issues nothing

    # Rendered, not frozen: a change to the model text shows at once.
    template = LetterTemplate.objects.get(kind="disclosed")
    template.body = template.body.replace("具体如下", "具体内容如下")
    template.save()
    _status, html = _page(client, org.users.officer, reverse("workflow:task_detail", args=[task]))
    assert "具体内容如下" in html


def test_the_preview_says_what_would_stop_the_letter(org, req, client, approved):
    Unit.objects.filter(pk=org.civil.pk).update(full_name="")
    task = req.task(org.users.officer, "deliver")
    _status, html = _page(client, org.users.officer, reverse("workflow:task_detail", args=[task]))
    assert 'data-warning="letter-refused"' in html and "尚未填写全称" in html
    with pytest.raises(WorkflowError, match="尚未填写全称"):
        req.deliver(D(2026, 10, 20))
    assert not approved.letters.exists()


def test_the_print_view_before_delivery_and_after(org, req, client, approved):
    url = reverse("workflow:answer_letter_print", args=[approved.pk])
    status, html = _page(client, org.users.officer, url)
    assert status == 200
    assert "<script" not in html  # nothing to run: the browser prints it
    assert 'class="letter-sheet"' in html and 'class="letter-title"' in html
    assert 'class="letter-signature"' in html and 'data-preview="1"' in html
    assert "测民公开〔2026〕　　号" in html

    letter = req.deliver(D(2026, 10, 20))
    # Delivered: the issued letter has its own print view, frozen.
    status, html = _page(client, org.users.officer, url)
    assert status == 200 and 'class="letter-sheet"' not in html
    LetterTemplate.objects.filter(kind="disclosed").update(title="改过的标题")
    print_url = reverse("workflow:letter_print", args=[approved.pk, letter.pk])
    status, html = _page(client, org.users.officer, print_url)
    assert status == 200
    assert "政府信息公开申请答复告知书" in html and "改过的标题" not in html
    assert "测民公开〔2026〕1号" in html and 'data-preview="1"' not in html
    # Request page: the letter listed with its number and its print view.
    _status, html = _page(
        client, org.users.officer, reverse("workflow:request_detail", args=[approved.pk])
    )
    assert "测民公开〔2026〕1号" in html and print_url in html
    # Outsiders: 404 as everywhere.
    client.force_login(org.users.outsider)
    assert client.get(print_url).status_code == 404
    assert client.get(url).status_code == 404


def test_the_print_css_sets_the_gb_t_9704_page():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "letter.css").read_text()
    assert "size: A4" in css and "margin: 37mm 26mm 35mm 28mm" in css
    assert "font-size: 16pt" in css and "line-height: 28.95pt" in css
    assert "font-size: 22pt" in css and "方正小标宋简体" in css and "仿宋_GB2312" in css
    assert '"— " counter(page) " —"' in css
    assert "@page :left" in css and "@page :right" in css


def test_the_history_shows_every_step_with_names(org, req, client, approved):
    req.deliver(D(2026, 10, 20))
    users = org.users
    for user in (users.drafter, users.reviewer, users.section_head, users.officer):
        user.first_name, user.last_name = (
            "",
            {"drafter": "王晓明", "reviewer": "李静"}.get(user.username, user.last_name),
        )
        user.save()
    client.force_login(users.supervisor)
    html = client.get(reverse("workflow:request_detail", args=[approved.pk])).content.decode()
    history = html[html.index('class="card history"') :]
    steps_shown = [
        "request.assigned",
        "request.answer.drafted",
        "review.decision.passed",
        "workflow.approval.approved",
        "request.letter.issued",
        "request.answer.delivered",
    ]
    at = [history.index(f'title="{action}"') for action in steps_shown]
    assert at == sorted(at)  # each step, in order
    for user in (users.drafter, users.reviewer, users.section_head, users.officer):
        assert user.last_name in history
        assert f">{user.pk}<" not in history
    # The assignment names the section, not its id; the letter its number.
    assert "民政局 / 社会救助科" in history
    assert "测民公开〔2026〕1号" in history


def test_an_older_assignment_row_shows_the_section_name(org, req):
    from audit.services import audit_log
    from workflow.selectors import request_history

    request = req.register()
    audit_log(
        actor=org.users.officer,
        action="request.assigned",
        subject=request,
        old_state="",
        new_state=str(org.relief.pk),
        data={"unit": "民政局", "section": "社会救助科"},
    )
    entry = [e for e in request_history(request=request) if e.action == "request.assigned"][-1]
    assert entry.new_state == "民政局 / 社会救助科"


# --- Art. 32: disclosure over a third party's objection ---------------------------------------


@pytest.fixture
def objected(org, req):
    """A request being drafted whose third party objected."""
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    consultation = consultation_open(
        request_id=request.pk,
        user=org.users.officer,
        kind="third_party",
        party="某某科技有限公司",
        question="是否同意公开贵公司的补贴申报材料？",
        sent_on=D(2026, 10, 9),
        received_on=D(2026, 10, 9),
        today=D(2026, 10, 9),
    )
    consultation_close(
        consultation_id=consultation.pk,
        user=org.users.officer,
        opinion="objects",
        reply="涉及商业秘密，不同意公开。",
        replied_on=D(2026, 10, 13),
        today=D(2026, 10, 13),
    )
    return request, consultation


def test_each_consultation_gets_the_letter_of_its_article(org, req):
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    for kind, party in (("third_party", "某某科技有限公司"), ("agency", "示范区财政局")):
        consultation_open(
            request_id=request.pk,
            user=org.users.officer,
            kind=kind,
            party=party,
            question="请提出意见。",
            sent_on=D(2026, 10, 9),
            today=D(2026, 10, 9),
        )
    third, agency = request.letters.order_by("number_serial")
    assert third.kind == "consultation" and "第三十二条" in third.body
    assert third.body.startswith(f"{third.number}\n某某科技有限公司：")
    assert agency.kind == "consultation_agency" and "第三十四条" in agency.body
    assert "视为同意公开" in agency.body and agency.body.startswith(
        f"{agency.number}\n示范区财政局："
    )


def test_the_third_party_is_told_and_disclosure_waits_15_working_days(
    org, req, flow_steps, client, objected
):
    request, consultation = objected
    # Disclosing in full over the objection needs the notice first.
    req.answer("disclosed", answer="现将补贴申报材料提供如下。")
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    with pytest.raises(WorkflowError, match="第三方不同意公开（第三十二条）"):
        req.deliver(D(2026, 10, 15))

    client.force_login(org.users.officer)
    response = client.post(
        reverse("workflow:disclosure_notice", args=[request.pk, consultation.pk]),
        {
            "content": "补贴申报材料",
            "reason": "涉及财政资金使用，关系公共利益。",
            "on": "2026-10-15",
        },
    )
    assert response.status_code == 302
    notice = request.letters.get(kind="third_party_disclosure")
    assert notice.body.startswith(f"{notice.number}\n某某科技有限公司：")
    assert "决定公开的政府信息内容：补贴申报材料" in notice.body
    # 15 working days after 2026-10-15: 10-16, 10-19..23, 10-26..30, 11-02..05 -> 11-05.
    assert "即2026年11月5日之后" in notice.body
    assert request.tracking_code not in notice.body

    with pytest.raises(WorkflowError, match="2026-11-05"):
        req.deliver(D(2026, 11, 5))
    letter = req.deliver(D(2026, 11, 6))
    assert letter.kind == "disclosed"


def test_only_an_objecting_third_party_gets_the_notice(org, req):
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    consultation = consultation_open(
        request_id=request.pk,
        user=org.users.officer,
        kind="agency",
        party="示范区财政局",
        question="请提出意见。",
        sent_on=D(2026, 10, 9),
        today=D(2026, 10, 9),
    )
    with pytest.raises(WorkflowError, match="仅需向不同意公开的第三方告知"):
        third_party_disclosure_notify(
            consultation_id=consultation.pk,
            user=org.users.officer,
            content="内容",
            reason="理由",
            today=D(2026, 10, 15),
        )
    assert consultation.opinion != Consultation.Opinion.OBJECTS
    assert not request.letters.filter(kind="third_party_disclosure").exists()


def test_the_request_page_offers_the_notice_for_an_objection(org, client, objected):
    request, consultation = objected
    client.force_login(org.users.officer)
    html = client.get(reverse("workflow:request_detail", args=[request.pk])).content.decode()
    assert reverse("workflow:disclosure_notice", args=[request.pk, consultation.pk]) in html


def test_a_partial_answer_may_withhold_the_objecting_party_without_notice(
    org, req, flow_steps, objected
):
    from workflow.models import LegalGround

    req.answer(
        "partly_disclosed",
        answer="第三方的商业秘密部分不予公开，其余提供如下。",
        legal_ground=LegalGround.objects.get(code="art15-third-party"),
    )
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    assert req.deliver(D(2026, 10, 15)).kind == "partly_disclosed"


def test_drafting_other_handling_needs_the_provision(org, req):
    from django.core.exceptions import ValidationError

    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    with pytest.raises(ValidationError) as refused:
        steps.answer_draft(
            task_id=req.task(org.users.drafter, "draft_answer"),
            user=org.users.drafter,
            outcome="other",
            answer="另行处理。",
        )
    assert "answer" in refused.value.message_dict
