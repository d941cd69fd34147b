"""Letters to applicants: fill a LetterTemplate from a request, and print the frozen Letter as
Word (python-docx) or PDF (reportlab).

Layout rules shared by both printers, so administrators can shape a letter from plain text:
one paragraph per line; a line starting with whitespace (the usual two full-width spaces) is an
indented paragraph; the last two non-blank lines, the unit and the date in the seeded texts, are
set flush right as in an official letter.
"""

import functools
import io
import re
from collections.abc import Mapping
from datetime import date
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from .models import DisclosureRequest, Letter, LetterTemplate

TITLE_PT = 16
BODY_PT = 14
PDF_FONT = "STSong-Light"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


# Letters that go to someone other than the applicant: the consultation of a third party or
# another agency (Arts. 32, 34). The tracking code opens the applicant's public status page, so it
# is the applicant's key alone: these letters, and their file names, name the request by
# `request_reference`, which opens nothing, whatever the model text says.
NOT_TO_THE_APPLICANT = frozenset({LetterTemplate.Kind.CONSULTATION})


def request_reference(request: DisclosureRequest) -> str:
    """The unit's own reference to a request, for letters to others than the applicant."""
    return f"{request.receiving_unit.code}-{request.pk}"


def _cn_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def letter_context(
    *,
    request: DisclosureRequest,
    answer: str = "",
    reason: str = "",
    extension_days: int | None = None,
    redactions: str = "",
    on: date,
) -> dict[str, str]:
    """Every placeholder a template may use, as text; `on` is the date the letter bears."""
    if extension_days is None:
        extension_days = request.extension_days or None
    return {
        "applicant": request.applicant_name,
        "tracking_code": request.tracking_code,
        "reference": request_reference(request),
        "received_on": _cn_date(request.received_on),
        "description": request.description,
        "answer": answer,
        "legal_ground": str(request.legal_ground) if request.legal_ground else "",
        "competent_agency": request.competent_agency,
        "unit": request.receiving_unit.name,
        "date": _cn_date(on),
        "due_on": _cn_date(request.due_on),
        "correction_due_on": _cn_date(request.correction_due_on),
        "extension_days": "" if extension_days is None else str(extension_days),
        "reason": reason,
        # Art. 37: each redaction with its ground, from the redaction log.
        "redactions": redactions,
    }


class _KeepUnknown(dict):
    # An administrator's mistyped placeholder stays visible in the draft instead of failing.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: str, values: _KeepUnknown) -> str:
    try:
        return text.format_map(values)
    except (ValueError, LookupError, AttributeError, TypeError):
        # A stray brace or "{0}" in an edited template: fill the well-formed placeholders only.
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def letter_render(*, kind: str, context: Mapping[str, str]) -> tuple[str, str]:
    """(title, body) of the template of `kind`; raises LetterTemplate.DoesNotExist."""
    template = LetterTemplate.objects.get(kind=kind)
    values = _KeepUnknown(context)
    if kind in NOT_TO_THE_APPLICANT:
        values["tracking_code"] = values.get("reference", "")
    lines = []
    for line in template.body.splitlines():
        filled = _fill(line, values)
        # A paragraph holding only an optional placeholder left empty (say, no further
        # explanation) is dropped rather than printed as a gap.
        if line.strip() and not filled.strip():
            continue
        lines.append(filled)
    return _fill(template.title, values), "\n".join(lines)


def _paragraphs(body: str) -> list[tuple[str, str]]:
    """(alignment, text) per line: "indent", "right", "left" or "blank"."""
    lines = body.splitlines()
    right = [i for i, line in enumerate(lines) if line.strip()][-2:]
    result = []
    for i, line in enumerate(lines):
        if not line.strip():
            result.append(("blank", ""))
        elif i in right:
            result.append(("right", line.strip()))
        elif line[0].isspace():
            result.append(("indent", line.strip()))
        else:
            result.append(("left", line.strip()))
    return result


def _docx_font(run, name: str, size: int) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    # Word takes Chinese glyphs from the East Asian font slot, which font.name does not set.
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def letter_docx(letter: Letter) -> bytes:
    document = docx.Document()
    document.core_properties.title = letter.title
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    # Margins of GB/T 9704 (党政机关公文格式).
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(letter.title)
    run.bold = True
    _docx_font(run, "宋体", TITLE_PT)

    for kind, text in _paragraphs(letter.body):
        paragraph = document.add_paragraph()
        if kind == "indent":
            paragraph.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        elif kind == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if text:
            _docx_font(paragraph.add_run(text), "仿宋", BODY_PT)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def _pdf_font() -> str:
    # Built into reportlab (Adobe-GB1, not embedded): no font file to ship or find.
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


def letter_pdf(letter: Letter) -> bytes:
    font = _pdf_font()
    leading = BODY_PT * 1.6
    body = ParagraphStyle("body", fontName=font, fontSize=BODY_PT, leading=leading, wordWrap="CJK")
    styles = {
        "left": body,
        "indent": ParagraphStyle("indent", parent=body, firstLineIndent=2 * BODY_PT),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }
    title = ParagraphStyle(
        "title",
        parent=body,
        fontSize=TITLE_PT,
        leading=TITLE_PT * 1.6,
        alignment=TA_CENTER,
        spaceAfter=BODY_PT,
    )
    # Paragraph parses its text as markup: the applicant's words must stay literal.
    story = [Paragraph(escape(letter.title), title)]
    for kind, text in _paragraphs(letter.body):
        if kind == "blank":
            story.append(Spacer(1, leading))
        else:
            story.append(Paragraph(escape(text), styles[kind]))

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        title=letter.title,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
    ).build(story)
    return out.getvalue()
