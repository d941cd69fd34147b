"""The text of a Word document (.docx), everything in the file that a reader of it can see.

Order: page headers first (classification marks live there), the body in document order with
the text of tables (one line per row, cells separated by tabs) and text boxes, then footnotes,
endnotes and comments, then page footers. Text inside content controls (公文 templates fill their
fields with them) and tracked insertions is read in place; text deleted with tracked changes is
still in the file, shown in Word's review pane, and read after the part it was deleted from.

python-docx opens the package and finds the parts; the text is then read by walking the XML
with lxml, which is several times faster than python-docx's paragraph objects on a long document
and sees what they skip (content controls, tracked changes).
"""

import io

from django.utils.translation import gettext as _

from .errors import ExtractionError
from .package import ZIP_ERRORS

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


P, TBL, TR, TC, R, T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r"), _w("t")
DEL, DEL_TEXT, SDT, SDT_CONTENT = _w("del"), _w("delText"), _w("sdt"), _w("sdtContent")
TAB, PTAB, BR, CR, NB_HYPHEN = _w("tab"), _w("ptab"), _w("br"), _w("cr"), _w("noBreakHyphen")
_TYPE = _w("type")
# Elements that only wrap blocks (paragraphs, tables) or runs: their content is read in place.
_BLOCK_WRAPPERS = {SDT, SDT_CONTENT, _w("customXml")}
_INLINE_WRAPPERS = {
    SDT,
    SDT_CONTENT,
    _w("customXml"),
    _w("hyperlink"),
    _w("ins"),
    _w("moveTo"),
    _w("smartTag"),
    _w("fldSimple"),
    _w("dir"),
    _w("bdo"),
}
# Word saves a text box twice, as a DrawingML shape and as a VML fallback: read the first only.
_TEXT_BOXES = "//w:txbxContent[not(ancestor::mc:Fallback)][not(ancestor::w:txbxContent)]"
_NOTES = ("/footnotes", "/endnotes", "/comments")
_XML_ERR_NO_MEMORY = 2  # libxml2's XML_ERR_NO_MEMORY


def docx_text(data: bytes, name: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
        return "\n".join(_document_lines(document))
    except XMLSyntaxError as exc:
        if exc.code == _XML_ERR_NO_MEMORY:
            # libxml2 reports running out of memory as a syntax error: it is not the file's
            # damage but its size, and the bounded child refuses it as such.
            raise MemoryError from None
        raise _damaged(name, exc) from None
    except (PackageNotFoundError, *ZIP_ERRORS) as exc:
        raise _damaged(name, exc) from None


def _damaged(name: str, exc: Exception) -> ExtractionError:
    return ExtractionError(
        _(
            "%(name)s: the Word document is damaged (%(detail)s). Open it in Word, save it "
            "again and upload that."
        )
        % {"name": name, "detail": str(exc)[:200]},
        code="corrupt",
    )


def _document_lines(document) -> list[str]:
    headers: list[str] = []
    footers: list[str] = []
    for section in document.sections:
        for attr, out in (
            ("first_page_header", headers),
            ("header", headers),
            ("even_page_header", headers),
            ("first_page_footer", footers),
            ("footer", footers),
            ("even_page_footer", footers),
        ):
            part = getattr(section, attr)
            # A part "linked to previous" repeats the previous section's; reading it again would
            # report every mark once per section.
            if part.is_linked_to_previous:
                continue
            out.extend(part_lines(part._element))
    notes: list[str] = []
    for reltype in _NOTES:
        for rel in document.part.rels.values():
            if rel.reltype.endswith(reltype) and not rel.is_external:
                notes.extend(part_lines(_element_of(rel.target_part)))
    return [*headers, *part_lines(document.element), *notes, *footers]


def _element_of(part):
    """The root element of a part python-docx may not know as XML (footnotes, comments)."""
    for attr in ("element", "_element"):
        element = getattr(part, attr, None)
        if element is not None:  # an lxml element's truth is whether it has children
            return element
    from docx.oxml.parser import parse_xml

    return parse_xml(part.blob)


def part_lines(root) -> list[str]:
    """One part's lines: its blocks, then its text boxes, then its deleted text."""
    from lxml import etree

    lines: list[str] = []
    deleted: list[str] = []
    _blocks(root, lines, deleted)
    for box in etree.ElementBase.xpath(root, _TEXT_BOXES, namespaces={"w": _W, "mc": _MC}):
        for paragraph in box.iter(P):
            lines.append(_paragraph(paragraph, deleted))
    return [*lines, *(text for text in deleted if text.strip())]


def _blocks(container, lines: list[str], deleted: list[str]) -> None:
    for child in container:
        tag = child.tag
        if tag == P:
            lines.append(_paragraph(child, deleted))
        elif tag == TBL:
            lines.extend(_table(child, deleted))
        elif tag in _BLOCK_WRAPPERS or (isinstance(tag, str) and _is_container(tag)):
            _blocks(child, lines, deleted)


def _is_container(tag: str) -> bool:
    # w:body, w:hdr, w:ftr, w:footnote, w:endnote, w:comment, w:footnotes..., w:document
    return tag in _CONTAINERS


_CONTAINERS = {
    _w(t)
    for t in (
        "document",
        "body",
        "hdr",
        "ftr",
        "footnotes",
        "footnote",
        "endnotes",
        "endnote",
        "comments",
        "comment",
    )
}


def _table(table, deleted: list[str]) -> list[str]:
    """One line per row, cells separated by tabs; a merged cell is one w:tc, read once, and a
    nested table's rows join its cell's text."""
    rows: list[str] = []
    for row in _children(table, TR):
        cells = []
        for cell in _children(row, TC):
            lines: list[str] = []
            _blocks(cell, lines, deleted)
            cells.append(" ".join(line for line in lines if line).strip())
        rows.append("\t".join(cells))
    return rows


def _children(element, tag: str):
    """Direct children with `tag`, also through content controls (a row or cell in an sdt)."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _paragraph(paragraph, deleted: list[str]) -> str:
    out: list[str] = []
    gone: list[str] = []
    _inline(paragraph, out, gone)
    if gone:
        deleted.append("".join(gone))
    return "".join(out)


def _inline(element, out: list[str], gone: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == R:
            _run(child, out)
        elif tag == DEL:
            for run in child.iter(R):
                _run(run, gone)
        elif tag in _INLINE_WRAPPERS:
            _inline(child, out, gone)


def _run(run, out: list[str]) -> None:
    # As python-docx reads a run: text, tabs and line breaks; drawings (text boxes) are read
    # apart, field instructions are not text.
    for child in run:
        tag = child.tag
        if tag in (T, DEL_TEXT):
            out.append(child.text or "")
        elif tag in (TAB, PTAB):
            out.append("\t")
        elif tag == BR:
            if child.get(_TYPE) in (None, "textWrapping"):
                out.append("\n")
        elif tag == CR:
            out.append("\n")
        elif tag == NB_HYPHEN:
            out.append("-")
