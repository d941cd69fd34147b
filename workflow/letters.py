"""Letters to applicants and consulted parties: the facts a model text is filled with, the
rendering, and three printers of one layout: Word (python-docx), PDF (reportlab, with an embedded
TrueType font) and the HTML print view.

The layout follows GB/T 9704-2012 (党政机关公文格式) as far as each medium allows: A4, 天头 37 mm,
订口 28 mm, 版心 156 × 225 mm (so 35 mm below and 26 mm right, 5.2.1); 22 lines of 28 characters
(5.2.3); the title in 2号小标宋 (7.3.1), everything else in 3号仿宋 (5.2.2); the document number
(文号, 7.2.5) centred; the addressee flush left (7.3.2), paragraphs indented two characters
(7.3.3); the issuing agency's name centred over the date, the date four characters from the right
edge, the seal pressing both (7.3.5.1, here the words （印章） where it goes); page numbers as
"— 1 —" in 4号宋体 7 mm under the text block, odd pages right and even pages left, one character
in (7.5).

Model texts are plain text, one paragraph per line: a line starting with whitespace (two
full-width spaces) is indented; the line holding only the document number is centred; the first
line ending with a colon is the addressee; from the line （印章） on, the lines are the signature
block. Letters issued before numbers and seals existed end with the unit and the date, which are
then the signature block.
"""

import functools
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontFile
from reportlab.pdfgen import canvas as pdf_canvas

from .letter_kinds import LETTER_KINDS, SEAL, letter_kind
from .models import DisclosureRequest, Letter, LetterTemplate

# GB/T 9704-2012 sizes: 二号 22 pt (title), 三号 16 pt (everything else), 四号 14 pt (page numbers).
TITLE_PT = 22
BODY_PT = 16
PAGE_NUMBER_PT = 14
# 5.2.1: A4 with 天头 37 mm, 订口 28 mm and a 156 × 225 mm text block.
PAGE_MM = (210, 297)
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
BLOCK_MM = (PAGE_MM[0] - LEFT_MM - RIGHT_MM, PAGE_MM[1] - TOP_MM - BOTTOM_MM)
# 5.2.3: 22 lines of 28 characters filling the block. 225 mm / 22 = 28.99 pt; the exact line
# spacing offices set in Word is 28.95 pt (579 twips), which keeps 22 lines inside the block.
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_PT = 28.95
# 7.5: the dashes of the page number sit 7 mm under the text block.
PAGE_NUMBER_GAP_MM = 7
# 7.3.5.1: the date ends four characters from the right edge.
DATE_RIGHT_CHARS = 4

# Word and WPS take Chinese glyphs from the East Asian font slot; each name has the usual
# Windows font as its alternative in the font table, used where the first is not installed.
DOCX_TITLE_FONT = ("方正小标宋简体", "宋体")
DOCX_BODY_FONT = ("仿宋_GB2312", "仿宋")
DOCX_PAGE_NUMBER_FONT = ("宋体", "SimSun")

PDF_FONT = "LetterCJK"

_PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Letters that go to someone other than the applicant: a third party or another agency (Arts. 32,
# 34). The tracking code opens the applicant's public status page, so it is the applicant's key
# alone: these letters, and their file names, name the request by `request_reference`.
NOT_TO_THE_APPLICANT = frozenset(k.kind for k in LETTER_KINDS.values() if not k.to_applicant)


# --- the facts ---------------------------------------------------------------------------------


def request_reference(request: DisclosureRequest) -> str:
    """The unit's own reference to a request, for letters to others than the applicant."""
    return f"{request.receiving_unit.code}-{request.pk}"


def cn_date(value: date | None) -> str:
    """A date as letters write it (GB/T 9704-2012 7.3.5.4: Arabic numerals, the year in full,
    no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def cn_amount(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    text = f"{amount:f}".removesuffix(".00")
    return f"人民币{text}元"


def status_url() -> str:
    """Where an applicant follows a request by its tracking code."""
    return settings.SITE_URL.rstrip("/") + reverse("public:status")


def letter_context(
    *,
    request: DisclosureRequest,
    on: date,
    number: str = "",
    answer: str = "",
    reason: str = "",
    extension_days: int | None = None,
    redactions: str = "",
    party: str = "",
    disclosure_on: date | None = None,
    reasons_due_on: date | None = None,
    deferred_due_on: date | None = None,
    fee_amount: Decimal | int | None = None,
    fee_basis: str = "",
    fee_payment: str = "",
    fee_due_on: date | None = None,
) -> dict[str, str]:
    """Every placeholder a model text may use, as text; `on` is the date the letter bears.

    `number` is the document number (文号) the issuing service allocated; `party` the third party
    or agency a letter is addressed to (Arts. 32, 34); the fee facts (国办函〔2020〕109号) come
    from the fee step."""
    from .services.letters import letter_unit

    unit = letter_unit(request)
    if extension_days is None:
        extension_days = request.extension_days or None
    return {
        "number": number,
        "agency": unit.full_name,
        "unit": unit.name,
        "reconsideration_body": unit.reconsideration_body,
        "court": unit.court,
        "applicant": request.applicant_name,
        "party": party,
        "tracking_code": request.tracking_code,
        "reference": request_reference(request),
        "received_on": cn_date(request.received_on),
        "description": request.description,
        "answer": answer,
        "legal_ground": str(request.legal_ground) if request.legal_ground else "",
        "competent_agency": request.competent_agency,
        "date": cn_date(on),
        "due_on": cn_date(request.due_on),
        "correction_due_on": cn_date(request.correction_due_on),
        "extension_days": "" if extension_days is None else str(extension_days),
        "reason": reason,
        # Art. 37: each redaction with its ground, from the redaction log.
        "redactions": redactions,
        "status_url": status_url(),
        "disclosure_on": cn_date(disclosure_on),
        "reasons_due_on": cn_date(reasons_due_on),
        "deferred_due_on": cn_date(deferred_due_on),
        "fee_amount": cn_amount(fee_amount),
        "fee_basis": fee_basis,
        "fee_payment": fee_payment,
        "fee_due_on": cn_date(fee_due_on),
        "earlier_request": earlier_request_text(request),
    }


def earlier_request_text(request: DisclosureRequest) -> str:
    """The answered request this one repeats (Art. 36(6)) as the letter names it, or "": its
    tracking code, when it was received and when it was answered."""
    earlier = request.duplicate_of
    if earlier is None or earlier.answered_on is None:
        return ""
    return (
        f"申请编号{earlier.tracking_code}，本机关于{cn_date(earlier.received_on)}收到，"
        f"已于{cn_date(earlier.answered_on)}作出答复"
    )


# The placeholders a model text may use (the keys of letter_context), for the admin's help.
KNOWN_PLACEHOLDERS = (
    "number",
    "agency",
    "unit",
    "reconsideration_body",
    "court",
    "applicant",
    "party",
    "tracking_code",
    "reference",
    "received_on",
    "description",
    "answer",
    "legal_ground",
    "competent_agency",
    "date",
    "due_on",
    "correction_due_on",
    "extension_days",
    "reason",
    "redactions",
    "status_url",
    "disclosure_on",
    "reasons_due_on",
    "deferred_due_on",
    "fee_amount",
    "fee_basis",
    "fee_payment",
    "fee_due_on",
    "earlier_request",
)


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


def letter_values(*, kind: str, context: Mapping[str, str]) -> _KeepUnknown:
    values = _KeepUnknown(context)
    described = letter_kind(kind)
    if described is not None and not described.to_applicant:
        # The tracking code opens the applicant's status page: a letter to someone else names
        # the request by the unit's reference, whatever the model text says.
        values["tracking_code"] = values.get("reference", "")
    return values


def fill_template(*, title: str, body: str, values: _KeepUnknown) -> tuple[str, str]:
    lines = []
    for line in body.splitlines():
        filled = _fill(line, values)
        # A paragraph holding only an optional placeholder left empty (say, no further
        # explanation) is dropped rather than printed as a gap.
        if line.strip() and not filled.strip():
            continue
        lines.append(filled)
    return _fill(title, values), "\n".join(lines)


def letter_render(*, kind: str, context: Mapping[str, str]) -> tuple[str, str]:
    """(title, body) of the model text of `kind`; raises LetterTemplate.DoesNotExist."""
    template = LetterTemplate.objects.get(kind=kind)
    return fill_template(
        title=template.title, body=template.body, values=letter_values(kind=kind, context=context)
    )


# --- the layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One paragraph of a letter as printed. `kind`: number, addressee, indent, left, blank, seal,
    agency or date; `right_chars`: for the signature block, how far from the right edge it ends,
    in characters."""

    kind: str
    text: str
    right_chars: float = 0.0


SIGNATURE_KINDS = ("seal", "agency", "date")


def text_width(text: str) -> float:
    """Width in characters: Chinese and full-width characters one, the rest half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def _signature_blocks(lines: list[str]) -> list[Block]:
    """The seal, the agency and the date: each centred on the date, which ends four characters
    from the right edge (GB/T 9704-2012 7.3.5.1)."""
    texts = [line.strip() for line in lines if line.strip()]
    if not texts:
        return []
    date_width = text_width(texts[-1])
    blocks = []
    for i, text in enumerate(texts):
        if i == len(texts) - 1:
            kind = "date"
        elif text == SEAL:
            kind = "seal"
        else:
            kind = "agency"
        right = max(0.0, DATE_RIGHT_CHARS + (date_width - text_width(text)) / 2)
        blocks.append(Block(kind, text, round(right, 2)))
    return blocks


def letter_blocks(letter: Letter) -> list[Block]:
    lines = letter.body.splitlines()
    seal_at = max((i for i, line in enumerate(lines) if line.strip() == SEAL), default=None)
    if seal_at is None:
        # Issued before the seal's place was in the texts: the unit and the date close it.
        filled = [i for i, line in enumerate(lines) if line.strip()]
        seal_at = filled[-2] if len(filled) >= 2 else len(lines)
    body, signature = lines[:seal_at], lines[seal_at:]
    while body and not body[-1].strip():
        body.pop()
    blocks: list[Block] = []
    addressee_seen = False
    for line in body:
        text = line.strip()
        if not text:
            blocks.append(Block("blank", ""))
        elif letter.number and text == letter.number.strip() and not blocks:
            blocks.append(Block("number", text))
            # 7.3.2: the addressee one line below.
            blocks.append(Block("blank", ""))
        elif not addressee_seen and not line[0].isspace() and text.endswith(("：", ":")):
            addressee_seen = True
            blocks.append(Block("addressee", text))
        elif line[0].isspace():
            blocks.append(Block("indent", text))
        else:
            blocks.append(Block("left", text))
    if signature:
        # 7.3.5.1: the seal's top within one line of the text.
        blocks.append(Block("blank", ""))
        blocks.extend(_signature_blocks(signature))
    return blocks


def letter_sheet(letter: Letter) -> dict[str, list[Block]]:
    """The blocks of the text and those of the signature, for the HTML page."""
    blocks = letter_blocks(letter)
    return {
        "body": [b for b in blocks if b.kind not in SIGNATURE_KINDS],
        "signature": [b for b in blocks if b.kind in SIGNATURE_KINDS],
    }


# --- Word --------------------------------------------------------------------------------------


def _set_run_font(run, names: tuple[str, str], size: float) -> None:
    run.font.size = Pt(size)
    run.font.name = names[0]
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    # Word takes Chinese glyphs from the East Asian slot, which font.name does not set.
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), names[0])


def _exact_spacing(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)


def _indent_chars(paragraph, *, first_line: float = 0, left: float = 0, right: float = 0) -> None:
    """Indents in characters of the document grid (w:firstLineChars etc., hundredths of a
    character), with the same in points for programs that ignore the grid."""
    fmt = paragraph.paragraph_format
    pitch = _char_pitch_pt()
    if first_line:
        fmt.first_line_indent = Pt(first_line * pitch)
    if left:
        fmt.left_indent = Pt(left * pitch)
    if right:
        fmt.right_indent = Pt(right * pitch)
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is None:
        return
    for attr, value in (("firstLineChars", first_line), ("leftChars", left), ("rightChars", right)):
        if value:
            ind.set(qn(f"w:{attr}"), str(round(value * 100)))


def _char_pitch_pt() -> float:
    return BLOCK_MM[0] * mm / CHARS_PER_LINE


def _docx_grid(section) -> None:
    """22 lines of 28 characters (5.2.3): a line-and-character grid, its line pitch the exact line
    spacing and its character pitch 156 mm / 28, given as the difference from the 三号 size in
    4096ths of a point (OOXML w:docGrid/@w:charSpace)."""
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), str(round((_char_pitch_pt() - BODY_PT) * 4096)))


def _docx_font_table(document) -> None:
    """Declare the 公文 fonts in the font table with their usual alternatives (w:altName), the
    GB2312 character set and fixed pitch, so that Word or WPS without 仿宋_GB2312 or 方正小标宋简体
    substitutes 仿宋 or 宋体 rather than a Latin font."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    table = parse_xml(part.blob)
    known = {font.get(qn("w:name")) for font in table.findall(qn("w:font"))}
    for name, alternative in (DOCX_TITLE_FONT, DOCX_BODY_FONT, DOCX_PAGE_NUMBER_FONT):
        if name in known:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (
            ("w:altName", alternative),
            ("w:charset", "86"),
            ("w:family", "modern"),
            ("w:pitch", "fixed"),
        ):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        table.append(font)
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(paragraph) -> None:
    """ "— N —" with N a PAGE field (7.5)."""

    def run(text: str = ""):
        made = paragraph.add_run(text)
        _set_run_font(made, DOCX_PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
        return made

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None)):
        made = run()
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            made._element.append(field)
        else:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            made._element.append(text)
    run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run()._element.append(end)
    run(" —")


