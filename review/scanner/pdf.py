"""The text of a PDF: its text layer, and on pages without one the text recognised in the page's
pictures (a scan), when OCR is allowed.

Without OCR, a PDF with a page that has pictures but no text raises NeedsOCR: a scanned page in
an otherwise typed document (the signed last page, a copy of an ID card) must be read too.
"""

import io
import struct

from django.utils.translation import gettext as _

from .errors import ExtractionError, NeedsOCR
from .package import ZIP_ERRORS

PAGE_BREAK = "\n\f\n"

# What reading a damaged PDF raises (found by fuzzing): the libraries do not wrap their parsers'
# and decompressors' errors.
_PDF_ERRORS = (
    *ZIP_ERRORS,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    struct.error,
)


def pdf_text(data: bytes, name: str, *, ocr, max_chars: int, too_long) -> str:
    """`ocr`: an ocr.Recogniser, or None to raise NeedsOCR where only OCR could read a page.
    `too_long()` builds the error raised once the text passes `max_chars`."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # A PDF with only an owner password (no copying/printing) opens with an empty user
            # password; anything else needs a password the reviewer does not have.
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                # AES needs the `cryptography` package, which is not a dependency.
                raise ExtractionError(
                    _(
                        "%(name)s: the PDF is encrypted with a method this server cannot read. "
                        "Upload an unprotected copy."
                    )
                    % {"name": name},
                    code="encrypted",
                ) from None
            if not opened:
                raise _password(name)
        pages = _pages(reader, name, ocr=ocr, max_chars=max_chars, too_long=too_long)
    except ExtractionError:
        raise
    except FileNotDecryptedError:
        raise _password(name) from None
    except (PyPdfError, *_PDF_ERRORS) as exc:
        raise ExtractionError(
            _(
                "%(name)s: the PDF is damaged or unreadable (%(detail)s). Export it to PDF again "
                "and upload that."
            )
            % {"name": name, "detail": str(exc)[:200]},
            code="corrupt",
        ) from None
    if not any(p.strip() for p in pages):
        raise ExtractionError(
            _(
                "%(name)s: no text could be read or recognised in this PDF (its text may be drawn "
                "as shapes). Check it by eye, page by page."
            )
            % {"name": name},
            code="no_text",
        )
    return PAGE_BREAK.join(pages)


def _password(name: str) -> ExtractionError:
    return ExtractionError(
        _("%(name)s: the PDF is password-protected. Upload an unprotected copy.") % {"name": name},
        code="encrypted",
    )


def _pages(reader, name: str, *, ocr, max_chars: int, too_long) -> list[str]:
    pages: list[str] = []
    undecodable: list[int] = []
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        if not text.strip() and len(page.images):
            if ocr is None:
                raise NeedsOCR(
                    _("%(name)s: pages without a text layer (a scan?) wait for text recognition.")
                    % {"name": name},
                    code="needs_ocr",
                )
            text, ok = _recognise_page(page, ocr)
            if not ok:
                undecodable.append(number)
        total += len(text) + len(PAGE_BREAK)
        if total > max_chars:
            raise too_long()
        pages.append(text)
    if undecodable:
        raise ExtractionError(
            _(
                "%(name)s: the pictures on page(s) %(pages)s cannot be decoded, so their text "
                "cannot be recognised. Check the file by eye, page by page."
            )
            % {"name": name, "pages": ", ".join(map(str, undecodable[:20]))},
            code="ocr_failed",
        )
    return pages


def _recognise_page(page, ocr) -> tuple[str, bool]:
    """The text of a page's pictures, and whether each one could be decoded (pypdf decodes
    JPEG, Flate, CCITT and JPEG 2000 pictures through Pillow; not JBIG2 without jbig2dec)."""
    from .ocr import MIN_SIDE, check_pixels

    texts: list[str] = []
    ok = True
    # The page's /Rotate turns the picture clockwise on screen; Pillow turns anticlockwise.
    rotation = (page.rotation or 0) % 360
    pictures = page.images
    for key in pictures.keys():
        # pypdf decodes a picture as soon as it is taken from the list: look at its declared
        # size first, so that a 100000 x 100000 "page" is refused before it is inflated.
        size = _declared_size(page, key)
        if size is not None:
            if min(size) < MIN_SIDE:
                continue
            check_pixels(*size, ocr.name)
        try:
            image = pictures[key].image
        except Exception:  # noqa: BLE001 - any decoder failure: the page is not read
            image = None
        if image is None:
            ok = False
            continue
        if min(image.size) < MIN_SIDE:
            continue
        check_pixels(*image.size, ocr.name)
        if rotation:
            image = image.rotate(-rotation, expand=True)
        texts.append(ocr.picture(image))
    return "\n".join(t for t in texts if t), ok


def _declared_size(page, key) -> tuple[int, int] | None:
    """Width and height from a picture's dictionary (not for inline pictures, named "~n~", nor
    for pictures inside a form, named by a list)."""
    if not isinstance(key, str) or key.startswith("~"):
        return None
    try:
        picture = page["/Resources"]["/XObject"][key].get_object()
        return int(picture["/Width"]), int(picture["/Height"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
