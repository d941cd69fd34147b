"""A review cannot publish what it has not decided (先审查、后公开; 疑密从紧).

Every finding of the latest scan is settled by the reviewer, each dismissal with a reason; a
classification mark is settled only by the secrecy bureau's ruling; the reviewer may raise the
approval level, never lower it. No path (pass, dismiss, the admin, a direct service call) gets
round it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from review.content import content_hash
from review.grounds import usual_ground_ids
from review.models import Referral, ReviewDecision, ScanFinding
from review.scanner import scan_text
from review.selectors import review_panel
from review.services import (
    finding_dismiss,
    finding_redact,
    findings_redact_kind,
    item_scan,
    passage_redact,
)
from workflow.exceptions import PublicationRefused
from workflow.models import ApprovalDecision, Item, LegalGround
from workflow.services.publication import item_publish

from .conftest import ID_NUMBER, MOBILE

pytestmark = pytest.mark.django_db

ADDRESS = "北京市东城区和平里街道安定门外大街138号院3号楼2单元501室"
PERSONAL_BODY = (
    f"申请人张三，身份证号{ID_NUMBER}，手机{MOBILE}，家住{ADDRESS}。经审核，符合临时救助条件。"
)
MARKED_BODY = "机密★10年\n关于城区防汛物资储备情况的报告\n储备点位于城区东部。"


def _ground(code):
    return LegalGround.objects.get(code=code)


@pytest.fixture
def personal_item(make_item):
    return lambda **extra: make_item(body=PERSONAL_BODY, **extra)


@pytest.fixture
def marked(org, make_item, flow_steps, held_review):
    """An item whose first line is a classification mark, submitted and held by the reviewer."""
    item = make_item(title="城区防汛物资储备情况")
    item.body = MARKED_BODY
    item.save(update_fields=["body"])
    flow_steps.submit(item)
    task = held_review()
    return item, task


def _open(item):
    scan = item.scans.order_by("-created_at", "-id").first()
    return list(scan.findings.filter(resolution=ScanFinding.Resolution.OPEN).order_by("pk"))


def _scanned_strings(item) -> set[str]:
    return {f.text for f in item.findings.all()}


def test_a_pass_with_one_finding_redacted_is_refused_until_each_is_decided(
    org, personal_item, flow_steps, held_review, decide_held, ground
):
    """The issue's journey: the ID redacted, the mobile number and the address left open."""
    item = personal_item()
    flow_steps.submit(item)
    task = held_review()
    kinds = {f.kind: f for f in _open(item)}
    assert {"id_number", "mobile", "address"} <= set(kinds)
    finding_redact(finding_id=kinds["id_number"].pk, user=org.users.reviewer, ground=ground)

    with pytest.raises(ValidationError) as refused:
        decide_held(task, "pass")

    still_open = len(_open(item))
    assert still_open >= 2
    assert f"{still_open}" in " ".join(refused.value.messages)
    assert not ReviewDecision.objects.filter(item=item).exists()
    # Nothing was settled in the reviewer's name by the refused pass.
    assert all(f.resolution_note == "" for f in item.findings.all())

    # Decided one by one: the mobile number is a public service line, the address is withheld.
    finding_dismiss(
        finding_id=kinds["mobile"].pk, user=org.users.reviewer, note="该号码为社区公开服务电话"
    )
    for finding in _open(item):
        finding_redact(finding_id=finding.pk, user=org.users.reviewer, ground=ground)
    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)

    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    dismissed = {
        f.text
        for f in item.findings.filter(resolution=ScanFinding.Resolution.DISMISSED)
        if f.resolution_note.strip()
    }
    public = item.public_title + item.public_summary + item.public_body + item.search_document
    for string in _scanned_strings(item) - dismissed:
        assert string not in public
    assert MOBILE in item.public_body  # dismissed with its reason: left as written
    assert not ScanFinding.objects.filter(resolution_note__startswith="review decision").exists()


def test_the_decision_form_counts_the_open_findings_and_links_to_them(
    org, personal_item, flow_steps, held_review, ground, client
):
    item = personal_item()
    flow_steps.submit(item)
    task = held_review()
    first, *rest = _open(item)
    finding_redact(finding_id=first.pk, user=org.users.reviewer, ground=ground)
    client.force_login(org.users.reviewer)
    url = reverse("workflow:task_detail", args=[task.pk])

    page = client.get(url).content.decode()
    for finding in rest:
        assert f'href="#finding-{finding.pk}"' in page
        assert f'id="finding-{finding.pk}"' in page

    response = client.post(url, {"outcome": "pass", "comment": ""})
    assert response.status_code == 200  # the form again, with the refusal
    html = response.content.decode()
    assert 'id="pass-blockers"' in html
    assert not ReviewDecision.objects.filter(item=item).exists()