def _docx_page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    # The top of the page number's line 7 mm under the text block.
    section.footer_distance = Mm(BOTTOM_MM - PAGE_NUMBER_GAP_MM) - Pt(PAGE_NUMBER_PT)
    _docx_grid(section)
    # 7.5: odd page numbers on the right, even ones on the left, one character in.
    document.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _indent_chars(odd, right=1)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _indent_chars(even, left=1)
    _page_number(even)


def _docx_styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = DOCX_BODY_FONT[0]
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), DOCX_BODY_FONT[0])


def letter_docx(letter: Letter) -> bytes:
    document = docx.Document()
    document.core_properties.title = letter.title
    if letter.number:
        document.core_properties.identifier = letter.number
    _docx_page(document)
    _docx_styles(document)
    _docx_font_table(document)

    # python-docx starts with one empty paragraph: it becomes the title.
    title = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact_spacing(title)
    _set_run_font(title.add_run(letter.title), DOCX_TITLE_FONT, TITLE_PT)

    paragraphs = []
    for block in letter_blocks(letter):
        paragraph = document.add_paragraph()
        paragraphs.append((block, paragraph))
        _exact_spacing(paragraph)
        if block.kind == "number":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "indent":
            _indent_chars(paragraph, first_line=2)
        elif block.kind in SIGNATURE_KINDS:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _indent_chars(paragraph, right=block.right_chars)
            # The seal, the agency and the date stay on one page with the text before them.
            if block.kind != "date":
                paragraph.paragraph_format.keep_with_next = True
        if block.text:
            _set_run_font(paragraph.add_run(block.text), DOCX_BODY_FONT, BODY_PT)
    # The signature block never opens a page alone: the last line of text goes with it.
    first_sig = next((i for i, (b, _p) in enumerate(paragraphs) if b.kind in SIGNATURE_KINDS), 0)
    for _block, paragraph in paragraphs[max(0, first_sig - 2) : first_sig]:
        paragraph.paragraph_format.keep_with_next = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ---------------------------------------------------------------------------------------


