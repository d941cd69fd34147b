"""Letter templates seeded by migration 0004, their rendering, and the Word and PDF printers."""

import io
import re
from datetime import date

import docx
import pytest

from workflow.letters import letter_context, letter_docx, letter_pdf, letter_render
from workflow.models import DisclosureRequest, LegalGround, Letter, LetterTemplate
from workflow.models.requests import Outcome

PLACEHOLDERS = {
    "applicant",
    "tracking_code",
    "received_on",
    "description",
    "answer",
    "redactions",
    "legal_ground",
    "competent_agency",
    "unit",
    "date",
    "due_on",
    "correction_due_on",
    "extension_days",
    "reason",
}
ALL_KINDS = [o.value for o in Outcome] + [k.value for k in LetterTemplate.Kind]


@pytest.fixture
def disclosure_request(org):
    return DisclosureRequest.objects.create(
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
    return letter_context(request=request, on=date(2026, 3, 30), **extra)


@pytest.mark.django_db
def test_every_outcome_and_notice_has_a_template():
    seeded = set(LetterTemplate.objects.values_list("kind", flat=True))
    assert set(ALL_KINDS) <= seeded


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_templates_use_only_known_placeholders_and_render_fully(kind, disclosure_request):
    template = LetterTemplate.objects.get(kind=kind)
    assert set(re.findall(r"\{(\w+)\}", template.body)) <= PLACEHOLDERS
    assert "《中华人民共和国政府信息公开条例》" in template.body
    assert re.search(r"第[二三四]十[一二三四五六七八九]?条", template.body)

    title, body = letter_render(
        kind=kind, context=context(disclosure_request, answer="答复正文", reason="理由正文")
    )
    assert title == template.title
    assert "{" not in body and "}" not in body
    assert body.rstrip().endswith("民政局\n2026年3月30日")
    if kind == LetterTemplate.Kind.CONSULTATION:
        # To a third party: the unit's reference, never the applicant's tracking code.
        assert "MZJ-2026-0001" not in body and f"MZJ-{disclosure_request.pk}" in body
    else:
        assert "MZJ-2026-0001" in body


@pytest.mark.django_db
def test_answers_carry_remedies_and_their_specific_fields(disclosure_request):
    def body(kind):
        return letter_render(kind=kind, context=context(disclosure_request, answer="答复正文"))[1]

    for kind in (o.value for o in Outcome):
        assert "60日内依法申请行政复议" in body(kind)
        assert "6个月内依法向人民法院提起行政诉讼" in body(kind)
    assert "第十五条" in body("not_disclosed") and "第三十六条第（三）项" in body("not_disclosed")
    assert "第十五条" in body("partly_disclosed") and "第三十七条" in body("partly_disclosed")
    assert "区财政局，电话 010-12345678" in body("not_competent")
    assert "2026年3月20日" in body("abandoned")


@pytest.mark.django_db
def test_render_fills_placeholders_from_the_request(disclosure_request):
    title, body = letter_render(
        kind="extension", context=context(disclosure_request, reason="需调取档案")
    )
    assert title == "延长答复期限告知书"
    assert body.startswith("张三：")
    assert "2026年3月5日" in body
    assert "“2025年城乡低保资金发放明细”" in body
    assert "延长10个工作日" in body and "2026年4月2日前" in body
    assert "需调取档案" in body
    assert "第三十三条第二款" in body

    _, body = letter_render(kind="extension", context=context(disclosure_request, extension_days=5))
    assert "延长5个工作日" in body


@pytest.mark.django_db
def test_empty_context_values_give_empty_text(disclosure_request):
    disclosure_request.legal_ground = None
    disclosure_request.correction_due_on = None
    values = context(disclosure_request)
    assert values["legal_ground"] == "" and values["correction_due_on"] == ""
    # A paragraph that held only {answer} goes rather than leave a gap.
    _, body = letter_render(kind="not_held", context=values)
    assert "\n　　\n" not in body


@pytest.mark.django_db
def test_unknown_placeholder_stays_visible(disclosure_request):
    LetterTemplate.objects.filter(kind="disclosed").update(
        title="答复{tracking_code}", body="{applicant}：{applicnat} {0} {unit"
    )
    title, body = letter_render(kind="disclosed", context=context(disclosure_request))
    assert title == "答复MZJ-2026-0001"
    assert body.startswith("张三：{applicnat}")

    LetterTemplate.objects.filter(kind="disclosed").update(body="{applicant}：{applicnat}")
    assert letter_render(kind="disclosed", context=context(disclosure_request))[1] == (
        "张三：{applicnat}"
    )


@pytest.mark.django_db
def test_missing_template_raises(disclosure_request):
    with pytest.raises(LetterTemplate.DoesNotExist):
        letter_render(kind="no_such_letter", context=context(disclosure_request))


def make_letter(request, kind="disclosed"):
    title, body = letter_render(kind=kind, context=context(request, answer="现向您提供该信息。"))
    return Letter(request=request, kind=kind, title=title, body=body)


@pytest.mark.django_db
def test_docx_holds_the_letter(disclosure_request):
    letter = make_letter(disclosure_request)
    document = docx.Document(io.BytesIO(letter_docx(letter)))
    paragraphs = document.paragraphs
    text = "\n".join(p.text for p in paragraphs)

    assert paragraphs[0].text == "政府信息公开申请答复告知书"
    assert paragraphs[0].runs[0].bold
    assert "张三" in text
    assert "《中华人民共和国政府信息公开条例》第三十六条第（二）项" in text
    assert round(document.sections[0].page_width.mm) == 210
    east_asia = (
        paragraphs[1]
        .runs[0]
        ._element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
    )
    assert east_asia == "仿宋"


@pytest.mark.django_db
def test_pdf_is_generated(disclosure_request):
    data = letter_pdf(make_letter(disclosure_request))
    assert data.startswith(b"%PDF")
    assert len(data) > 2000


@pytest.mark.django_db
def test_markup_in_text_does_not_break_the_pdf(disclosure_request):
    letter = make_letter(disclosure_request)
    letter.title = "答复 <b>&"
    letter.body = "张三：\n　　<script>alert(1)</script> & <para> 1 < 2\n\n民政局\n2026年3月30日"
    assert letter_pdf(letter).startswith(b"%PDF")
    assert docx.Document(io.BytesIO(letter_docx(letter))).paragraphs[2].text.startswith("<script>")