@pytest.mark.parametrize(
    ("body", "kind", "short", "enough"),
    [
        (f"联系电话{MOBILE}。", "mobile", "", "社区公开服务电话"),
        (
            "内部资料 注意保存\n年度工作要点如下。",
            "internal_marking",
            "已核",
            "该材料已按规定公开发布",
        ),
        (
            "本件属工作秘密，注意保管。\n年度工作要点。",
            "work_secret",
            "不涉密",
            "经核实属于历史旧标注可以公开",
        ),
    ],
)
def test_a_dismissal_needs_a_written_reason_long_enough_for_its_kind(
    org, make_item, flow_steps, held_review, body, kind, short, enough
):
    item = make_item()
    item.body = body
    item.save(update_fields=["body"])
    flow_steps.submit(item)
    held_review()
    finding = next(f for f in _open(item) if f.kind == kind)
    with pytest.raises(ValidationError) as refused:
        finding_dismiss(finding_id=finding.pk, user=org.users.reviewer, note=short)
    assert "note" in refused.value.error_dict
    finding_dismiss(finding_id=finding.pk, user=org.users.reviewer, note=enough)
    finding.refresh_from_db()
    assert finding.resolution == ScanFinding.Resolution.DISMISSED
    assert finding.resolution_note == enough
    assert AuditEntry.objects.filter(action="review.finding.dismissed").exists()


def test_a_negative_list_term_is_dismissed_only_with_a_few_words(
    org, make_item, flow_steps, held_review
):
    from review.models import NegativeListTerm

    NegativeListTerm.objects.create(district=org.district, term="维稳经费")
    item = make_item()
    item.body = "本年度维稳经费使用情况说明。"
    item.save(update_fields=["body"])
    flow_steps.submit(item)
    held_review()
    finding = next(f for f in _open(item) if f.kind == "negative_list")
    with pytest.raises(ValidationError):
        finding_dismiss(finding_id=finding.pk, user=org.users.reviewer, note="可以")
    finding_dismiss(finding_id=finding.pk, user=org.users.reviewer, note="已按预算公开口径表述")


# --- classification marks -------------------------------------------------------------------


def test_a_classification_mark_can_be_neither_dismissed_nor_redacted_nor_passed(
    org, marked, decide_held, ground
):
    item, task = marked
    [mark] = [f for f in _open(item) if f.kind == "classification_mark"]
    assert mark.text == "机密★10年"
    reviewer = org.users.reviewer
    with pytest.raises(ValidationError):
        finding_dismiss(finding_id=mark.pk, user=reviewer, note="历史标注，内容已公开多年")
    with pytest.raises(ValidationError):
        finding_redact(finding_id=mark.pk, user=reviewer, ground=_ground("art14-state-secret"))
    with pytest.raises(ValidationError):
        findings_redact_kind(item=item, user=reviewer, kind="classification_mark", ground=ground)
    # Even with the mark itself redacted as a passage, the text stays marked.
    passage_redact(item=item, user=reviewer, passage="机密★10年", ground=ground)
    for outcome, comment in (("pass", ""), ("return", "请删除密级标志后重新提交")):
        with pytest.raises(ValidationError) as refused:
            decide_held(task, outcome, comment=comment)
        assert "机密★10年" in " ".join(refused.value.messages)
    # A competent department cannot rule on a mark: only the secrecy bureau.
    with pytest.raises(ValidationError):
        decide_held(task, "refer", comment="请审定", refer_to=org.edu)
    mark.refresh_from_db()
    assert mark.resolution == ScanFinding.Resolution.OPEN
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW


def test_a_marked_item_can_be_withheld(org, marked, decide_held):
    item, task = marked
    decide_held(
        task, "withhold", comment="属于国家秘密", legal_ground=_ground("art14-state-secret")
    )
    item.refresh_from_db()
    assert item.status == Item.Status.WITHHELD and item.index_number is None


