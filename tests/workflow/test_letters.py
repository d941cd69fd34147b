"""Letters (答复告知书): every kind's required parts and its seeded model text, the corrected
article citations, the new letters, document numbers (文号), the refusals of a letter missing a
part, and the Word and PDF printers (GB/T 9704-2012 layout, the PDF's embedded Chinese font)."""

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import docx
import pypdf
import pytest
from django.db import transaction
from docx.oxml.ns import qn

from workflow.exceptions import WorkflowError
from workflow.letter_kinds import (
    LETTER_KINDS,
    SEAL,
    cites_a_provision,
    template_missing,
    values_missing,
)
from workflow.letters import (
    BODY_PT,
    KNOWN_PLACEHOLDERS,
    LetterFontMissing,
    cn_amount,
    letter_blocks,
    letter_context,
    letter_docx,
    letter_pdf,
    letter_render,
    pdf_font,
)
from workflow.models import DisclosureRequest, LegalGround, Letter, LetterTemplate, Unit
from workflow.models.requests import Outcome
from workflow.services.letters import (
    letter_issue,
    letter_number_allocate,
    letter_preview,
)

pytestmark = pytest.mark.django_db
ON = date(2026, 3, 30)
KINDS = sorted(LETTER_KINDS)
# Every fact a letter may need, so each kind renders in full.
FACTS = {
    "answer": "答复正文",
    "reason": "理由正文",
    "party": "某某科技有限公司",
    "disclosure_on": date(2026, 4, 21),
    "reasons_due_on": date(2026, 4, 10),
    "deferred_due_on": date(2026, 5, 29),
    "fee_amount": Decimal("200"),
    "fee_basis": "按件计收：本月第11件，100元/件",
    "fee_payment": "银行转账至示范区财政局非税收入账户",
    "fee_due_on": date(2026, 4, 28),
}


@pytest.fixture
def disclosure_request(org):
    # The answered request it repeats (Art. 36(6)), which the "repeated" letter names.
    earlier = DisclosureRequest.objects.create(
        tracking_code="MZJ-2025-0093",
        receiving_unit=org.civil,
        channel="online",
        submitted_on=date(2025, 11, 3),
        received_on=date(2025, 11, 3),
        applicant_kind="natural_person",
        applicant_name="张三",
        id_number="110101199001011234",
        description="2025年城乡低保资金发放明细",
        status=DisclosureRequest.Status.CLOSED,
        outcome="disclosed",
        answered_on=date(2025, 11, 24),
    )
    return DisclosureRequest.objects.create(
        duplicate_of=earlier,
        tracking_code="MZJ-2026-0001",
        receiving_unit=org.civil,
        channel="online",
        submitted_on=date(2026, 3, 4),
        received_on=date(2026, 3, 5),
        applicant_kind="natural_person",
        applicant_name="张三",
        id_number="110101199001011234",
        phone="13800000000",
        description="2025年城乡低保资金发放明细",
        due_on=date(2026, 4, 2),
        correction_due_on=date(2026, 3, 20),
        extension_days=10,
        legal_ground=LegalGround.objects.get(code="art15-third-party"),
        competent_agency="区财政局，电话 010-12345678",
    )


def context(request, **extra):
    return letter_context(request=request, on=ON, number="测民公开〔2026〕7号", **extra)


def render(request, kind, **extra):
    return letter_render(kind=kind, context=context(request, **{**FACTS, **extra}))


def issue(request, kind, user, on=ON, **facts):
    with transaction.atomic():
        return letter_issue(request=request, kind=kind, user=user, on=on, **facts)


# --- every kind: declared parts, seeded model text --------------------------------------------