class LetterFontMissing(ImproperlyConfigured):
    pass


def _ttc_face_index(path: str, face: str) -> int:
    if not face:
        return 0
    if face.isdigit():
        return int(face)
    for index in range(32):
        try:
            font = TTFontFile(path, subfontIndex=index)
        except TTFError:
            break
        if face.encode() in (font.name, font.familyName.replace(b" ", b"")):
            return index
    return 0


@functools.cache
def pdf_font() -> str:
    """Register the first TrueType CJK font of LETTER_PDF_FONTS ("path" or "path#face" of a
    collection). reportlab embeds a subset of a TrueType font (FontFile2 with a ToUnicode map), so
    the letter shows and its text can be copied in any viewer; its built-in Adobe fonts are not
    embedded and show nothing where the viewer lacks them. Fonts with PostScript outlines (the
    OpenType Noto CJK collections) are not read by reportlab."""
    for candidate in settings.LETTER_PDF_FONTS:
        path, _sep, face = candidate.partition("#")
        if not Path(path).is_file():
            continue
        try:
            pdfmetrics.registerFont(
                TTFont(PDF_FONT, path, subfontIndex=_ttc_face_index(path, face))
            )
        except TTFError:
            continue
        return PDF_FONT
    raise LetterFontMissing(
        "No TrueType Chinese font for letters in PDF: install Debian's fonts-arphic-uming or set "
        "LETTER_PDF_FONTS to a .ttf/.ttc file."
    )