def test_the_secrecy_bureau_rules_a_mark_wrong_with_its_basis_and_only_then_it_goes_on(
    org, marked, decide_held, flow_steps, client
):
    item, task = marked
    decide_held(task, "refer", comment="标志疑为历史遗留，请审定")
    referral = Referral.objects.get(item=item)
    assert referral.to_unit == org.secrecy
    with pytest.raises(ValidationError) as refused:
        flow_steps.rule("disclosable", comment="可以")
    assert "comment" in refused.value.error_dict
    basis = "该文件已于2025年6月经区保密局解密（区保密字〔2025〕12号）"
    flow_steps.rule("disclosable", comment=basis)

    [mark] = item.findings.filter(kind="classification_mark")
    assert mark.resolution == ScanFinding.Resolution.RULED
    assert mark.resolution_note == basis and mark.resolved_by == org.users.secrecy_reviewer
    assert AuditEntry.objects.filter(action="review.mark.ruled_invalid").exists()
    flow_steps.review(item, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED


def test_a_ruling_by_a_competent_department_cannot_clear_a_mark(org, make_item, flow_steps):
    """A mark that appears only after the referral (a department asked): its ruling cannot
    clear it, only the secrecy bureau's can."""
    item = make_item()
    flow_steps.submit(item)
    flow_steps.review(item, "refer", comment="请教育局确认", refer_to=org.edu)
    Item.objects.filter(pk=item.pk).update(body=MARKED_BODY)
    item.refresh_from_db()
    item_scan(item=item, user=org.users.reviewer)
    with pytest.raises(ValidationError):
        flow_steps.rule(
            "disclosable", comment="经核实可以公开的内容", user=org.users.outsider_reviewer
        )


def _forge_review_and_approval(item, org):
    """Records as if review and approval had passed the current content (a shell, a stray
    script): the release check must still look at the content itself."""
    process = item.processes.get()
    current = content_hash(item)
    ReviewDecision.objects.create(
        process=process,
        item=item,
        reviewer=org.users.reviewer,
        outcome="pass",
        content_hash=current,
    )
    ApprovalDecision.objects.create(
        process=process,
        item=item,
        level=item.scope,
        approver=org.users.section_head,
        approved=True,
        content_hash=current,
    )
    Item.objects.filter(pk=item.pk).update(status=Item.Status.IN_APPROVAL)
    return process


def test_no_direct_service_call_publishes_a_marked_item(org, marked):
    item, _task = marked
    process = _forge_review_and_approval(item, org)
    with pytest.raises(PublicationRefused) as refused:
        item_publish(process=process)
    assert "机密★10年" in str(refused.value.message)
    # Settled behind the services (as a shell could), it is refused all the same: a dismissed
    # mark is still a live mark.
    ScanFinding.objects.filter(item=item).update(
        resolution=ScanFinding.Resolution.DISMISSED, resolution_note="x"
    )
    with pytest.raises(PublicationRefused):
        item_publish(process=process)
    # And with the finding erased altogether, the text itself is checked.
    ScanFinding.objects.filter(item=item).delete()
    with pytest.raises(PublicationRefused) as refused:
        item_publish(process=process)
    assert "机密★10年" in str(refused.value.message)
    item.refresh_from_db()
    assert item.status == Item.Status.IN_APPROVAL and item.index_number is None


def test_the_admin_cannot_settle_a_finding(org, marked, client):
    from django.contrib.auth import get_user_model

    item, _task = marked
    admin = get_user_model().objects.create_superuser("root", "root@example.cn", "Xy-2026-admin!")
    client.force_login(admin)
    mark = item.findings.get(kind="classification_mark")
    url = reverse("admin:review_scanfinding_change", args=[mark.pk])
    response = client.post(url, {"resolution": "dismissed", "resolution_note": "x"})
    assert response.status_code in (403, 302, 200)
    mark.refresh_from_db()
    assert mark.resolution == ScanFinding.Resolution.OPEN


def test_a_mark_in_an_attachment_stops_the_item_too(
    org, make_item, flow_steps, held_review, decide_held
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workflow.services.items import attachment_add

    item = make_item()
    attachment_add(
        item=item,
        user=org.users.drafter,
        upload=SimpleUploadedFile("附件.txt", "秘密★5年\n储备清单".encode()),
    )
    flow_steps.submit(item)
    task = held_review()
    assert item.findings.get(kind="classification_mark").source.startswith("attachment:")
    with pytest.raises(ValidationError) as refused:
        decide_held(task, "pass")
    assert "秘密★5年" in " ".join(refused.value.messages)


# --- grounds proposed by kind, 疑密从紧 --------------------------------------------------------


def test_each_kind_proposes_its_usual_ground_and_nothing_else_is_preselected(
    org, make_item, flow_steps, held_review, client
):
    from review.models import NegativeListTerm

    NegativeListTerm.objects.create(district=org.district, term="维稳经费")
    item = make_item()
    item.body = f"机密★10年\n联系电话{MOBILE}。内部资料，不得外传。维稳经费另行安排。"
    item.save(update_fields=["body"])
    flow_steps.submit(item)
    task = held_review()
    panel = review_panel(item=item, user=org.users.reviewer)
    usual = {f["finding"].kind: f["usual_ground"] for f in panel["findings"]}
    grounds = usual_ground_ids(LegalGround.objects.filter(active=True))
    assert usual["mobile"] == _ground("art15-third-party").pk == grounds["mobile"]
    assert usual["classification_mark"] == _ground("art14-state-secret").pk
    assert usual["internal_marking"] == _ground("art16-internal").pk
    assert usual["negative_list"] is None
    client.force_login(org.users.reviewer)
    html = client.get(reverse("workflow:task_detail", args=[task.pk])).content.decode()
    negative = next(f["finding"] for f in panel["findings"] if f["finding"].kind == "negative_list")
    row = html[html.index(f'id="finding-{negative.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "selected" not in row
    mobile = next(f["finding"] for f in panel["findings"] if f["finding"].kind == "mobile")
    row = html[html.index(f'id="finding-{mobile.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'value="{_ground("art15-third-party").pk}" selected' in row


def test_the_reviewer_raises_the_approval_level_never_lowers_it(org, make_item, flow_steps):
    item = make_item(scope="section")
    flow_steps.submit(item)
    with pytest.raises(ValidationError) as refused:
        flow_steps.review(item, "pass", raise_scope_to="unit")
    assert "raise_reason" in refused.value.error_dict
    decision = flow_steps.review(
        item, "pass", raise_scope_to="unit", raise_reason="涉及全局救助政策，提级审批"
    )
    assert decision.raised_scope == "unit"
    item.refresh_from_db()
    assert item.scope == "section" and item.approval_scope == "unit"  # the drafter's choice kept
    assert AuditEntry.objects.filter(action="review.scope.raised", subject_id=str(item.pk)).exists()
    # Only the unit head is asked; the section head has nothing to approve.
    with pytest.raises(StopIteration):
        flow_steps.open_task(org.users.section_head, "approve_section")
    flow_steps.approve("approve_unit", org.users.unit_head, approve=False, comment="请补充依据")
    # Back with the drafter and reviewed again: the level can go up, never down.
    flow_steps.submit(item)
    with pytest.raises(ValidationError):
        flow_steps.review(item, "pass", raise_scope_to="section", raise_reason="降回科室")
    flow_steps.review(item, "pass")
    flow_steps.approve("approve_unit", org.users.unit_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    assert item.approvals.get(approved=True).level == "unit"


def test_referral_is_one_click_for_an_unsure_reviewer(
    org, personal_item, flow_steps, held_review, client
):
    item = personal_item()
    flow_steps.submit(item)
    task = held_review()
    client.force_login(org.users.reviewer)
    url = reverse("workflow:task_detail", args=[task.pk])
    html = client.get(url).content.decode()
    form = html[html.index('id="refer-unsure"') :]
    form = form[: form.index("</form>")]
    question = form.split('name="comment" value="', 1)[1].split('"', 1)[0]
    assert question

    response = client.post(url, {"outcome": "refer", "comment": question})

    assert response.status_code == 302
    referral = Referral.objects.get(item=item)
    assert referral.to_unit == org.secrecy and referral.question.strip()


def test_a_scan_covers_the_title_and_the_summary_too(org, make_item, flow_steps):
    item = make_item(title=f"关于张三（{MOBILE}）救助申请的答复", summary=f"身份证{ID_NUMBER}")
    flow_steps.submit(item)
    sources = {f.source for f in item.findings.all()}
    assert {"title", "summary"} <= sources
    assert {f.text for f in scan_text(item.title)} <= _scanned_strings(item)


def test_timestamps_are_not_changed_by_reading_the_panel(org, marked):
    """Reading the state (the page, the approval) writes nothing."""
    item, _task = marked
    before = list(item.findings.values_list("resolution", "resolved_at"))
    review_panel(item=item, user=org.users.reviewer)
    assert list(item.findings.values_list("resolution", "resolved_at")) == before


def test_the_approver_sees_the_counts_the_reviewer_saw_and_each_reason(
    org, personal_item, flow_steps, held_review, decide_held, ground, client
):
    item = personal_item()
    flow_steps.submit(item)
    task = held_review()
    kinds = {f.kind: f for f in _open(item)}
    finding_dismiss(
        finding_id=kinds["mobile"].pk, user=org.users.reviewer, note="该号码为社区公开服务电话"
    )
    for finding in _open(item):
        finding_redact(finding_id=finding.pk, user=org.users.reviewer, ground=ground)
    found = item.scans.get().findings.count()
    client.force_login(org.users.reviewer)
    seen = client.get(reverse("workflow:task_detail", args=[task.pk])).content.decode()
    decide_held(task, "pass")

    client.force_login(org.users.section_head)
    approval = flow_steps.open_task(org.users.section_head, "approve_section")
    page = client.get(reverse("workflow:task_detail", args=[approval.pk])).content.decode()

    redacted = found - 1
    assert f"扫描发现：共{found}处，已删除{redacted}处，写明理由排除1处" in seen
    assert f"保密扫描共发现{found}处：已删除{redacted}处，写明理由排除1处" in page
    assert "该号码为社区公开服务电话" in page and MOBILE in page