def test_every_outcome_and_notice_is_a_declared_kind():
    assert {o.value for o in Outcome} <= set(LETTER_KINDS)
    assert {k.value for k in LetterTemplate.Kind} <= set(LETTER_KINDS)
    # The kinds this issue added.
    assert {
        "consultation_agency",
        "third_party_disclosure",
        "reasons_request",
        "fee_notice",
        "receipt",
        "abandoned",
    } <= set(LETTER_KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_declares_the_parts_every_letter_carries(kind):
    codes = {part.code for part in LETTER_KINDS[kind].all_parts}
    # Agency's full name, 文号, date, seal; the addressee; the request's receipt date and content.
    assert {"agency", "number", "date", "seal", "request"} <= codes
    assert ("applicant" in codes) == LETTER_KINDS[kind].to_applicant
    assert ("party" in codes) != LETTER_KINDS[kind].to_applicant
    if kind in {o.value for o in Outcome} or kind == "third_party_disclosure":
        # A decision: its article (except "other", whose answer names it) and the remedies.
        assert "remedies" in codes
        assert "decision" in codes or LETTER_KINDS[kind].answer_cites_provision


@pytest.mark.parametrize("kind", KINDS)
def test_every_seeded_model_text_fills_every_required_part(kind, disclosure_request):
    described = LETTER_KINDS[kind]
    template = LetterTemplate.objects.get(kind=kind)
    assert template_missing(described, title=template.title, body=template.body) == []
    assert set(re.findall(r"\{(\w+)\}", template.title + template.body)) <= set(KNOWN_PLACEHOLDERS)

    values = context(disclosure_request, **FACTS)
    assert values_missing(described, values) == []
    title, body = render(disclosure_request, kind)
    assert title == template.title
    assert "{" not in body and "}" not in body
    # The signature block: the seal's place, the full name, the date (GB/T 9704 7.3.5.1).
    assert body.rstrip().endswith(f"{SEAL}\n测试区民政局\n2026年3月30日")
    assert body.startswith("测民公开〔2026〕7号\n")
    assert "2026年3月5日" in body and "“2025年城乡低保资金发放明细”" in body
    if described.to_applicant:
        assert "张三：" in body and "MZJ-2026-0001" in body
    else:
        # To a third party or an agency: its name, the unit's reference, never the tracking code.
        assert "某某科技有限公司：" in body
        assert "MZJ-2026-0001" not in body and f"MZJ-{disclosure_request.pk}" in body
        assert "张三" not in body
    if kind == "repeated":
        assert (
            "（申请编号MZJ-2025-0093，本机关于2025年11月3日收到，已于2025年11月24日作出答复）"
            in body
        )
    if any(part.code == "remedies" for part in described.all_parts):
        assert "60日内向测试区人民政府申请行政复议" in body
        assert "测试区人民法院提起行政诉讼" in body


def test_a_letter_missing_a_part_is_refused_with_what_is_missing(org, disclosure_request):
    # An administrator drops the court from the remedies of the "disclosed" answer.
    template = LetterTemplate.objects.get(kind="disclosed")
    template.body = template.body.replace("或者自收到本答复之日起6个月内向{court}提起行政诉讼", "")
    template.save()
    with pytest.raises(WorkflowError) as refused:
        issue(disclosure_request, "disclosed", org.users.officer, answer="提供如下")
    assert "缺少救济途径" in str(refused.value)
    assert not Letter.objects.exists()


def test_a_unit_without_its_full_name_or_bodies_cannot_issue_letters(org, disclosure_request):
    Unit.objects.filter(pk=org.civil.pk).update(full_name="", court="")
    disclosure_request.receiving_unit.refresh_from_db()
    with pytest.raises(WorkflowError) as refused:
        issue(disclosure_request, "disclosed", org.users.officer, answer="提供如下")
    message = str(refused.value)
    assert "全称" in message and "行政诉讼管辖法院" in message
    assert "民政局" in message  # which unit the administrator must complete
    # Nothing numbered: the next letter still gets number 1.
    Unit.objects.filter(pk=org.civil.pk).update(full_name="测试区民政局", court="测试区人民法院")
    disclosure_request.receiving_unit.refresh_from_db()
    letter = issue(disclosure_request, "disclosed", org.users.officer, answer="提供如下")
    assert letter.number == "测民公开〔2026〕1号"


def test_a_fact_left_empty_is_refused(org, disclosure_request):
    with pytest.raises(WorkflowError) as refused:
        issue(
            disclosure_request,
            "fee_notice",
            org.users.officer,
            fee_basis="按件",
            fee_payment="转账",
        )
    assert "{fee_amount}" in str(refused.value) and "{fee_due_on}" in str(refused.value)


def test_units_that_answer_requests_need_their_letter_fields(org):
    from django.core.exceptions import ValidationError

    unit = Unit(district=org.district, name="财政局", code="CZJ", kind=Unit.Kind.BUREAU)
    with pytest.raises(ValidationError) as refused:
        unit.full_clean()
    assert {"full_name", "letter_prefix", "reconsideration_body", "court"} <= set(
        refused.value.message_dict
    )
    secrecy = Unit(district=org.district, name="保密局", code="BM2", kind=Unit.Kind.SECRECY_BUREAU)
    secrecy.full_clean()  # it answers no requests


def test_the_admin_refuses_a_model_text_missing_a_part(admin_client):
    from django.urls import reverse

    template = LetterTemplate.objects.get(kind="not_disclosed")
    url = reverse("admin:workflow_lettertemplate_change", args=[template.pk])
    body = template.body.replace("{legal_ground}", "")
    response = admin_client.post(
        url, {"kind": "not_disclosed", "title": template.title, "body": body}
    )
    assert response.status_code == 200
    assert "不予公开内容的法律依据" in response.content.decode()
    template.refresh_from_db()
    assert "{legal_ground}" in template.body
    listing = admin_client.get(reverse("admin:workflow_lettertemplate_changelist")).content.decode()
    assert "缺少的要素" in listing


# --- the corrected citations -----------------------------------------------------------------


def test_the_other_agency_is_consulted_under_art_34_silence_counting_as_agreement(
    disclosure_request,
):
    _title, body = render(disclosure_request, "consultation_agency")
    assert "第三十四条" in body and "第三十二条" not in body
    assert "15个工作日内" in body and "逾期未提出意见的，视为同意公开" in body
    _title, body = render(disclosure_request, "consultation")
    assert "第三十二条" in body and "第三十四条" not in body
    assert "由本机关依照上述条例的规定决定是否公开" in body and "视为同意" not in body


def test_the_reconfirm_answer_puts_each_sentence_under_its_article(disclosure_request):
    _title, body = render(disclosure_request, "reconfirm")
    art38 = body.index("第三十八条")
    art39 = body.index("第三十九条第一款")
    # Art. 38: what is provided is information already made or obtained.
    assert art38 < body.index("应当是已制作或者获取的政府信息") < art39
    # Art. 39 ¶1: not handled as a disclosure request.
    assert art39 < body.index("不作为政府信息公开申请处理")


def test_the_other_answer_cites_no_time_limit_and_needs_a_provision(org, disclosure_request):
    template = LetterTemplate.objects.get(kind="other")
    assert "第三十三条" not in template.body
    assert cites_a_provision("依照《条例》第四十一条的规定") and not cites_a_provision("另行处理")
    with pytest.raises(WorkflowError) as refused:
        issue(disclosure_request, "other", org.users.officer, answer="本机关另行处理。")
    assert "请写明答复所依据的条款" in str(refused.value)
    letter = issue(
        disclosure_request,
        "other",
        org.users.officer,
        answer="您要求更正与您自身相关的信息记录，本机关依照《条例》第四十一条的规定审核处理。",
    )
    assert "第四十一条" in letter.body


def test_a_refusal_to_disclose_names_reconsideration_first(disclosure_request):
    for kind in ("not_disclosed", "partly_disclosed"):
        _title, body = render(disclosure_request, kind)
        # 行政复议法 (2023) Art. 23 ¶1 (四); 行政诉讼法 Art. 45.
        assert "第二十三条第一款第（四）项" in body
        assert "自收到行政复议决定书之日起15日内向测试区人民法院提起行政诉讼" in body
    _title, body = render(disclosure_request, "disclosed")
    assert "自收到本答复之日起6个月内向测试区人民法院提起行政诉讼" in body
    assert "第二十三条" not in body


# --- the new letters -------------------------------------------------------------------------


def test_the_third_party_is_told_of_disclosure_over_its_objection(disclosure_request):
    title, body = render(disclosure_request, "third_party_disclosure", answer="2025年度补贴名单")
    assert title == "决定公开政府信息告知书"
    assert "贵方不同意公开" in body and "第三十二条" in body
    assert "决定公开的政府信息内容：2025年度补贴名单" in body
    assert "决定公开的理由：理由正文" in body
    assert "15个工作日届满后，即2026年4月21日之后" in body
    assert "6个月内向测试区人民法院" in body


def test_the_request_for_reasons_names_its_deadline(disclosure_request):
    title, body = render(disclosure_request, "reasons_request", reason="您本月已提出35件申请。")
    assert title == "申请人说明理由通知书"
    assert "第三十五条" in body and "请您于2026年4月10日前" in body
    assert "您本月已提出35件申请。" in body and "不予处理" in body


def test_the_fee_notice_states_amount_basis_payment_deadline_and_the_stopped_clock(
    disclosure_request,
):
    assert cn_amount(Decimal("200.00")) == "人民币200元" and cn_amount(12.5) == "人民币12.50元"
    title, body = render(disclosure_request, "fee_notice")
    assert title == "政府信息公开信息处理费收费通知"
    assert "国办函〔2020〕109号" in body and "第四十二条" in body
    assert "收费金额：人民币200元" in body
    assert "计费依据：按件计收：本月第11件，100元/件" in body
    assert "缴费方式：银行转账至示范区财政局非税收入账户" in body
    assert "20个工作日内，即于2026年4月28日前缴纳" in body
    assert "视为放弃申请" in body and "不计算在答复期限内" in body


def test_the_acknowledgement_of_receipt(disclosure_request, settings):
    settings.SITE_URL = "https://gongkai.example.gov.cn"
    title, body = render(disclosure_request, "receipt")
    assert title == "政府信息公开申请受理回执"
    assert "2026年3月5日收到" in body and "MZJ-2026-0001" in body
    assert "即于2026年4月2日前作出答复" in body
    assert "https://gongkai.example.gov.cn/apply/status/" in body


def test_no_correction_in_time_issues_the_abandonment_notice(org, req):
    from workflow.services import requests as steps

    request = req.register(received=date(2026, 9, 30))
    steps.request_check(
        task_id=req.task(org.users.officer, "check"),
        user=org.users.officer,
        complete=False,
        correction="请说明所需信息的年份。",
        correction_due_on=date(2026, 10, 16),
        today=date(2026, 10, 9),
    )
    steps.request_abandon(
        task_id=req.task(org.users.officer, "await_correction"),
        user=org.users.officer,
        today=date(2026, 10, 19),
    )
    letter = request.letters.get(kind="abandoned")
    assert letter.title == "视为放弃申请告知书"
    assert "补正期限至2026年10月16日" in letter.body and "第三十条" in letter.body
    assert "视为您放弃申请" in letter.body and "60日内向测试区人民政府" in letter.body
    # The correction notice came first: numbers 1 and 2 of the unit's year.
    assert [x.number for x in request.letters.order_by("number_serial")] == [
        "测民公开〔2026〕1号",
        "测民公开〔2026〕2号",
    ]


# --- document numbers (文号) ------------------------------------------------------------------


def test_numbers_follow_gb_t_9704_per_unit_and_year(org, disclosure_request):
    first = issue(disclosure_request, "disclosed", org.users.officer, answer="提供如下")
    second = issue(disclosure_request, "extension", org.users.officer, reason="需调取档案")
    next_year = issue(disclosure_request, "receipt", org.users.officer, on=date(2027, 1, 4))
    # 7.2.5: 机关代字〔年份〕序号, no 第, no leading zeros.
    assert (first.number, second.number, next_year.number) == (
        "测民公开〔2026〕1号",
        "测民公开〔2026〕2号",
        "测民公开〔2027〕1号",
    )
    assert first.body.startswith("测民公开〔2026〕1号\n")
    assert (first.unit, first.number_year, first.number_serial, first.issued_on) == (
        org.civil,
        2026,
        1,
        ON,
    )
    with transaction.atomic():
        assert letter_number_allocate(unit=org.edu, year=2026) == ("测教公开〔2026〕1号", 1)


def test_the_number_format_is_a_setting(org, disclosure_request, settings):
    settings.LETTER_NUMBER_FORMAT = "{prefix}〔{year}〕第{serial}号"
    letter = issue(disclosure_request, "disclosed", org.users.officer, answer="提供如下")
    assert letter.number == "测民公开〔2026〕第1号"


def test_a_rolled_back_letter_gives_its_number_back(org, disclosure_request):
    def issue_then_fail():
        with transaction.atomic():
            letter_issue(
                request=disclosure_request,
                kind="disclosed",
                user=org.users.officer,
                on=ON,
                answer="提供如下",
            )
            raise RuntimeError("delivery failed after the letter was numbered")

    with pytest.raises(RuntimeError):
        issue_then_fail()
    assert not Letter.objects.exists()
    assert issue(disclosure_request, "disclosed", org.users.officer, answer="提供如下").number == (
        "测民公开〔2026〕1号"
    )


@pytest.mark.django_db(transaction=True)
def test_numbers_are_allocated_only_inside_the_issuing_transaction(org):
    with pytest.raises(RuntimeError):
        letter_number_allocate(unit=org.civil, year=2026)


def test_a_preview_takes_no_number(org, disclosure_request):
    letter, refusals = letter_preview(
        request=disclosure_request, kind="disclosed", on=ON, answer="提供如下"
    )
    assert refusals == [] and letter.pk is None
    assert letter.number == "测民公开〔2026〕　　号" and letter.body.startswith(letter.number)
    assert issue(disclosure_request, "disclosed", org.users.officer, answer="提供如下").number == (
        "测民公开〔2026〕1号"
    )


# --- rendering details -----------------------------------------------------------------------


def test_empty_optional_values_drop_their_paragraph(disclosure_request):
    values = context(disclosure_request)
    assert values["correction_due_on"] == "2026年3月20日" and values["answer"] == ""
    _title, body = letter_render(kind="not_held", context=values)
    assert "\n　　\n" not in body


def test_unknown_placeholder_stays_visible(disclosure_request):
    LetterTemplate.objects.filter(kind="disclosed").update(
        title="答复{tracking_code}", body="{applicant}：{applicnat} {0} {unit"
    )
    title, body = letter_render(kind="disclosed", context=context(disclosure_request))
    assert title == "答复MZJ-2026-0001"
    assert body.startswith("张三：{applicnat}")


def test_missing_template_raises(disclosure_request):
    with pytest.raises(LetterTemplate.DoesNotExist):
        letter_render(kind="no_such_letter", context=context(disclosure_request))


def make_letter(request, kind="disclosed", answer="现向您提供该信息。"):
    title, body = render(request, kind, answer=answer)
    return Letter(request=request, kind=kind, title=title, body=body, number="测民公开〔2026〕7号")


def test_the_layout_blocks(disclosure_request):
    blocks = letter_blocks(make_letter(disclosure_request))
    kinds = [b.kind for b in blocks]
    assert kinds[:3] == ["number", "blank", "addressee"]
    assert kinds[-3:] == ["seal", "agency", "date"]
    seal, agency, day = blocks[-3:]
    # The date four characters from the right; the name and the seal centred over it.
    assert day.right_chars == 4
    assert agency.right_chars == 4 + (6.5 - 6) / 2  # 2026年3月30日 is 6.5 characters wide
    assert seal.right_chars == 4 + (6.5 - 4) / 2


def test_a_letter_issued_before_seals_keeps_its_signature(disclosure_request):
    letter = Letter(title="答复", body="张三：\n　　正文。\n\n民政局\n2026年3月30日")
    kinds = [(b.kind, b.text) for b in letter_blocks(letter)]
    assert kinds[-2:] == [("agency", "民政局"), ("date", "2026年3月30日")]


# --- Word: GB/T 9704-2012 --------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_follows_gb_t_9704(disclosure_request):
    document = docx.Document(io.BytesIO(letter_docx(make_letter(disclosure_request))))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # 5.2.1: 天头 37 mm, 订口 28 mm, text block 156 × 225 mm.
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]
    # 5.2.3: 22 lines of 28 characters: exact 28.95 pt lines on a line-and-character grid.
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and grid.get(qn("w:linePitch")) == "579"
    pitch = (BODY_PT * 4096 + int(grid.get(qn("w:charSpace")))) / 4096
    assert round(156 / 25.4 * 72 / pitch) == 28

    title, number, *rest = document.paragraphs
    # 7.3.1: the title in 2号小标宋 (22 pt), centred.
    assert title.text == "政府信息公开申请答复告知书"
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0]._element.rPr.rFonts.get(f"{W}eastAsia") == "方正小标宋简体"
    assert title.alignment == 1  # centre
    assert number.text == "测民公开〔2026〕7号" and number.alignment == 1
    body = next(p for p in rest if p.text.startswith("本机关于"))
    # 5.2.2: 3号仿宋 (16 pt); 7.3.3: each paragraph indented two characters.
    assert body.runs[0].font.size.pt == 16
    assert body.runs[0]._element.rPr.rFonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    assert body.paragraph_format.line_spacing.pt == 28.95
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    date_line = rest[-1]
    assert date_line.text == "2026年3月30日" and date_line.alignment == 2  # right
    assert date_line._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"
    assert [p.text for p in rest[-3:-1]] == [SEAL, "测试区民政局"]
    # Word/WPS without these fonts substitute the usual Windows ones (w:altName).
    part = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    )
    fonts = part.blob.decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts


def test_docx_page_numbers_are_dashed_odd_right_even_left(disclosure_request):
    document = docx.Document(io.BytesIO(letter_docx(make_letter(disclosure_request))))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer, alignment in ((odd, 2), (even, 0)):
        xml = footer._p.xml
        assert footer.alignment == alignment
        assert "PAGE" in xml and footer.text.startswith("— ") and footer.text.endswith(" —")
        assert footer.runs[0].font.size.pt == 14  # 4号
        assert footer.runs[0]._element.rPr.rFonts.get(f"{W}eastAsia") == "宋体"


def test_markup_in_text_stays_text(disclosure_request):
    letter = make_letter(disclosure_request)
    letter.title = "答复 <b>&"
    letter.body = "张三：\n　　<script>alert(1)</script> & <para> 1 < 2\n\n民政局\n2026年3月30日"
    assert letter_pdf(letter).startswith(b"%PDF")
    texts = [p.text for p in docx.Document(io.BytesIO(letter_docx(letter))).paragraphs]
    assert "<script>alert(1)</script> & <para> 1 < 2" in texts


# --- PDF: the embedded Chinese font ----------------------------------------------------------


def _fonts(reader):
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            yield font.get_object()


def test_pdf_embeds_its_chinese_font_and_the_text_comes_back(disclosure_request):
    long_answer = "经检索，现将所申请信息提供如下：" + "城乡低保资金按月发放，" * 60
    data = letter_pdf(make_letter(disclosure_request, answer=long_answer))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    fonts = list(_fonts(reader))
    assert fonts
    for font in fonts:
        # A subset of a TrueType font, embedded (FontFile2), with a map back to Unicode.
        assert font["/Subtype"] == "/TrueType"
        assert re.match(r"/[A-Z]{6}\+", font["/BaseFont"])
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
        assert "/ToUnicode" in font
    text = "".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s", "", text)
    for expected in (
        "政府信息公开申请答复告知书",
        "测民公开〔2026〕7号",
        "张三：",
        "第三十六条第（二）项",
        "测试区民政局",
        "2026年3月30日",
        SEAL,
        "—1—",
        "—2—",
    ):
        assert expected in flat, expected
    if shutil.which("pdftotext"):  # poppler, where the blank page was seen
        out = subprocess.run(  # noqa: S603 - fixed arguments
            ["pdftotext", "-", "-"],
            input=data,
            capture_output=True,
            check=True,  # noqa: S607
        ).stdout.decode()
        assert "测试区民政局" in out and "政府信息公开申请答复告知书" in out


def test_pdf_lines_hold_28_characters(disclosure_request):
    answer = "现" * 200
    data = letter_pdf(make_letter(disclosure_request, answer=answer))
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    runs = [len(line.strip()) for line in text.splitlines() if set(line.strip()) == {"现"}]
    assert runs and max(runs) == 28  # 5.2.3: a full line is 28 characters


def test_pdf_without_a_truetype_font_says_what_to_install(disclosure_request, settings):
    from workflow.checks import letter_pdf_font

    assert letter_pdf_font() == []  # the machine has one (.ci/run installs it)
    settings.LETTER_PDF_FONTS = ["/nonexistent/font.ttf"]
    pdf_font.cache_clear()
    try:
        with pytest.raises(LetterFontMissing, match="fonts-arphic-uming"):
            letter_pdf(make_letter(disclosure_request))
        # `manage.py check` says so when the site starts.
        assert [w.id for w in letter_pdf_font()] == ["workflow.W001"]
    finally:
        pdf_font.cache_clear()