_NO_LINE_START = set("，。、；：？！）》」』”’〕】…—·%,.;:?!)]")
_NO_LINE_END = set("（《「『“‘〔【([")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/@%+\-_#&=?~]*|.", re.S)


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    align: str  # left, justify, center, right
    indent: float = 0.0  # characters from the left (first line of an indented paragraph)
    right: float = 0.0  # characters from the right (signature)
    kind: str = "text"


class _Measure:
    """Widths on the 28-character grid: each 三号 glyph advances 156 mm / 28 = 15.79 pt instead of
    its own 16 pt, as the document grid does in Word."""

    def __init__(self, font: str):
        self.font = font
        self.pitch = _char_pitch_pt()

    def char_space(self, size: float) -> float:
        return self.pitch - BODY_PT if size == BODY_PT else 0.0

    def width(self, text: str, size: float) -> float:
        return pdfmetrics.stringWidth(text, self.font, size) + self.char_space(size) * len(text)


def _wrap(text: str, *, size: float, first_indent: float, measure: _Measure) -> list[str]:
    """Break a paragraph into lines; closing punctuation never starts a line (it hangs in the
    margin instead) and opening punctuation never ends one."""
    width = BLOCK_MM[0] * mm
    lines: list[str] = []
    current = ""
    indent = first_indent * measure.pitch
    for token in _TOKEN.findall(text):
        candidate = current + token
        if not current or measure.width(candidate, size) + indent <= width + 0.01:
            current = candidate
            continue
        if token[0] in _NO_LINE_START:
            current = candidate  # hanging punctuation
            continue
        carried = ""
        while current and current[-1] in _NO_LINE_END:
            carried = current[-1] + carried
            current = current[:-1]
        if measure.width(token, size) > width:
            # A long address or code: break it by characters.
            lines.append(current)
            current = carried
            for char in token:
                if measure.width(current + char, size) > width:
                    lines.append(current)
                    current = ""
                current += char
            indent = 0
            continue
        lines.append(current)
        current = carried + token
        indent = 0
    if current or not lines:
        lines.append(current)
    return lines


def _pdf_lines(letter: Letter, measure: _Measure) -> list[_Line]:
    lines = [
        _Line(text, TITLE_PT, "center", kind="title")
        for text in _wrap(letter.title, size=TITLE_PT, first_indent=0, measure=measure)
    ]
    for block in letter_blocks(letter):
        if block.kind == "blank":
            lines.append(_Line("", BODY_PT, "left", kind="blank"))
        elif block.kind == "number":
            lines.append(_Line(block.text, BODY_PT, "center"))
        elif block.kind in SIGNATURE_KINDS:
            lines.append(_Line(block.text, BODY_PT, "right", right=block.right_chars, kind="sig"))
        else:
            first = 2 if block.kind == "indent" else 0
            wrapped = _wrap(block.text, size=BODY_PT, first_indent=first, measure=measure)
            for i, text in enumerate(wrapped):
                # Full lines are justified to both edges; a paragraph's last line is not.
                align = "justify" if i < len(wrapped) - 1 else "left"
                lines.append(_Line(text, BODY_PT, align, indent=first if i == 0 else 0))
    return _keep_signature_with_text(lines)


def _keep_signature_with_text(lines: list[_Line]) -> list[_Line]:
    """The signature block never starts a page alone: when it would cross or open a page, the
    last line of text goes over with it (7.3.5.5 asks for no page holding only the signature)."""
    sig = [i for i, line in enumerate(lines) if line.kind == "sig"]
    if not sig:
        return lines
    start = sig[0] - 1 if sig[0] and lines[sig[0] - 1].kind == "blank" else sig[0]
    end = sig[-1]
    crosses = start // LINES_PER_PAGE != end // LINES_PER_PAGE
    opens = start % LINES_PER_PAGE == 0 and start > 0
    if not (crosses or opens) or start == 0:
        return lines
    move_from = start - 1
    filler = LINES_PER_PAGE - move_from % LINES_PER_PAGE
    blank = _Line("", BODY_PT, "left", kind="blank")
    return lines[:move_from] + [blank] * filler + lines[move_from:]


def letter_pdf(letter: Letter) -> bytes:
    font = pdf_font()
    measure = _Measure(font)
    lines = _pdf_lines(letter, measure)
    out = io.BytesIO()
    page_w, page_h = PAGE_MM[0] * mm, PAGE_MM[1] * mm
    left, top = LEFT_MM * mm, (PAGE_MM[1] - TOP_MM) * mm
    width = BLOCK_MM[0] * mm
    # The initial font is ours too: no font the file does not embed (not even Helvetica).
    canvas = pdf_canvas.Canvas(out, pagesize=(page_w, page_h), initialFontName=font)
    canvas.setTitle(letter.title)
    if letter.number:
        canvas.setSubject(letter.number)
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    for number, page in enumerate(pages, start=1):
        for row, line in enumerate(page):
            if not line.text:
                continue
            # Each line sits in the middle of its 28.95 pt band.
            baseline = top - (row + 1) * LINE_PITCH_PT + (LINE_PITCH_PT - line.size) / 2
            baseline += 0.12 * line.size
            text_width = measure.width(line.text, line.size)
            char_space = measure.char_space(line.size)
            if line.align == "center":
                x = left + (width - text_width) / 2
            elif line.align == "right":
                x = left + width - line.right * measure.pitch - text_width
            else:
                x = left + line.indent * measure.pitch
                if line.align == "justify" and len(line.text) > 1:
                    # Spread the slack (or take back a hanging punctuation mark's overflow).
                    slack = width - line.indent * measure.pitch - text_width
                    if slack > -line.size:
                        char_space += slack / (len(line.text) - 1)
            text = canvas.beginText(x, baseline)
            text.setFont(font, line.size)
            text.setCharSpace(char_space)
            text.textOut(line.text)
            canvas.drawText(text)
        _pdf_page_number(canvas, number, font=font)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _pdf_page_number(canvas, number: int, *, font: str) -> None:
    label = f"— {number} —"
    size = PAGE_NUMBER_PT
    text_width = pdfmetrics.stringWidth(label, font, size)
    top = (BOTTOM_MM - PAGE_NUMBER_GAP_MM) * mm
    baseline = top - 0.88 * size
    one_char = size
    if number % 2:
        x = (LEFT_MM + BLOCK_MM[0]) * mm - one_char - text_width
    else:
        x = LEFT_MM * mm + one_char
    canvas.setFont(font, size)
    canvas.drawString(x, baseline, label)
